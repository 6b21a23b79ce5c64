"""A parameter no annotation types holds the origin every call of its
function in the file passes there: place(con, ...) with con from
sqlite3.connect makes db a connection in place.  By position or keyword,
through a chain of such functions, and for a call's result passed
directly.  Not inferred: a function nothing here calls, a call that passes
another value or none (a default), *args/**kwargs at a call, calls that
disagree, a parameter annotated (even with a type the catalogue does not
follow: the author's word), a method's parameter, *args in the def."""
import sqlite3
from pathlib import Path


def place(db, item, qty=1):
    cur = db.cursor()
    cur.execute("INSERT INTO orders VALUES (?, ?)", (item, qty))
    return cur.lastrowid


def audit(conn):
    report(conn)


def report(c):
    return c.execute("SELECT count(*) FROM orders").fetchone()


def save(path, text):
    path.write_text(text)


def unknown(db):
    db.execute("SELECT 1")


def disagree(target):
    target.write_text("x")


def annotated(db: object):
    db.execute("SELECT 1")


def splat(db, *rest):
    db.execute("SELECT 1")


def defaulted(db=None):
    db.execute("SELECT 1")


def splat_called(db):
    db.execute("SELECT 1")


class Shop:
    def add(self, db):
        db.execute("SELECT 1")


def main(other, args):
    con = sqlite3.connect("shop.db")
    place(con, "apple")
    place(db=con, item="pear", qty=2)
    audit(con)
    save(Path("out.txt"), "done")
    unknown(other)
    disagree(Path("a"))
    disagree(open("b", "w"))
    annotated(con)
    splat(con, 1, 2)
    defaulted()
    Shop().add(con)
    splat_called(*args)
    place(con, "fig")
