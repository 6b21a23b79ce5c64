"""SQLite under a durable run, for 92-durable-py: killed at any checkpoint
(after its journal commit or just before it) and resumed, every statement
takes effect in the database once, and the program prints what an
uninterrupted run prints.  The last lines are read through a connection no
checkpoint made, so they show what the database holds, not the journal."""
import os
import sqlite3

DB = os.environ["DATA"] + ".db"


def add(con, item, qty):
    # an unannotated parameter: the compiler does not follow con here, the
    # runtime journals the statement at the site that made the connection
    cur = con.cursor()
    cur.execute("INSERT INTO orders (item, qty) VALUES (?, ?)", (item, qty))
    return cur.lastrowid


def main() -> None:
    con = sqlite3.connect(DB)
    con.execute("CREATE TABLE IF NOT EXISTS orders "
                "(id INTEGER PRIMARY KEY, item TEXT, qty INTEGER)")
    ids = [add(con, item, n) for n, item in enumerate(["apple", "pear", "fig"], 1)]
    con.commit()
    with con:
        con.executemany("UPDATE orders SET qty = qty * 10 WHERE id = ?",
                        [(i,) for i in ids])
    auto = sqlite3.connect(DB, isolation_level=None)
    auto.execute("INSERT INTO orders (item, qty) VALUES ('plum', 7)")
    total = con.execute("SELECT sum(qty) FROM orders").fetchone()[0]
    con.row_factory = sqlite3.Row
    names = [r["item"] for r in con.execute("SELECT item FROM orders ORDER BY id")]
    con.executescript("CREATE TABLE IF NOT EXISTS log (msg TEXT);"
                      "INSERT INTO log VALUES ('done');")
    print("ids", ids, "total", total, "names", names)
    raw = vars(sqlite3)["connect"](DB)
    print("orders", raw.execute("SELECT * FROM orders ORDER BY id").fetchall())
    print("log", raw.execute("SELECT count(*) FROM log").fetchone()[0])


main()
