_currant = __import__("currant").module("steps.py")
# N sequential no-op boundary calls (argv[1]), for `coordinator/bench/bench.sh`.
import sys


def step(i):
    return i


n = int(sys.argv[1])
total = 0
for i in range(n):
    total += _currant.call(0, step, i)
print(total)
