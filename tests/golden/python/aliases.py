# Aliased imports still resolve: `from time import time as now`, module aliases, submodules.
import datetime as D
import os.path
import time as t
import urllib.request as ur
from random import randint as dice
from time import time as now

a = now()
b = t.monotonic()
c = dice(1, 1)
d = D.datetime.now()
e = os.path.join("a", "b")   # os.path.join is not catalogued: not a site
f = D.date.today()
print(a > 0, b > 0, c, d.year > 2000, e, f.year > 2000, ur.__name__, os.path.exists("/"))
