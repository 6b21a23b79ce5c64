_currant = __import__("currant").module("steps_timed.py")
# ../steps.py timed inside, like the peers' workflows: the N steps' ms are
# appended to $CURRANT_BENCH_TIMING; with $CURRANT_BENCH_CRASH set the
# script then dies, and `currant resume` replays the N steps.  For peers.py.
import os
import sys
import time


def step(i):
    return i


n = int(sys.argv[1])
t = time.perf_counter()
total = 0
for i in range(n):
    total += _currant.call(0, step, i)
ms = (time.perf_counter() - t) * 1e3
with open(os.environ["CURRANT_BENCH_TIMING"], "a") as f:
    f.write(f"{ms:.3f}\n")
if os.environ.get("CURRANT_BENCH_CRASH"):
    os._exit(1)  # a crash after the N steps: `currant resume` replays them
print(total)
