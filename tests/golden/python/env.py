# Environment family: os.getenv, os.environ reads (not writes), os.environ.get.
import os
from os import environ
from os import environ as env

os.environ["CURRANT_GOLDEN"] = "1"          # write: not a site
os.environ["CURRANT_GOLDEN"] += "2"         # augmented target: not a site
a = os.getenv("CURRANT_GOLDEN")
b = os.environ["CURRANT_GOLDEN"]            # read: a site
c = environ["CURRANT_GOLDEN"]
d = env.get("CURRANT_GOLDEN")
e = os.environ.get("CURRANT_MISSING", "none")
keys = [k for k in os.environ if k == "CURRANT_GOLDEN"]
part = os.environ["CURRANT_GOLDEN"][0]      # the inner read is a site
del os.environ["CURRANT_GOLDEN"]            # del target: not a site
print(a, b, c, d, e, keys, part)
