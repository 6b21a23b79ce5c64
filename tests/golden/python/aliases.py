# Aliased imports still resolve: `from time import time as now`, module aliases, submodules,
# builtins through their module (`from builtins import open as bltn_open`, as tarfile does).
import builtins
import datetime as D
import os.path
import time as t
import urllib.request as ur
from random import randint as dice
from builtins import open as bltn_open
from time import time as now

a = now()
b = t.monotonic()
c = dice(1, 1)
d = D.datetime.now()
e = os.path.join("a", "b")   # os.path.join is not catalogued: not a site
f = D.date.today()
print(a > 0, b > 0, c, d.year > 2000, e, f.year > 2000, ur.__name__, os.path.exists("/"))
with bltn_open(os.devnull) as nul:
    print(repr(nul.read()), builtins.open(os.devnull).read() == "")
