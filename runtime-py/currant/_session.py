"""The durable session: record/replay of checkpoints under the coordinator.

On start the coordinator sends the run's journal; every boundary call then
takes a key when it starts (its frame's prefix plus a counter, so calls
started in a deterministic order, asyncio.gather included, get the same
keys on every execution).  A key found in the journal replays: the recorded
value is returned, or the recorded error raised, and the call does not
happen.  A key not found runs live and its outcome is committed (the
coordinator fsyncs) before the script goes past the checkpoint.

Calls made inside a live checkpoint (a task's body) get keys under it
("K.0", "K.1", retries "K~2.0"), so a finished task replays as one value
while an unfinished one re-runs with its own finished steps replayed.

A bridge call (a function of the other runtime, docs/BRIDGE.md) takes a
frame like a task: the worker running it commits its boundaries under the
call's key.  The same Session runs in a worker (CURRANT_WORKER=1), where
each invocation is a frame whose prefix is the caller's key; the worker's
imports use keys under "@FILE." (rows no script call ever reaches).

Threads share the root frame and its counter: keys are deterministic only
if threads reach checkpoints in a deterministic order (documented).
Output written while recorded checkpoints are being replayed is muted, so a
resumed run does not print again what the first attempt printed.
"""

from __future__ import annotations

import atexit
import contextvars
import gc
import heapq
import io
import json
import math
import os
import subprocess
import sys
import time
import weakref
import zlib
from operator import itemgetter
from typing import Any, Callable, Dict, List, Optional, Tuple

from currant import _codec, _processes, _recorders
from currant._channel import Channel
from currant._util import is_async, is_awaitable
from currant._errors import RunCancelled, UnrecordableValueError

# A row of one of these statuses is a checkpoint's outcome (an abandoned
# call's: it had none when its run exited); the others are failed attempts.
FINAL = frozenset(("ok", "error", "resource", "abandoned"))
# The most calls still in flight an exit reports (the rest, if ever, replay
# as calls the run did not make).
MAX_ABANDONED = 10000


class Frame:
    """Where new keys come from: a prefix and a counter."""

    __slots__ = ("prefix", "n", "owner", "fn", "attempt", "rel", "site")

    def __init__(self, prefix: str, owner: Optional[str] = None,
                 fn: Any = None) -> None:
        self.prefix = prefix
        self.n = 0
        self.owner = owner      # key of the checkpoint running this frame
        self.fn = fn            # the callable that checkpoint invoked
        self.attempt = 1        # task attempt the frame belongs to
        self.rel = ""           # where the owning checkpoint's call is
        self.site = -1


_frame: contextvars.ContextVar[Frame] = contextvars.ContextVar("currant_frame")


def parent_key(key: str) -> Optional[str]:
    """"3.1" -> "3", "3~2.0" -> "3", "3" -> None."""
    if "." not in key:
        return None
    head = key.rsplit(".", 1)[0]
    return head.split("~", 1)[0] if "~" in head.rsplit(".", 1)[-1] else head


# One journal row: the list the coordinator sent, [key, file, site, kind,
# attempt, status, value, ended, h] (h: the argument fingerprint, or None),
# as a tuple (a tuple of plain values drops out of the collector's sight
# once it has been seen; an object per row cost more than decoding the
# message).
Row = Tuple[Any, ...]
_FILE, _SITE, _KIND, _ATTEMPT, _STATUS, _VALUE, _ENDED, _H = range(1, 9)
_row_key = itemgetter(0)
_row_status = itemgetter(_STATUS)


class _Muted(io.TextIOBase):
    """Stands in for sys.stdout or sys.stderr while recorded checkpoints
    replay: what is written is swallowed until the session unmutes, and
    passed on to the real stream from then on.  A program may take the
    stream meanwhile (pip's logging handlers are made while its replayed
    start runs) and write to it once the run is live: that must print.
    All but the writing is the real stream's (isatty, fileno, encoding),
    so that what a program decides from them is what it decided in the
    first execution."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.on = True
        self._buffer: Optional[_MutedBuffer] = None

    def write(self, s: str) -> int:
        return len(s) if self.on else self.real.write(s)

    def flush(self) -> None:
        if not self.on:
            self.real.flush()

    def isatty(self) -> bool:
        return self.real.isatty()

    def fileno(self) -> int:
        return self.real.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.real, "encoding", "utf-8")

    @property
    def errors(self) -> Optional[str]:  # type: ignore[override]
        return getattr(self.real, "errors", None)

    @property
    def buffer(self) -> "_MutedBuffer":
        if self._buffer is None:
            self._buffer = _MutedBuffer(self)
        return self._buffer

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


class _MutedBuffer:
    """The bytes side of a _Muted stream (``sys.stdout.buffer``), muted
    with it."""

    def __init__(self, text: _Muted) -> None:
        self.text = text

    def write(self, b: Any) -> int:
        return len(b) if self.text.on else self.text.real.buffer.write(b)

    def flush(self) -> None:
        if not self.text.on:
            self.text.real.buffer.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.text.real.buffer, name)


class Session:
    """The live connection between this process and its coordinator."""

    def __init__(self, fd: int, reply_fd: Optional[int] = None,
                 spin_us: int = 0) -> None:
        self.chan = Channel(fd, reply_fd, spin_us)
        self.root = Frame("")
        self.recorded: Dict[str, Row] = {}
        self.retries: Dict[str, List[Row]] = {}
        self.children: Dict[str, List[str]] = {}
        self.linked: set = set()
        self.unvisited = 0
        self.worker = os.environ.pop("CURRANT_WORKER", "") == "1"
        self.mode = "run"
        self.run_id = ""
        self.suspend_after = float(os.environ.get("CURRANT_SUSPEND_AFTER",
                                                  "60"))
        self.manifest: Optional[Dict[Tuple[str, int], dict]] = None
        self.muted: Optional[Tuple[Any, Any]] = None
        self.mutes: Tuple["_Muted", ...] = ()
        # (the program's sys.excepthook, ours that unmutes first) while muted
        self.hook: Optional[Tuple[Any, Any]] = None
        self.frontier: Optional[Dict[str, int]] = None  # see _behind_frontier
        self.exiting = False
        # live writable handles by id (a WeakSet costs a Python-level
        # iteration at every commit even when empty)
        self.files: Dict[int, "weakref.ref[Any]"] = {}
        # (frame prefix, file, site, argument fingerprint) -> recorded keys,
        # and the keys already used: see _match.  Built from pool_rows (the
        # final rows of the script, with or without a fingerprint) the
        # first time a call needs it (a replay in order never does).
        self.pool: Optional[Dict[Tuple[str, str, int, str], List[str]]] = None
        self.pool_rows: List[Row] = []
        self.pending_h: Dict[str, Optional[str]] = {}
        # key -> [file, site, kind, attempt, t0] of each live call whose
        # await is still to return: at exit, the run's abandoned calls
        self.inflight: Dict[str, list] = {}
        self.used: set = set()
        # the keys in journal order and key -> position (built by the
        # first awaited replay), the first position whose row may still be
        # untaken, and the gate of each event loop: see _gated
        self.order_keys: List[str] = []
        self.order: Optional[Dict[str, int]] = None
        self.low = 0
        self.gates: "weakref.WeakKeyDictionary[Any, _ReplayGate]" = \
            weakref.WeakKeyDictionary()

    # ----------------------------------------------------------- start-up

    def start(self) -> None:
        """Say hello, load the journal, mute output if replaying."""
        init = self.chan.request({"op": "hello", "v": 1, "lang": "py",
                                  "pid": os.getpid()})
        self.mode = init.get("mode", "run")
        self.run_id = init.get("run", "")
        self._receive_rows()
        if self.worker:
            return  # muted per invocation; the script says exit, not us
        if self.unvisited and self.mode == "run" and init.get("mute", True):
            self._mute()
        atexit.register(self._at_exit)

    def _receive_rows(self) -> None:
        """Load the ``rows`` batches up to ``ready``.

        The collector is off meanwhile: the rows are tens of thousands of
        lists that live as long as the run, and collections triggered while
        they are decoded would only walk them again and again."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            while True:
                msg = self.chan.recv()
                if msg.get("op") == "ready":
                    break
                self._load(msg.get("rows", ()))
        finally:
            if collecting:
                gc.enable()

    def _load(self, sent: List[List[Any]]) -> None:
        """Index a batch of rows.  The usual batch (final rows of the script,
        top-level keys) is found out and indexed by C-level passes; any
        other goes row by row."""
        rows = list(map(tuple, sent))
        keys = list(map(_row_key, rows))
        joined = "".join(keys)
        if "@" in joined or not FINAL.issuperset(map(_row_status, rows)):
            self._load_rows(rows)
            return
        self.recorded.update(zip(keys, rows))
        self.pool_rows.extend(rows)
        if "." in joined:
            for key in keys:
                if "." in key:  # a top-level key has no parent to link to
                    self._link(key)
        self.unvisited += len(rows)

    def _load_rows(self, rows: List[Row]) -> None:
        recorded, pool_rows, n = self.recorded, self.pool_rows, 0
        for row in rows:
            key = row[0]
            if row[_STATUS] not in FINAL:
                self.retries.setdefault(key, []).append(row)
                continue
            recorded[key] = row
            if key.startswith("@"):
                continue  # a worker's import: never revisited by the script
            pool_rows.append(row)
            n += 1
            if "." in key:
                self._link(key)
        self.unvisited += n

    def _pool(self) -> Dict[Tuple[str, str, int, str], List[str]]:
        if self.pool is None:
            self.pool = {}
            for row in self.pool_rows:
                h = row[_H]
                if h is not None:
                    key = row[0]
                    self.pool.setdefault(
                        (key_prefix(key), row[_FILE], row[_SITE], h),
                        []).append(key)
            self.pool_rows = []
        return self.pool

    def _link(self, key: str) -> None:
        """Records key under its parent, and the parent under its own
        (a bridge call or task cut short has rows below it but none of its
        own)."""
        while key not in self.linked:
            self.linked.add(key)
            parent = parent_key(key)
            if parent is None:
                return
            self.children.setdefault(parent, []).append(key)
            key = parent

    def _descendants(self, key: str) -> int:
        n, stack = 0, [key]
        while stack:
            for child in self.children.get(stack.pop(), ()):
                if child in self.recorded:
                    n += 1
                stack.append(child)
        return n

    def _visited(self, key: str) -> None:
        below = self._descendants(key) if key in self.children else 0
        self.unvisited -= 1 + below
        if self.unvisited <= 0 and self.muted is not None:
            self._unmute()

    def _at_exit(self) -> None:
        if self.exiting:
            return
        self.exiting = True
        self._unmute()
        if self.mode == "run" and 0 < self.unvisited and \
                len(self.used) < len(self.recorded):
            why = "the program stopped with an error first" \
                if getattr(sys, "last_value", None) is not None else \
                "calls made with other arguments than recorded ran again"
            sys.stderr.write(f"currant: warning: {self.unvisited} recorded "
                             f"checkpoints were not reached ({why})\n")
        self._flush()
        msg: Dict[str, Any] = {"op": "exit", "unvisited": self.unvisited}
        if self.mode == "run" and self.inflight:
            msg["abandoned"] = [[key] + row for key, row in
                                list(self.inflight.items())[:MAX_ABANDONED]]
        try:
            self.chan.request(msg)
        except SystemExit:
            pass

    # -------------------------------------------------------------- keys

    def _key(self) -> Tuple[str, Frame]:
        frame = _frame.get(self.root)
        n = frame.n
        frame.n = n + 1
        return frame.prefix + str(n), frame

    # ----------------------------------------------------------- the API

    def call(self, rel: str, site: int, fn: Callable[..., Any],
             args: tuple, kwargs: dict) -> Any:
        """A boundary call: replay it or run it live and commit it."""
        frame = _frame.get(self.root)
        n = frame.n
        frame.n = n + 1
        key = frame.prefix + str(n)
        if self.unvisited > 0:
            row = self.recorded.get(key)
            # The usual replay, in one step: the key's own row, of this site,
            # a plain returned value, nothing recorded below it, not taken by
            # a sibling, made with the same arguments (h None: not compared).
            # Whatever else is the general path below, which decides the same.
            if row is not None and row[_STATUS] == "ok" and \
                    row[_KIND] == "call" and row[_SITE] == site and \
                    row[_FILE] == rel and not kwargs and \
                    key not in self.used and key not in self.children and \
                    (row[_H] is None or row[_H] == _plain_fingerprint(args)):
                self.used.add(key)
                self.unvisited -= 1
                if self.unvisited <= 0 and self.muted is not None:
                    self._unmute()
                value = row[_VALUE]
                if type(value) not in _NESTED:
                    return value
                return self._replayed(_codec.decode(value), fn, args, kwargs)
            row = self._match(key, rel, site, args, kwargs)
            if row is _FRESH or (row is None and key in self.recorded):
                key = self._fresh(key)
            elif row is not None:
                return self._replay(row, rel, site, fn, args, kwargs)
        elif key in self.recorded:
            # every row has been replayed, this key's by a concurrent sibling
            # that took it from the pool: the key is taken
            key = self._fresh(key)
        kind = getattr(fn, "_currant_kind", None)
        if kind is not None:
            return self._special(kind, key, rel, site, fn, args, kwargs)
        seconds = _long_sleep(fn, args, kwargs)
        if seconds is not None:
            return self._timed_sleep(key, rel, site, fn, args, kwargs, seconds)
        return self._live(key, rel, site, fn, args, kwargs,
                          h=fingerprint(args, kwargs))

    def _match(self, key: str, rel: str, site: int, args: tuple,
               kwargs: dict) -> Any:
        """The recorded outcome of this call, if any.

        Normally the row at its key.  But calls started after an await in
        concurrent plain async functions take keys in completion order, which
        may differ between executions: when the row at the key was made by
        another call (the same site with other arguments, another site, or
        it was already taken), the unused row of the same frame, site and
        arguments is the call's own.  Only when there is none does another
        site's row at the key mean non-determinism (_replay reports it): two
        concurrent coroutines reaching different sites after their awaits in
        the other order is not a change of path.
        """
        row = self.recorded.get(key)
        free = row is not None and key not in self.used
        if free and row[_H] is None:
            self.used.add(key)
            return row
        h = fingerprint(args, kwargs)
        same = free and row[_FILE] == rel and row[_SITE] == site
        if same and row[_H] == h:
            self.used.add(key)
            return row
        for alt in self._pool().get((key_prefix(key), rel, site, h), ()):
            if alt not in self.used:
                self.used.add(alt)
                return self.recorded[alt]
        if free and not same:
            self.used.add(key)
            return row
        if free:
            # the same site with other arguments: the row belongs to a
            # concurrent sibling still to come; this call runs live
            return _FRESH
        return None

    def _fresh(self, key: str) -> str:
        """A key for a live call whose counter key holds another call's row."""
        n = 1
        while f"{key}'{n}" in self.recorded:
            n += 1
        return f"{key}'{n}"

    def read(self, rel: str, site: int, obj: Any, key: Any) -> Any:
        """``obj[key]`` as a checkpoint (a missing key's error is recorded)."""
        return self.call(rel, site, _subscript, (obj, key), {})

    # ------------------------------------------------------------- replay

    def _replay(self, row: Row, rel: str, site: int, fn: Any, args: tuple,
                kwargs: dict) -> Any:
        if row[_FILE] != rel or row[_SITE] != site:
            self.diverged(row, rel, site)
        status = row[_STATUS]
        if row[_KIND].endswith("+proc") and status in ("ok", "abandoned"):
            # a Popen: replayed when the program sees it end, as live; one
            # the run left running never ends
            key = row[0]
            record = _codec.decode(row[_VALUE]) if status == "ok" else None
            if record is None:
                self._visited(key)
            return _processes.ReplayedPopen(
                record, args[0] if args else kwargs.get("args"),
                lambda: self._visited(key))
        if status == "abandoned":
            # still awaited when the run exited: it never returns, as then
            self._visited(row[0])
            return _never_returns()
        if status in ("ok", "error") and row[_KIND].endswith("+await"):
            # committed when the await returned: what the program printed
            # between the call and then was printed before a crash, so the
            # row counts as replayed (output muted until it is) only when
            # the await gets its outcome
            return self._gated(row)
        self._visited(row[0])
        if status not in ("ok", "error"):
            database = _database_for(fn)
            if database is not None:  # sqlite3.connect: connect again
                return database.connect(args, kwargs, self.mode == "replay",
                                        (rel, site))
            return _ReplayedWriter(self, fn, args, kwargs)
        if status == "ok":
            return self._replayed(_codec.decode(row[_VALUE]), fn, args, kwargs)
        raise _codec.decode_error(row[_VALUE])

    def _replayed(self, value: Any, fn: Any, args: tuple,
                  kwargs: dict) -> Any:
        """A recorded outcome as the call gets it again: a random
        selection's positions applied to this call's arguments, a SQL
        statement's state given to its cursor (_database), anything else
        as it is."""
        kind = type(value)
        if kind is _recorders.Pick:
            return value.replay(args, kwargs)
        if kind not in _CARRIERS:
            return value
        return value.replay(fn, args, kwargs, self.mode == "replay")

    def _gated(self, row: Row) -> Any:
        """The awaitable of an awaited replay.  When every row before it in
        the journal has been taken (a sequential replay), it settles after
        one turn of the event loop, as the live await let other tasks run;
        otherwise rows that completed before it are still to come, and it
        waits for its turn (_ReplayGate).  Without a running asyncio loop
        it settles at once."""
        key = row[0]
        if row[_STATUS] == "ok":
            value = _codec.decode(row[_VALUE])

            def outcome() -> Any:
                self._visited(key)
                return value
        else:
            exc = _codec.decode_error(row[_VALUE])

            def outcome() -> Any:
                self._visited(key)
                raise exc
        asyncio = sys.modules.get("asyncio")  # no asyncio, no running loop
        loop = asyncio._get_running_loop() if asyncio else None
        if loop is None:
            return _settled(outcome)
        if self.order is None:
            self.order_keys = list(self.recorded)
            self.order = {k: i for i, k in enumerate(self.order_keys)}
        keys, used, low = self.order_keys, self.used, self.low
        while low < len(keys) and keys[low] in used:
            low += 1
        self.low = low
        index = self.order.get(row[0], -1)
        if index <= low:
            return _after_a_turn(asyncio, outcome)
        gate = self.gates.get(loop)
        if gate is None:
            gate = self.gates[loop] = _ReplayGate(loop)
        return gate.settle(index, outcome)

    def diverged(self, row: Optional[Row], rel: str, site: int,
                 why: str = "") -> None:
        """Report non-determinism and stop the process at once."""
        self._unmute()
        self._flush()
        msg = {"op": "diverged", "got": [rel, site], "why": why}
        if row is not None:
            msg.update(key=row[0], want=[row[_FILE], row[_SITE]])
        self.chan.request(msg)
        os._exit(3)

    # --------------------------------------------------------------- live

    def _going_live(self, key: str, rel: str, site: int) -> None:
        """A call is about to run live.  In replay mode that is divergence.
        Otherwise, when nothing recorded lies below it (not a task or bridge
        call cut short, whose finished steps replay first), it is the run's
        first live checkpoint: output is not muted past it, even if rows
        that concurrent siblings would have taken were never reached."""
        if self.mode == "replay":
            self.diverged(None, rel, site, "replay reached a checkpoint "
                          "that is not in the journal (key " + key + ")")
        if self.muted is not None and not self._descendants(key) and \
                not self._behind_frontier(key):
            self._unmute()

    def _behind_frontier(self, key: str) -> bool:
        """True if a recorded row comes after key in its frame or an
        enclosing one: key is a call that was still running when the last
        execution stopped while the script went on past it, run again now,
        not where that execution ended.  What the script printed before
        those later rows was printed then: output stays muted.  Not for a
        fresh key (its counter's row is another call's: this execution
        differs from the recorded one, whose later rows it may never
        reach)."""
        if "'" in key:
            return False
        if self.frontier is None:
            self.frontier = {}  # frame prefix -> highest counter recorded there
            for k in self.recorded:
                p = key_prefix(k)
                n = _counter(k[len(p):])
                if n is not None and n > self.frontier.get(p, -1):
                    self.frontier[p] = n
        k: Optional[str] = key
        while k is not None:
            p = key_prefix(k)
            n = _counter(k[len(p):])
            if n is not None and n < self.frontier.get(p, -1):
                return True
            k = parent_key(k)
        return False

    def _live(self, key: str, rel: str, site: int, fn: Callable[..., Any],
              args: tuple, kwargs: dict, kind: str = "call",
              h: Optional[str] = None) -> Any:
        self._going_live(key, rel, site)
        child = Frame(key + ".", key, getattr(fn, "__func__", fn))
        child.rel, child.site = rel, site
        self.pending_h[key] = h
        t0 = time.time()
        token = _frame.set(child)
        popen = fn is subprocess.Popen
        try:
            if fn is open:
                result = open_for_record(fn, args, kwargs)
            elif _recorders.is_pick(fn):
                result = _recorders.Pick.live(fn, args, kwargs)
            elif _database_for(fn) is not None:
                result = self._database_live(key, rel, site, fn, args,
                                             kwargs)
            else:
                result = fn(*args, **kwargs)
        except Exception as exc:
            self._commit(key, rel, site, kind, child.attempt, "error",
                         _codec.encode_error(exc), t0)
            raise
        finally:
            _frame.reset(token)
        if popen:
            return self._recording_popen(result, key, rel, site, child.attempt, t0)
        if is_awaitable(result):
            return self._await_live(result, key, rel, site, kind, child, t0)
        return self._record(result, key, rel, site, kind, child.attempt, t0, fn)

    def _database_live(self, key: str, rel: str, site: int, fn: Any,
                       args: tuple, kwargs: dict) -> Any:
        """sqlite3.connect or a statement, live (_database)."""
        from currant import _database
        if _database.is_connect(fn):
            return _database.connect(args, kwargs, False, (rel, site))
        return _database.Statement.live(self.run_id, key, fn, args, kwargs)

    def _recording_popen(self, real: Any, key: str, rel: str, site: int,
                         attempt: int, t0: float) -> Any:
        """A live Popen: in flight until the program sees it end, when
        its record is committed (_processes)."""
        self.inflight[key] = [rel, site, "call+proc", attempt, t0]

        def commit(record: Dict[str, Any]) -> None:
            self._commit(key, rel, site, "call+proc", attempt, "ok",
                         _codec.encode(record), t0)
        return _processes.RecordingPopen(real, commit)

    async def _await_live(self, aw: Any, key: str, rel: str, site: int,
                          kind: str, child: Frame, t0: float) -> Any:
        self.inflight[key] = [rel, site, kind + "+await", child.attempt, t0]
        token = _frame.set(child)
        try:
            result = await aw
            if _recorders.is_async_iterator(result):
                # a streamed answer: recorded whole, replayed as its chunks
                result = await _recorders.drain_async(result)
            elif _recorders.is_unread_async_httpx(result):
                await result.aread()  # recorded whole, as requests reads it
        except Exception as exc:
            self._commit(key, rel, site, kind + "+await", child.attempt,
                         "error", _codec.encode_error(exc), t0)
            raise
        finally:
            _frame.reset(token)
        return self._record(result, key, rel, site, kind + "+await",
                            child.attempt, t0)

    def _record(self, result: Any, key: str, rel: str, site: int, kind: str,
                attempt: int, t0: float, fn: Any = None) -> Any:
        owner = getattr(fn, "__self__", None)
        if owner is not None and isinstance(owner, io.IOBase) and \
                not owner.closed:
            # f.write(...) is journaled as done: make it so for the OS too,
            # or a crash right after the commit would lose the buffered bytes
            owner.flush()
        if type(result) not in _DATA:
            result = _recorders.record_live(result)
        if type(result) not in _DATA and _recorders.is_resource(result):
            self.track_file(result)
            self._commit(key, rel, site, kind, attempt, "resource", None, t0)
            return result
        made = _recorders.temp_record(fn, result)
        try:
            enc = _codec.encode(result if made is None else made)
        except (TypeError, RecursionError) as exc:
            # journaled as the call's error, so a replay raises it again
            err = UnrecordableValueError(f"{self.where(rel, site)}: {exc}")
            self._commit(key, rel, site, kind, attempt, "error",
                         _codec.encode_error(err), t0)
            raise err from None
        self._commit(key, rel, site, kind, attempt, "ok", enc, t0)
        return result.result if type(result) in _CARRIERS else result

    def _commit(self, key: str, rel: str, site: int, kind: str, attempt: int,
                status: str, value: Any, t0: float) -> None:
        self._flush()
        self.inflight.pop(key, None)
        h = None if status == "retry" else self.pending_h.pop(key, None)
        text = _scalar_json(value, _json_str_utf8)
        try:
            if text is None:
                msg = {"op": "commit", "key": key, "file": rel, "site": site,
                       "kind": kind, "attempt": attempt, "status": status,
                       "value": value, "t0": t0, "t1": time.time()}
                if h is not None:
                    msg["h"] = h
                reply = self.chan.request(msg, prompt=True)
            else:
                # the message a scalar value makes, written out: what
                # chan.request would send, without building a dict first
                reply = self.chan.request_text(_commit_text(
                    key, rel, site, kind, attempt, status, text, t0, h),
                    prompt=True)
        except ValueError as exc:
            raise UnrecordableValueError(
                f"{self.where(rel, site)}: {exc}") from None
        if reply.get("cancel"):
            raise RunCancelled(f"run {self.run_id} was cancelled")
        if "error" in reply:
            raise RuntimeError("currant coordinator: " + str(reply["error"]))

    def track_file(self, f: Any) -> None:
        """Remember a live writable handle, to flush it before each commit."""
        if getattr(f, "writable", None) is not None:
            files, k = self.files, id(f)
            files[k] = weakref.ref(f, lambda _ref: files.pop(k, None))

    def _flush(self) -> None:
        for ref in list(self.files.values()) if self.files else ():
            f = ref()
            try:
                if f is not None and not f.closed:
                    f.flush()
            except Exception:
                pass
        for f in (sys.stdout, sys.stderr):
            try:
                f.flush()
            except Exception:
                pass

    def _mute(self) -> None:
        self.muted = (sys.stdout, sys.stderr)
        self.mutes = (_Muted(sys.stdout), _Muted(sys.stderr))
        sys.stdout, sys.stderr = self.mutes  # type: ignore[assignment]
        _hold_log_files(self)
        hook = sys.excepthook

        def unmuted(*exc: Any) -> None:
            # the program died while its start replayed, short of where
            # the dead run got: that is news, and its traceback must show
            self._unmute()
            hook(*exc)
        self.hook = (hook, unmuted)
        sys.excepthook = unmuted

    def _unmute(self) -> None:
        if self.muted is not None:
            sys.stdout, sys.stderr = self.muted
            self.muted = None
            for m in self.mutes:  # kept by the program: they write from now on
                m.on = False
            if self.hook is not None and sys.excepthook is self.hook[1]:
                sys.excepthook = self.hook[0]
            self.hook = None

    # ------------------------------------------------------- std specials

    def _special(self, kind: str, key: str, rel: str, site: int, fn: Any,
                 args: tuple, kwargs: dict) -> Any:
        self._going_live(key, rel, site)
        if kind == "sleep":
            if is_async(fn):
                return self._sleep_async_at(key, rel, site, *args, **kwargs)
            return self._sleep_at(key, rel, site, *args, **kwargs)
        if kind == "event":
            return self._event_at(key, rel, site, fn, *args, **kwargs)
        if kind == "poll":
            return self._poll_at(key, rel, site, fn, *args, **kwargs)
        if kind == "bridge":
            return self._live(key, rel, site, fn, args, kwargs, "bridge",
                              h=fingerprint(args, kwargs))
        return self._live(key, rel, site, fn, args, kwargs)

    def _sub(self, parent: str, n: int, make: Callable[[], Any],
             rel: str, site: int) -> Any:
        """A recorded value under ``parent`` (wake times, deadlines)."""
        key = f"{parent}.{n}"
        row = self.recorded.get(key)
        if row is not None:
            self._visited(key)
            return _codec.decode(row[_VALUE])
        value = make()
        self._commit(key, rel, site, "value", 1, "ok", _codec.encode(value),
                     time.time())
        return value

    def _wait_plan(self, key: str, rel: str, site: int,
                   seconds: float) -> float:
        wake = self._sub(key, 0, lambda: time.time() + seconds, rel, site)
        left = wake - time.time()
        if left > self.suspend_after:
            self.suspend(wake)
        return max(0.0, left)

    def _sleep_at(self, key: str, rel: str, site: int,
                  seconds: float) -> None:
        t0 = time.time()
        time.sleep(self._wait_plan(key, rel, site, seconds))
        self._commit(key, rel, site, "sleep", 1, "ok", None, t0)

    async def _sleep_async_at(self, key: str, rel: str, site: int,
                              seconds: float) -> None:
        import asyncio
        t0 = time.time()
        await asyncio.sleep(self._wait_plan(key, rel, site, seconds))
        self._commit(key, rel, site, "sleep+await", 1, "ok", None, t0)

    def _timed_sleep(self, key: str, rel: str, site: int, fn: Any,
                     args: tuple, kwargs: dict, seconds: float) -> Any:
        """A long ``time.sleep``/``asyncio.sleep``, live: its wake time is
        journaled first (under the key, as currant.sleep's), so a run killed
        in the middle sleeps only what was left when it resumes.  Unlike
        currant.sleep it never suspends the process."""
        self._going_live(key, rel, site)
        self.pending_h[key] = fingerprint(args, kwargs)
        wake = self._sub(key, 0, lambda: time.time() + seconds, rel, site)
        left = max(0.0, wake - time.time())
        t0 = time.time()
        if fn is time.sleep:
            time.sleep(left)
            self._commit(key, rel, site, "call", 1, "ok", None, t0)
            return None
        result = args[1] if len(args) > 1 else kwargs.get("result")
        return self._async_rest(key, rel, site, left, result, t0)

    async def _async_rest(self, key: str, rel: str, site: int, left: float,
                          result: Any, t0: float) -> Any:
        import asyncio
        self.inflight[key] = [rel, site, "call+await", 1, t0]
        await asyncio.sleep(left)
        return self._record(result, key, rel, site, "call+await", 1, t0)

    def sleep(self, seconds: float) -> None:
        """``currant.sleep`` called without a checkpoint of its own."""
        key, _ = self._key()
        if key in self.recorded:
            self._visited(key)
            return
        self._sleep_at(key, "", -1, seconds)

    async def sleep_async(self, seconds: float) -> None:
        key, _ = self._key()
        if key in self.recorded:
            self._visited(key)
            return
        await self._sleep_async_at(key, "", -1, seconds)

    def suspend(self, wake_at: float) -> None:
        """Exit as ``suspended``; ``currant serve`` resumes at ``wake_at``."""
        self._unmute()
        self._flush()
        self.chan.request({"op": "suspend", "wake_at": wake_at})
        self.exiting = True
        os._exit(0)

    def _event_at(self, key: str, rel: str, site: int, fn: Any, name: str,
                  timeout: Optional[float] = None) -> Any:
        deadline = None if timeout is None else \
            self._sub(key, 0, lambda: time.time() + timeout, rel, site)
        self._flush()
        reply = self.chan.request({"op": "event", "key": key, "file": rel,
                                   "site": site, "name": name,
                                   "deadline": deadline})
        value = None if reply.get("timeout") else \
            _codec.decode(reply.get("value"))
        if is_async(fn):
            return _resolved(value)
        return value

    def wait_event(self, name: str, timeout: Optional[float]) -> Any:
        key, _ = self._key()
        row = self.recorded.get(key)
        if row is not None:
            self._visited(key)
            return _codec.decode(row[_VALUE])
        return self._event_at(key, "", -1, _no_coro, name, timeout)

    async def wait_event_async(self, name: str,
                               timeout: Optional[float]) -> Any:
        return self.wait_event(name, timeout)

    def _poll_at(self, key: str, rel: str, site: int, fn: Any, target: Any,
                 every: float = 1.0, timeout: Optional[float] = None,
                 until: Any = None) -> Any:
        if is_async(fn):
            return self._live(key, rel, site, self._poll_async_body,
                              (target, every, timeout, until), {}, "poll")
        return self._live(key, rel, site, self._poll_body,
                          (target, every, timeout, until), {}, "poll")

    def _poll_body(self, target: Any, every: float, timeout: Optional[float],
                   until: Any) -> Any:
        from currant._std import _done
        start = self._inner_value(time.time)
        while True:
            value = self._inner_call(target)
            if _done(value, until):
                return value
            if timeout is not None and time.time() + every > start + timeout:
                raise TimeoutError(f"poll: not done after {timeout} s")
            self.sleep(every)

    async def _poll_async_body(self, target: Any, every: float,
                               timeout: Optional[float], until: Any) -> Any:
        from currant._std import _done
        start = self._inner_value(time.time)
        while True:
            value = self._inner_call(target)
            if is_awaitable(value):
                value = await value
            if _done(value, until):
                return value
            if timeout is not None and time.time() + every > start + timeout:
                raise TimeoutError(f"poll: not done after {timeout} s")
            await self.sleep_async(every)

    def _inner_value(self, make: Callable[[], Any]) -> Any:
        return self._inner_call(make)

    def _inner_call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """A checkpoint with no site of its own (inside poll, retries)."""
        key, _ = self._key()
        row = self.recorded.get(key)
        if row is not None:
            return self._replay(row, "", -1, fn, args, {})
        return self._live(key, "", -1, fn, args, {}, "inner")

    def poll(self, fn: Any, every: float, timeout: Optional[float],
             until: Any) -> Any:
        return self._inner_call(self._poll_body, fn, every, timeout, until)

    async def poll_async(self, fn: Any, every: float,
                         timeout: Optional[float], until: Any) -> Any:
        return await self._inner_call(self._poll_async_body, fn, every,
                                      timeout, until)

    # ------------------------------------------------------------ bridges

    def bridge(self, fn: Any, args: tuple) -> Dict[str, Any]:
        """Have the coordinator run bridge function ``fn`` in its worker;
        the ``result`` reply.  Through ``call`` the function owns its frame
        and the key is the checkpoint's; a plain call takes a key here."""
        from currant._bridge import encode_args
        frame = _frame.get(self.root)
        if frame.fn is fn and frame.owner is not None:
            key = frame.owner
        else:
            key, _ = self._key()
        msg = {"op": "bridge", "lang": fn.lang, "file": fn.file,
               "fn": fn.name, "args": encode_args(fn, args), "key": key,
               "mute": self.muted is not None}
        self._flush()
        reply = self.chan.request(msg)
        # the worker went through the rows under key (replayed or not)
        self.unvisited -= self._descendants(key)
        if self.unvisited <= 0:
            self._unmute()
        if "stop" in reply:  # the worker suspended the run or diverged
            self.exiting = True
            self._unmute()
            self._flush()
            os._exit(int(reply["stop"]))
        return reply

    def begin_invocation(self, key: str, rel: str, fn: Any,
                         mute: bool) -> Any:
        """In a worker: run the next calls in the frame of bridge call
        ``key``, muted while its recorded rows replay if the caller is."""
        frame = Frame(key + ".", key, fn)
        frame.rel = rel
        self.unvisited = self._descendants(key)
        if mute and self.unvisited > 0:
            self._mute()
        return _frame.set(frame)

    def end_invocation(self, token: Any) -> None:
        """In a worker: the invocation is over; its output is flushed."""
        _frame.reset(token)
        self._unmute()
        self._flush()

    # -------------------------------------------------------------- tasks

    def run_task(self, wrapper: Any, fn: Any, args: tuple,
                 kwargs: dict) -> Any:
        """Attempts of a task, each failure journaled under its checkpoint."""
        from currant._std import call_with_timeout, run_attempts
        frame = _frame.get(self.root)
        policy = wrapper.__currant_task__
        if frame.fn is not wrapper or frame.owner is None:
            return run_attempts(fn, args, kwargs, policy)
        key = frame.owner
        attempt, wait = self._resume_attempt(key, policy)
        deadline = None if policy.total_timeout is None else \
            time.monotonic() + policy.total_timeout
        while True:
            self._enter_attempt(frame, key, attempt)
            time.sleep(wait)
            t0 = time.time()
            try:
                return call_with_timeout(fn, args, kwargs,
                                         _limit(policy, deadline))
            except Exception as exc:
                wait = policy.delay(attempt)
                if not _retry_ok(policy, exc, attempt, deadline, wait):
                    raise
                self._commit(key, frame.rel, frame.site, "attempt", attempt,
                             "retry", _codec.encode_error(exc), t0)
            attempt += 1

    async def run_task_async(self, wrapper: Any, fn: Any, args: tuple,
                             kwargs: dict) -> Any:
        import asyncio
        from currant._std import run_attempts_async
        frame = _frame.get(self.root)
        policy = wrapper.__currant_task__
        if frame.fn is not wrapper or frame.owner is None:
            return await run_attempts_async(fn, args, kwargs, policy)
        key = frame.owner
        attempt, wait = self._resume_attempt(key, policy)
        deadline = None if policy.total_timeout is None else \
            time.monotonic() + policy.total_timeout
        while True:
            self._enter_attempt(frame, key, attempt)
            await asyncio.sleep(wait)
            t0 = time.time()
            try:
                limit = _limit(policy, deadline)
                if limit is None:
                    return await fn(*args, **kwargs)
                return await asyncio.wait_for(fn(*args, **kwargs), limit)
            except Exception as exc:
                wait = policy.delay(attempt)
                if not _retry_ok(policy, exc, attempt, deadline, wait):
                    raise
                self._commit(key, frame.rel, frame.site, "attempt", attempt,
                             "retry", _codec.encode_error(exc), t0)
            attempt += 1

    def _resume_attempt(self, key: str, policy: Any) -> Tuple[int, float]:
        """Next attempt number after journaled failures, and the wait left."""
        done = self.retries.get(key)
        if not done:
            return 1, 0.0
        last = max(done, key=itemgetter(_ATTEMPT))
        attempt = last[_ATTEMPT]
        wait = (last[_ENDED] or 0) + policy.delay(attempt) - time.time()
        return attempt + 1, max(0.0, wait)

    @staticmethod
    def _enter_attempt(frame: Frame, key: str, attempt: int) -> None:
        frame.attempt = attempt
        frame.n = 0
        frame.prefix = key + "." if attempt == 1 else f"{key}~{attempt}."

    # ------------------------------------------------------------- naming

    def where(self, rel: str, site: int) -> str:
        """"app/x.py:12 (main: charge)" from the manifest, if there is one."""
        info = self.site_info(rel, site)
        if not info:
            return f"{rel or '<runtime>'} site {site}"
        return (f"{rel}:{info.get('line', '?')} "
                f"({info.get('function') or '<module>'}"
                f": {info.get('callee', '?')})")

    def site_info(self, rel: str, site: int) -> Optional[dict]:
        if self.manifest is None:
            self.manifest = {}
            path = os.environ.get("CURRANT_MANIFEST")
            try:
                with open(path or "", encoding="utf-8") as f:
                    nodes = json.load(f).get("nodes", [])
                for n in nodes:
                    if "index" in n and "file" in n:
                        self.manifest[(n["file"], n["index"])] = n
            except (OSError, ValueError, AttributeError):
                pass
        return self.manifest.get((rel, site))


_FRESH: Any = object()

# Recorded values that _codec.decode changes; any other is its own decoding.
_NESTED = (list, dict)
_CARRIERS = _recorders.CARRIERS

# Results that are plain data, neither a live resource nor something
# record_live replaces: the common case skips those checks.
_DATA = frozenset((int, float, str, bool, type(None), list, dict, tuple))


def _counter(segment: str) -> Optional[int]:
    """A key's last segment's counter: "4" and "4'1" -> 4, "@x" -> None."""
    digits = len(segment) - len(segment.lstrip("0123456789"))
    return int(segment[:digits]) if digits else None


def key_prefix(key: str) -> str:
    """"3.1" -> "3.", "3" -> ""."""
    dot = key.rfind(".")
    return key[:dot + 1]


_SAFE_INT = _codec.SAFE_INT

# One encoder, built once: json.dumps with options builds a new one per call.
_FP_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"),
                            allow_nan=False)
_json_str = json.encoder.encode_basestring_ascii  # what _FP_JSON does to a str
_json_str_utf8 = json.encoder.encode_basestring  # what the channel does to one


def fingerprint(args: tuple, kwargs: dict) -> str:
    """A short, stable digest of a call's arguments (what could be encoded
    of them; the type name of what could not).  Journals keep it: it must
    not change between versions (a resumed run compares against it)."""
    if not kwargs:
        h = _plain_fingerprint(args)
        if h is not None:
            return h
    parts = []
    for a in list(args) + sorted(kwargs.items()):
        try:
            parts.append(_codec.encode(a))
        except (TypeError, RecursionError):
            parts.append("<" + type(a).__name__ + ">")
    try:
        text = _FP_JSON.encode(parts)
    except (TypeError, ValueError):
        text = repr(len(parts))
    return format(zlib.crc32(text.encode("utf-8", "surrogatepass")), "08x")


def _hold_log_files(session: "Session") -> None:
    """logging's file handlers (FileHandler and its rotating and watched
    kinds) write nothing while output is muted: the execution that recorded
    the rows being replayed wrote those records, and a resumed run wrote
    them a second time (a log file is output the way stdout is).  Installed
    once, the first time a run mutes."""
    import logging
    emit = logging.FileHandler.emit
    if getattr(emit, "_currant_held", False):
        return

    def held_emit(handler: Any, record: Any) -> None:
        if session.muted is None:
            emit(handler, record)

    held_emit._currant_held = True  # type: ignore[attr-defined]
    logging.FileHandler.emit = held_emit  # type: ignore[method-assign]


# Sleeps at least this long journal their wake time before sleeping
# (Session._timed_sleep): a shorter one is cheaper run again whole.
LONG_SLEEP = 1.0


def _long_sleep(fn: Any, args: tuple, kwargs: dict) -> Optional[float]:
    """The seconds of a ``time.sleep``/``asyncio.sleep`` call of at least
    LONG_SLEEP, else None."""
    if fn is not time.sleep:
        asyncio = sys.modules.get("asyncio")
        if asyncio is None or fn is not asyncio.sleep:
            return None
    seconds = args[0] if args else kwargs.get("delay", kwargs.get("secs"))
    if type(seconds) not in (int, float) or not seconds >= LONG_SLEEP:
        return None
    return float(seconds)


def _database_for(fn: Any) -> Any:
    """currant._database when fn is sqlite3.connect or a statement method
    of a sqlite3 connection or cursor (never before the program imported
    sqlite3: the runtime does not pay for it otherwise)."""
    if "sqlite3" not in sys.modules:
        return None
    from currant import _database
    return _database if _database.is_connect(fn) or \
        _database.is_statement(fn) else None


def _plain_fingerprint(args: tuple) -> Optional[str]:
    """``fingerprint(args, {})`` when each argument is a scalar that
    _codec.encode returns unchanged (the common case, and the replay hot
    path), else None.  The text is what _FP_JSON writes for them, all
    ASCII (strings are escaped): its bytes are its encode()."""
    value = args[0] if len(args) == 1 else None
    kind = type(value)
    # one int or str argument, the commonest call, without a loop
    if kind is int and -_SAFE_INT <= value <= _SAFE_INT:
        crc = zlib.crc32(b"[%d]" % value)
    elif kind is str:
        crc = zlib.crc32(f"[{_json_str(value)}]".encode())
    else:
        text = _plain_json(args)
        if text is None:
            return None
        crc = zlib.crc32(text.encode())
    return crc.to_bytes(4, "big").hex()  # "%08x" % crc, in half the time


def _plain_json(args: tuple) -> Optional[str]:
    """The text _FP_JSON gives for args when each is a value _codec.encode
    returns unchanged, else None."""
    out = []
    for value in args:
        text = _scalar_json(value, _json_str)
        if text is None:
            return None
        out.append(text)
    return "[" + ",".join(out) + "]"


def _scalar_json(value: Any, quote: Callable[[str], str]) -> Optional[str]:
    """The JSON text of a scalar that _codec.encode returns unchanged
    (strings written by ``quote``), else None."""
    kind = type(value)
    if kind is str:
        return quote(value)
    if kind is int and -_codec.SAFE_INT <= value <= _codec.SAFE_INT:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    return None


def _commit_text(key: str, rel: str, site: int, kind: str, attempt: int,
                 status: str, value: str, t0: float, h: Optional[str]) -> str:
    """A commit message's JSON text; ``value`` is already JSON.  Times are
    written with 17 significant digits: the coordinator reads the same
    double as from repr's shortest form, which costs a third more."""
    q = _json_str_utf8
    tail = "}" if h is None else f',"h":{q(h)}}}'
    return (f'{{"op":"commit","key":{q(key)},"file":{q(rel)},"site":{site:d},'
            f'"kind":{q(kind)},"attempt":{attempt:d},"status":{q(status)},'
            f'"value":{value},"t0":{t0:.17g},"t1":{time.time():.17g}{tail}')


def _subscript(obj: Any, key: Any) -> Any:
    return obj[key]


def _no_coro() -> None:
    """Marks wait_event calls made without a checkpoint as synchronous."""


class _ReplayGate:
    """Awaited replays of one event loop, settled in journal order.

    When they were recorded, concurrent coroutines resumed in the order
    their calls completed (I/O completion order, which varies); settling
    every replay at once would resume them in the order the calls started
    instead, and the calls they make next would meet other coroutines' rows
    (one coroutine's recorded clock handed to another).  Settled one at a
    time in journal order, each when what is already runnable has run, each
    resumes when it did.
    """

    __slots__ = ("loop", "waiting", "scheduled", "deferred", "count")

    # turns a settlement waits for the loop's ready queue to drain
    MAX_DEFER = 100

    def __init__(self, loop: Any) -> None:
        self.loop = loop
        self.waiting: List[Tuple[int, int, Any, Callable[[], Any]]] = []
        self.scheduled = False
        self.deferred = 0
        self.count = 0  # ties (an unknown position) settle in call order

    def settle(self, index: int, outcome: Callable[[], Any]) -> Any:
        """A coroutine taking outcome's result when row index's turn comes."""
        future = self.loop.create_future()
        self.count += 1
        heapq.heappush(self.waiting, (index, self.count, future, outcome))
        if not self.scheduled:
            self.scheduled = True
            self.loop.call_soon(self._release)
        return _awaited(future)

    def _release(self) -> None:
        ready = getattr(self.loop, "_ready", None)  # CPython's loops have it
        if ready and self.deferred < self.MAX_DEFER:
            self.deferred += 1
            self.loop.call_soon(self._release)
            return
        self.deferred = 0
        _, _, future, outcome = heapq.heappop(self.waiting)
        if self.waiting:
            self.loop.call_soon(self._release)
        else:
            self.scheduled = False
        if future.cancelled():
            return
        try:
            future.set_result(outcome())
        except Exception as exc:  # the recorded error
            future.set_exception(exc)


async def _awaited(future: Any) -> Any:
    return await future


async def _settled(outcome: Callable[[], Any]) -> Any:
    return outcome()


async def _after_a_turn(asyncio: Any, outcome: Callable[[], Any]) -> Any:
    await asyncio.sleep(0)
    return outcome()


async def _resolved(value: Any) -> Any:
    return value


async def _never_returns() -> Any:
    """An abandoned call's replay: awaits a future nothing completes (a
    cancellation, as asyncio.run's at its end, still ends it)."""
    import asyncio
    await asyncio.get_running_loop().create_future()


def _limit(policy: Any, deadline: Optional[float]) -> Optional[float]:
    if deadline is None:
        return policy.timeout
    left = max(0.0, deadline - time.monotonic())
    return left if policy.timeout is None else min(left, policy.timeout)


def _retry_ok(policy: Any, exc: BaseException, attempt: int,
              deadline: Optional[float], wait: float) -> bool:
    if attempt >= policy.max_attempts or not policy.retryable(exc):
        return False
    return deadline is None or time.monotonic() + wait < deadline


# ----------------------------------------------------------------- files
#
# open() is a boundary whose result is a handle, not a value.  A file opened
# for reading (a regular file up to MAX_RECORDED_FILE bytes) is recorded as
# its content and handed back as an in-memory file, so what uninstrumented
# code (json.load(f), `for line in f`) reads replays exactly.  A file opened
# for writing stays a real file; it is flushed before every commit, so
# "checkpoint K is committed" implies "everything written before K is on
# disk".  On replay it becomes a _ReplayedWriter that holds back writes
# while the run is still replaying (they happened the first time).  Once
# the run is live again it opens the real file: in "w"/"x"/"r+" modes anew,
# writing what it held back first, so the file ends up as one uninterrupted
# run leaves it (bytes written after the last checkpoint before the crash
# are written again, not twice); in "a" mode it appends what comes next.

MAX_RECORDED_FILE = 4 * 1024 * 1024


def _mode_index(fn: Any) -> int:
    """Where the mode sits among fn's positional arguments: after the file
    for open() and io.open(), first for a Path's bound open()."""
    pathlib = sys.modules.get("pathlib")
    owner = getattr(fn, "__self__", None)
    return 0 if pathlib is not None and isinstance(owner, pathlib.PurePath) else 1


def _mode_of(fn: Any, args: tuple, kwargs: dict) -> str:
    at = _mode_index(fn)
    mode = args[at] if len(args) > at else kwargs.get("mode", "r")
    return mode if isinstance(mode, str) else "r"


def _is_read_only(mode: str) -> bool:
    return not any(c in mode for c in "wax+")


def open_for_record(fn: Any, args: tuple, kwargs: dict) -> Any:
    """Live open(): a readable regular file becomes a recorded in-memory copy."""
    f = fn(*args, **kwargs)
    mode = _mode_of(fn, args, kwargs)
    if not _is_read_only(mode):
        return f
    try:
        st = os.fstat(f.fileno())
        import stat as _stat
        if not _stat.S_ISREG(st.st_mode) or st.st_size > MAX_RECORDED_FILE:
            return f
        data = f.read()
    except (OSError, ValueError, io.UnsupportedOperation):
        return f
    name = getattr(f, "name", None)
    f.close()
    return _recorders.RecordedFile(data, name, mode)


class _ReplayedWriter:
    """A write-mode file handed back on replay (see above)."""

    def __init__(self, session: "Session", fn: Any, args: tuple,
                 kwargs: dict) -> None:
        self.__dict__.update(_session=session, _spec=(fn, args, kwargs),
                             _real=None, _held=[])

    def _live(self) -> Any:
        if self.__dict__["_real"] is None:
            fn, args, kwargs = self.__dict__["_spec"]
            mode = _mode_of(fn, args, kwargs)
            held = self.__dict__["_held"]
            if "a" in mode:
                held.clear()  # appended the first time already
            else:
                args, kwargs = _with_mode(fn, args, kwargs, mode.replace("x", "w"))
            real = fn(*args, **kwargs)
            for data in held:
                real.write(data)
            held.clear()
            self.__dict__["_real"] = real
            self.__dict__["_session"].track_file(real)
        return self.__dict__["_real"]

    def _replaying(self) -> bool:
        return self.__dict__["_real"] is None and \
            self.__dict__["_session"].unvisited > 0

    def write(self, data: Any) -> int:
        if self._replaying():
            self.__dict__["_held"].append(data)
            return len(data)
        return self._live().write(data)

    def writelines(self, lines: Any) -> None:
        if self._replaying():
            self.__dict__["_held"].extend(lines)
            return None
        return self._live().writelines(lines)

    def flush(self) -> None:
        if not self._replaying():
            self._live().flush()

    def close(self) -> None:
        if self.__dict__["_real"] is not None:
            self.__dict__["_real"].close()

    @property
    def closed(self) -> bool:
        real = self.__dict__["_real"]
        return False if real is None else real.closed

    def __enter__(self) -> "_ReplayedWriter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._live(), name)


def _with_mode(fn: Any, args: tuple, kwargs: dict, mode: str) -> Tuple[list, dict]:
    args_l, kwargs = list(args), dict(kwargs)
    at = _mode_index(fn)
    if len(args_l) > at:
        args_l[at] = mode
    else:
        kwargs["mode"] = mode
    return args_l, kwargs  # type: ignore[return-value]


def connect() -> None:
    """Start the session if the coordinator gave us a channel."""
    from currant import _state
    if "CURRANT_FD" not in os.environ or _state.session is not None:
        return
    fd = int(os.environ.pop("CURRANT_FD"))
    reply = os.environ.pop("CURRANT_REPLY_FD", None)
    reply_fd = fd if reply is None else int(reply)
    spin = os.environ.pop("CURRANT_SPIN_US", "0")
    for own in {fd, reply_fd}:
        os.set_inheritable(own, False)  # not for the script's children
    session = Session(fd, reply_fd, int(spin) if spin.isdigit() else 0)
    _state.session = session
    session.start()
