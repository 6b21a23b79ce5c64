# CPU-bound, one boundary site that is never reached: currantc rewrites the
# file (runtime import, time.time() checkpointed) but a run hits no boundary.
# For coordinator/bench/peers/peers.py: the no-boundary overhead.
import sys
import time


def work(n):
    total = 0
    for i in range(n):
        total = (total * 31 + i) % 1000003
    return total


n = int(sys.argv[1])
r = work(n)
if n < 0:
    print(time.time())
print(r)
