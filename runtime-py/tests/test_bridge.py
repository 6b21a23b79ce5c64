"""Calls into JavaScript: the codecs agree, errors cross, pass-through
spawns the JS worker, ``currant.js`` imports resolve (needs node)."""

import asyncio
import datetime as dt
import decimal
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import currant
from currant import _bridge, _codec, _errors

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME_JS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "runtime-js")

# Reads encoded values on stdin, decodes and re-encodes them with the JS
# codec; with "make", prints the JS encoding of values built in JS.
JS_ROUND_TRIP = """
const codec = require(process.argv[1] + "/lib/codec");
if (process.argv[2] === "make") {
  const values = [[1, 2], Buffer.from("xy"), new Uint8Array([3]),
    new Map([[1, "a"], ["k", [null]]]), new Set(["s"]), 10n ** 20n,
    new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), undefined, NaN,
    { $t: "user" }, { nested: [{ deep: new Map([["x", 1n]]) }] }];
  process.stdout.write(JSON.stringify(values.map((v) => codec.encode(v))));
} else {
  const data = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
  const back = data.map((v) => codec.encode(codec.decode(v)));
  process.stdout.write(JSON.stringify(back));
}
"""


def node(*args: str, stdin: str = "") -> str:
    return subprocess.run(["node", "-e", JS_ROUND_TRIP, RUNTIME_JS, *args],
                          input=stdin, capture_output=True, text=True,
                          check=True).stdout


@unittest.skipUnless(shutil.which("node"), "node is not installed")
class CodecAgreementTest(unittest.TestCase):
    def test_python_values_through_the_js_codec(self) -> None:
        values = [(1, 2), b"xy", bytearray(b"z"), {1: "a", "k": [None]},
                  {"s"}, 2 ** 70, dt.datetime(2024, 1, 2, 3, 4, 5,
                                              tzinfo=dt.timezone.utc),
                  dt.date(2024, 1, 2), decimal.Decimal("1.10"),
                  float("inf"), {"$t": "user"},
                  {"nested": [{"deep": {(1, 2): 2 ** 60}}]}]
        back = json.loads(node(stdin=json.dumps(
            [_codec.encode(v) for v in values])))
        got = [_codec.decode(v) for v in back]
        want = [[1, 2], b"xy", b"z", {1: "a", "k": [None]}, {"s"}, 2 ** 70,
                values[6], "2024-01-02", "1.10", float("inf"),
                {"$t": "user"}, {"nested": [{"deep": {(1, 2): 2 ** 60}}]}]
        self.assertEqual(got, want)

    def test_js_values_decode_in_python(self) -> None:
        got = [_codec.decode(v) for v in json.loads(node("make"))]
        self.assertEqual(got[:8], [
            [1, 2], b"xy", b"\x03", {1: "a", "k": [None]}, {"s"}, 10 ** 20,
            dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc), None])
        self.assertNotEqual(got[8], got[8])  # NaN
        self.assertEqual(got[9:], [{"$t": "user"},
                                   {"nested": [{"deep": {"x": 1}}]}])


class BridgedErrorTest(unittest.TestCase):
    def js_error(self, kind: str, message: str) -> dict:
        return {"type": kind, "name": kind, "module": "js",
                "message": message, "lang": "js"}

    def test_js_errors_are_bridge_errors_of_their_name(self) -> None:
        exc = _codec.decode_error(self.js_error("TypeError", "bad"))
        self.assertIsInstance(exc, currant.BridgeError)
        self.assertIsInstance(exc, TypeError)
        self.assertEqual((type(exc).__name__, str(exc)), ("TypeError", "bad"))
        other = _codec.decode_error(self.js_error("Declined", "no"))
        self.assertNotIsInstance(other, TypeError)
        self.assertEqual(type(other).__name__, "Declined")

    def test_one_class_per_name_and_the_record_is_kept(self) -> None:
        record = self.js_error("RangeError", "far")
        exc = _codec.decode_error(record)
        self.assertIs(type(exc), type(_codec.decode_error(dict(record))))
        self.assertEqual(_codec.encode_error(exc), record)

    def test_coordinator_errors_are_bridge_errors(self) -> None:
        exc = _codec.decode_error({"type": "BridgeError", "module": "currant",
                                   "message": "died", "args": ["died"]})
        self.assertIs(type(exc), _errors.BridgeError)


PRICING = """
const fs = require("node:fs");
exports.quote = (n, k) => n * k;
exports.fail = (m) => { throw new RangeError("bad " + m); };
exports.later = async (n) => n + 1;
exports.values = (...a) => a;
exports.die = () => process.kill(process.pid, "SIGKILL");
"""


@unittest.skipUnless(shutil.which("node"), "node is not installed")
class PassThroughTest(unittest.TestCase):
    def setUp(self) -> None:
        self.root = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.root, "lib"))
        with open(os.path.join(self.root, "lib", "pricing.js"), "w") as f:
            f.write(PRICING)
        self.mod = _bridge.BridgeModule("js", "lib/pricing.js", ["later"],
                                        self.root)

    def tearDown(self) -> None:
        shutil.rmtree(self.root)

    def test_values_errors_and_async(self) -> None:
        self.assertEqual(self.mod.quote(3, 2), 6)
        self.assertEqual(self.mod.values((1,), b"a"), [[1], b"a"])
        with self.assertRaises(currant.BridgeError) as cm:
            self.mod.fail("x")
        self.assertEqual(type(cm.exception).__name__, "RangeError")
        self.assertEqual(str(cm.exception), "bad x")
        self.assertEqual(asyncio.run(self.mod.later(1)), 2)

    def test_keywords_cannot_cross(self) -> None:
        with self.assertRaises(TypeError):
            self.mod.quote(n=1, k=2)

    def test_worker_death_is_a_bridge_error_then_a_new_worker(self) -> None:
        with self.assertRaisesRegex(currant.BridgeError,
                                    r"lib/pricing\.js:die .*signal 9"):
            self.mod.die()
        self.assertEqual(self.mod.quote(2, 2), 4)

    def test_currant_js_imports_resolve_on_sys_path(self) -> None:
        sys.path.insert(0, self.root)
        try:
            from currant.js.lib.pricing import later, quote
            self.assertEqual(quote(5, 5), 25)
            # async: as the worker's answer says
            self.assertEqual(asyncio.run(later(1)), 2)
            with self.assertRaises(ImportError):
                __import__("currant.js.lib.nothing")
        finally:
            sys.path.remove(self.root)
            for name in [n for n in sys.modules if n.startswith("currant.js")]:
                del sys.modules[name]


if __name__ == "__main__":
    unittest.main()
