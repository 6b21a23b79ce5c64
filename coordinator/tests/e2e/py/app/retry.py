_currant = __import__("currant").module("app/retry.py")
# A task that fails twice, then succeeds; attempts are counted in $SIDE.
import os

import currant

SIDE = os.environ["SIDE"]


@currant.task(retries=3, initial_interval=0.05, backoff="fixed", jitter=0)
def flaky():
    with open(SIDE, "a") as f:
        f.write("attempt\n")
    with open(SIDE) as f:
        n = len(f.read().splitlines())
    if n < 3:
        raise ConnectionError(f"down {n}")
    return n


print("result", _currant.call(0, flaky))
