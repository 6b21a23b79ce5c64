_currant = __import__("currant").module("app/div.py")
import os
def f(x): return x
if os.path.exists("/tmp/ct1/flag"):
    _currant.call(1, f, "b")
else:
    _currant.call(0, f, "a")
_currant.call(2, f, "c")
