_currant = __import__("currant").module("app/abandon.py")
# A call still awaited when the script ends (asyncio.run cancels the task
# awaiting it): the run records it abandoned; a replay reaches it where the
# run did, and it does not return there either.
import asyncio
import os
import time

SIDE = os.environ["SIDE"]


async def forever(name):
    with open(SIDE, "a") as f:
        f.write(name + "\n")
    await asyncio.get_running_loop().create_future()


async def main():
    asyncio.ensure_future(_currant.call(0, forever, "awaited"))
    await asyncio.sleep(0)
    print("clock read", _currant.call(1, time.time) > 0)


asyncio.run(main())
