# Not a runtime: writes a bad frame on the channel the coordinator gave it,
# which must be refused without harm to the journal.
import os
import sys
import time

fd = int(os.environ["CURRANT_FD"])
if sys.argv[1] == "oversized":
    os.write(fd, b"\x7f\xff\xff\xff" + b"x" * 16)
else:
    os.write(fd, b"\x00\x00\x00\x05hello")
time.sleep(10)
