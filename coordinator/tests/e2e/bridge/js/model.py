"""Python called from JavaScript (tests/suites/96-bridge.sh)."""
import asyncio
import os
import sys


def score(n):
    with open(os.environ["SIDE"], "a") as f:
        f.write(f"py-score {n}\n")
    return n * 2


def fail(m):
    raise ValueError(f"bad {m}")


async def slow(n):
    await asyncio.sleep(0.01)
    return n * 3


def echo(*values):
    return values


def die_once(n):
    with open(os.environ["SIDE"], "a") as f:
        f.write(f"py-die-once {n}\n")
    sys.path.insert(0, os.environ["CHAOS_DIR"])
    __import__("chaos").die_once(os.environ["MARK"])
    return n + 1
