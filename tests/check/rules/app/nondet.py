"""nondeterminism: inside code a run executes."""
import concurrent.futures
import threading
import time
from concurrent.futures import ThreadPoolExecutor

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
    return t, ex, key, value, mod, same, ordered, first, total, upper, size


def load():
    return {"p", "q"}


def bump():
    global counter
    counter += 1  # expect: nondeterminism
    time.sleep(1)


def calm():
    global seen
    seen = seen + 1


def never_called():
    # Not reachable from module code or a task: not reported.
    threading.Thread(target=worker)
    return id(never_called)


main([1, 2])
