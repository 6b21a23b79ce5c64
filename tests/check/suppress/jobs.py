"""Per-line suppressions: 5 silenced, 3 still reported."""
import threading


def work():
    a = id(work)  # currant: ignore[nondeterminism]
    b = hash("k")  # currant: ignore
    # currant: ignore[unrecordable-boundary, nondeterminism]
    c = id(a)
    d = id(b)  # currant: ignore[task-cycle]  expect: nondeterminism
    e = id(c)  # currant: ignore[nondeterminism]
    f = id(d)  # expect: nondeterminism
    # only a comment that starts with the directive counts: currant: ignore
    g = id(e)  # expect: nondeterminism
    t = threading.Thread(target=work)  # currant: ignore[nondeterminism]
    return a, b, c, d, e, f, g, t


work()
