"""Cheap stand-ins for ``inspect`` predicates on the hot path.

Importing ``inspect`` (and ``asyncio``, which ``inspect`` users often pull
in) costs more at start-up than the rest of the runtime, and these checks
run at every checkpoint.
"""

from typing import Any

_CO_COROUTINE = 0x80


def is_async(fn: Any) -> bool:
    """True for ``async def`` functions, bound or wrapped (functools.wraps)."""
    seen = 0
    while fn is not None and seen < 16:
        code = getattr(fn, "__code__", None)
        if code is not None and code.co_flags & _CO_COROUTINE:
            return True
        if getattr(fn, "_is_coroutine", None) is not None:  # asyncio marker
            return True
        fn = getattr(fn, "__func__", None) or getattr(fn, "__wrapped__", None)
        seen += 1
    return False


def is_awaitable(value: Any) -> bool:
    """True for coroutines, futures and anything else with ``__await__``."""
    return hasattr(type(value), "__await__")
