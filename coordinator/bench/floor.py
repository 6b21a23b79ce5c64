"""Baselines for bench.sh: the fdatasync floor (200-byte appends) and a
hand-written sqlite3 commit-per-step loop (WAL, synchronous=FULL): what a
user would write.  Prints "fdatasync_us sqlite_us" per step."""
import os
import sqlite3
import sys
import tempfile
import time

n = int(sys.argv[1])
tmp = tempfile.TemporaryDirectory()  # removed at exit: a bench run leaves nothing behind
d = tmp.name
fd = os.open(os.path.join(d, "f"), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
t = time.perf_counter()
for i in range(n):
    os.write(fd, b"x" * 200)
    os.fdatasync(fd)
floor = (time.perf_counter() - t) / n * 1e6
db = sqlite3.connect(os.path.join(d, "j.db"), isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE s(i INTEGER PRIMARY KEY, v TEXT)")
t = time.perf_counter()
for i in range(n):
    db.execute("BEGIN")
    db.execute("INSERT INTO s VALUES(?, ?)", (i, str(i)))
    db.execute("COMMIT")
sq = (time.perf_counter() - t) / n * 1e6
os.close(fd)
db.close()
print(f"{floor:.1f} {sq:.1f}")
