_currant = __import__("currant").module("main.py"); import clock
from clock import counter, now
from utils import again

print(_currant.call(0, now) > 0, _currant.call(1, clock.pick) < 1, counter(), _currant.call(2, again) > 0)
if __name__ == "never":  # f and g denote each other: for the compiler only
    import cycle_a
    cycle_a.f()
