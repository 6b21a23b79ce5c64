"""Exceptions the runtime raises on its own account.

Errors raised by the boundary calls themselves are never wrapped: they reach
the script with their own type and message, live or replayed.  Errors of the
other runtime (a bridge call into JavaScript) become BridgeError subclasses
named after them.
"""

import builtins
from typing import Dict


class CurrantError(Exception):
    """Base class of the runtime's own errors."""


class NonDeterminismError(CurrantError):
    """A resumed or replayed run reached a different site than it recorded."""


class UnrecordableValueError(CurrantError, TypeError):
    """A boundary returned a value the journal cannot encode."""


class RunCancelled(CurrantError):
    """The run was cancelled with ``currant cancel``."""


class BridgeError(CurrantError):
    """A call into the other runtime failed (docs/BRIDGE.md).

    Errors thrown by a JavaScript function are raised as subclasses named
    after the JS error (see ``bridged_error_class``); the worker dying or a
    call re-entering a worker already on the stack raise BridgeError itself.
    """


_bridged: Dict[str, type] = {}


def bridged_error_class(name: str) -> type:
    """The BridgeError subclass standing for the other runtime's ``name``.

    A builtin exception of the same name is a base too, so that
    ``except TypeError`` catches a JavaScript TypeError.  One class per
    name, so a replayed error has the class the live one had.
    """
    cls = _bridged.get(name)
    if cls is None:
        builtin = getattr(builtins, name, None)
        bases: tuple = (BridgeError,)
        if isinstance(builtin, type) and issubclass(builtin, Exception) \
                and not issubclass(BridgeError, builtin):
            bases += (builtin,)
        try:
            cls = type(name, bases, {"__module__": "currant"})
        except TypeError:  # a builtin whose layout cannot be mixed in
            cls = type(name, (BridgeError,), {"__module__": "currant"})
        _bridged[name] = cls
    return cls


class Suspended(BaseException):
    """Unwinds the script when the run suspends (long durable sleep or wait).

    A BaseException so that ``except Exception`` in user code does not
    swallow it; the entry hook turns it into the ``suspended`` exit status.
    """


class PromptError(CurrantError):
    """A prompt call failed (see docs/PROMPTS.md).  ``code`` says how:
    ``"prompt"`` (template, file or command), ``"config"``, ``"http"``,
    ``"rate_limit"``, ``"response"``, ``"timeout"``, ``"connection"``."""

    code = "prompt"

    def __init__(self, message: str = "", *, status=None, body=None,
                 retry_after=None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body
        self.retry_after = retry_after


class PromptConfigError(PromptError):
    """No endpoint or model is configured."""

    code = "config"


class PromptHTTPError(PromptError):
    """The endpoint answered with an HTTP error (``status``, ``body``)."""

    code = "http"


class PromptRateLimitError(PromptHTTPError):
    """HTTP 429; ``retry_after`` is the server's Retry-After in seconds."""

    code = "rate_limit"


class PromptResponseError(PromptError):
    """The endpoint's answer is not a chat completion."""

    code = "response"


class PromptTimeoutError(PromptError, TimeoutError):
    """No answer within the attempt's timeout."""

    code = "timeout"


class PromptConnectionError(PromptError):
    """The endpoint could not be reached."""

    code = "connection"
