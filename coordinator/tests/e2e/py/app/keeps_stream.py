_currant = __import__("currant").module("app/keeps_stream.py")
# Streams taken from sys.stdout while recorded checkpoints replay (a logging
# handler set up at start, as pip's are) are written to once the run is
# live: on resume that output must print, once; bytes written through
# sys.stdout.buffer before the crash must not print again.
import logging
import sys
import time

log = logging.getLogger("keeps")
log.addHandler(logging.StreamHandler(sys.stdout))
log.setLevel(logging.INFO)
sys.stdout.buffer.write(b"bytes before the first checkpoint\n")
first = _currant.call(0, time.time)
second = _currant.call(1, time.time)
log.info("after two checkpoints: %s", first <= second)
