"""The per-module binding that emitted code calls.

Each instrumented file starts with
``_currant = __import__("currant").module("app/x.py")`` and every boundary
call site becomes ``_currant.call(INDEX, fn, *args, **kwargs)``; imports
from the other runtime become ``_currant.bridge(LANG, FILE, ASYNC_NAMES)``.
The site index alone travels with the call; the file comes from the
binding, and the coordinator maps (file, index) to the stable site id
through the manifest.

The binding does the least possible work when no coordinator is present: a
module-level check and the call itself, so pass-through scripts pay almost
nothing for being instrumented.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable, Dict, Iterable

from currant import _state

_modules: Dict[str, "Module"] = {}
_modules_lock = threading.Lock()


class Module:
    """What ``_currant`` is bound to in one instrumented file."""

    __slots__ = ("rel",)

    def __init__(self, rel: str) -> None:
        self.rel = rel

    def __repr__(self) -> str:
        return f"<currant module {self.rel!r}>"

    def call(self, site: int, fn: Callable[..., Any], /, *args: Any,
             **kwargs: Any) -> Any:
        """Perform ``fn(*args, **kwargs)`` as checkpoint ``site`` of this file.

        Positional-only so that user keywords named ``site`` or ``fn`` pass
        through untouched.  A coroutine result is recorded once awaited.
        """
        session = _state.session
        if session is None:
            return fn(*args, **kwargs)
        return session.call(self.rel, site, fn, args, kwargs)

    def bridge(self, lang: str, file: str,
               async_names: Iterable[str] = ()) -> Any:
        """The module ``file`` (relative to the build root) of the other
        runtime ``lang``; ``async_names`` are its async functions."""
        from currant._bridge import BridgeModule, root_of
        caller = sys._getframe(1).f_globals.get("__file__")
        return BridgeModule(lang, file, async_names,
                            root_of(self.rel, caller))

    def read(self, site: int, obj: Any, key: Any) -> Any:
        """Perform the read ``obj[key]`` (``os.environ["K"]``) as a checkpoint."""
        session = _state.session
        if session is None:
            return obj[key]
        return session.read(self.rel, site, obj, key)


def module(rel: str) -> Module:
    """Return the binding of the instrumented file ``rel`` (relative to OUT).

    Bindings are cached so that a module imported twice (or under two names)
    shares one.
    """
    found = _modules.get(rel)
    if found is not None:
        return found
    with _modules_lock:
        found = _modules.get(rel)
        if found is None:
            found = _modules[rel] = Module(rel)
        return found
