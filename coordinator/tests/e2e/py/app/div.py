_currant = __import__("currant").module("app/div.py")
# Takes another path when $FLAG exists: resuming after creating it must be
# reported as non-determinism naming both sites.
import os


def f(x):
    return x


if os.path.exists(os.environ["FLAG"]):
    _currant.call(1, f, "b")
else:
    _currant.call(0, f, "a")
_currant.call(2, f, "c")
