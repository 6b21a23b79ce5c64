"""The std API: tasks, durable sleep, recorded clock/randomness/ids, events,
LLM prompts and polling.

Every function here is an ordinary function: currantc makes each call to it
a checkpoint, so recording happens in the binding's ``call``, not here.  The
few that need the coordinator's help when durable (sleep, wait_event, poll,
task retries) ask the session through ``_state.session``; without one they
behave as plain Python (pass-through).
"""

from __future__ import annotations

import contextvars
import datetime as _dt
import functools
import json
import os
import random as _random
import threading
import time
from typing import Any, Awaitable, Callable, Optional, TypeVar

from currant import _state
from currant._errors import CurrantError
from currant._retry import RetryPolicy
from currant._util import is_async, is_awaitable

# asyncio and subprocess are imported where used: most scripts never need
# them, and importing asyncio alone costs more than the rest of the runtime.

T = TypeVar("T")

# ---------------------------------------------------------------- recorded


def now() -> _dt.datetime:
    """The current time as a timezone-aware UTC datetime (recorded)."""
    return _dt.datetime.now(_dt.timezone.utc)


def random() -> float:
    """A random float in [0, 1) (recorded)."""
    return _random.random()


def uuid() -> str:
    """A random (version 4) UUID as its canonical string (recorded)."""
    import uuid as _uuid  # few scripts need it: not on every import
    return str(_uuid.uuid4())


# ------------------------------------------------------------------- sleep


def sleep(seconds: float) -> None:
    """Wait ``seconds``; durable under the coordinator.

    A durable sleep records its wake-up time, so a resumed run sleeps only
    what is left, a finished sleep is skipped on replay, and a long one lets
    the process exit as ``suspended`` until ``currant serve`` resumes it.
    """
    _check_duration(seconds)
    session = _state.session
    if session is not None:
        session.sleep(seconds)
        return
    time.sleep(seconds)


async def sleep_async(seconds: float) -> None:
    """``sleep`` for coroutines: does not block the event loop."""
    import asyncio
    _check_duration(seconds)
    session = _state.session
    if session is not None:
        await session.sleep_async(seconds)
        return
    await asyncio.sleep(seconds)


def _check_duration(seconds: float) -> None:
    if not isinstance(seconds, (int, float)) or seconds != seconds \
            or seconds < 0:
        raise ValueError(f"sleep duration must be a number >= 0, "
                         f"not {seconds!r}")


sleep._currant_kind = "sleep"  # type: ignore[attr-defined]
sleep_async._currant_kind = "sleep"  # type: ignore[attr-defined]

# ------------------------------------------------------------------ events


def _passthrough_event(name: str) -> Any:
    """Without a coordinator an event may come from CURRANT_EVENT_<NAME>."""
    raw = os.environ.get("CURRANT_EVENT_" + name.upper().replace("-", "_"))
    if raw is None:
        return _NO_EVENT
    return json.loads(raw)


_NO_EVENT = object()


def wait_event(name: str, timeout: Optional[float] = None) -> Any:
    """Wait for the event ``name`` (sent with ``currant signal RUN NAME JSON``)
    and return its JSON payload, or None when ``timeout`` seconds pass first.

    Without a coordinator the payload comes from the environment variable
    ``CURRANT_EVENT_<NAME>``; with none set, the call waits ``timeout`` and
    returns None, or raises CurrantError when there is no timeout (nothing
    could ever deliver the event).
    """
    session = _state.session
    if session is not None:
        return session.wait_event(name, timeout)
    got = _passthrough_event(name)
    if got is not _NO_EVENT:
        return got
    if timeout is None:
        raise CurrantError(f"wait_event({name!r}): no coordinator to deliver "
                           f"the event and no timeout")
    time.sleep(timeout)
    return None


async def wait_event_async(name: str, timeout: Optional[float] = None) -> Any:
    """``wait_event`` for coroutines."""
    import asyncio
    session = _state.session
    if session is not None:
        return await session.wait_event_async(name, timeout)
    got = _passthrough_event(name)
    if got is not _NO_EVENT:
        return got
    if timeout is None:
        raise CurrantError(f"wait_event({name!r}): no coordinator to deliver "
                           f"the event and no timeout")
    await asyncio.sleep(timeout)
    return None


wait_event._currant_kind = "event"  # type: ignore[attr-defined]
wait_event_async._currant_kind = "event"  # type: ignore[attr-defined]

# ------------------------------------------------------------------ prompt


def prompt(template: str, /, *, model: Optional[str] = None,
           system: Optional[str] = None,
           temperature: Optional[float] = None,
           max_tokens: Optional[int] = None,
           params: Optional[dict] = None,
           inputs: Optional[dict] = None,
           retry: Optional[RetryPolicy] = None,
           retries: Optional[int] = None,
           timeout: Optional[float] = None,
           cache: Any = None,
           **kw_inputs: Any) -> str:
    """Ask a language model and return its answer (recorded).

    ``template`` is a string with ``{name}`` placeholders (``{{``/``}}`` for
    literal braces) filled from ``inputs`` and the keyword arguments, or the
    path of a ``.prompt`` file (front matter + template; relative paths are
    looked up beside the calling module, then in the working directory).
    The rendered text is sent to the OpenAI-compatible chat-completions
    endpoint configured by ``CURRANT_LLM_BASE_URL`` / ``CURRANT_LLM_API_KEY``
    / ``CURRANT_LLM_MODEL`` (``OPENAI_BASE_URL`` / ``OPENAI_API_KEY`` as
    fallbacks), retried on 429/5xx/timeouts; failures raise PromptError
    subclasses.  ``CURRANT_PROMPT_CACHE=DIR`` (or ``cache=DIR``) shares
    answers across runs.  See docs/PROMPTS.md.
    """
    from currant import _prompt
    return _prompt.prompt_impl(
        template, _merge_inputs(inputs, kw_inputs), _prompt.caller_dir(),
        model, system, {"temperature": temperature, "max_tokens": max_tokens,
                        **(params or {})},
        retry, retries, timeout, cache)


async def prompt_async(template: str, /, *, model: Optional[str] = None,
                       system: Optional[str] = None,
                       temperature: Optional[float] = None,
                       max_tokens: Optional[int] = None,
                       params: Optional[dict] = None,
                       inputs: Optional[dict] = None,
                       retry: Optional[RetryPolicy] = None,
                       retries: Optional[int] = None,
                       timeout: Optional[float] = None,
                       cache: Any = None,
                       **kw_inputs: Any) -> str:
    """``prompt`` for coroutines (the request runs in a worker thread)."""
    import asyncio
    from currant import _prompt
    return await asyncio.to_thread(
        _prompt.prompt_impl, template, _merge_inputs(inputs, kw_inputs),
        _prompt.caller_dir(), model, system,
        {"temperature": temperature, "max_tokens": max_tokens,
         **(params or {})},
        retry, retries, timeout, cache)


def _merge_inputs(inputs: Optional[dict], kw: dict) -> dict:
    merged = dict(inputs or {})
    merged.update(kw)
    return merged


# -------------------------------------------------------------------- poll


def _done(value: Any, until: Optional[Callable[[Any], bool]]) -> bool:
    if until is not None:
        return bool(until(value))
    return value is not None and value is not False


def poll(fn: Callable[[], T], every: float = 1.0,
         timeout: Optional[float] = None,
         until: Optional[Callable[[T], bool]] = None) -> T:
    """Call ``fn()`` every ``every`` seconds until it reports done; return
    that result.

    Done means ``until(result)`` is true, or without ``until`` a result that
    is neither None nor False.  Raises TimeoutError after ``timeout``
    seconds.  Durable: each attempt and each wait is journaled, so a
    resumed run neither re-polls finished attempts nor waits again.
    """
    _check_duration(every)
    session = _state.session
    if session is not None:
        return session.poll(fn, every, timeout, until)
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        value = fn()
        if _done(value, until):
            return value
        if deadline is not None and time.monotonic() + every > deadline:
            raise TimeoutError(f"poll: not done after {timeout} s")
        time.sleep(every)


async def poll_async(fn: Callable[[], Any], every: float = 1.0,
                     timeout: Optional[float] = None,
                     until: Optional[Callable[[Any], bool]] = None) -> Any:
    """``poll`` for coroutines: ``fn`` may be sync or return an awaitable."""
    import asyncio
    _check_duration(every)
    session = _state.session
    if session is not None:
        return await session.poll_async(fn, every, timeout, until)
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        value = fn()
        if is_awaitable(value):
            value = await value
        if _done(value, until):
            return value
        if deadline is not None and time.monotonic() + every > deadline:
            raise TimeoutError(f"poll: not done after {timeout} s")
        await asyncio.sleep(every)


poll._currant_kind = "poll"  # type: ignore[attr-defined]
poll_async._currant_kind = "poll"  # type: ignore[attr-defined]

# -------------------------------------------------------------------- task


def task(fn: Optional[Callable[..., Any]] = None, /, *,
         name: Optional[str] = None,
         retries: Optional[int] = None,
         max_attempts: Optional[int] = None,
         backoff: str = "exponential",
         initial_interval: float = 1.0,
         max_interval: float = 60.0,
         jitter: float = 0.1,
         total_timeout: Optional[float] = None,
         timeout: Optional[float] = None,
         non_retryable: tuple = (),
         retry: Optional[RetryPolicy] = None) -> Any:
    """Declare a task: a named unit with a retry policy and a timeout.

    Usable bare (``@task``) or with options (``@task(retries=3)``), on plain
    and ``async`` functions.  ``retries`` counts retries (``max_attempts``
    is ``retries + 1``); give one or the other, or a whole ``retry`` policy.
    ``timeout`` bounds each attempt (a sync attempt that overruns keeps
    running in its worker thread, its result ignored); ``total_timeout``
    bounds the time after which no new attempt starts.  Each attempt is
    journaled under the coordinator.
    """
    if retry is None:
        if retries is not None and max_attempts is not None:
            raise ValueError("give retries or max_attempts, not both")
        attempts = max_attempts if max_attempts is not None else \
            (retries + 1 if retries is not None else 1)
        retry = RetryPolicy(max_attempts=attempts, backoff=backoff,
                            initial_interval=initial_interval,
                            max_interval=max_interval, jitter=jitter,
                            total_timeout=total_timeout, timeout=timeout,
                            non_retryable=tuple(non_retryable))

    def wrap(f: Callable[..., Any]) -> Callable[..., Any]:
        return _make_task(f, name or f.__qualname__, retry)

    if fn is not None:
        return wrap(fn)
    return wrap


def _make_task(fn: Callable[..., Any], name: str,
               policy: RetryPolicy) -> Callable[..., Any]:
    if is_async(fn):
        @functools.wraps(fn)
        async def async_task(*args: Any, **kwargs: Any) -> Any:
            session = _state.session
            if session is not None:
                return await session.run_task_async(async_task, fn, args,
                                                    kwargs)
            return await run_attempts_async(fn, args, kwargs, policy)
        wrapper: Any = async_task
    else:
        @functools.wraps(fn)
        def sync_task(*args: Any, **kwargs: Any) -> Any:
            session = _state.session
            if session is not None:
                return session.run_task(sync_task, fn, args, kwargs)
            return run_attempts(fn, args, kwargs, policy)
        wrapper = sync_task
    wrapper.__currant_task__ = policy
    wrapper.__currant_task_name__ = name
    return wrapper


def call_with_timeout(fn: Callable[..., T], args: tuple, kwargs: dict,
                      timeout: Optional[float]) -> T:
    """Run ``fn`` with a time limit; the attempt runs in a worker thread
    (carrying the caller's context) only when there is a limit."""
    if timeout is None:
        return fn(*args, **kwargs)
    box: dict = {}
    ctx = contextvars.copy_context()

    def target() -> None:
        try:
            box["value"] = ctx.run(fn, *args, **kwargs)
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=target, daemon=True,
                              name=f"currant-task-{getattr(fn, '__name__', '')}")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"task attempt timed out after {timeout} s")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _attempt_timeout(policy: RetryPolicy,
                     deadline: Optional[float]) -> Optional[float]:
    if deadline is None:
        return policy.timeout
    left = max(0.0, deadline - time.monotonic())
    return left if policy.timeout is None else min(left, policy.timeout)


def run_attempts(fn: Callable[..., T], args: tuple, kwargs: dict,
                 policy: RetryPolicy) -> T:
    """Attempt ``fn`` under ``policy`` (pass-through mode)."""
    deadline = None if policy.total_timeout is None else \
        time.monotonic() + policy.total_timeout
    attempt = 1
    while True:
        try:
            return call_with_timeout(fn, args, kwargs,
                                     _attempt_timeout(policy, deadline))
        except Exception as exc:
            wait = policy.delay(attempt)
            if not _may_retry(policy, exc, attempt, deadline, wait):
                raise
        time.sleep(wait)
        attempt += 1


async def run_attempts_async(fn: Callable[..., Awaitable[T]], args: tuple,
                             kwargs: dict, policy: RetryPolicy) -> T:
    """Attempt the coroutine function ``fn`` under ``policy``."""
    import asyncio
    deadline = None if policy.total_timeout is None else \
        time.monotonic() + policy.total_timeout
    attempt = 1
    while True:
        try:
            limit = _attempt_timeout(policy, deadline)
            if limit is None:
                return await fn(*args, **kwargs)
            return await asyncio.wait_for(fn(*args, **kwargs), limit)
        except Exception as exc:
            wait = policy.delay(attempt)
            if not _may_retry(policy, exc, attempt, deadline, wait):
                raise
        await asyncio.sleep(wait)
        attempt += 1


def _may_retry(policy: RetryPolicy, exc: BaseException, attempt: int,
               deadline: Optional[float], wait: float) -> bool:
    if attempt >= policy.max_attempts or not policy.retryable(exc):
        return False
    return deadline is None or time.monotonic() + wait < deadline
