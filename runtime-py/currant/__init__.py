"""currant — the runtime that instrumented Python code calls.

currantc rewrites every boundary call of a script (clock, randomness,
environment, files, network, subprocesses, LLM prompts, the std API below and
user tasks) into ``_currant.call(SITE, fn, *args, **kwargs)`` where
``_currant = __import__("currant").module("app/x.py")``.  This package
implements that surface (``module`` and the binding's ``call``/``read``/
``bridge``: calls into JavaScript, docs/BRIDGE.md) and the std API users write against: ``task``, ``sleep``, ``now``,
``random``, ``uuid``, ``wait_event``, ``prompt`` and ``poll``.

Two modes.  When the ``currant`` coordinator started the process it hands
over a channel in the ``CURRANT_FD`` environment variable and every boundary
becomes a checkpoint: recorded outcomes are returned without running the
call, unrecorded ones run and are journaled before the script goes on.
Without a coordinator (``python3 OUT/app/main.py``) the runtime is
pass-through: each operation simply happens, so instrumented scripts stay
ordinary scripts that can be tested as such.

Only the standard library is used, so the package works wherever python3
does; the coordinator puts it on PYTHONPATH itself.
"""

from currant._binding import Module, module
from currant._errors import (
    BridgeError,
    CurrantError,
    NonDeterminismError,
    PromptConfigError,
    PromptConnectionError,
    PromptError,
    PromptHTTPError,
    PromptRateLimitError,
    PromptResponseError,
    PromptTimeoutError,
    RunCancelled,
    UnrecordableValueError,
)
from currant._std import (
    RetryPolicy,
    now,
    poll,
    poll_async,
    prompt,
    prompt_async,
    random,
    sleep,
    sleep_async,
    task,
    uuid,
    wait_event,
    wait_event_async,
)

__all__ = [
    "BridgeError",
    "CurrantError",
    "Module",
    "NonDeterminismError",
    "PromptConfigError",
    "PromptConnectionError",
    "PromptError",
    "PromptHTTPError",
    "PromptRateLimitError",
    "PromptResponseError",
    "PromptTimeoutError",
    "RetryPolicy",
    "RunCancelled",
    "UnrecordableValueError",
    "module",
    "now",
    "poll",
    "poll_async",
    "prompt",
    "prompt_async",
    "random",
    "sleep",
    "sleep_async",
    "task",
    "uuid",
    "wait_event",
    "wait_event_async",
]

__version__ = "0.1.0"

# `from currant.js.pricing import quote` in plain scripts.
import os as _os  # noqa: E402
import sys as _sys  # noqa: E402
from currant._jsimport import JsFinder as _JsFinder  # noqa: E402

_sys.meta_path.append(_JsFinder())

# Under the coordinator, connect now: before the script's first checkpoint.
# Without one (pass-through) the session is never loaded: a plain run pays
# only for what it uses.
if "CURRANT_FD" in _os.environ:
    from currant import _session as _session_module

    _session_module.connect()
