_currant = __import__("currant").module("app/sleep.py")
# A durable sleep long enough to suspend (CURRANT_SUSPEND_AFTER is small in
# the test) and be resumed by `currant serve`.
import sys

import currant

print("before")
_currant.call(0, currant.sleep, float(sys.argv[1]))
print("after")
