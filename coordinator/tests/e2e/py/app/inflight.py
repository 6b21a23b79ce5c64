_currant = __import__("currant").module("app/inflight.py")
# A slow call still running while the script goes on past later
# checkpoints.  Killed after those, the resume runs the slow call again (it
# never committed), but what the script printed before the later
# checkpoints was printed: it must not print again.
import asyncio
import os
import time


async def slow(name):
    await asyncio.sleep(0.3)
    with open(os.environ["SIDE"], "a") as f:
        f.write(name + "\n")
    return name


async def main():
    cleanup = asyncio.ensure_future(_currant.call(0, slow, "cleanup"))
    await asyncio.sleep(0)
    print("report")
    first = _currant.call(1, time.time)
    print("done", first > 0)
    _currant.call(2, time.time)
    print(await cleanup, "finished")


asyncio.run(main())
