_currant = __import__("currant").module("app/race_plan.py")
# Concurrent plain coroutines (see race.py) whose second boundaries start,
# and then finish, in an order the test sets for each execution: $RACE_PLAN
# holds lines "START FINISH" (worker numbers, e.g. "012 102"); each
# execution takes the first line (the last one stays), so a resume can
# interleave otherwise than the execution it resumes, deterministically.
import asyncio
import os

SIDE = os.environ["SIDE"]


def take_plan():
    """This execution's line of $RACE_PLAN, as worker numbers."""
    path = os.environ["RACE_PLAN"]
    with open(path) as f:
        lines = [line for line in f.read().split("\n") if line]
    if len(lines) > 1:
        with open(path, "w") as f:
            f.write("\n".join(lines[1:]) + "\n")
    start, finish = lines[0].split(" ")
    return [int(c) for c in start], [int(c) for c in finish]


START, FINISH = take_plan()
RELEASE = {}


def gate(name):
    return RELEASE.setdefault(name, asyncio.Event())


async def effect(name):
    # done when the schedule says: so each one is committed before the next
    # one is done, and a kill after a commit leaves no effect unjournaled
    await gate(name).wait()
    with open(SIDE, "a") as f:
        f.write(name + "\n")
    return name.upper()


async def worker(i, ev):
    a = await _currant.call(0, effect, f"{i}a")
    ev["arrived"][i].set()
    await ev["go"][i].wait()
    # takes its key now; with RACE_SITES=alternate odd workers call from
    # another site, so a resume that starts them otherwise can meet another
    # site's row at its key
    site = 1 + i % 2 if os.environ.get("RACE_SITES") == "alternate" else 1
    pending = _currant.call(site, effect, f"{i}b")
    ev["started"][i].set()
    b = await pending
    ev["done"][i].set()
    return a + b


async def schedule(ev):
    for i in range(len(START)):
        gate(f"{i}a").set()  # a replayed call never waits for it
        await ev["arrived"][i].wait()
    for i in START:
        ev["go"][i].set()
        await ev["started"][i].wait()
    for i in FINISH:
        gate(f"{i}b").set()
        await ev["done"][i].wait()


async def main():
    ev = {name: [asyncio.Event() for _ in START]
          for name in ("arrived", "go", "started", "done")}
    results, _ = await asyncio.gather(
        asyncio.gather(*[worker(i, ev) for i in range(len(START))]),
        schedule(ev))
    print(results)


asyncio.run(main())
