"""The journal value encoding: round trips, tags, errors, unrecordables."""

import asyncio
import collections
import contextlib
import dataclasses
import datetime as dt
import decimal
import enum
import gzip
import json
import os
import pathlib
import random
import secrets
import shutil
import subprocess
import tempfile
import time
import unittest
import uuid
from typing import Any

from currant import _codec, _recorders


def _has(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False


@contextlib.contextmanager
def _server():
    """A local HTTP server: /data.json is JSON, /data.gz the same sent
    gzip-compressed, anything else 404."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            if self.path == "/data.json":
                body = b'{"n": [1, 2]}'
                self.send_response(200)
                self.send_header("Content-Type",
                                 "application/json; charset=utf-8")
            elif self.path == "/data.gz":
                body = gzip.compress(b'{"n": [1, 2]}')
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Encoding", "gzip")
            else:
                body = b"not here"
                self.send_response(404)
                self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}"
    finally:
        srv.shutdown()
        srv.server_close()


def roundtrip(v):
    return _codec.decode(json.loads(json.dumps(_codec.encode(v),
                                               allow_nan=False)))


class Status(enum.Enum):
    PAID = "paid"
    HELD = "held"


class Priority(enum.IntEnum):
    LOW = 1
    HIGH = 2


Point = collections.namedtuple("Point", "x y")


@dataclasses.dataclass
class Line:
    sku: str
    qty: int


@dataclasses.dataclass(frozen=True)
class Receipt:
    order: int
    at: dt.datetime
    status: Status
    lines: list
    where: Point
    note: str = dataclasses.field(default="", init=False)

    def __post_init__(self) -> None:  # replay does not run it again
        object.__setattr__(self, "note", f"order {self.order}")


@dataclasses.dataclass(slots=True)
class Slotted:
    a: int


try:
    import pydantic
except ImportError:  # the test that needs it is skipped, and says so
    pydantic = None

if pydantic is not None:
    class PLine(pydantic.BaseModel):
        sku: str
        qty: int

    class POrder(pydantic.BaseModel):
        id: int
        at: dt.datetime
        lines: list[PLine]


class CodecTest(unittest.TestCase):
    def test_json_values_stand_for_themselves(self) -> None:
        for v in (None, True, 0, -5, 1.5, "x", [1, "a"], {"a": [None]}):
            self.assertEqual(_codec.encode(v), v)
            self.assertEqual(roundtrip(v), v)

    def test_tagged_values(self) -> None:
        values = [2 ** 80, -2 ** 60, b"\x00\xff", bytearray(b"ab"), (1, (2,)),
                  {1, 2}, frozenset({"f"}), {1: "a", (2, 3): "b"},
                  dt.datetime(2020, 1, 2, 3, 4, 5, 6, tzinfo=dt.timezone.utc),
                  dt.date(2020, 1, 2), dt.time(3, 4), dt.timedelta(seconds=90),
                  decimal.Decimal("1.10"), uuid.UUID(int=5),
                  pathlib.Path("/a/b"), {"$t": "user data"}]
        for v in values:
            got = roundtrip(v)
            self.assertEqual(got, v)
            self.assertIs(type(got), type(v), v)

    def test_floats_that_json_lacks(self) -> None:
        self.assertEqual(_codec.encode(float("inf")),
                         {"$t": "float", "v": "Infinity"})
        self.assertEqual(roundtrip(float("-inf")), float("-inf"))
        nan = roundtrip(float("nan"))
        self.assertNotEqual(nan, nan)

    def test_sets_encode_in_a_stable_order(self) -> None:
        self.assertEqual(_codec.encode({3, 1, 2}),
                         {"$t": "set", "v": [1, 2, 3]})

    def test_completed_process_and_iterators(self) -> None:
        done = subprocess.CompletedProcess(["x"], 1, "out", b"err")
        got = roundtrip(done)
        self.assertEqual((got.args, got.returncode, got.stdout, got.stderr),
                         (["x"], 1, "out", b"err"))
        it = _recorders.record_live(x * 2 for x in range(3))
        self.assertEqual(list(roundtrip(it)), [0, 2, 4])

    def test_async_iterators_are_drained_and_replayed(self) -> None:
        # what an async SDK client's streamed answer is: an async iterator
        # of a class of its own, drained whole, then iterated (async or
        # not) and used as an async context manager, as the live one was
        class Chunks:
            def __init__(self) -> None:
                self.left, self.closed = [1, 2, 3], False

            def __aiter__(self) -> "Chunks":
                return self

            async def __anext__(self) -> int:
                if not self.left:
                    raise StopAsyncIteration
                return self.left.pop(0)

            async def aclose(self) -> None:
                self.closed = True

        live = Chunks()
        self.assertTrue(_recorders.is_async_iterator(live))
        self.assertFalse(_recorders.is_async_iterator([1]))
        drained = asyncio.run(_recorders.drain_async(live))
        self.assertTrue(live.closed)

        async def consume(it: Any) -> list:
            async with it:
                return [x async for x in it]
        self.assertEqual(asyncio.run(consume(roundtrip(drained))), [1, 2, 3])
        self.assertEqual(list(roundtrip(drained)), [1, 2, 3])

    def test_struct_sequences_keep_their_type_and_fields(self) -> None:
        st = os.stat(__file__)
        got = roundtrip(st)
        self.assertIs(type(got), os.stat_result)
        self.assertEqual(got, st)
        self.assertEqual((got.st_mtime_ns, got.st_mtime, got.st_blksize),
                         (st.st_mtime_ns, st.st_mtime, st.st_blksize))
        t = roundtrip(time.gmtime(86400))
        self.assertEqual((type(t), t.tm_yday, t.tm_zone),
                         (time.struct_time, 2, "GMT"))
        # a type that cannot be found, or is not a struct sequence, gives
        # the items as a tuple
        for name in ("nosuchmodule.x", "os.path", "builtins.tuple"):
            bad = {"$t": "pystruct", "type": name, "v": [1, 2], "f": {}}
            self.assertEqual(_codec.decode(bad), (1, 2))

    def test_dir_entries_answer_as_they_did_live(self) -> None:
        top = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, top, True)
        with open(os.path.join(top, "f"), "w") as f:
            f.write("abc")
        os.mkdir(os.path.join(top, "d"))
        os.symlink("d", os.path.join(top, "ln"))
        os.symlink("nowhere", os.path.join(top, "broken"))
        it = _recorders.record_live(os.scandir(top))
        with it as entries:
            live = {e.name: e for e in entries}
        got = {e.name: e for e in roundtrip(it)}
        shutil.rmtree(top)  # the recorded answers need no directory
        self.assertEqual(sorted(got), ["broken", "d", "f", "ln"])
        for name, e in got.items():
            ask = (e.is_dir(), e.is_file(), e.is_symlink(),
                   e.is_dir(follow_symlinks=False), e.inode(),
                   os.fspath(e), repr(e))
            was = live[name]
            self.assertEqual(ask, (was.is_dir(), was.is_file(),
                                   was.is_symlink(),
                                   was.is_dir(follow_symlinks=False),
                                   was.inode(), was.path, repr(was)))
        self.assertEqual(got["f"].stat().st_size, 3)
        self.assertTrue(got["ln"].is_dir())
        self.assertEqual(got["ln"].stat(), got["d"].stat())
        self.assertNotEqual(got["ln"].stat(follow_symlinks=False),
                            got["d"].stat())
        with self.assertRaises(FileNotFoundError):
            got["broken"].stat()
        self.assertTrue(got["broken"].stat(follow_symlinks=False))

    def test_dir_entries_from_javascript(self) -> None:
        e = _codec.decode({"$t": "dirent", "v": {
            "name": "a.txt", "parent": "/data", "type": "file"}})
        self.assertEqual((e.name, e.path, e.is_file(), e.is_dir()),
                         ("a.txt", "/data/a.txt", True, False))
        raw = _codec.decode({"$t": "dirent", "v": {
            "name": {"$t": "bytes", "v": "eA=="}, "parent": "/", "type": "dir"}})
        self.assertEqual((raw.name, raw.is_dir()), (b"x", True))

    def test_random_selections_replay_as_positions(self) -> None:
        class Card:
            pass
        deck = [Card() for _ in range(20)]
        rng = random.Random(7)
        ref = random.Random(7)
        for fn, args, kwargs in (
                (rng.shuffle, (deck,), {}),
                (rng.choice, (deck,), {}),
                (rng.sample, (deck, 5), {}),
                (rng.choices, (deck,), {"k": 4}),
                (rng.choice, ("abc",), {})):
            self.assertTrue(_recorders.is_pick(fn))
            before = list(deck)
            pick = _recorders.Pick.live(fn, args, kwargs)
            after, live = list(deck), pick.result
            # the same draws, and so the same outcome, as the call itself:
            # a generator seeded alike, called on the objects, agrees
            if fn.__name__ == "shuffle":
                expect = list(before)
                ref.shuffle(expect)
                self.assertEqual(after, expect)
            else:
                expect = getattr(ref, fn.__name__)(*args, **kwargs)
                self.assertEqual(live, expect)
            # replay: the positions applied to the caller's objects
            deck[:] = before
            replayed = roundtrip(pick).replay(args, kwargs)
            self.assertEqual(replayed, live)
            self.assertEqual(deck, after)
        self.assertTrue(_recorders.is_pick(secrets.choice))
        self.assertFalse(_recorders.is_pick(random.random))
        self.assertFalse(_recorders.is_pick(len))
        # not a sequence: the call's own result (and error)
        with self.assertRaises(TypeError):
            _recorders.Pick.live(rng.sample, ({1, 2}, 1), {})

    def test_class_instances_come_back_as_their_class(self) -> None:
        r = Receipt(7, dt.datetime(2024, 1, 2, tzinfo=dt.timezone.utc),
                    Status.PAID, [Line("a", 2)], Point(1, 2.5))
        got = roundtrip(r)
        self.assertEqual(got, r)
        self.assertIs(type(got), Receipt)
        self.assertIs(got.status, Status.PAID)
        self.assertIs(type(got.lines[0]), Line)
        self.assertIs(type(got.where), Point)
        self.assertEqual(got.note, "order 7")
        self.assertIs(roundtrip(Priority.HIGH), Priority.HIGH)
        self.assertEqual(roundtrip(Slotted(3)), Slotted(3))
        self.assertEqual(roundtrip([Point(0, Status.HELD)]),
                         [Point(0, Status.HELD)])

        def local():
            @dataclasses.dataclass
            class Hidden:
                a: int
            return Hidden(1)
        with self.assertRaisesRegex(TypeError, "Hidden.*found by name"):
            _codec.encode(local())

    @unittest.skipUnless(pydantic, "pydantic is not installed")
    def test_pydantic_models_come_back_validated(self) -> None:
        order = POrder(id=1, at=dt.datetime(2024, 5, 6, tzinfo=dt.timezone.utc),
                       lines=[PLine(sku="a", qty=2)])
        got = roundtrip(order)
        self.assertIs(type(got), POrder)
        self.assertIs(type(got.lines[0]), PLine)
        self.assertEqual(got, order)

    def test_temp_makers_replay_by_name(self) -> None:
        record = _recorders.temp_record
        fd, path = tempfile.mkstemp()
        self.addCleanup(os.unlink, path)
        os.write(fd, b"live")
        os.close(fd)
        got_fd, got_path = roundtrip(record(tempfile.mkstemp, (fd, path)))
        with os.fdopen(got_fd, "rb+") as f:  # its own, open on that path
            self.assertEqual((got_path, f.read()), (path, b"live"))

        live_dir = tempfile.TemporaryDirectory()
        live_dir.cleanup()  # gone since: replay makes it again
        got_dir = roundtrip(record(tempfile.TemporaryDirectory, live_dir))
        with got_dir as name:
            self.assertEqual(name, live_dir.name)
            self.assertTrue(os.path.isdir(name))
        self.assertFalse(os.path.exists(live_dir.name))

        live = tempfile.NamedTemporaryFile("w+", suffix=".txt")
        got = roundtrip(record(tempfile.NamedTemporaryFile, live))
        live.close()  # deleted: the replayed one is made again
        self.assertEqual((got.name, got.delete), (live.name, True))
        got.write("again")
        got.seek(0)
        self.assertEqual(got.read(), "again")
        got.close()
        self.assertFalse(os.path.exists(live.name))
        self.assertIsNone(record(tempfile.mkdtemp, "/x"))

    def test_recorded_response(self) -> None:
        r = _recorders.RecordedResponse(200, "OK", [("X-A", "1")], b'{"a":1}',
                                        "http://h/")
        got = roundtrip(r)
        self.assertEqual((got.status, got.getheader("x-a"), got.json()),
                         (200, "1", {"a": 1}))
        self.assertEqual(got.read(2), b'{"')

    @unittest.skipUnless(_has("requests"), "requests is not installed")
    def test_requests_responses_come_back_as_themselves(self) -> None:
        import requests
        with _server() as url:
            live = [requests.get(url + "/data.json"),
                    requests.post(url + "/missing", data=b"x"),
                    requests.get(url + "/data.json", stream=True)]
        for r in live:
            got = roundtrip(r)
            self.assertIs(type(got), requests.Response)
            self.assertEqual(
                (got.status_code, got.reason, got.ok, got.url, got.content,
                 got.text, got.encoding, got.headers["content-type"],
                 got.headers.get("CONTENT-LENGTH"), got.request.method),
                (r.status_code, r.reason, r.ok, r.url, r.content, r.text,
                 r.encoding, r.headers["Content-Type"],
                 r.headers.get("content-length"), r.request.method))
        self.assertEqual(roundtrip(live[0]).json(), {"n": [1, 2]})
        self.assertEqual(b"".join(roundtrip(live[2]).iter_content(3)),
                         live[2].content)
        with self.assertRaises(requests.HTTPError) as caught:
            roundtrip(live[1]).raise_for_status()
        self.assertIn("404", str(caught.exception))

    def test_httpx_responses_come_back_as_themselves(self) -> None:
        # httpx comes from Debian (tests/clients/debian-python.sh, on the
        # PYTHONPATH tests/suites/90-runtimes.sh sets): never skipped
        import httpx
        with _server() as url, httpx.Client(base_url=url) as client:
            live = [client.get("/data.json"),
                    client.post("/missing", content=b"x"),
                    client.get("/data.gz"),
                    client.send(client.build_request("GET", "/data.json"),
                                stream=True)]
            got = [roundtrip(r) for r in live]  # the streamed one is read
        for r, g in zip(live, got):
            self.assertIs(type(g), httpx.Response)
            self.assertEqual(
                (g.status_code, g.reason_phrase, g.is_success, str(g.url),
                 g.content, g.text, g.encoding, g.headers["content-type"],
                 g.headers.get("Content-Encoding"), g.request.method),
                (r.status_code, r.reason_phrase, r.is_success, str(r.url),
                 r.content, r.text, r.encoding, r.headers["Content-Type"],
                 r.headers.get("content-encoding"), r.request.method))
        self.assertEqual(got[2].json(), {"n": [1, 2]})  # not decoded twice
        self.assertEqual(b"".join(got[0].iter_bytes(3)), live[0].content)
        with self.assertRaises(httpx.HTTPStatusError) as caught:
            got[1].raise_for_status()
        self.assertIn("404", str(caught.exception))

    def test_httpx_errors_come_back_as_themselves(self) -> None:
        import httpx
        with self.assertRaises(httpx.ConnectError) as caught:
            httpx.get("http://127.0.0.1:9/", timeout=2)
        got = _codec.decode_error(json.loads(json.dumps(
            _codec.encode_error(caught.exception))))
        self.assertIs(type(got), httpx.ConnectError)
        self.assertEqual(str(got), str(caught.exception))

    def test_recorded_file(self) -> None:
        f = _recorders.RecordedFile("a\nb\n", "/x", "r")
        got = roundtrip(f)
        self.assertEqual(list(got), ["a\n", "b\n"])
        self.assertEqual(got.name, "/x")

    def test_unrecordable_names_the_type(self) -> None:
        with self.assertRaisesRegex(TypeError, "builtins.object"):
            _codec.encode(object())
        with self.assertRaisesRegex(TypeError, "nested"):
            v: list = []
            for _ in range(300):
                v = [v]
            _codec.encode(v)

    def test_errors_keep_type_and_message(self) -> None:
        for exc in (KeyError("k"), ValueError("bad"), OSError(2, "gone"),
                    _codec.ReplayedError("x")):
            got = _codec.decode_error(
                json.loads(json.dumps(_codec.encode_error(exc))))
            self.assertIs(type(got), type(exc))
            self.assertEqual(str(got), str(exc))

    def test_unknown_error_types_keep_their_name(self) -> None:
        got = _codec.decode_error({"type": "Declined", "module": "js",
                                   "message": "no"})
        self.assertEqual(type(got).__name__, "Declined")
        self.assertEqual(str(got), "no")
        self.assertIsInstance(got, _codec.ReplayedError)


if __name__ == "__main__":
    unittest.main()
