"""A loop over a copy of a listing binds Paths too: sorted(d.glob(...)),
list(...), tuple(...), reversed(...) of an iterdir/glob/rglob (sorted with
key= and reverse=).  Not followed: a copy of a copy (reversed(list(...))),
a copy through a function of the same name that is not the builtin, two
positional arguments, a starred one."""
from pathlib import Path

DATA = Path("data")

for p in sorted(DATA.glob("*.json")):
    print(p.read_text())

sizes = [q.stat().st_size for q in list(DATA.iterdir())]
for r in sorted(DATA.rglob("*.tmp"), key=str, reverse=True):
    r.unlink()
names = {t.name: t.read_bytes() for t in tuple(DATA.glob("*.bin"))}
for u in reversed(list(DATA.iterdir())):
    u.touch()


def shadowed():
    sorted = lambda items: items  # noqa: E731
    for v in sorted(DATA.glob("*")):
        v.unlink()


def not_copies(extra):
    for w in sorted(DATA.glob("*"), extra):
        w.unlink()
    for x in list(*[DATA.glob("*")]):
        x.unlink()
