_currant = __import__("currant").module("app/main.py")
import os, sys, time, currant

SIDE = os.environ["SIDE"]  # side effects are counted here, outside the journal

def effect(name):
    with open(SIDE, "a") as f:
        f.write(name + "\n")
    return name.upper()

@currant.task(retries=2, initial_interval=0.01)
def step(i):
    return _currant.call(3, effect, f"inner{i}")

print("start")
a = _currant.call(0, effect, "a")
print("a ->", a)
t = _currant.call(1, time.time)
r = _currant.call(2, currant.random)
for i in range(3):
    print("step", i, _currant.call(4, step, i))
try:
    _currant.call(5, int, "x")
except ValueError as e:
    print("error:", e)
_currant.call(6, currant.sleep, 0.01)
print("end", a)
