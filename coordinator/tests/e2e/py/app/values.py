_currant = __import__("currant").module("app/values.py")
# Every value kind the journal encodes, returned by a boundary and printed:
# a resumed run prints the same text only if each decodes to its original.
import collections
import dataclasses
import datetime
import decimal
import enum
import os
import random
import secrets
import shutil
import subprocess
import tempfile
import time
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

# Struct sequences come back as their type, with their named fields.
st = _currant.call(8, os.stat, __file__)
print("stat", type(st).__name__, st.st_size > 0, type(st.st_mtime_ns).__name__)
gm = _currant.call(9, time.gmtime, 0)
print("gmtime", type(gm).__name__, gm.tm_year, gm.tm_zone)
# Directory entries: what their methods answered live, also once the
# directory is gone (it is removed before the run ends).  Its path is the
# same at replay: a checkpoint's arguments are part of what is matched.
top = os.environ.get("SIDE", os.path.join(tempfile.gettempdir(), "values")) + ".scan"
shutil.rmtree(top, ignore_errors=True)
os.mkdir(top)
open(os.path.join(top, "f"), "w").close()
os.mkdir(os.path.join(top, "sub"))
os.symlink("f", os.path.join(top, "ln"))
os.symlink("missing", os.path.join(top, "broken"))
with _currant.call(10, os.scandir, top) as entries:
    for e in sorted(entries, key=lambda e: e.name):
        try:
            size = e.stat().st_size
        except FileNotFoundError:
            size = "gone"
        print("entry", e.name, e.is_dir(), e.is_file(), e.is_symlink(),
              e.is_file(follow_symlinks=False), size, e.inode() > 0)
shutil.rmtree(top)


# Random selections replay as positions in the caller's own sequence.  Each
# draws from a generator of its own, seeded, so that a run killed and
# resumed anywhere prints what an uninterrupted one does: a replayed draw
# does not move a generator on.
class Card:
    def __init__(self, n):
        self.n = n


deck = [Card(n) for n in range(12)]
_currant.call(11, random.Random(1).shuffle, deck)
print("shuffled", [c.n for c in deck])
pick = _currant.call(12, random.Random(2).choice, deck)
print("choice", pick.n, any(pick is c for c in deck))
hand = _currant.call(13, random.Random(3).sample, deck, 3)
print("sample", [c.n for c in hand], all(any(h is c for c in deck) for h in hand))
print("choices", _currant.call(14, random.Random(4).choices, "abc", k=6))
drawn = _currant.call(15, secrets.choice, deck)
print("secrets", any(drawn is c for c in deck))
try:
    _currant.call(16, random.sample, {1, 2}, 1)
except TypeError as e:
    print("error", type(e).__name__)


# Instances of the program's classes come back as their class.
class Status(enum.Enum):
    PAID = "paid"


Point = collections.namedtuple("Point", "x y")


@dataclasses.dataclass(frozen=True)
class Receipt:
    order: int
    status: Status
    where: Point


got = _currant.call(17, give, Receipt(7, Status.PAID, Point(1, 2)))
print("instance", got, type(got).__name__, got.status is Status.PAID)

# tempfile.mkstemp's descriptor is the process's own on replay too: the
# recorded number would be another file's, or none.
fd, path = _currant.call(18, tempfile.mkstemp)
os.write(fd, b"x")
os.close(fd)
print("mkstemp", os.path.getsize(path) > 0)
os.unlink(path)

# A temporary directory or named file keeps its name on replay: arguments
# built from it match what was recorded.
with _currant.call(19, tempfile.TemporaryDirectory) as scratch:
    inside = os.path.join(scratch, "x")
    print("tempdir", _currant.call(20, give, inside) == inside, os.path.isdir(scratch))
with _currant.call(21, tempfile.NamedTemporaryFile, "w+") as named:
    named.write("x")
    named.flush()
    print("namedtemp", _currant.call(22, give, named.name) == named.name)
