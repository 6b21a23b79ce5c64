"""``python3 -m currant._worker``: runs Python functions for JavaScript.

Started by the coordinator (CURRANT_FD: a durable session like the
script's, CURRANT_WORKER=1) or, without one, by the JavaScript runtime
itself (CURRANT_BRIDGE_FD: a plain channel, nothing journaled).  Either way
CURRANT_ROOT is the build root and each message is
``{"op": "invoke", "file", "fn", "args", "key"}``: the module is imported
from the root (once), the function runs in the frame of ``key`` (so its
boundaries get keys ``key.0``, ``key.1``, ...), is awaited if it is async,
and the answer is ``{"op": "result", "ok": true, "value", "async"}`` or
``{"op": "result", "ok": false, "error"}``.  The worker ends when its
channel closes.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any, Dict, Tuple

from currant import _codec, _state
from currant._channel import Channel, ChannelClosed
from currant._errors import UnrecordableValueError
from currant._session import Frame, _frame
from currant._util import is_awaitable


def module_name(file: str) -> str:
    """"lib/model.py" -> "lib.model", "pkg/__init__.py" -> "pkg"."""
    name = file[:-3] if file.endswith(".py") else file
    name = name.replace("/", ".")
    return name[:-len(".__init__")] if name.endswith(".__init__") else name


def load(root: str, file: str) -> Any:
    """Imports ``file`` (relative to root) as a script's sibling would be.

    Under a session its import-time boundaries take keys under "@FILE.",
    the same whichever call first needs the module.
    """
    name = module_name(file)
    found = sys.modules.get(name)
    if found is not None:
        return found
    here = os.path.dirname(os.path.join(root, file))
    if here not in sys.path:
        sys.path.insert(0, here)  # `import x` finds x.py beside the module
    token = _frame.set(Frame("@" + file + ".")) if _state.session else None
    try:
        return importlib.import_module(name)
    finally:
        if token is not None:
            _frame.reset(token)


async def _awaited(aw: Any) -> Any:
    return await aw


def run(fn: Any, args: list) -> Tuple[Any, bool]:
    """Calls fn, running an awaitable result to completion: (value, was
    it async)."""
    result = fn(*args)
    if not is_awaitable(result):
        return result, False
    import asyncio
    return asyncio.run(_awaited(result)), True


def invoke(root: str, msg: Dict[str, Any]) -> Dict[str, Any]:
    """One ``invoke``: the ``result`` message to answer."""
    session = _state.session
    file, name = str(msg.get("file")), str(msg.get("fn"))
    token = None
    try:
        fn = getattr(load(root, file), name)
        args = _codec.decode(msg.get("args") or [])
        if session is not None:
            token = session.begin_invocation(str(msg.get("key")), file, fn,
                                             bool(msg.get("mute")))
        value, was_async = run(fn, args)
        try:
            encoded = _codec.encode(value)
        except (TypeError, RecursionError) as exc:
            raise UnrecordableValueError(
                f"{file}:{name} returned {exc}") from None
        return {"op": "result", "ok": True, "value": encoded,
                "async": was_async}
    except Exception as exc:
        return {"op": "result", "ok": False,
                "error": _codec.encode_error(exc)}
    finally:
        if token is not None:
            session.end_invocation(token)


def channel() -> Channel:
    """The session's channel, or the one the JavaScript runtime gave us."""
    session = _state.session
    if session is not None:
        return session.chan
    fd = int(os.environ.pop("CURRANT_BRIDGE_FD"))
    os.set_blocking(fd, True)
    os.set_inheritable(fd, False)
    return Channel(fd)


def serve(chan: Channel, root: str) -> int:
    """Answers invokes until the channel closes."""
    while True:
        try:
            msg = chan.recv()
        except (ChannelClosed, OSError):
            return 0
        if msg.get("op") != "invoke":
            sys.stderr.write(f"currant worker: unexpected message "
                             f"{msg.get('op')!r}\n")
            return 70
        reply = invoke(root, msg)
        with chan.lock:
            chan.send(reply)


def main() -> None:
    """Serve, then end without waiting for threads the functions left."""
    root = os.path.abspath(os.environ.get("CURRANT_ROOT") or os.getcwd())
    if root not in sys.path:
        sys.path.insert(0, root)
    code = serve(channel(), root)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    main()
