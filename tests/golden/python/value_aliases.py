# A name bound once to what a reference denotes is called as that: `PC =
# time.perf_counter_ns; PC()` is the clock.  Followed through other aliases
# and imports; a name bound twice, a class attribute or a parameter is not.
import os
import time
from random import random as rnd

PC = time.perf_counter_ns
t = time
now = t.time           # alias of an alias
r = rnd                # alias of an import alias
twice = time.time
twice = time.monotonic  # bound twice: which one holds is not known
pth = os.path
open = open  # the builtin: the value is read before the name is bound


def f(clock=time.time):
    local = time.monotonic
    return PC(), now(), r(), twice(), local(), pth.exists("/"), clock()


def cycle():
    x = y  # each an alias of the other: followed 8 deep, then unresolved
    y = x
    return x()


class C:
    clock = time.time

    def m(self):
        return self.clock()  # a class attribute: not followed


a = b = time.time        # both names
open(__file__).close()
print(len(f()), a() > 0, b() > 0, C().m() > 0)
