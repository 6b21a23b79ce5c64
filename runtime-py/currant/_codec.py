"""Journal value encoding: what boundaries return, as JSON both runtimes read.

Plain JSON values stand for themselves.  Everything else becomes a tagged
object ``{"$t": TAG, "v": ...}``; a dict that itself has a "$t" key is
escaped as ``{"$t": "obj", "v": {...}}`` so decoding is never ambiguous.
Tags shared with runtime-js: undef, float (NaN/Infinity), bigint, bytes
(base64), tuple, set, map (non-string keys), date/datetime/time, decimal,
uuid, completed (subprocess results), response (HTTP responses; "py":
"requests" or "httpx" rebuilds that library's Response), error,
path (Python paths; a string elsewhere), iter (a generator or iterator a
boundary returned, drained into a list and handed back as an iterator),
dirent (a directory entry: os.DirEntry here, fs.Dirent there) and stats
(a JavaScript fs.Stats; a dict here).  Python only: pystruct (a struct
sequence such as os.stat_result or time.struct_time, rebuilt as its type),
pyobj (an enum member, namedtuple, dataclass or pydantic model, rebuilt as
its class, found by module and qualified name; runtime-js reads the fields),
pick (the positions a random selection chose, see _recorders.Pick),
sql (what a SQLite statement did: its rows, lastrowid and rowcount, and the
mark it left in the database, see _database.Statement),
tempfd, tempdir, tempfile (what tempfile.mkstemp, TemporaryDirectory and
NamedTemporaryFile made, by name: replay opens or makes it again).

Anything else raises TypeError naming the offending type; the session turns
that into UnrecordableValueError naming the site, so nothing is silently
dropped.
"""

from __future__ import annotations

import base64
import datetime as _dt
import math
import sys
import uuid as _uuid
from typing import Any, Optional

# decimal, pathlib and subprocess are looked up in sys.modules when
# encoding (a value of their types cannot exist unless they were imported)
# and imported when decoding, so the runtime does not pay for them upfront.

# Ints past this magnitude lose precision in JavaScript numbers.
SAFE_INT = 2 ** 53 - 1


def encode(value: Any, depth: int = 0) -> Any:
    """Return a JSON-able form of ``value`` or raise TypeError."""
    if depth > 200:
        raise TypeError("value nested more than 200 levels deep")
    if value is None or value is True or value is False:
        return value
    kind = type(value)
    if kind is str:
        return value
    if kind is int:
        if -SAFE_INT <= value <= SAFE_INT:
            return value
        return {"$t": "bigint", "v": str(value)}
    if kind is float:
        if math.isfinite(value):
            return value
        return {"$t": "float", "v": "NaN" if value != value else
                ("Infinity" if value > 0 else "-Infinity")}
    if kind is list:
        return [encode(x, depth + 1) for x in value]
    if kind is dict:
        return _encode_dict(value, depth)
    return _encode_other(value, depth)


def _encode_dict(value: dict, depth: int) -> Any:
    if all(type(k) is str for k in value):
        out = {k: encode(v, depth + 1) for k, v in value.items()}
        return {"$t": "obj", "v": out} if "$t" in value else out
    return {"$t": "map", "v": [[encode(k, depth + 1), encode(v, depth + 1)]
                               for k, v in value.items()]}


def _encode_other(value: Any, depth: int) -> Any:
    if isinstance(value, bool):
        return bool(value)
    enum = sys.modules.get("enum")
    if enum is not None and isinstance(value, enum.Enum):
        return _encode_instance(value, "enum", value.name)
    if isinstance(value, (bytes, bytearray, memoryview)):
        out = {"$t": "bytes", "v": base64.b64encode(bytes(value)).decode()}
        if isinstance(value, bytearray):
            out["py"] = "bytearray"  # runtime-js ignores the hint
        return out
    if isinstance(value, tuple) and hasattr(type(value), "n_sequence_fields"):
        return _encode_struct(value, depth)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return _encode_instance(value, "namedtuple",
                                [encode(x, depth + 1) for x in value])
    if isinstance(value, tuple):
        return {"$t": "tuple", "v": [encode(x, depth + 1) for x in value]}
    if isinstance(value, (set, frozenset)):
        items = [encode(x, depth + 1) for x in value]
        items.sort(key=repr)  # set order is not stable across processes
        if isinstance(value, frozenset):
            return {"$t": "set", "v": items, "py": "frozenset"}
        return {"$t": "set", "v": items}
    if isinstance(value, _dt.datetime):
        return {"$t": "datetime", "v": value.isoformat()}
    if isinstance(value, _dt.date):
        return {"$t": "date", "v": value.isoformat()}
    if isinstance(value, _dt.time):
        return {"$t": "time", "v": value.isoformat()}
    if isinstance(value, _dt.timedelta):
        return {"$t": "timedelta", "v": value.total_seconds()}
    decimal = sys.modules.get("decimal")
    if decimal is not None and isinstance(value, decimal.Decimal):
        return {"$t": "decimal", "v": str(value)}
    if isinstance(value, _uuid.UUID):
        return {"$t": "uuid", "v": str(value)}
    if isinstance(value, int):
        return encode(int(value), depth)
    if isinstance(value, float):
        return encode(float(value), depth)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, list):
        return encode(list(value), depth)
    if isinstance(value, dict):
        return _encode_dict(dict(value), depth)
    pathlib = sys.modules.get("pathlib")
    if pathlib is not None and isinstance(value, pathlib.PurePath):
        return {"$t": "path", "v": str(value)}
    subprocess = sys.modules.get("subprocess")
    if subprocess is not None and isinstance(value, subprocess.CompletedProcess):
        return {"$t": "completed", "v": {
            "args": encode(value.args, depth + 1),
            "returncode": value.returncode,
            "stdout": encode(value.stdout, depth + 1),
            "stderr": encode(value.stderr, depth + 1)}}
    from currant._recorders import (Pick, RecordedDirEntry, RecordedFile,
                                    RecordedIterator, RecordedResponse,
                                    TempMade, is_httpx_response,
                                    is_requests_response)
    if isinstance(value, RecordedDirEntry):
        return {"$t": "dirent", "v": value.to_json(encode)}
    if isinstance(value, Pick):
        return {"$t": "pick", "v": value.to_json(encode)}
    if isinstance(value, TempMade):
        return {"$t": value.tag, "v": encode(value.value, depth + 1)}
    if isinstance(value, RecordedFile):
        return {"$t": "file", "v": value.to_json()}
    if isinstance(value, RecordedResponse):
        return {"$t": "response", "v": value.to_json()}
    if is_requests_response(value):
        return {"$t": "response", "py": "requests",
                "v": RecordedResponse.from_requests(value).to_json()}
    if is_httpx_response(value):
        return {"$t": "response", "py": "httpx",
                "v": RecordedResponse.from_httpx(value).to_json()}
    if isinstance(value, RecordedIterator):
        return {"$t": "iter", "v": [encode(x, depth + 1) for x in value.items]}
    database = sys.modules.get("currant._database")
    if database is not None and isinstance(value, database.Statement):
        return {"$t": "sql", "v": value.to_json(lambda x: encode(x, depth + 1))}
    dataclasses = sys.modules.get("dataclasses")
    if dataclasses is not None and dataclasses.is_dataclass(value) and \
            not isinstance(value, type):
        return _encode_instance(value, "dataclass", {
            f.name: encode(getattr(value, f.name), depth + 1)
            for f in dataclasses.fields(value)})
    if callable(getattr(type(value), "model_validate", None)) and \
            callable(getattr(value, "model_dump", None)):  # pydantic 2
        return _encode_instance(value, "pydantic",
                                encode(value.model_dump(), depth + 1))
    raise TypeError(f"cannot record a value of type "
                    f"{type(value).__module__}.{type(value).__qualname__}")


def _encode_instance(value: Any, kind: str, fields: Any) -> dict:
    """An instance of a class replay finds again by name (an enum member, a
    namedtuple, a dataclass, a pydantic model), with what rebuilds it."""
    cls = type(value)
    module, qualname = cls.__module__, cls.__qualname__
    if _class_named(module, qualname) is not cls:
        raise TypeError(f"cannot record a value of type {module}.{qualname}: "
                        f"its class cannot be found by name on replay "
                        f"(defined inside a function?)")
    return {"$t": "pyobj", "type": f"{module}:{qualname}", "kind": kind,
            "v": fields}


def _class_named(module: str, qualname: str) -> Optional[type]:
    """The class a journal names by module and qualified name: found in an
    imported module, else its module imported (the program that recorded
    it had imported it); None if there is no such class."""
    obj: Any = sys.modules.get(module)
    if obj is None and module:
        try:
            import importlib
            obj = importlib.import_module(module)
        except Exception:
            return None
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    return obj if isinstance(obj, type) else None


def _decode_instance(data: dict) -> Any:
    module, _, qualname = str(data.get("type", "")).partition(":")
    cls = _class_named(module, qualname)
    if cls is None:
        raise TypeError(f"journal value of class {module}.{qualname}: "
                        f"no such class")
    kind, v = data.get("kind"), data["v"]
    if kind == "enum":
        return cls[v]
    if kind == "namedtuple":
        return cls(*(decode(x) for x in v))
    if kind == "pydantic":
        return cls.model_validate(decode(v))
    obj = cls.__new__(cls)  # a dataclass: its fields as they were, as
    for name, x in v.items():  # __init__/__post_init__ left them live
        object.__setattr__(obj, name, decode(x))
    return obj


def _encode_struct(value: tuple, depth: int) -> dict:
    """A struct sequence: its items, the named fields past them (st_mtime,
    st_mtime_ns, tm_zone...) and its type, so that replay rebuilds the same
    type and ``st.st_size`` still reads."""
    kind = type(value)
    items, named = value.__reduce__()[1]  # type: ignore[misc]
    return {"$t": "pystruct",
            "type": f"{kind.__module__}.{kind.__qualname__}",
            "v": [encode(x, depth + 1) for x in items],
            "f": {k: encode(x, depth + 1) for k, x in named.items()}}


def _decode_struct(data: dict) -> Any:
    items = tuple(decode(x) for x in data["v"])
    module, _, name = str(data.get("type", "")).rpartition(".")
    cls = _class_named(module, name)
    if not (cls is not None and issubclass(cls, tuple) and
            hasattr(cls, "n_sequence_fields")):
        return items
    return cls(items, {k: decode(x) for k, x in data.get("f", {}).items()})


def decode(data: Any) -> Any:
    """Inverse of ``encode``."""
    kind = type(data)
    if kind is list:
        return [decode(x) for x in data]
    if kind is not dict:
        return data
    tag = data.get("$t")
    if tag is None:
        return {k: decode(v) for k, v in data.items()}
    if tag == "pystruct":
        return _decode_struct(data)
    if tag == "pyobj":
        return _decode_instance(data)
    hint = data.get("py")
    if hint is not None:
        return _HINTS[hint](_DECODERS[tag](data["v"]))
    return _DECODERS[tag](data["v"])


def _decode_float(v: str) -> float:
    return float(v.replace("Infinity", "inf"))


def _decode_completed(v: dict) -> Any:
    import subprocess
    return subprocess.CompletedProcess(decode(v["args"]), v["returncode"],
                                       decode(v["stdout"]), decode(v["stderr"]))


def _decode_response(v: dict) -> Any:
    from currant._recorders import RecordedResponse
    return RecordedResponse.from_json(v)


_DECODERS = {
    "obj": lambda v: {k: decode(x) for k, x in v.items()},
    "undef": lambda v: None,
    "float": _decode_float,
    "bigint": int,
    "bytes": base64.b64decode,
    "tuple": lambda v: tuple(decode(x) for x in v),
    "set": lambda v: {decode(x) for x in v},
    "map": lambda v: {_hashable(decode(k)): decode(x) for k, x in v},
    "datetime": _dt.datetime.fromisoformat,
    "date": _dt.date.fromisoformat,
    "time": _dt.time.fromisoformat,
    "timedelta": lambda v: _dt.timedelta(seconds=v),
    "decimal": lambda v: __import__("decimal").Decimal(v),
    "uuid": _uuid.UUID,
    "completed": _decode_completed,
    "path": lambda v: __import__("pathlib").Path(v),
    "iter": lambda v: __import__("currant._recorders").
    _recorders.RecordedIterator([decode(x) for x in v]),
    "dirent": lambda v: __import__("currant._recorders").
    _recorders.RecordedDirEntry.from_json(v, decode),
    "sql": lambda v: __import__("currant._database").
    _database.Statement.from_json(v, decode),
    "pick": lambda v: __import__("currant._recorders").
    _recorders.Pick(v["op"], v["i"]),
    "tempfd": lambda v: __import__("currant._recorders").
    _recorders.reopen_temp(decode(v)),
    "tempdir": lambda v: __import__("currant._recorders").
    _recorders.RecordedTempDir(decode(v)),
    "tempfile": lambda v: __import__("currant._recorders").
    _recorders.RecordedTempFile(v["name"], v["mode"], v["delete"]),
    "stats": lambda v: {k: int(x) if type(x) is str else decode(x)
                        for k, x in v.items()},  # BigIntStats: strings
    "file": lambda v: __import__("currant._recorders").
    _recorders.RecordedFile.from_json(v),
    "response": _decode_response,
    "error": lambda v: decode_error(v),
}


_HINTS = {"frozenset": frozenset, "bytearray": bytearray,
          "requests": lambda rec: rec.to_requests(),
          "httpx": lambda rec: rec.to_httpx()}


def _hashable(v: Any) -> Any:
    return tuple(v) if isinstance(v, list) else v


# -------------------------------------------------------------------- errors


def encode_error(exc: BaseException) -> dict:
    """The journal form of an exception: type, module, message, args.

    An error that came from the other runtime keeps the record it came
    with, so that it is journaled (and replayed) as it was thrown there.
    """
    record = getattr(exc, "_currant_error", None)
    if record is not None:
        return record
    kind = type(exc)
    try:
        args = encode(list(exc.args))
    except TypeError:
        args = [str(a) for a in exc.args]
    return {"type": kind.__qualname__, "module": kind.__module__,
            "message": str(exc), "args": args, "lang": "py"}


class ReplayedError(Exception):
    """Stands in for an exception type that cannot be found on replay."""


def decode_error(data: dict) -> BaseException:
    """Rebuild an exception of the recorded type, with the recorded message.

    The type is looked up by module and qualified name; a type from
    JavaScript, or one that no longer exists, becomes a subclass of
    ReplayedError with the recorded name, so ``type(e).__name__`` and
    ``str(e)`` still match.  An error thrown by JavaScript code through a
    bridge call (``"lang": "js"``) becomes a BridgeError subclass of its name.
    """
    if data.get("lang") == "js":
        return _bridged_error(data)
    cls = _find_class(data.get("module", ""), data.get("type", "Exception"))
    args = decode(data.get("args", [data.get("message", "")]))
    exc: BaseException
    try:
        exc = cls(*args)
        if str(exc) != data.get("message", str(exc)):
            raise ValueError("message differs")
    except Exception:
        exc = cls.__new__(cls)
        exc.args = (data.get("message", ""),)
    return exc


def _bridged_error(data: dict) -> BaseException:
    from currant._errors import bridged_error_class
    exc = bridged_error_class(str(data.get("type") or "Error"))(
        data.get("message", ""))
    exc._currant_error = data  # type: ignore[attr-defined]
    return exc


_fallback_classes: dict = {}


def _find_class(module: str, qualname: str) -> type:
    cls = _class_named(module, qualname) if data_is_py(module) else None
    if cls is not None and issubclass(cls, BaseException):
        return cls
    key = (module, qualname)
    if key not in _fallback_classes:
        name = qualname.rsplit(".", 1)[-1]
        _fallback_classes[key] = type(name, (ReplayedError,),
                                      {"__module__": module or "currant"})
    return _fallback_classes[key]


def data_is_py(module: str) -> bool:
    """Error modules recorded by runtime-js are "js"; everything else is a
    Python module name."""
    return module != "js"
