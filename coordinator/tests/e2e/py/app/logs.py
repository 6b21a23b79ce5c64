"""A log file written through logging across a crash: the records logged
while a resumed run replays are not written again, so the file ends as an
uninterrupted run leaves it."""; _currant = __import__("currant").module("app/logs.py")
import logging
import os
import time

logging.basicConfig(filename=_currant.read(0, os.environ, "DATA") + ".log", level=logging.INFO, format="%(message)s")
log = logging.getLogger("app")
for i in range(4):
    log.info("step %d at %s", i, _currant.call(1, time.time) > 0)
log.info("done")
with _currant.call(2, open, _currant.read(3, os.environ, "DATA") + ".log") as f:
    print("log", repr(_currant.call(4, f.read)))
