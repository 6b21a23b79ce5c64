"""Replay against a fake coordinator: the fast paths (rows loaded by
C-level passes, the fused replay of a call) decide what the general paths
decide."""

import atexit
import json
import pathlib
import socket
import struct
import sys
import tempfile
import threading
import unittest
import unittest.mock
from typing import Any, List, Optional

import currant
from currant import _codec, _session, _state

_HEADER = struct.Struct(">I")


def row(key: str, value: Any = None, args: Optional[tuple] = (),
        status: str = "ok", kind: str = "call", site: int = 0,
        file: str = "app/t.py", attempt: int = 1) -> List[Any]:
    """A journal row as the coordinator sends it (h None when args is)."""
    h = None if args is None else _session.fingerprint(args, {})
    return [key, file, site, kind, attempt, status, value, 1.5, h]


class FakeCoordinator:
    """Answers hello with init, the given row batches and ready; then
    ``{"ok": true}`` to everything, keeping what it received."""

    def __init__(self, batches: List[List[List[Any]]], mode: str) -> None:
        self.sock, peer = socket.socketpair()
        self.peer = peer
        self.batches, self.mode = batches, mode
        self.received: List[dict] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _send(self, msg: dict) -> None:
        data = json.dumps(msg).encode()
        self.sock.sendall(_HEADER.pack(len(data)) + data)

    def _recv(self) -> Optional[dict]:
        head = self._exact(4)
        return None if head is None else \
            json.loads(self._exact(_HEADER.unpack(head)[0]) or b"null")

    def _exact(self, n: int) -> Optional[bytes]:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def _serve(self) -> None:
        self._recv()  # hello
        self._send({"op": "init", "run": "t", "mode": self.mode,
                    "mute": True})
        for rows in self.batches:
            self._send({"op": "rows", "rows": rows})
        self._send({"op": "ready"})
        while True:
            msg = self._recv()
            if msg is None:
                return
            self.received.append(msg)
            self._send({"ok": True})

    def commits(self) -> List[str]:
        return [m["key"] for m in self.received if m.get("op") == "commit"]


class SessionCase(unittest.TestCase):
    """A session started against a FakeCoordinator (tests/test_database
    has its own cases on it)."""

    def start(self, *batches: List[List[Any]], mode: str = "run") -> Any:
        self.coord = FakeCoordinator(list(batches), mode)
        self.session = _session.Session(self.coord.peer.fileno())
        _state.session = self.session
        self.session.start()
        atexit.unregister(self.session._at_exit)
        return currant.module("app/t.py")

    def tearDown(self) -> None:
        self.session._unmute()
        _state.session = None
        self.coord.peer.close()
        self.coord.thread.join(5)
        self.coord.sock.close()


class ReplayTest(SessionCase):
    def test_fast_path_replays_values_in_order(self) -> None:
        values = [3, "s", None, [1, {"$t": "tuple", "v": [2]}], {"a": 1}]
        m = self.start([row(str(i), v, (i,)) for i, v in enumerate(values)])
        got = [m.call(0, self.fail, i) for i in range(len(values))]
        self.assertEqual(got, [3, "s", None, [1, (2,)], {"a": 1}])
        self.assertEqual(self.session.unvisited, 0)
        self.assertEqual(self.session.used, {"0", "1", "2", "3", "4"})
        self.assertEqual(self.coord.commits(), [])

    def test_output_unmuted_after_last_recorded_row(self) -> None:
        m = self.start([row("0", 1, ("a",)), row("1", 2, ("b",))])
        self.assertIsNotNone(self.session.muted)
        m.call(0, self.fail, "a")
        self.assertIsNotNone(self.session.muted)
        m.call(0, self.fail, "b")
        self.assertIsNone(self.session.muted)

    def test_other_arguments_run_live_under_a_fresh_key(self) -> None:
        m = self.start([row("0", 1, (1,))])
        self.assertEqual(m.call(0, lambda x: x * 10, 2), 20)
        self.assertEqual(self.coord.commits(), ["0'1"])

    def test_row_without_fingerprint_replays_whatever_the_arguments(
            self) -> None:
        m = self.start([row("0", 7, None)])
        self.assertEqual(m.call(0, self.fail, "anything", k=1), 7)
        self.assertEqual(self.coord.commits(), [])

    def test_keywords_and_unusual_arguments_take_the_general_path(
            self) -> None:
        args_list = [(1.5, None, True), (2 ** 60,), ((1, 2),), ()]
        m = self.start([row("0", "kw", None)] + [
            row(str(i + 1), i, args) for i, args in enumerate(args_list)])
        m.call(0, self.fail, 1, k=2)
        for i, args in enumerate(args_list):
            self.assertEqual(m.call(0, self.fail, *args), i)
        self.assertEqual(self.coord.commits(), [])

    def test_recorded_error_and_awaited_value(self) -> None:
        import asyncio
        err = _codec.encode_error(KeyError("k"))
        m = self.start([row("0", err, (), status="error"),
                        row("1", 5, (), kind="call+await")])
        with self.assertRaises(KeyError):
            m.call(0, self.fail)
        self.assertEqual(asyncio.run(m.call(0, self.fail)), 5)

    def test_awaited_replays_settle_in_journal_order(self) -> None:
        import asyncio
        # recorded: "fast" (key 1) finished its wait first and took keys 2
        # and 3; "slow" (key 0) finished later and took 4 and 5.  The ticket
        # call has no arguments: only the order tells whose it is.
        m = self.start([row("1", "w", ("fast",), kind="call+await"),
                        row("2", 1, (), site=1),
                        row("3", None, ("fast", 1), site=2),
                        row("0", "w", ("slow",), kind="call+await"),
                        row("4", 2, (), site=1),
                        row("5", None, ("slow", 2), site=2)])

        async def worker(name: str) -> int:
            await m.call(0, self.fail, name)
            ticket = m.call(1, self.fail)
            m.call(2, self.fail, name, ticket)
            return ticket

        async def main() -> List[int]:
            return await asyncio.gather(worker("slow"), worker("fast"))

        self.assertEqual(asyncio.run(main()), [2, 1])
        self.assertEqual(self.session.unvisited, 0)
        self.assertEqual(self.coord.commits(), [])

    def test_other_site_at_the_key_takes_its_own_row_if_any(self) -> None:
        # two concurrent coroutines reached sites 0 and 4 after their awaits
        # in the other order on the recorded execution
        m = self.start([row("0", "four", (4,), site=4), row("1", "zero", (0,))])
        self.assertEqual(m.call(0, self.fail, 0), "zero")
        self.assertEqual(m.call(4, self.fail, 4), "four")
        self.assertEqual(self.session.unvisited, 0)
        self.assertEqual(self.coord.commits(), [])

    def test_other_site_at_the_key_is_divergence(self) -> None:
        m = self.start([row("0", 1, (), site=4)], mode="replay")
        with unittest.mock.patch("os._exit", side_effect=SystemExit) as ex:
            with self.assertRaises(SystemExit):
                m.call(0, self.fail)
        ex.assert_called_once_with(3)
        self.assertEqual(self.coord.received[-1]["op"], "diverged")

    def test_rows_of_every_kind_load_as_row_by_row(self) -> None:
        batches = [
            [row("0", 1, ()), row("1.0", 2, ())],
            [row("2", _codec.encode_error(ValueError("x")), (),
                 status="retry", kind="attempt"),
             row("2", 3, ()), row("@lib.py.0", 4, ())],
        ]
        self.start(*batches)
        s = self.session
        self.assertEqual(set(s.recorded), {"0", "1.0", "2", "@lib.py.0"})
        self.assertEqual([r[_session._STATUS] for r in s.retries["2"]],
                         ["retry"])
        self.assertEqual(s.children, {"1": ["1.0"]})
        self.assertEqual(s.unvisited, 3)  # "@" rows are not the script's
        self.assertEqual(sorted(r[0] for r in s.pool_rows),
                         ["0", "1.0", "2"])

    def test_long_sleep_resumed_sleeps_only_what_was_left(self) -> None:
        # the dead run journaled the wake time (row 0.0) and died asleep
        import time
        m = self.start([row("0.0", time.time() + 0.05, None, kind="value")])
        t0 = time.monotonic()
        self.assertIsNone(m.call(0, time.sleep, 2.0))
        self.assertLess(time.monotonic() - t0, 1.0)
        self.assertEqual(self.coord.commits(), ["0"])

    def test_long_sleep_journals_its_wake_time_first(self) -> None:
        import asyncio
        import time
        m = self.start([])
        with unittest.mock.patch.object(_session, "LONG_SLEEP", 0.01):
            m.call(0, time.sleep, 0.02)
            self.assertEqual(asyncio.run(m.call(0, asyncio.sleep, 0.02, "r")), "r")
            m.call(0, time.sleep, 0.001)  # short: run again whole if need be
        self.assertEqual(self.coord.commits(), ["0.0", "0", "1.0", "1", "2"])

    def test_error_while_replaying_shows_its_traceback(self) -> None:
        # the program dies short of where the dead run got, output muted:
        # what it printed stays muted, its traceback does not
        import io
        real = io.StringIO()
        with unittest.mock.patch.object(sys, "stderr", real):
            m = self.start([row("0", 1, ()), row("1", 2, ())])
            m.call(0, self.fail)
            print("replayed line", file=sys.stderr)
            try:
                raise RuntimeError("boom while replaying")
            except RuntimeError:
                sys.excepthook(*sys.exc_info())
            self.assertIsNone(self.session.muted)
        self.assertIn("RuntimeError: boom while replaying", real.getvalue())
        self.assertNotIn("replayed line", real.getvalue())
        self.assertIs(sys.excepthook, sys.__excepthook__)

    def test_replayed_path_open_reopens_with_its_own_mode(self) -> None:
        # Path.open takes its mode first (open() takes it after the file):
        # a write after the replay of Path.open("a") appends, live
        with tempfile.TemporaryDirectory() as d:
            p = pathlib.Path(d) / "log.txt"
            p.write_text("w\n")  # the dead run's append
            m = self.start([row("0", None, ("a",), status="resource")])
            f = m.call(0, p.open, "a")
            f.write("x\n")
            f.close()
            self.assertEqual(p.read_text(), "w\nx\n")


class FingerprintTest(unittest.TestCase):
    def test_plain_arguments_digest_as_the_general_encoding(self) -> None:
        cases = [(), (0,), (-7,), (2 ** 53 - 1,), (2 ** 53,), ("",),
                 ("é\"\\\n",), ("\ud800",), (1.5,), (float("nan"),),
                 (None,), (True,), (False,), (1, "a", 2.5, None),
                 ([1],), ({"a": 1},)]
        for args in cases:
            parts = [_codec.encode(a) for a in args]
            text = _session._FP_JSON.encode(parts)
            want = "%08x" % _session.zlib.crc32(
                text.encode("utf-8", "surrogatepass"))
            self.assertEqual(_session.fingerprint(args, {}), want, args)


if __name__ == "__main__":
    unittest.main()
