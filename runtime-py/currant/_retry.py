"""Retry policies for tasks: how many attempts, how long to wait between.

A policy is plain data so the coordinator can show it and the durable
session can replay it; ``delay`` is the only arithmetic.  Jitter spreads
retries of many runs hitting one failing service; it never changes what a
run computes, only when.
"""

from __future__ import annotations

import random as _random
from typing import Any, Optional, Tuple, Union

ErrorSpec = Union[type, str]


class RetryPolicy:
    """When and how often a failing task is attempted again.

    Immutable, compared and hashed by value.  (A plain class rather than a
    frozen dataclass: importing dataclasses costs a third of ``import
    currant``, which every instrumented script pays.)

    Attributes:
        max_attempts: attempts in all, the first included (1 = no retry).
        backoff: ``"exponential"`` (interval doubles) or ``"fixed"``.
        initial_interval: seconds before the second attempt.
        max_interval: upper bound of any one wait, in seconds.
        jitter: fraction (0..1) by which each wait is randomly varied.
        total_timeout: seconds after the first attempt started beyond which
            no new attempt begins; None for no limit.
        timeout: seconds one attempt may take; None for no limit.
        non_retryable: exception types (or their names) never retried.
    """

    __slots__ = ("max_attempts", "backoff", "initial_interval",
                 "max_interval", "jitter", "total_timeout", "timeout",
                 "non_retryable")

    def __init__(self, max_attempts: int = 1, backoff: str = "exponential",
                 initial_interval: float = 1.0, max_interval: float = 60.0,
                 jitter: float = 0.1, total_timeout: Optional[float] = None,
                 timeout: Optional[float] = None,
                 non_retryable: Tuple[ErrorSpec, ...] = ()) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if backoff not in ("exponential", "fixed"):
            raise ValueError("backoff must be 'exponential' or 'fixed'")
        if initial_interval < 0 or max_interval < 0:
            raise ValueError("intervals must not be negative")
        if not 0 <= jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")
        values = (max_attempts, backoff, initial_interval, max_interval,
                  jitter, total_timeout, timeout, tuple(non_retryable))
        for name, value in zip(self.__slots__, values):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"RetryPolicy is immutable: cannot set {name}")

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value
                           in zip(self.__slots__, self._values()))
        return f"RetryPolicy({fields})"

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        base = self.initial_interval
        if self.backoff == "exponential":
            base = base * (2 ** (attempt - 1))
        base = min(base, self.max_interval)
        if self.jitter:
            base *= 1 + _random.uniform(-self.jitter, self.jitter)
        return max(0.0, min(base, self.max_interval))

    def retryable(self, exc: BaseException) -> bool:
        """True unless ``exc`` is of a type the policy says not to retry."""
        if not isinstance(exc, Exception):
            return False
        for spec in self.non_retryable:
            if isinstance(spec, str):
                if any(k.__name__ == spec or
                       f"{k.__module__}.{k.__qualname__}" == spec
                       for k in type(exc).__mro__):
                    return False
            elif isinstance(exc, spec):
                return False
        return True

    def to_json(self) -> dict:
        """The policy as JSON-able data (for the journal and ``show``)."""
        return {
            "max_attempts": self.max_attempts,
            "backoff": self.backoff,
            "initial_interval": self.initial_interval,
            "max_interval": self.max_interval,
            "jitter": self.jitter,
            "total_timeout": self.total_timeout,
            "timeout": self.timeout,
            "non_retryable": [s if isinstance(s, str) else s.__name__
                              for s in self.non_retryable],
        }
