# Backslash continuations inside and around sites.
import os
import random
import time

x = random \
    .randint(1, 1)
y = random.randint(
    2, 2) + \
    random.randint(3, 3)
z = time.time \
    () > 0
os.environ["CURRANT_BS"] = "v"
w = os.environ \
    ["CURRANT_BS"]
print(x, y, z, w)
