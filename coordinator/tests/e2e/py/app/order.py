_currant = __import__("currant").module("app/order.py")
# Concurrent coroutines that resume in the order their first (awaited)
# boundaries complete, not the order they started: the second waits less.
# Each then takes a ticket (a counter in a side file) and writes a side
# effect with it, so a resume that handed one coroutine the other's ticket
# would write again with other arguments (or meet the other's row).
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
    print(json.dumps(await asyncio.gather(worker("slow", 0.08),
                                          worker("fast", 0.005))))

asyncio.run(main())
