_currant = __import__("currant").module("app/order.py")
# Concurrent coroutines that resume in the order their first (awaited)
# boundaries complete: the order they started, then (the second waits
# less) the other.  Each then takes a ticket (a counter in a side file) and
# writes a side effect with it, so a resume that handed one coroutine the
# other's ticket would write again with other arguments (or meet the other
# coroutine's row: non-determinism).
import asyncio
import json
import os


async def wait(seconds):
    await asyncio.sleep(seconds)
    return seconds


def ticket():
    path = os.environ["SIDE"] + ".ticket"
    n = int(open(path).read()) + 1 if os.path.exists(path) else 1
    with open(path, "w") as f:
        f.write(str(n))
    return n


def append(path, text):
    with open(path, "a") as f:
        f.write(text)


async def worker(name, seconds):
    await _currant.call(0, wait, seconds)
    t = _currant.call(1, ticket)
    _currant.call(2, append, os.environ["SIDE"], f"{name} {t}\n")
    return f"{name}:{t}"


async def main():
    # the one started first finishes first, then the other way round
    for first, second in (("fast", "slow"), ("slow", "fast")):
        waits = {"fast": 0.005, "slow": 0.08}
        print(json.dumps(await asyncio.gather(
            worker(first, waits[first]), worker(second, waits[second]))))

asyncio.run(main())
