_currant = __import__("currant").module("steps.py")
# N sequential boundary calls (argv[1]) of a no-op, for
# `coordinator/bench/bench.sh`: a plain call, or with argv[2] a task
# ("task") or a JavaScript function through the bridge ("bridge").
import sys

import currant


def step(i):
    return i


kind = sys.argv[2] if len(sys.argv) > 2 else "call"
if kind == "task":
    step = currant.task(step)
elif kind == "bridge":
    step = _currant.bridge("js", "bridge_target.js", []).step
n = int(sys.argv[1])
total = 0
for i in range(n):
    total += _currant.call(0, step, i)
print(total)
