"""Exceptions the runtime raises on its own account.

Errors raised by the boundary calls themselves are never wrapped: they reach
the script with their own type and message, live or replayed.
"""


class CurrantError(Exception):
    """Base class of the runtime's own errors."""


class NonDeterminismError(CurrantError):
    """A resumed or replayed run reached a different site than it recorded."""


class UnrecordableValueError(CurrantError, TypeError):
    """A boundary returned a value the journal cannot encode."""


class RunCancelled(CurrantError):
    """The run was cancelled with ``currant cancel``."""


class Suspended(BaseException):
    """Unwinds the script when the run suspends (long durable sleep or wait).

    A BaseException so that ``except Exception`` in user code does not
    swallow it; the entry hook turns it into the ``suspended`` exit status.
    """
