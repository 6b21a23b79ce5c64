"""contextlib.closing(x) gives back x: what x holds is followed through it
(`with closing(sqlite3.connect(p)) as db: db.execute(...)`, an SMTP
client, a name holding a connection).  Not through closing() of more than
one argument, or of a value of unknown origin."""
import smtplib
import sqlite3
from contextlib import closing
import contextlib


def count(path):
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT count(*) FROM t").fetchone()


def mail(msg):
    with contextlib.closing(smtplib.SMTP("localhost")) as server:
        server.send_message(msg)


def named(path, other):
    con = sqlite3.connect(path)
    with closing(con) as db:
        db.execute("DELETE FROM t")
    with closing(other) as thing:
        thing.execute("SELECT 1")


# A name bound again from closing() of itself: a cycle the tracking stops
# (it crashed the compiler before a depth limit).
res = open("log.txt", "a")
res = closing(res)
res.write("x")
