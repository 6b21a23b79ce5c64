# await records the awaited value; async with / async for keep working.
import asyncio
import random
import time


class Lock:
    async def __aenter__(self):
        return time.time()

    async def __aexit__(self, *exc):
        return False


async def ticks(n):
    for _ in range(n):
        yield random.random()


async def main():
    await asyncio.sleep(0)
    t = await asyncio.wait_for(asyncio.sleep(0, result=time.monotonic()), timeout=1)
    async with Lock() as started:
        pass
    async for x in ticks(2):
        assert 0 <= x < 1
    await asyncio.to_thread(time.sleep, 0)
    return t > 0, started > 0


print(asyncio.run(main()))
