"""nondeterminism: inside code a run executes."""
import asyncio
import concurrent.futures
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from currant import task

counter = 0
seen = 0


def worker(item):
    return id(item)  # expect: nondeterminism


def main(items):
    t = threading.Thread(target=worker, args=(1,))  # expect: nondeterminism
    with ThreadPoolExecutor() as pool:  # expect: nondeterminism
        pool.map(worker, items)
    ex = concurrent.futures.ProcessPoolExecutor()  # expect: nondeterminism
    key = hash("order")  # expect: nondeterminism
    value = eval("1 + 1")  # expect: nondeterminism
    exec("x = 1")  # expect: nondeterminism
    mod = __import__(items[0])  # expect: nondeterminism
    same = __import__("json")  # a literal name is an ordinary import
    for tag in {"a", "b", "c"}:  # expect: nondeterminism
        print(tag)
    names = set(["x", "y"])
    ordered = [n for n in names]  # expect: nondeterminism
    words: set[str] = load()
    first = list(words)  # expect: nondeterminism
    # Deterministic: sorted() of a set, sets of numbers, dicts.
    for tag in sorted({"a", "b"}):
        print(tag)
    for n in {1, 2, 3}:
        print(n)
    for k in {"a": 1, "b": 2}:
        print(k)
    total = sorted(n for n in names) + sorted([n for n in names])
    upper = {n.upper() for n in names}
    size = len([n for n in names])
    bump()
    calm()
    fanned = asyncio.run(fan_out(items))
    return t, ex, key, value, mod, same, ordered, first, total, upper, size, fanned


def load():
    return {"p", "q"}


def bump():
    global counter
    counter += 1  # expect: nondeterminism
    time.sleep(1)


def calm():
    global seen
    seen = seen + 1


# Plain async functions that reach checkpoints, run side by side: what
# they reach after an await is keyed in completion order.
async def stamp(tag):
    await asyncio.sleep(0)
    return f"{tag} {time.time()}"


async def relay(tag):
    return await stamp(tag)  # reaches checkpoints through stamp


@task
async def sealed(tag):
    return time.time()


async def pause():
    return None


async def idle(n):
    await pause()  # (asyncio.sleep is a checkpoint)
    return n


async def fan_out(tags):
    a = await asyncio.gather(stamp("a"), relay("b"))  # expect: nondeterminism, nondeterminism
    b = await asyncio.gather(*[stamp(t) for t in tags])  # expect: nondeterminism
    c = asyncio.create_task(stamp("c"))  # expect: nondeterminism
    # tasks, and functions that reach no checkpoint, are fine
    d = await asyncio.gather(sealed("d"), idle(1))
    return a, b, await c, d


def never_called():
    # Not reachable from module code or a task: not reported.
    threading.Thread(target=worker)
    return id(never_called)


main([1, 2])
