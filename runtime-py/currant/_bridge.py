"""Calls into the other runtime (docs/BRIDGE.md, "At run time").

``_currant.bridge("js", "pricing.js", ["quote"])`` returns a BridgeModule
whose attributes are BridgeFunctions.  Called through ``_currant.call`` a
bridge function is a checkpoint of kind ``bridge`` with its own frame, like
a task: the session asks the coordinator to run it in the JavaScript worker
and journals the outcome.  Without a coordinator (pass-through) this
runtime starts the other runtime's worker itself, on an inherited socket,
and nothing is journaled.

Plain scripts (not instrumented) reach JavaScript through the ``currant.js``
namespace: ``from currant.js.pricing import quote`` finds ``pricing.js``
(``.mjs``, ``.cjs``, ``/index.js``) on sys.path (_jsimport.JsFinder).
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any, Dict, Iterable, Optional, Tuple

from currant import _codec, _state
from currant._channel import Channel, ChannelClosed
from currant._errors import BridgeError

LANGUAGES = {"js": "JavaScript", "py": "Python"}


class BridgeFunction:
    """A function of the other runtime, called like a Python function.

    ``is_async`` says whether it returns an awaitable; None (plain scripts,
    where the compiler did not tell) lets the worker's answer decide.
    """

    __slots__ = ("lang", "file", "name", "is_async", "root")
    _currant_kind = "bridge"  # the session gives it a frame and journals it

    def __init__(self, lang: str, file: str, name: str,
                 is_async: Optional[bool], root: str) -> None:
        self.lang = lang
        self.file = file
        self.name = name
        self.is_async = is_async
        self.root = root

    def __repr__(self) -> str:
        return f"<currant bridge {self.lang} {self.file}:{self.name}>"

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError(f"{self.file}:{self.name} is a "
                            f"{LANGUAGES[self.lang]} function: keyword "
                            "arguments cannot reach it")
        session = _state.session
        if session is None:
            reply = _passthrough(self, args)
        else:
            reply = session.bridge(self, args)
        return self.outcome(reply)

    def outcome(self, reply: Dict[str, Any]) -> Any:
        """The value of a ``result`` reply, or its error raised; awaitable
        when the target is async."""
        is_async = self.is_async
        if is_async is None:
            is_async = bool(reply.get("async"))
        if reply.get("ok"):
            value = _codec.decode(reply.get("value"))
            return _resolved(value) if is_async else value
        exc = _codec.decode_error(reply.get("error") or {})
        if is_async:
            return _raising(exc)
        raise exc


class BridgeModule:
    """A module of the other runtime: attributes are its functions."""

    def __init__(self, lang: str, file: str,
                 async_names: Optional[Iterable[str]], root: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"bridge: unknown language {lang!r}")
        self._spec = (lang, file, None if async_names is None
                      else frozenset(async_names), root)
        self._functions: Dict[str, BridgeFunction] = {}

    def __repr__(self) -> str:
        return f"<currant bridge module {self._spec[0]} {self._spec[1]}>"

    def __getattr__(self, name: str) -> BridgeFunction:
        if name.startswith("__"):
            raise AttributeError(name)
        fn = self._functions.get(name)
        if fn is None:
            lang, file, async_names, root = self._spec
            is_async = None if async_names is None else name in async_names
            fn = self._functions[name] = BridgeFunction(lang, file, name,
                                                        is_async, root)
        return fn


async def _resolved(value: Any) -> Any:
    return value


async def _raising(exc: BaseException) -> Any:
    raise exc


def root_of(rel: str, path: Optional[str]) -> str:
    """The build root of the instrumented file ``rel`` found at ``path``."""
    root = os.environ.get("CURRANT_ROOT")
    if root:
        return root
    if not path:
        return os.getcwd()
    path = os.path.abspath(path)
    suffix = os.sep + rel.replace("/", os.sep)
    if path.endswith(suffix):
        return path[:-len(suffix)] or os.sep
    return os.path.dirname(path)


# ------------------------------------------------------------ pass-through


def datadir() -> str:
    """Where runtime-py/ and runtime-js/ live: CURRANT_DATADIR, else the
    directory holding this runtime (the installed layout has
    share/currant/runtime-py and runtime-js side by side, as the source
    tree has)."""
    return os.environ.get("CURRANT_DATADIR") or os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def worker_command(lang: str, env: Dict[str, str]) -> list:
    """The command that starts ``lang``'s worker, its runtime put on the
    module path in ``env``."""
    runtime = os.path.join(datadir(), "runtime-" + lang)
    var = "PYTHONPATH" if lang == "py" else "NODE_PATH"
    env[var] = runtime + (os.pathsep + env[var] if env.get(var) else "")
    if lang == "py":
        return [os.environ.get("CURRANT_PYTHON", sys.executable or "python3"),
                "-m", "currant._worker"]
    return [os.environ.get("CURRANT_NODE", "node"),
            os.path.join(runtime, "bin", "worker.js")]


class _Worker:
    """The other runtime's worker, started by this process (no coordinator)."""

    def __init__(self, lang: str, root: str) -> None:
        import socket
        import subprocess
        self.lang = lang
        self.sock, theirs = socket.socketpair()
        env = dict(os.environ, CURRANT_ROOT=root,
                   CURRANT_BRIDGE_FD=str(theirs.fileno()))
        env.pop("CURRANT_FD", None)
        env.pop("CURRANT_WORKER", None)
        env["CURRANT_BRIDGE_STACK"] = ",".join(_stack() + [lang])
        self.proc = subprocess.Popen(worker_command(lang, env), env=env,
                                     pass_fds=(theirs.fileno(),))
        theirs.close()
        self.chan = Channel(self.sock.fileno())

    def invoke(self, fn: BridgeFunction, args: tuple) -> Dict[str, Any]:
        msg = {"op": "invoke", "file": fn.file, "fn": fn.name, "key": "",
               "args": encode_args(fn, args)}
        with self.chan.lock:
            try:
                self.chan.send(msg)
                return self.chan.recv()
            except (OSError, ChannelClosed):
                pass
        self.sock.close()
        code = self.proc.wait()
        how = (f"killed by signal {-code}" if code < 0
               else f"exit status {code}")
        raise BridgeError(f"the {fn.lang} worker died running "
                          f"{fn.file}:{fn.name} ({how})")


_workers: Dict[Tuple[str, str], _Worker] = {}
_workers_lock = threading.Lock()


def _stack() -> list:
    """The languages of the pass-through workers this process runs under."""
    return [x for x in os.environ.get("CURRANT_BRIDGE_STACK", "").split(",")
            if x]


def _passthrough(fn: BridgeFunction, args: tuple) -> Dict[str, Any]:
    if fn.lang in _stack():
        # as under the coordinator: one worker per language, which is busy
        raise BridgeError(f"re-entrant call into the {fn.lang} worker "
                          f"({fn.file}:{fn.name}): it is already running a "
                          "call further up the stack")
    key = (fn.lang, fn.root)
    with _workers_lock:
        worker = _workers.get(key)
        if worker is None:
            worker = _workers[key] = _Worker(fn.lang, fn.root)
    try:
        return worker.invoke(fn, args)
    except BridgeError:
        with _workers_lock:
            _workers.pop(key, None)  # the next call starts a new one
        raise


def encode_args(fn: BridgeFunction, args: tuple) -> Any:
    """The arguments in the journal's encoding (what crosses the bridge)."""
    try:
        return _codec.encode(list(args))
    except (TypeError, RecursionError) as exc:
        from currant._errors import UnrecordableValueError
        raise UnrecordableValueError(
            f"cannot pass an argument to {fn.file}:{fn.name}: {exc}") from None
