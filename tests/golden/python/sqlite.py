"""SQLite: sqlite3.connect is a checkpoint whose connection is made again
on replay; the statements run on it, through the connection or a cursor,
are checkpoints (each takes effect once: docs/DATABASES.md).  commit(),
rollback(), fetches and `with con:` are not: they always run."""
import sqlite3
from sqlite3 import connect as open_db


def schema(con: sqlite3.Connection) -> None:
    con.executescript("CREATE TABLE IF NOT EXISTS t (x); CREATE INDEX IF NOT EXISTS tx ON t (x);")


def main(path):
    con = sqlite3.connect(path)
    schema(con)
    cur = con.cursor()
    cur.execute("INSERT INTO t VALUES (?)", (1,))
    cur.executemany("INSERT INTO t VALUES (?)", [(2,), (3,)])
    cur.executescript("DELETE FROM t WHERE x > 2;")
    print(cur.lastrowid, cur.fetchall())
    con.commit()
    with con:
        con.executemany("UPDATE t SET x = x + ?", [(10,)])
    rows = con.execute("SELECT x FROM t").fetchall()
    again = con.execute("SELECT 1")
    again.execute("SELECT 2")
    with open_db(path) as other:
        other.execute("PRAGMA user_version = 1")
    con.rollback()
    con.close()
    return rows
