"""Small recorders: turn live results that hold resources into values.

``urllib.request.urlopen`` returns a response object that reads its body
from a socket later; the recorder reads it at once and hands the script a
RecordedResponse with the same reading surface, live and on replay alike,
so a run behaves the same whether the response came from the network or
from the journal.  The same holds for ``os.DirEntry`` (RecordedDirEntry:
what its methods answer, asked at once) and for random selections (Pick:
which positions were chosen, so the replayed result is the caller's own
objects and ``random.shuffle`` reorders the list again).
"""

from __future__ import annotations

import base64
import collections.abc
import errno
import io
import json
import os
import stat as _stat
import sys
import types
from typing import Any, Callable, Dict, List, Optional, Tuple


class RecordedResponse(io.BufferedIOBase):
    """An HTTP response whose body has been read: status, headers, body."""

    def __init__(self, status: int, reason: str,
                 headers: List[Tuple[str, str]], body: bytes,
                 url: Optional[str] = None,
                 method: Optional[str] = None) -> None:
        import email.message  # only scripts that make HTTP requests pay for it
        super().__init__()
        self.status = status
        self.code = status
        self.reason = reason
        self.url = url
        self._header_list = headers
        self.headers = email.message.Message()
        for k, v in headers:
            self.headers[k] = v
        self.msg = self.headers
        self.body = body
        self.method = method
        self._stream = io.BytesIO(body)

    # the urllib response surface
    def read(self, size: Optional[int] = -1) -> bytes:  # type: ignore[override]
        return self._stream.read(-1 if size is None else size)

    def readline(self, size: Optional[int] = -1) -> bytes:  # type: ignore[override]
        return self._stream.readline(-1 if size is None else size)

    def readable(self) -> bool:
        return True

    def getcode(self) -> int:
        return self.status

    def geturl(self) -> Optional[str]:
        return self.url

    def getheader(self, name: str, default: Any = None) -> Any:
        return self.headers.get(name, default)

    def getheaders(self) -> List[Tuple[str, str]]:
        return list(self._header_list)

    def info(self) -> Any:
        return self.headers

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)

    def to_json(self) -> Dict[str, Any]:
        out = {"status": self.status, "reason": self.reason,
               "headers": [list(h) for h in self._header_list],
               "body": base64.b64encode(self.body).decode(), "url": self.url}
        if self.method is not None:
            out["method"] = self.method
        return out

    @classmethod
    def from_json(cls, v: Dict[str, Any]) -> "RecordedResponse":
        return cls(v["status"], v.get("reason", ""),
                   [tuple(h) for h in v["headers"]],  # type: ignore[misc]
                   base64.b64decode(v["body"]), v.get("url"), v.get("method"))

    @classmethod
    def from_requests(cls, r: Any) -> "RecordedResponse":
        """A ``requests.Response``, its body read (a streamed one too)."""
        request = getattr(r, "request", None)
        return cls(r.status_code, r.reason or "", list(r.headers.items()),
                   r.content or b"", r.url,
                   getattr(request, "method", None))

    @classmethod
    def from_httpx(cls, r: Any) -> "RecordedResponse":
        """An ``httpx.Response``, its body read (a streamed one too: an
        AsyncClient's is read by the session before it gets here)."""
        if not hasattr(r, "_content"):
            r.read()
        encoding = r.headers.encoding
        headers = [(k.decode(encoding), v.decode(encoding))
                   for k, v in r.headers.raw]
        return cls(r.status_code, r.reason_phrase or "", headers, r.content,
                   str(r.url), r.request.method)

    def to_httpx(self) -> Any:
        """The ``httpx.Response`` it was recorded from, rebuilt: status,
        headers as sent, body and request (method and url), so ``r.json()``,
        ``r.text``, ``r.is_success`` and ``r.raise_for_status()`` answer as
        they did live (cookies, history and timings are not recorded)."""
        import httpx
        request = httpx.Request(self.method or "GET", self.url or "")
        # Built empty, then given the recorded body: the body is already
        # decoded, and building with it would decode it again by the
        # recorded Content-Encoding.
        r = httpx.Response(self.status, headers=self._header_list,
                           request=request)
        r._content = self.body
        return r

    def to_requests(self) -> Any:
        """The ``requests.Response`` it was recorded from, rebuilt: status,
        reason, headers, body, url and encoding, so ``r.json()``, ``r.text``,
        ``r.ok`` and ``r.raise_for_status()`` answer as they did live
        (cookies, history and timings are not recorded)."""
        import requests
        from requests.structures import CaseInsensitiveDict
        from requests.utils import get_encoding_from_headers
        r = requests.Response()
        r.status_code = self.status
        r.reason = self.reason
        r.headers = CaseInsensitiveDict(self._header_list)
        r._content = self.body
        r._content_consumed = True
        r.url = self.url
        r.encoding = get_encoding_from_headers(r.headers)
        if self.method is not None:
            r.request = requests.PreparedRequest()
            r.request.method, r.request.url = self.method, self.url
        return r


class RecordedIterator:
    """A drained generator or iterator: the items, iterated once.  It is
    also a context manager, as ``os.scandir``'s iterator is, and, for a
    drained async iterator (a streamed model answer of an async SDK
    client), an async iterator and async context manager."""

    def __init__(self, items: List[Any]) -> None:
        self.items = items
        self._it = iter(items)

    def __iter__(self) -> "RecordedIterator":
        return self

    def __next__(self) -> Any:
        return next(self._it)

    def close(self) -> None:
        """Nothing to release: the live iterator was drained and closed."""
        self._it = iter(())

    def __enter__(self) -> "RecordedIterator":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __aiter__(self) -> "RecordedIterator":
        return self

    async def __anext__(self) -> Any:
        try:
            return next(self._it)
        except StopIteration:
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        """As ``close``."""
        self.close()

    async def __aenter__(self) -> "RecordedIterator":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()


def is_async_iterator(value: Any) -> bool:
    """An async iterator other than a drained one: an async SDK client's
    streamed answer, or an async generator (drained, as generators are)."""
    return hasattr(type(value), "__anext__") and \
        hasattr(type(value), "__aiter__") and \
        not isinstance(value, RecordedIterator)


async def drain_async(value: Any) -> RecordedIterator:
    """The items of an async iterator, read to its end and closed."""
    items = [x async for x in value]
    close = getattr(value, "aclose", None) or getattr(value, "close", None)
    if close is not None:
        done = close()
        if hasattr(done, "__await__"):
            await done
    return RecordedIterator(items)


def _drain(value: Any) -> RecordedIterator:
    items = [RecordedDirEntry.from_live(x) if isinstance(x, os.DirEntry)
             else x for x in value]
    close = getattr(value, "close", None)
    if close is not None:
        close()  # a scandir iterator holds a directory descriptor
    return RecordedIterator(items)


def is_requests_response(value: Any) -> bool:
    """A ``requests.Response`` (requests itself is not imported for it)."""
    kind = type(value)
    return kind.__name__ == "Response" and kind.__module__ == "requests.models"


def is_httpx_response(value: Any) -> bool:
    """An ``httpx.Response`` (httpx itself is not imported for it)."""
    kind = type(value)
    return kind.__name__ == "Response" and \
        kind.__module__.split(".")[0] == "httpx"


def is_unread_async_httpx(value: Any) -> bool:
    """An ``httpx.Response`` of an AsyncClient asked to stream
    (``send(..., stream=True)``), whose body has not been read yet."""
    return is_httpx_response(value) and not hasattr(value, "_content") and \
        hasattr(value.stream, "__aiter__")


def record_live(value: Any) -> Any:
    """Replace a live resource by its recorded form, when we know how."""
    if isinstance(value, (types.GeneratorType, map, filter, zip,
                          enumerate, reversed)) or (
            isinstance(value, collections.abc.Iterator) and
            not isinstance(value, io.IOBase)):
        return _drain(value)
    if isinstance(value, os.DirEntry):
        return RecordedDirEntry.from_live(value)
    if hasattr(value, "getheaders") and hasattr(value, "read") and \
            hasattr(value, "status") and not isinstance(value, RecordedResponse):
        body = value.read()
        try:
            value.close()
        except Exception:
            pass
        return RecordedResponse(value.status, getattr(value, "reason", ""),
                                list(value.getheaders()), body,
                                getattr(value, "url", None))
    return value


class _FileProxy:
    """A file-like object: what it does not define, the file it wraps
    (self._file, set first in __init__) answers; it is its own context
    manager, closing on exit."""

    _file: Any

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._file, attr)

    def __iter__(self) -> Any:
        return iter(self._file)

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class RecordedFile(_FileProxy):
    """A file opened for reading, recorded as its content (see _session)."""

    def __init__(self, data: Any, name: Any, mode: str) -> None:
        self._file = io.BytesIO(data) if isinstance(data, bytes) \
            else io.StringIO(data)
        self.data = data
        self.name = name
        self.mode = mode

    def close(self) -> None:
        self._file.close()

    def to_json(self) -> dict:
        return {"data": self.data if isinstance(self.data, str) else
                base64.b64encode(self.data).decode(),
                "binary": isinstance(self.data, bytes),
                "name": self.name if isinstance(self.name, (str, int)) else
                None, "mode": self.mode}

    @classmethod
    def from_json(cls, v: dict) -> "RecordedFile":
        data = base64.b64decode(v["data"]) if v.get("binary") else v["data"]
        return cls(data, v.get("name"), v.get("mode", "r"))


_KINDS = ((_stat.S_ISDIR, "dir"), (_stat.S_ISREG, "file"),
          (_stat.S_ISLNK, "symlink"), (_stat.S_ISBLK, "block"),
          (_stat.S_ISCHR, "char"), (_stat.S_ISFIFO, "fifo"),
          (_stat.S_ISSOCK, "socket"))


def _kind_of(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "unknown"


def _stat_or_none(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except OSError:
        return None  # gone since it was listed: stat() raises on use


class RecordedDirEntry:
    """An ``os.DirEntry`` (what ``os.scandir`` yields), recorded with every
    answer its methods can give: the entry's type, ``stat()`` without and
    (for a symbolic link) with following it, ``is_dir()``/``is_file()``
    through a link.  Asking at listing time costs one ``lstat`` per entry
    (and a ``stat`` per link), which a live DirEntry often avoids; in
    exchange a resumed run sees the directory as the first run saw it.
    Journal tag ``dirent``, shared with runtime-js (name, parent, type);
    the ``py`` part carries the rest.
    """

    __slots__ = ("name", "path", "_inode", "_kind", "_lstat", "_stat",
                 "_follow_dir", "_follow_file")

    def __init__(self, name: Any, path: Any, kind: str, inode: int = 0,
                 lstat: Any = None, stat: Any = None,
                 follow_dir: Optional[bool] = None,
                 follow_file: Optional[bool] = None) -> None:
        self.name = name
        self.path = path
        self._kind = kind
        self._inode = inode
        self._lstat = lstat
        self._stat = stat if kind == "symlink" else lstat
        self._follow_dir = kind == "dir" if follow_dir is None else follow_dir
        self._follow_file = kind == "file" if follow_file is None \
            else follow_file

    @classmethod
    def from_live(cls, entry: "os.DirEntry[Any]") -> "RecordedDirEntry":
        """Asks a live entry everything now."""
        lstat = _stat_or_none(lambda: entry.stat(follow_symlinks=False))
        if lstat is not None:
            kind = _kind_of(lstat.st_mode)
        elif entry.is_symlink():
            kind = "symlink"
        else:
            kind = "dir" if entry.is_dir(follow_symlinks=False) else \
                "file" if entry.is_file(follow_symlinks=False) else "unknown"
        link = kind == "symlink"
        return cls(entry.name, entry.path, kind, entry.inode(), lstat,
                   _stat_or_none(entry.stat) if link else None,
                   entry.is_dir() if link else None,
                   entry.is_file() if link else None)

    def is_dir(self, *, follow_symlinks: bool = True) -> bool:
        if follow_symlinks and self._kind == "symlink":
            return self._follow_dir
        return self._kind == "dir"

    def is_file(self, *, follow_symlinks: bool = True) -> bool:
        if follow_symlinks and self._kind == "symlink":
            return self._follow_file
        return self._kind == "file"

    def is_symlink(self) -> bool:
        return self._kind == "symlink"

    def is_junction(self) -> bool:
        return False

    def inode(self) -> int:
        return self._inode

    def stat(self, *, follow_symlinks: bool = True) -> Any:
        st = self._stat if follow_symlinks else self._lstat
        if st is None:
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT),
                                    self.path)
        return st

    def __fspath__(self) -> Any:
        return self.path

    def __repr__(self) -> str:
        return f"<DirEntry {self.name!r}>"

    def to_json(self, encode: Callable[[Any], Any]) -> Dict[str, Any]:
        py = {"path": encode(self.path), "inode": self._inode,
              "lstat": None if self._lstat is None else encode(self._lstat)}
        if self._kind == "symlink":
            py["stat"] = None if self._stat is None else encode(self._stat)
            py["dir"], py["file"] = self._follow_dir, self._follow_file
        return {"name": encode(self.name),
                "parent": encode(os.path.dirname(self.path)),
                "type": self._kind, "py": py}

    @classmethod
    def from_json(cls, v: Dict[str, Any],
                  decode: Callable[[Any], Any]) -> "RecordedDirEntry":
        name, parent = decode(v["name"]), decode(v["parent"])
        py = v.get("py")
        if py is None:  # recorded by runtime-js: no inode, no stat
            parent = os.fsencode(parent) if isinstance(name, bytes) \
                else os.fsdecode(parent)
            return cls(name, os.path.join(parent, name), v["type"])
        return cls(name, decode(py["path"]), v["type"], py.get("inode", 0),
                   decode(py.get("lstat")), decode(py.get("stat")),
                   py.get("dir"), py.get("file"))


def _seq_arg(args: tuple, kwargs: dict, name: str) -> Any:
    return args[0] if args else kwargs[name]


class Pick:
    """How a random selection (``random.shuffle``/``choice``/``sample``/
    ``choices``, also through ``secrets``) chose: positions in the caller's
    sequence.  A recorded value would be a copy of the caller's object (or
    unrecordable), and ``shuffle`` returns None: replaying its result would
    leave the list unshuffled.  So the live call chooses positions with the
    same generator (``rng.shuffle(range)`` draws exactly what ``rng.shuffle(x)``
    draws), applies them, and the journal keeps the positions; replay
    applies them to the arguments it is given.  Journal tag ``pick``.
    """

    __slots__ = ("op", "index", "result")

    def __init__(self, op: str, index: Any, result: Any = None) -> None:
        self.op = op
        self.index = index
        self.result = result

    @classmethod
    def live(cls, fn: Any, args: tuple, kwargs: dict) -> Any:
        """Runs the selection fn (a bound method of a random.Random): a
        Pick, or fn's own result when its argument is not a sequence (a
        set given to ``sample`` raises as it would)."""
        rng, op = fn.__self__, fn.__name__
        if op == "shuffle":
            x = _seq_arg(args, kwargs, "x")
            perm = list(range(len(x)))
            rng.shuffle(perm)
            _permute(x, perm)
            return cls(op, perm)
        key = "seq" if op == "choice" else "population"
        seq = _seq_arg(args, kwargs, key)
        if not isinstance(seq, collections.abc.Sequence):
            return fn(*args, **kwargs)
        rest = {k: v for k, v in kwargs.items() if k != key}
        index = getattr(rng, op)(range(len(seq)), *args[1:], **rest)
        return cls(op, index, cls._apply(op, seq, index))

    @staticmethod
    def _apply(op: str, seq: Any, index: Any) -> Any:
        return seq[index] if op == "choice" else [seq[i] for i in index]

    def replay(self, args: tuple, kwargs: dict) -> Any:
        """The recorded choice, applied to this call's arguments."""
        if self.op == "shuffle":
            return _permute(_seq_arg(args, kwargs, "x"), self.index)
        key = "seq" if self.op == "choice" else "population"
        return self._apply(self.op, _seq_arg(args, kwargs, key), self.index)

    def to_json(self, encode: Callable[[Any], Any]) -> Dict[str, Any]:
        out = {"op": self.op, "i": self.index}
        if self.op != "shuffle":
            try:  # shown by `currant show`; replay uses the positions only
                out["value"] = encode(self.result)
            except (TypeError, RecursionError):
                pass
        return out


# Journaled forms whose .result is what the program gets from a live call
# and whose .replay gives it again: random selections, and SQL statements
# (_database adds its Statement when a program imports sqlite3).
CARRIERS = {Pick}


def _permute(x: Any, perm: List[int]) -> None:
    old = list(x)
    for k, i in enumerate(perm):
        x[k] = old[i]


def is_pick(fn: Any) -> bool:
    """fn is a selection method of a random.Random (or SystemRandom)."""
    random = sys.modules.get("random")
    if random is None:
        return False
    func = getattr(fn, "__func__", None)
    return func is not None and isinstance(fn.__self__, random.Random) and \
        func in (random.Random.shuffle, random.Random.choice,
                 random.Random.sample, random.Random.choices)


class TempMade:
    """What a tempfile maker made, in the form its journal tag keeps: the
    name, not the descriptor or object of the process that made it (in
    another process a descriptor number is no file, or another one, the
    coordinator's channel even).  Replay opens or makes it again by name
    (reopen_temp, RecordedTempDir, RecordedTempFile)."""

    __slots__ = ("tag", "value")

    def __init__(self, tag: str, value: Any) -> None:
        self.tag = tag
        self.value = value


def reopen_temp(path: Any) -> Tuple[int, Any]:
    """``(fd, path)`` as ``tempfile.mkstemp()`` returned them: the path
    opened again for a descriptor of this process (made if removed)."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | \
        getattr(os, "O_CLOEXEC", 0)
    return os.open(path, flags, 0o600), path


class RecordedTempDir:
    """What ``tempfile.TemporaryDirectory()`` made, as journaled: its name.
    A replay hands back a directory of that name (made again if it is
    gone), so paths built in it are the ones recorded, and removes it on
    exit or ``cleanup()`` as the original would.  Journal tag ``tempdir``."""

    def __init__(self, name: str) -> None:
        self.name = name
        os.makedirs(name, exist_ok=True)

    def __enter__(self) -> str:
        return self.name

    def __exit__(self, *exc: Any) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        import shutil
        shutil.rmtree(self.name, ignore_errors=True)

    def __repr__(self) -> str:
        return f"<RecordedTempDir {self.name!r}>"


class RecordedTempFile(_FileProxy):
    """What ``tempfile.NamedTemporaryFile()`` made, as journaled: its name,
    mode and whether it is deleted on close.  A replay opens that name
    again (what the program writes through it is written again, as through
    a replayed ``open``), so the name the program passes on is the recorded
    one.  Journal tag ``tempfile``."""

    def __init__(self, name: str, mode: str, delete: bool) -> None:
        flags = mode.replace("x", "w")
        self._file = open(name, flags if "w" in flags or "a" in flags or
                          os.path.exists(name) else flags.replace("r", "w"))
        self.file = self._file  # as NamedTemporaryFile's wrapper names it
        self.name = name
        self.delete = delete

    @classmethod
    def of(cls, live: Any) -> Dict[str, Any]:
        """The journal record of a live NamedTemporaryFile."""
        closer = getattr(live, "_closer", None)
        delete = getattr(live, "delete", getattr(closer, "delete", True))
        return {"name": live.name, "mode": live.file.mode,
                "delete": bool(delete)}

    def close(self) -> None:
        self._file.close()
        if self.delete:
            try:
                os.unlink(self.name)
            except FileNotFoundError:
                pass


def temp_record(fn: Any, result: Any) -> Any:
    """The journal form of what a tempfile maker returned, or None when fn
    is not one: mkstemp's path, TemporaryDirectory's name,
    NamedTemporaryFile's name, mode and delete flag."""
    tempfile = sys.modules.get("tempfile")
    if tempfile is None or fn is None:
        return None
    if fn is tempfile.mkstemp:
        return TempMade("tempfd", result[1])
    if fn is tempfile.TemporaryDirectory:
        return TempMade("tempdir", result.name)
    if fn is tempfile.NamedTemporaryFile:
        return TempMade("tempfile", RecordedTempFile.of(result))
    return None


def is_resource(value: Any) -> bool:
    """Values that are live handles, not data: files and pipes, and
    sqlite3 connections.  They are journaled as resources (not values) and
    opened again on replay."""
    if isinstance(value, io.IOBase):
        return not isinstance(value, RecordedResponse)
    sqlite3 = sys.modules.get("sqlite3")
    return sqlite3 is not None and isinstance(value, sqlite3.Connection)
