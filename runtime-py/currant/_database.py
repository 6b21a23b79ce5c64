"""SQLite under a durable run: each statement takes effect once.

A database is a second durable store beside the journal, and the two cannot
commit together: a write journaled as done may belong to a transaction the
crash rolled back, and a write the database committed may not have reached
the journal.  So the database keeps its own record of what it applied.  Each
write statement run at a checkpoint also inserts (run, key) into the table
``currant_applied`` of the same database, inside the same transaction: the
write and its mark commit together or not at all.  Then:

* replaying a journaled write whose mark is there skips it (it took effect);
* one whose mark is missing ran in a transaction that never committed, and
  runs again (the program's own commit or rollback, which run live, then
  decide its fate as they did the first time);
* a live write whose mark is already there (the database committed, the
  journal never heard) is not run again: its mark keeps its lastrowid and
  rowcount.

Reads are journaled with their rows and replayed from the journal, so a
resumed program sees what it saw, whatever the database holds now; the
cursor a statement returns holds its rows, fetched at once.  Connection
state and transaction control (PRAGMA, BEGIN/COMMIT/ROLLBACK, SAVEPOINT,
ATTACH, VACUUM) run again on replay: the replayed program has a new
connection.  ``Connection.commit()``/``rollback()`` and ``with con:`` are
not checkpoints; they always run.

The connection comes from ``sqlite3.connect`` at a checkpoint, with a
connection class whose cursors are DurableCursor; ``currant replay`` (no
side effects) gets an in-memory database instead, every statement answered
from the journal.  A statement on a cursor of another connection (one made
elsewhere, reached through an annotated parameter) is journaled too, but
its rows are not held: its reads run again on replay.  docs/DATABASES.md.
"""

from __future__ import annotations

import collections
import re
import sqlite3
from typing import Any, Callable, Dict, List, Optional, Tuple

from currant import _recorders, _state

MARKS = "currant_applied"
_CREATE_MARKS = (f"CREATE TABLE IF NOT EXISTS {MARKS} (run TEXT NOT NULL, "
                 "key TEXT NOT NULL, lastrowid INTEGER, rowcount INTEGER, "
                 "PRIMARY KEY (run, key)) WITHOUT ROWID")

# What a statement's first keyword makes it (anything else: a write).
_READS = {"SELECT", "VALUES", "EXPLAIN"}
_LIVE = {"PRAGMA", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT",
         "RELEASE", "ATTACH", "DETACH", "VACUUM", "ANALYZE", "REINDEX"}
# Python's sqlite3 opens a transaction itself before these (legacy mode).
_DML = {"INSERT", "UPDATE", "DELETE", "REPLACE"}
_LEAD = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?(?:\*/|$))*([A-Za-z]*)",
                   re.S)
_WRITES_IN_WITH = re.compile(r"\b(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.I)
_TXN_IN_SCRIPT = re.compile(
    r"\b(?:BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|VACUUM)\b", re.I)

_base_lastrowid = sqlite3.Cursor.lastrowid
_base_rowcount = sqlite3.Cursor.rowcount
_base_description = sqlite3.Cursor.description


def classify(sql: str) -> Tuple[str, bool]:
    """("read" | "write" | "live", whether Python opens a transaction for
    it), from the statement's first keyword."""
    m = _LEAD.match(sql)
    verb = m.group(1).upper() if m else ""
    if verb == "WITH":
        if _WRITES_IN_WITH.search(sql):
            return "write", True
        return "read", False
    if verb in _READS:
        return "read", False
    if verb in _LIVE:
        return "live", False
    return "write", verb in _DML


class DurableCursor(sqlite3.Cursor):
    """A cursor whose statement's rows were fetched at once (or replayed):
    fetches and iteration serve them; lastrowid, rowcount and description
    are the statement's, live or replayed."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._held: Optional[collections.deque] = None
        self._state: Optional[Tuple[Any, int, Any]] = None

    def _hold(self, rows: List[tuple], state: Tuple[Any, int, Any]) -> None:
        factory = self.row_factory
        if factory is not None:
            rows = [factory(self, r) for r in rows]
        self._held = collections.deque(rows)
        self._state = state

    # Reached when no checkpoint of the compiler's runs the statement: a
    # call it could not follow (a connection passed to an unannotated
    # parameter, library code), or Connection.execute's own cursor.
    def execute(self, *args: Any, **kwargs: Any) -> Any:
        return _unseen(self, sqlite3.Cursor.execute, args, kwargs)

    def executemany(self, *args: Any, **kwargs: Any) -> Any:
        return _unseen(self, sqlite3.Cursor.executemany, args, kwargs)

    def executescript(self, *args: Any, **kwargs: Any) -> Any:
        return _unseen(self, sqlite3.Cursor.executescript, args, kwargs)

    def fetchone(self) -> Any:
        if self._held is None:
            return super().fetchone()
        return self._held.popleft() if self._held else None

    def fetchmany(self, size: Optional[int] = None) -> List[Any]:
        if self._held is None:
            return super().fetchmany(self.arraysize if size is None else size)
        n = self.arraysize if size is None else size
        return [self._held.popleft() for _ in range(min(n, len(self._held)))]

    def fetchall(self) -> List[Any]:
        if self._held is None:
            return super().fetchall()
        rows = list(self._held)
        self._held.clear()
        return rows

    def __next__(self) -> Any:
        if self._held is None:
            return super().__next__()
        if not self._held:
            raise StopIteration
        return self._held.popleft()

    @property  # type: ignore[override]
    def lastrowid(self) -> Any:
        s = self._state
        return _base_lastrowid.__get__(self) if s is None else s[0]

    @property  # type: ignore[override]
    def rowcount(self) -> int:
        s = self._state
        return _base_rowcount.__get__(self) if s is None else s[1]

    @property  # type: ignore[override]
    def description(self) -> Any:
        s = self._state
        return _base_description.__get__(self) if s is None else s[2]


def _unseen(cur: DurableCursor, method: Any, args: tuple,
            kwargs: dict) -> Any:
    """A statement no site of the compiler's runs: a checkpoint of its
    own, journaled at the site that made the connection, so that it too
    takes effect once.  Plain without a coordinator."""
    cur._held = cur._state = None
    at = getattr(cur.connection, "_currant_at", None)
    session = _state.session
    if at is None or session is None:
        return method(cur, *args, **kwargs)
    return session.call(at[0], at[1], method.__get__(cur), args, kwargs)


class _DurableConnection:
    """Mixed into the connection class: its cursors are DurableCursor."""

    def cursor(self, factory: Any = DurableCursor) -> Any:
        return super().cursor(factory)  # type: ignore[misc]


_classes: Dict[Any, type] = {}


def _durable_class(base: Any) -> type:
    cls = _classes.get(base)
    if cls is None:
        cls = type("Durable" + base.__name__, (_DurableConnection, base), {})
        _classes[base] = cls
    return cls


def is_connect(fn: Any) -> bool:
    """fn is sqlite3.connect."""
    return fn is sqlite3.connect


def connect(args: tuple, kwargs: dict, replay_only: bool,
            at: Tuple[str, int]) -> Any:
    """sqlite3.connect(*args, **kwargs) with a durable connection class,
    made at site ``at`` (file, site); an in-memory database for ``currant
    replay``, which must not touch the program's files (every statement is
    answered from the journal)."""
    kwargs = dict(kwargs)
    kwargs["factory"] = _durable_class(kwargs.get("factory") or
                                       sqlite3.Connection)
    if replay_only:
        args, kwargs = (":memory:",), {"factory": kwargs["factory"]}
    con = sqlite3.connect(*args, **kwargs)
    con._currant_at = at
    return con


def is_statement(fn: Any) -> bool:
    """fn is a bound execute/executemany/executescript of a sqlite3
    connection or cursor."""
    owner = getattr(fn, "__self__", None)
    return isinstance(owner, (sqlite3.Cursor, sqlite3.Connection)) and \
        getattr(fn, "__name__", "") in _METHODS


_METHODS = {"execute": sqlite3.Cursor.execute,
            "executemany": sqlite3.Cursor.executemany,
            "executescript": sqlite3.Cursor.executescript}


def _cursor_of(fn: Any) -> Any:
    owner = fn.__self__
    if isinstance(owner, sqlite3.Connection):
        return owner.cursor(DurableCursor)
    return owner


def _sql_of(args: tuple, kwargs: dict) -> str:
    sql = args[0] if args else kwargs.get("sql", kwargs.get("sql_script", ""))
    return sql if isinstance(sql, str) else ""


class Statement:
    """What one statement did, as the journal keeps it (tag ``sql``): the
    run and key that marked it in the database, its class, and the state of
    its cursor: rows (a read's, fetched at once), column names, lastrowid,
    rowcount.  ``result`` is the cursor handed to the program."""

    __slots__ = ("run", "key", "cls", "rows", "cols", "lastrowid",
                 "rowcount", "result")

    def __init__(self, run: str, key: str, cls: str,
                 rows: Optional[List[tuple]], cols: Optional[List[str]],
                 lastrowid: Any, rowcount: int, result: Any = None) -> None:
        self.run, self.key, self.cls = run, key, cls
        self.rows, self.cols = rows, cols
        self.lastrowid, self.rowcount = lastrowid, rowcount
        self.result = result

    # ------------------------------------------------------------- live

    @classmethod
    def live(cls, run: str, key: str, fn: Any, args: tuple,
             kwargs: dict) -> "Statement":
        """Runs the statement of fn at checkpoint key (see the module)."""
        cur = _cursor_of(fn)
        name = fn.__name__
        kind = "write" if name == "executescript" else \
            classify(_sql_of(args, kwargs))[0]
        if kind == "write":
            done = _applied(cur.connection, run, key)
            if done is None:
                done = _apply_write(cur, name, args, kwargs, run, key)
            lastrowid, rowcount = done
            out = cls(run, key, kind, None, None, lastrowid, rowcount, cur)
        else:
            _METHODS[name](cur, *args, **kwargs)
            out = cls(run, key, kind, None, _columns(cur),
                      _base_lastrowid.__get__(cur),
                      _base_rowcount.__get__(cur), cur)
            if isinstance(cur, DurableCursor) and out.cols is not None:
                out.rows = _fetch_raw(cur)
        out._give(cur)
        return out

    def _give(self, cur: Any) -> None:
        """Sets the cursor's state to this statement's."""
        if isinstance(cur, DurableCursor):
            desc = None if self.cols is None else \
                tuple((c, None, None, None, None, None, None) for c in self.cols)
            cur._hold(self.rows or [], (self.lastrowid, self.rowcount, desc))

    # ----------------------------------------------------------- replay

    def replay(self, fn: Any, args: tuple, kwargs: dict,
               replay_only: bool) -> Any:
        """The cursor as the statement left it, the statement run again
        when it must be (see the module); the program's cursor."""
        cur = _cursor_of(fn)
        if not replay_only:
            if self.cls == "write":
                if _applied(cur.connection, self.run, self.key) is None:
                    _apply_write(cur, fn.__name__, args, kwargs, self.run,
                                 self.key)
            elif self.cls == "live" or not isinstance(cur, DurableCursor):
                # connection state; or a read whose rows the cursor cannot
                # hold: the program fetches them live
                _METHODS[fn.__name__](cur, *args, **kwargs)
        if self.cols and isinstance(cur, DurableCursor) and \
                cur.row_factory is not None:
            _describe(cur, self.cols)
        self._give(cur)
        return cur

    # ---------------------------------------------------------- journal

    def to_json(self, encode: Callable[[Any], Any]) -> Dict[str, Any]:
        out: Dict[str, Any] = {"run": self.run, "key": self.key,
                               "cls": self.cls, "lastrowid": self.lastrowid,
                               "rowcount": self.rowcount}
        if self.cols is not None:
            out["cols"] = self.cols
        if self.rows is not None:
            out["rows"] = [[encode(x) for x in r] for r in self.rows]
        return out

    @classmethod
    def from_json(cls, v: Dict[str, Any],
                  decode: Callable[[Any], Any]) -> "Statement":
        rows = v.get("rows")
        return cls(v["run"], v["key"], v["cls"],
                   None if rows is None else
                   [tuple(decode(x) for x in r) for r in rows],
                   v.get("cols"), v.get("lastrowid"), v.get("rowcount", -1))


def _columns(cur: Any) -> Optional[List[str]]:
    desc = _base_description.__get__(cur)
    return None if desc is None else [d[0] for d in desc]


def _fetch_raw(cur: DurableCursor) -> List[tuple]:
    """The statement's rows as tuples, whatever the row factory."""
    factory = cur.row_factory
    cur.row_factory = None
    try:
        return sqlite3.Cursor.fetchall(cur)
    finally:
        cur.row_factory = factory


def _describe(cur: DurableCursor, cols: List[str]) -> None:
    """Gives a replayed cursor its columns where C code reads them (a row
    factory such as sqlite3.Row does): an empty select of them."""
    names = ", ".join('NULL AS "' + c.replace('"', '""') + '"' for c in cols)
    sqlite3.Cursor.execute(cur, f"SELECT {names} WHERE 0")


def _plain(con: Any) -> Any:
    return con.cursor(sqlite3.Cursor)


def _applied(con: Any, run: str, key: str) -> Optional[Tuple[Any, int]]:
    """(lastrowid, rowcount) of the write marked (run, key), or None."""
    try:
        row = _plain(con).execute(
            f"SELECT lastrowid, rowcount FROM {MARKS} WHERE run = ? AND "
            "key = ?", (run, key)).fetchone()
    except sqlite3.OperationalError:
        return None  # no such table yet
    return None if row is None else (row[0], row[1])


def _apply_write(cur: Any, name: str, args: tuple, kwargs: dict, run: str,
                 key: str) -> Tuple[Any, int]:
    """Runs write statement `name` (execute, executemany, executescript) on
    cur and marks it (run, key); its (lastrowid, rowcount)."""
    sql = _sql_of(args, kwargs)
    if name == "executescript":
        return _write_script(cur.connection, run, key, sql)
    return _write(cur, run, key, lambda: _METHODS[name](cur, *args, **kwargs),
                  classify(sql)[1])


def _write(cur: Any, run: str, key: str, run_it: Callable[[], Any],
           implicit: bool) -> Tuple[Any, int]:
    """Runs a write and marks it in one transaction: the program's open
    one, the one Python opens for DML, or one of its own for a statement
    that would commit by itself (DDL, autocommit mode)."""
    con = cur.connection
    own = not con.in_transaction and not (implicit and _opens_for_dml(con))
    plain = _plain(con)
    if own:
        plain.execute("BEGIN")
    try:
        run_it()
        done = (_base_lastrowid.__get__(cur), _base_rowcount.__get__(cur))
        _mark(plain, run, key, done)
        if own:
            plain.execute("COMMIT")
    except BaseException:
        if own and con.in_transaction:
            plain.execute("ROLLBACK")
        raise
    return done


def _opens_for_dml(con: Any) -> bool:
    """Python's sqlite3 begins a transaction before DML on con: legacy
    transaction control (3.12's autocommit attribute unset) with an
    isolation level."""
    autocommit = getattr(con, "autocommit", _LEGACY)
    return autocommit == _LEGACY and con.isolation_level is not None


_LEGACY = getattr(sqlite3, "LEGACY_TRANSACTION_CONTROL", -1)


def _write_script(con: Any, run: str, key: str, sql: str) -> Tuple[Any, int]:
    """executescript: wrapped in one transaction with its mark, unless it
    controls transactions itself; then it runs as written and is marked
    after it (at least once: a crash between the two runs it again)."""
    mark = (f"INSERT INTO {MARKS} VALUES ('{_quote(run)}', '{_quote(key)}', "
            "NULL, -1)")
    plain = _plain(con)
    if _TXN_IN_SCRIPT.search(sql):
        plain.executescript(sql)
        plain.executescript(f"BEGIN; {_CREATE_MARKS}; {mark}; COMMIT;")
    else:
        plain.executescript(f"BEGIN; {sql}\n; {_CREATE_MARKS}; {mark}; COMMIT;")
    return None, -1


def _quote(s: str) -> str:
    return s.replace("'", "''")


def _mark(plain: Any, run: str, key: str, done: Tuple[Any, int]) -> None:
    plain.execute(_CREATE_MARKS)
    plain.execute(f"INSERT INTO {MARKS} VALUES (?, ?, ?, ?)",
                  (run, key, done[0], done[1]))


_recorders.CARRIERS.add(Statement)
