"""Pass-through mode: with no coordinator every operation simply happens."""

import asyncio
import datetime as dt
import os
import time
import unittest
import uuid as uuidlib

import currant
from currant import _state


class BindingTest(unittest.TestCase):
    def setUp(self) -> None:
        self.assertIsNone(_state.session)
        self.m = currant.module("app/test.py")

    def test_module_is_cached(self) -> None:
        self.assertIs(currant.module("app/test.py"), self.m)
        self.assertEqual(self.m.rel, "app/test.py")
        self.assertIn("app/test.py", repr(self.m))

    def test_call_positional_and_keywords(self) -> None:
        def f(a, *rest, k=0, **kw):
            return a, rest, k, kw
        self.assertEqual(self.m.call(0, f, 1, *[2, 3], k=4, **{"z": 5}),
                         (1, (2, 3), 4, {"z": 5}))

    def test_user_keywords_site_and_fn_pass_through(self) -> None:
        def f(**kw):
            return kw
        self.assertEqual(self.m.call(0, f, site=1, fn=2), {"site": 1, "fn": 2})

    def test_bound_method(self) -> None:
        items = []
        self.m.call(1, items.append, 7)
        self.assertEqual(items, [7])

    def test_generator_argument_stays_lazy(self) -> None:
        self.assertEqual(self.m.call(2, sum, (x for x in range(4))), 6)

    def test_error_propagates_unchanged(self) -> None:
        def boom():
            raise KeyError("k")
        with self.assertRaises(KeyError):
            self.m.call(3, boom)

    def test_await_call(self) -> None:
        async def double(x):
            await asyncio.sleep(0)
            return 2 * x

        async def main():
            return await self.m.call(4, double, 21)
        self.assertEqual(asyncio.run(main()), 42)

    def test_read(self) -> None:
        os.environ["CURRANT_TEST_READ"] = "v"
        self.assertEqual(self.m.read(5, os.environ, "CURRANT_TEST_READ"), "v")
        with self.assertRaises(KeyError):
            self.m.read(5, {}, "missing")


class StdTest(unittest.TestCase):
    def test_now(self) -> None:
        t = currant.now()
        self.assertIsInstance(t, dt.datetime)
        self.assertIsNotNone(t.tzinfo)

    def test_random(self) -> None:
        r = currant.random()
        self.assertTrue(0 <= r < 1)

    def test_uuid(self) -> None:
        u = currant.uuid()
        self.assertEqual(uuidlib.UUID(u).version, 4)
        self.assertNotEqual(u, currant.uuid())

    def test_sleep(self) -> None:
        t0 = time.monotonic()
        currant.sleep(0.02)
        self.assertGreaterEqual(time.monotonic() - t0, 0.015)
        with self.assertRaises(ValueError):
            currant.sleep(-1)

    def test_sleep_async(self) -> None:
        asyncio.run(currant.sleep_async(0.001))

    def test_wait_event_from_environment(self) -> None:
        os.environ["CURRANT_EVENT_APPROVED"] = '{"ok": true}'
        try:
            self.assertEqual(currant.wait_event("approved"), {"ok": True})
            self.assertEqual(
                asyncio.run(currant.wait_event_async("approved")),
                {"ok": True})
        finally:
            del os.environ["CURRANT_EVENT_APPROVED"]

    def test_wait_event_timeout_and_none(self) -> None:
        self.assertIsNone(currant.wait_event("nothing", timeout=0.001))
        with self.assertRaises(currant.CurrantError):
            currant.wait_event("nothing")

    def test_prompt_fallback_and_command(self) -> None:
        names = ("CURRANT_PROMPT_CMD", "CURRANT_LLM_BASE_URL",
                 "OPENAI_BASE_URL", "CURRANT_LLM_API_KEY", "OPENAI_API_KEY")
        saved = {k: os.environ.pop(k, None) for k in names}
        try:
            with self.assertRaises(currant.PromptConfigError):
                currant.prompt("hi")
            os.environ["CURRANT_PROMPT_CMD"] = "tr a-z A-Z"
            self.assertEqual(currant.prompt("hello"), "HELLO")
            self.assertEqual(asyncio.run(currant.prompt_async("ab")), "AB")
            os.environ["CURRANT_PROMPT_CMD"] = "exit 3"
            with self.assertRaises(currant.CurrantError):
                currant.prompt("x")
        finally:
            for k, v in saved.items():
                os.environ.pop(k, None)
                if v is not None:
                    os.environ[k] = v

    def test_poll(self) -> None:
        n = [0]

        def job():
            n[0] += 1
            return "done" if n[0] == 3 else None
        self.assertEqual(currant.poll(job, every=0.001), "done")
        self.assertEqual(n[0], 3)
        self.assertEqual(currant.poll(lambda: 0, every=0, until=lambda v: v == 0), 0)
        with self.assertRaises(TimeoutError):
            currant.poll(lambda: None, every=0.01, timeout=0.03)

    def test_poll_async(self) -> None:
        n = [0]

        async def job():
            n[0] += 1
            return n[0] if n[0] >= 2 else False
        self.assertEqual(asyncio.run(currant.poll_async(job, every=0.001)), 2)


class TaskTest(unittest.TestCase):
    def test_bare_decorator(self) -> None:
        @currant.task
        def add(a, b):
            """Adds."""
            return a + b
        self.assertEqual(add(1, 2), 3)
        self.assertEqual(add.__name__, "add")
        self.assertEqual(add.__doc__, "Adds.")
        self.assertEqual(add.__currant_task__.max_attempts, 1)

    def test_retries_then_success(self) -> None:
        calls = []

        @currant.task(retries=3, initial_interval=0.001)
        def flaky():
            calls.append(1)
            if len(calls) < 3:
                raise ConnectionError("down")
            return "ok"
        self.assertEqual(flaky(), "ok")
        self.assertEqual(len(calls), 3)

    def test_gives_up_with_last_error(self) -> None:
        @currant.task(max_attempts=2, initial_interval=0.001)
        def bad():
            raise ValueError("always")
        with self.assertRaisesRegex(ValueError, "always"):
            bad()

    def test_non_retryable(self) -> None:
        calls = []

        @currant.task(retries=5, initial_interval=0.001,
                      non_retryable=(KeyError, "PermissionError"))
        def bad(exc):
            calls.append(1)
            raise exc
        with self.assertRaises(KeyError):
            bad(KeyError("k"))
        with self.assertRaises(PermissionError):
            bad(PermissionError("p"))
        self.assertEqual(len(calls), 2)

    def test_timeout_sync_and_async(self) -> None:
        @currant.task(timeout=0.02)
        def slow():
            time.sleep(0.5)
        with self.assertRaises(TimeoutError):
            slow()

        @currant.task(timeout=0.02)
        async def slow_async():
            await asyncio.sleep(0.5)
        with self.assertRaises(TimeoutError):
            asyncio.run(slow_async())

    def test_async_retries(self) -> None:
        calls = []

        @currant.task(retries=2, initial_interval=0.001, backoff="fixed")
        async def flaky():
            calls.append(1)
            if len(calls) < 2:
                raise OSError("x")
            return len(calls)
        self.assertEqual(asyncio.run(flaky()), 2)

    def test_total_timeout_stops_retrying(self) -> None:
        calls = []

        @currant.task(retries=100, initial_interval=0.02, backoff="fixed",
                      jitter=0, total_timeout=0.05)
        def bad():
            calls.append(1)
            raise OSError("x")
        with self.assertRaises(OSError):
            bad()
        self.assertLess(len(calls), 5)

    def test_policy_validation_and_delay(self) -> None:
        with self.assertRaises(ValueError):
            currant.task(retries=1, max_attempts=2)
        with self.assertRaises(ValueError):
            currant.RetryPolicy(max_attempts=0)
        p = currant.RetryPolicy(initial_interval=1, max_interval=5, jitter=0)
        self.assertEqual([p.delay(i) for i in (1, 2, 3, 4)], [1, 2, 4, 5])
        self.assertEqual(p.to_json()["backoff"], "exponential")


if __name__ == "__main__":
    unittest.main()
