_currant = __import__("currant").module("app/race.py")
# Concurrent plain (non-task) coroutines whose second boundary starts after
# a random delay: keys are taken in completion order, which changes from one
# execution to the next; each call must still get its own recorded outcome.
import asyncio
import os
import random

SIDE = os.environ["SIDE"]


async def effect(name):
    await asyncio.sleep(random.random() / 100)
    with open(SIDE, "a") as f:
        f.write(name + "\n")
    return name.upper()


async def worker(i):
    a = await _currant.call(0, effect, f"{i}a")
    await asyncio.sleep(random.random() / 50)
    b = await _currant.call(1, effect, f"{i}b")
    return a + b


async def main():
    print(await asyncio.gather(*[worker(i) for i in range(5)]))


asyncio.run(main())
