"""Python calling JavaScript (tests/suites/96-bridge.sh): values, errors,
an async function, calls back into Python, side effects."""
import asyncio
import os

import currant
from currant.js.pricing import echo, fail, later, quote, reenter, roundtrip

SIDE = os.environ["SIDE"]


def effect(name):
    with open(SIDE, "a") as f:
        f.write(name + "\n")
    return name


print("start", effect("py-start"))
print("quote", quote(3, 2))
try:
    fail("boom")
except TypeError as e:
    print("error", type(e).__name__, e, isinstance(e, currant.BridgeError))
print("later", asyncio.run(later(5)))
print("values", echo((1, 2), b"xy", {1: "a", "k": [None, True]}, 2 ** 70, 1.5))
print("roundtrip", roundtrip(4))
try:
    reenter()
except currant.BridgeError as e:
    print("reenter", type(e).__name__, "re-entrant call into the js worker" in str(e))
print("end", effect("py-end"))
