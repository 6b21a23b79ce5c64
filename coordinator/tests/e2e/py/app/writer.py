_currant = __import__("currant").module("app/writer.py")
# A file opened for writing, written, closed, then the process dies before
# the next checkpoint (the first time only: $FLAG absent).  On resume the
# replayed open() must leave the file as one uninterrupted run does: the
# bytes written after the last checkpoint are written again, not twice.
import json
import os
import signal
import sys


def f(x):
    return x


path = sys.argv[1]
with _currant.call(0, open, path, "w") as out:
    json.dump({"n": list(range(20))}, out)
    out.write("\n")
if not os.path.exists(os.environ["FLAG"]):
    open(os.environ["FLAG"], "w").close()
    os.kill(os.getpid(), signal.SIGKILL)
with _currant.call(1, open, path + ".log", "a") as log:
    log.write("once\n")
_currant.call(2, f, "end")
print(open(path).read().strip())
