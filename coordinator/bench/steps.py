_currant = __import__("currant").module("steps.py")
# N sequential boundary calls (argv[1]) of a no-op, for
# `coordinator/bench/bench.sh`: a plain call, or with argv[2] a task
# ("task") or a JavaScript function through the bridge ("bridge").  With
# $CURRANT_BENCH_TIMING set, the loop's ms are appended to that file (the
# record rows' figure: no start-up in it).
import os
import sys
import time

import currant


def step(i):
    return i


kind = sys.argv[2] if len(sys.argv) > 2 else "call"
if kind == "task":
    step = currant.task(step)
elif kind == "bridge":
    step = _currant.bridge("js", "bridge_target.js", []).step
n = int(sys.argv[1])
t = time.perf_counter()
total = 0
for i in range(n):
    total += _currant.call(0, step, i)
timing = os.environ.get("CURRANT_BENCH_TIMING")
if timing:
    with open(timing, "a") as f:
        f.write(f"{(time.perf_counter() - t) * 1e3:.3f}\n")
print(total)
