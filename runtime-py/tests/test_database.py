"""SQLite under a durable run (currant._database) against a fake
coordinator: writes take effect once whatever the journal and the database
each kept at a crash, reads replay from the journal."""

import os
import sqlite3
import tempfile
import unittest
from typing import Any, List

from currant import _database
from tests import test_replay

Row = List[Any]


class ClassifyTest(unittest.TestCase):
    def test_first_keyword_decides(self) -> None:
        cases = {
            "SELECT 1": ("read", False),
            "  -- note\n /* x */ select * from t": ("read", False),
            "WITH a AS (SELECT 1) SELECT * FROM a": ("read", False),
            "WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a": ("write", True),
            "insert into t values (1)": ("write", True),
            "REPLACE INTO t VALUES (1)": ("write", True),
            "CREATE TABLE t (x)": ("write", False),
            "DROP TABLE t": ("write", False),
            "PRAGMA foreign_keys = ON": ("live", False),
            "BEGIN IMMEDIATE": ("live", False),
            "commit": ("live", False),
            "VACUUM": ("live", False),
        }
        for sql, want in cases.items():
            self.assertEqual(_database.classify(sql), want, sql)


class DatabaseTest(test_replay.SessionCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.dir.name, "t.db")

    def tearDown(self) -> None:
        super().tearDown()
        self.dir.cleanup()

    def rows(self) -> List[Row]:
        """The rows the fake coordinator would send back for what it was
        committed: the journal of the execution so far."""
        return [[m["key"], m["file"], m["site"], m["kind"], m["attempt"],
                 m["status"], m.get("value"), 1.5, m.get("h")]
                for m in self.coord.received if m.get("op") == "commit"]

    def restart(self, journal: List[Row], mode: str = "run") -> Any:
        """A new execution of the run (the same run id) given journal."""
        super().tearDown()
        return self.start(journal, mode=mode)

    def count(self, sql: str = "SELECT count(*) FROM t") -> int:
        raw = sqlite3.connect(self.db)
        try:
            return raw.execute(sql).fetchone()[0]
        finally:
            raw.close()

    def setup_table(self, m: Any) -> Any:
        con = m.call(0, sqlite3.connect, self.db)
        m.call(1, con.execute, "CREATE TABLE t (id INTEGER PRIMARY KEY, x)")
        return con

    def test_live_writes_are_marked_with_their_results(self) -> None:
        m = self.start([])
        con = self.setup_table(m)
        cur = m.call(2, con.execute, "INSERT INTO t (x) VALUES (?)", ("a",))
        self.assertEqual(cur.lastrowid, 1)
        con.commit()
        marks = sqlite3.connect(self.db).execute(
            "SELECT run, key, lastrowid, rowcount FROM currant_applied "
            "ORDER BY key").fetchall()
        self.assertEqual(marks, [("t", "1", 0, -1), ("t", "2", 1, 1)])
        self.assertEqual([r[5] for r in self.rows()],
                         ["resource", "ok", "ok"])

    def test_replayed_write_whose_mark_is_there_is_skipped(self) -> None:
        m = self.start([])
        con = self.setup_table(m)
        m.call(2, con.execute, "INSERT INTO t (x) VALUES (?)", ("a",))
        con.commit()
        con.close()
        m = self.restart(self.rows())
        con = self.setup_table(m)  # CREATE TABLE again would fail
        cur = m.call(2, con.execute, "INSERT INTO t (x) VALUES (?)", ("a",))
        con.commit()
        self.assertEqual(cur.lastrowid, 1)
        self.assertEqual(self.count(), 1)
        self.assertEqual(self.coord.commits(), [])

    def test_replayed_write_of_a_lost_transaction_runs_again(self) -> None:
        m = self.start([])
        con = self.setup_table(m)
        m.call(2, con.execute, "INSERT INTO t (x) VALUES (?)", ("a",))
        con.close()  # the crash: the open transaction never committed
        self.assertEqual(self.count(), 0)
        m = self.restart(self.rows())
        con = self.setup_table(m)
        cur = m.call(2, con.execute, "INSERT INTO t (x) VALUES (?)", ("a",))
        self.assertEqual(cur.lastrowid, 1)
        con.commit()  # the program's commit, live as always
        self.assertEqual(self.count(), 1)

    def test_live_write_the_database_kept_is_not_run_again(self) -> None:
        # the statement committed (its own transaction: DDL), the journal
        # never heard (killed before the commit reached it)
        m = self.start([])
        self.setup_table(m)
        journal = self.rows()[:1]  # the connect only
        m = self.restart(journal)
        con = self.setup_table(m)  # CREATE TABLE t: would raise if run
        m.call(2, con.execute, "INSERT INTO t (x) VALUES (?)", ("b",))
        con.commit()
        self.assertEqual(self.count(), 1)
        self.assertEqual(self.coord.commits(), ["1", "2"])

    def test_autocommit_write_and_its_mark_commit_together(self) -> None:
        m = self.start([])
        con = m.call(0, sqlite3.connect, self.db, isolation_level=None)
        m.call(1, con.execute, "CREATE TABLE t (x)")
        m.call(2, con.execute, "INSERT INTO t VALUES (1)")
        self.assertFalse(con.in_transaction)
        journal = self.rows()[:2]  # the insert's journal commit was lost
        m = self.restart(journal)
        con = m.call(0, sqlite3.connect, self.db, isolation_level=None)
        m.call(1, con.execute, "CREATE TABLE t (x)")
        cur = m.call(2, con.execute, "INSERT INTO t VALUES (1)")
        self.assertEqual(cur.rowcount, 1)
        self.assertEqual(self.count(), 1)

    def test_reads_replay_from_the_journal(self) -> None:
        m = self.start([])
        con = self.setup_table(m)
        m.call(2, con.executemany, "INSERT INTO t (x) VALUES (?)",
               [("a",), ("b",)])
        con.commit()
        con.row_factory = sqlite3.Row
        live = m.call(3, con.execute, "SELECT id, x FROM t ORDER BY id")
        self.assertEqual([tuple(r) for r in live], [(1, "a"), (2, "b")])
        con.close()
        with sqlite3.connect(self.db) as raw:
            raw.execute("DELETE FROM t")  # changed behind the run's back
        m = self.restart(self.rows())
        con = self.setup_table(m)
        m.call(2, con.executemany, "INSERT INTO t (x) VALUES (?)",
               [("a",), ("b",)])
        con.row_factory = sqlite3.Row
        cur = m.call(3, con.execute, "SELECT id, x FROM t ORDER BY id")
        self.assertEqual([c[0] for c in cur.description], ["id", "x"])
        first = cur.fetchone()
        self.assertEqual((first["id"], first["x"]), (1, "a"))
        self.assertEqual([tuple(r) for r in cur.fetchall()], [(2, "b")])
        self.assertIsNone(cur.fetchone())
        self.assertEqual(self.count(), 0)

    def test_statement_no_site_runs_is_journaled_at_the_connection(
            self) -> None:
        m = self.start([])
        con = self.setup_table(m)
        cur = con.cursor()  # not followed by the compiler: no site
        cur.execute("INSERT INTO t (x) VALUES ('c')")
        self.assertEqual(cur.lastrowid, 1)
        con.commit()
        self.assertEqual([(r[0], r[2]) for r in self.rows()],
                         [("0", 0), ("1", 1), ("2", 0)])
        m = self.restart(self.rows())
        con = self.setup_table(m)
        cur = con.cursor()
        cur.execute("INSERT INTO t (x) VALUES ('c')")
        con.commit()
        self.assertEqual(cur.lastrowid, 1)
        self.assertEqual(self.count(), 1)

    def test_failed_statement_replays_its_error(self) -> None:
        m = self.start([])
        con = self.setup_table(m)
        with self.assertRaises(sqlite3.OperationalError):
            m.call(2, con.execute, "INSERT INTO missing VALUES (1)")
        m = self.restart(self.rows())
        con = self.setup_table(m)
        with self.assertRaises(sqlite3.OperationalError):
            m.call(2, con.execute, "INSERT INTO missing VALUES (1)")

    def test_replay_mode_touches_no_file(self) -> None:
        m = self.start([])
        con = self.setup_table(m)
        m.call(2, con.execute, "INSERT INTO t (x) VALUES ('a')")
        con.commit()
        con.close()
        os.remove(self.db)
        m = self.restart(self.rows(), mode="replay")
        con = self.setup_table(m)
        cur = m.call(2, con.execute, "INSERT INTO t (x) VALUES ('a')")
        self.assertEqual(cur.lastrowid, 1)
        self.assertFalse(os.path.exists(self.db))


if __name__ == "__main__":
    unittest.main()
