_currant = __import__("currant").module("app/values.py")
# Every value kind the journal encodes, returned by a boundary and printed:
# a resumed run prints the same text only if each decodes to its original.
import datetime
import decimal
import subprocess
import uuid

import currant

VALUES = [
    None, True, 3, -2 ** 70, 1.5, float("nan"), float("inf"), "héllo",
    b"\x00\xffbytes", (1, "two"), {3, 1, 2}, frozenset({"a"}),
    [1, [2, {"k": (3,)}]], {"$t": "not a tag"}, {1: "int key", (2, 3): "tuple key"},
    datetime.datetime(2024, 5, 6, 7, 8, 9, 10, tzinfo=datetime.timezone.utc),
    datetime.date(2024, 1, 2), decimal.Decimal("1.10"),
    uuid.UUID("12345678-1234-5678-1234-567812345678"),
]


def give(v):
    return v


for i, v in enumerate(VALUES):
    got = _currant.call(0, give, v)
    print(i, type(got).__name__, repr(got) if got == got else "nan")
done = _currant.call(1, subprocess.run, ["echo", "hi"], capture_output=True, text=True)
print("completed", done.returncode, repr(done.stdout), type(done).__name__)
it = _currant.call(2, iter, [1, 2, 3])
print("iter", list(it))
try:
    _currant.call(3, give, object())
except currant.UnrecordableValueError as e:
    print("unrecordable:", e)


class Custom(Exception):
    pass


def boom():
    raise Custom("custom message")


for fn in (lambda: {}["missing"], lambda: int("x"), boom):
    try:
        _currant.call(4, fn)
    except Exception as e:
        print("error", type(e).__name__, str(e))
print("now", type(_currant.call(5, currant.now)).__name__,
      "uuid", len(_currant.call(6, currant.uuid)),
      "random", 0 <= _currant.call(7, currant.random) < 1)
