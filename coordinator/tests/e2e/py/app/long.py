_currant = __import__("currant").module("app/long.py")
# One checkpoint, then a long in-process sleep: for `currant cancel`.
import currant


def f(x):
    return x


_currant.call(0, f, 1)
print("started", flush=True)
_currant.call(1, currant.sleep, 60)
print("not reached")
