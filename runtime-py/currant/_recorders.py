"""Small recorders: turn live results that hold resources into values.

``urllib.request.urlopen`` returns a response object that reads its body
from a socket later; the recorder reads it at once and hands the script a
RecordedResponse with the same reading surface, live and on replay alike,
so a run behaves the same whether the response came from the network or
from the journal.
"""

from __future__ import annotations

import base64
import collections.abc
import types
import io
import json
from typing import Any, Dict, List, Optional, Tuple


class RecordedResponse(io.BufferedIOBase):
    """An HTTP response whose body has been read: status, headers, body."""

    def __init__(self, status: int, reason: str,
                 headers: List[Tuple[str, str]], body: bytes,
                 url: Optional[str] = None) -> None:
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
        return {"status": self.status, "reason": self.reason,
                "headers": [list(h) for h in self._header_list],
                "body": base64.b64encode(self.body).decode(), "url": self.url}

    @classmethod
    def from_json(cls, v: Dict[str, Any]) -> "RecordedResponse":
        return cls(v["status"], v.get("reason", ""),
                   [tuple(h) for h in v["headers"]],  # type: ignore[misc]
                   base64.b64decode(v["body"]), v.get("url"))


class RecordedIterator:
    """A drained generator or iterator: the items, iterated once."""

    def __init__(self, items: List[Any]) -> None:
        self.items = items
        self._it = iter(items)

    def __iter__(self) -> "RecordedIterator":
        return self

    def __next__(self) -> Any:
        return next(self._it)


def record_live(value: Any) -> Any:
    """Replace a live resource by its recorded form, when we know how."""
    if isinstance(value, (types.GeneratorType, map, filter, zip,
                          enumerate, reversed)) or (
            isinstance(value, collections.abc.Iterator) and
            not isinstance(value, io.IOBase)):
        return RecordedIterator(list(value))
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


class RecordedFile:
    """A file opened for reading, recorded as its content (see _session)."""

    def __init__(self, data: Any, name: Any, mode: str) -> None:
        self.data = data
        self.name = name
        self.mode = mode
        self._io: Any = io.BytesIO(data) if isinstance(data, bytes) \
            else io.StringIO(data)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._io, attr)

    def __iter__(self) -> Any:
        return iter(self._io)

    def __enter__(self) -> "RecordedFile":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._io.close()

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


def is_resource(value: Any) -> bool:
    """Values that are live handles, not data: files and pipes.  They are
    journaled as resources (not values) and reopened lazily on replay."""
    return isinstance(value, io.IOBase) and \
        not isinstance(value, RecordedResponse)
