"""The journal value encoding: round trips, tags, errors, unrecordables."""

import datetime as dt
import decimal
import json
import pathlib
import subprocess
import unittest
import uuid

from currant import _codec, _recorders


def roundtrip(v):
    return _codec.decode(json.loads(json.dumps(_codec.encode(v),
                                               allow_nan=False)))


class CodecTest(unittest.TestCase):
    def test_json_values_stand_for_themselves(self) -> None:
        for v in (None, True, 0, -5, 1.5, "x", [1, "a"], {"a": [None]}):
            self.assertEqual(_codec.encode(v), v)
            self.assertEqual(roundtrip(v), v)

    def test_tagged_values(self) -> None:
        values = [2 ** 80, -2 ** 60, b"\x00\xff", bytearray(b"ab"), (1, (2,)),
                  {1, 2}, frozenset({"f"}), {1: "a", (2, 3): "b"},
                  dt.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc),
                  dt.date(2020, 1, 2), dt.time(3, 4), dt.timedelta(seconds=90),
                  decimal.Decimal("1.10"), uuid.UUID(int=5),
                  pathlib.Path("/a/b"), {"$t": "user data"}]
        for v in values:
            got = roundtrip(v)
            self.assertEqual(got, v)
            self.assertIs(type(got), type(v), v)

    def test_floats_that_json_lacks(self) -> None:
        self.assertEqual(_codec.encode(float("inf")),
                         {"$t": "float", "v": "Infinity"})
        self.assertEqual(roundtrip(float("-inf")), float("-inf"))
        nan = roundtrip(float("nan"))
        self.assertNotEqual(nan, nan)

    def test_sets_encode_in_a_stable_order(self) -> None:
        self.assertEqual(_codec.encode({3, 1, 2}),
                         {"$t": "set", "v": [1, 2, 3]})

    def test_completed_process_and_iterators(self) -> None:
        done = subprocess.CompletedProcess(["x"], 1, "out", b"err")
        got = roundtrip(done)
        self.assertEqual((got.args, got.returncode, got.stdout, got.stderr),
                         (["x"], 1, "out", b"err"))
        it = _recorders.record_live(x * 2 for x in range(3))
        self.assertEqual(list(roundtrip(it)), [0, 2, 4])

    def test_recorded_response(self) -> None:
        r = _recorders.RecordedResponse(200, "OK", [("X-A", "1")], b'{"a":1}',
                                        "http://h/")
        got = roundtrip(r)
        self.assertEqual((got.status, got.getheader("x-a"), got.json()),
                         (200, "1", {"a": 1}))
        self.assertEqual(got.read(2), b'{"')

    def test_recorded_file(self) -> None:
        f = _recorders.RecordedFile("a\nb\n", "/x", "r")
        got = roundtrip(f)
        self.assertEqual(list(got), ["a\n", "b\n"])
        self.assertEqual(got.name, "/x")

    def test_unrecordable_names_the_type(self) -> None:
        with self.assertRaisesRegex(TypeError, "builtins.object"):
            _codec.encode(object())
        with self.assertRaisesRegex(TypeError, "nested"):
            v: list = []
            for _ in range(300):
                v = [v]
            _codec.encode(v)

    def test_errors_keep_type_and_message(self) -> None:
        for exc in (KeyError("k"), ValueError("bad"), OSError(2, "gone"),
                    _codec.ReplayedError("x")):
            got = _codec.decode_error(
                json.loads(json.dumps(_codec.encode_error(exc))))
            self.assertIs(type(got), type(exc))
            self.assertEqual(str(got), str(exc))

    def test_unknown_error_types_keep_their_name(self) -> None:
        got = _codec.decode_error({"type": "Declined", "module": "js",
                                   "message": "no"})
        self.assertEqual(type(got).__name__, "Declined")
        self.assertEqual(str(got), "no")
        self.assertIsInstance(got, _codec.ReplayedError)


if __name__ == "__main__":
    unittest.main()
