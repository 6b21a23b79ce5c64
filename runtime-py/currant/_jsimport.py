"""``from currant.js.pricing import quote`` in plain (uninstrumented) scripts.

A meta-path finder for the ``currant.js`` namespace: ``currant.js.a.b``
names a/b.js (.mjs, .cjs, /index.js) on sys.path, and the module it yields
is a bridge module proxy (see _bridge.py, docs/BRIDGE.md).  Kept apart from
_bridge.py so that ``import currant`` does not load the bridge (its codec
and channel) in scripts that never cross runtimes.
"""

from __future__ import annotations

import os
import sys
from typing import Any, Optional, Tuple

_JS_PREFIX = "currant.js"
_JS_EXTENSIONS = (".js", ".mjs", ".cjs", "/index.js")


class JsFinder:
    """Resolves ``currant.js.a.b`` to a/b.js (.mjs, .cjs, /index.js) on
    sys.path, for plain (uninstrumented) scripts."""

    def find_spec(self, fullname: str, path: Any = None,
                  target: Any = None) -> Any:
        """A spec for a ``currant.js`` name, or None for any other name."""
        if fullname != _JS_PREFIX and \
                not fullname.startswith(_JS_PREFIX + "."):
            return None
        from importlib.machinery import ModuleSpec
        rel = fullname[len(_JS_PREFIX) + 1:].replace(".", "/")
        if not rel:
            return ModuleSpec(fullname, _JsLoader(None), is_package=True)
        for entry in sys.path:
            base = os.path.abspath(entry or ".")
            for ext in _JS_EXTENSIONS:
                if os.path.isfile(os.path.join(base, rel + ext)):
                    loader = _JsLoader((base, rel + ext))
                    return ModuleSpec(fullname, loader,
                                      origin=os.path.join(base, rel + ext))
            if os.path.isdir(os.path.join(base, rel)):
                return ModuleSpec(fullname, _JsLoader(None), is_package=True)
        return None


class _JsLoader:
    """Fills a ``currant.js`` module: a package, or a JS module's proxy."""

    def __init__(self, target: Optional[Tuple[str, str]]) -> None:
        self.target = target

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: Any) -> None:
        if self.target is None:
            module.__path__ = []
            return
        root, file = self.target
        from currant._bridge import BridgeModule
        proxy = BridgeModule("js", file, None, root)
        module.__getattr__ = proxy.__getattr__
