_currant = __import__("currant").module("app/pending.py")
# Output printed between a call and its await was printed before a crash at
# the call's commit (made when the await returns): a resume from there must
# not print it again.  Each append to SIDE happens once.
import asyncio
import os

SIDE = os.environ["SIDE"]


async def append(line):
    with open(SIDE, "a") as f:
        f.write(line + "\n")
    await asyncio.sleep(0)
    return line


async def main():
    first = _currant.call(0, append, "first")
    print("between the call and its await")
    print("got", await first)
    second = _currant.call(1, append, "second")
    print("between again")
    print("got", await second)


asyncio.run(main())
