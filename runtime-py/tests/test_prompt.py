"""currant.prompt against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import unittest

import currant
from currant import _prompt
from tests.fake_llm import FakeLLM

_VARS = ("CURRANT_LLM_BASE_URL", "CURRANT_LLM_API_KEY", "CURRANT_LLM_MODEL",
         "OPENAI_BASE_URL", "OPENAI_API_KEY", "CURRANT_PROMPT_CMD",
         "CURRANT_PROMPT_CACHE", "CURRANT_PROMPT_RETRIES",
         "CURRANT_PROMPT_TIMEOUT")

FAST = currant.RetryPolicy(max_attempts=3, initial_interval=0.01,
                           max_interval=0.05, jitter=0, timeout=5)


class PromptTest(unittest.TestCase):
    def setUp(self) -> None:
        self.saved = {k: os.environ.pop(k, None) for k in _VARS}
        self.srv = FakeLLM().start()
        os.environ["CURRANT_LLM_BASE_URL"] = self.srv.base
        os.environ["CURRANT_LLM_API_KEY"] = "sk-test"
        os.environ["CURRANT_LLM_MODEL"] = "m1"
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self) -> None:
        self.srv.stop()
        self.tmp.cleanup()
        for k, v in self.saved.items():
            os.environ.pop(k, None)
            if v is not None:
                os.environ[k] = v

    def test_success_and_request_shape(self) -> None:
        out = currant.prompt("Summarise {x} and {y}", x=1, y={"a": [1]},
                             temperature=0.2, retry=FAST)
        self.assertEqual(out, '[m1] Summarise 1 and {"a": [1]}')
        body = self.srv.requests[0]
        self.assertEqual(body["model"], "m1")
        self.assertEqual(body["temperature"], 0.2)
        self.assertNotIn("max_tokens", body)
        self.assertEqual(body["messages"], [
            {"role": "user", "content": 'Summarise 1 and {"a": [1]}'}])
        self.assertEqual(self.srv.headers[0]["Authorization"], "Bearer sk-test")

    def test_rendering(self) -> None:
        r = _prompt.render
        self.assertEqual(r("{{x}} {x} {} { x } {1}", {"x": "v"}),
                         "{x} v {} { x } {1}")
        self.assertEqual(r("a}}b{{", {}), "a}b{")
        with self.assertRaises(currant.PromptError) as cm:
            r("{missing}", {"x": 1})
        self.assertIn("missing", str(cm.exception))
        out = currant.prompt("{model}!", inputs={"model": "as input"},
                             retry=FAST)
        self.assertEqual(out, "[m1] as input!")

    def test_openai_fallbacks(self) -> None:
        del os.environ["CURRANT_LLM_BASE_URL"]
        del os.environ["CURRANT_LLM_API_KEY"]
        os.environ["OPENAI_BASE_URL"] = self.srv.base + "/"
        os.environ["OPENAI_API_KEY"] = "sk-openai"
        self.assertEqual(currant.prompt("hi", retry=FAST), "[m1] hi")
        self.assertEqual(self.srv.headers[0]["Authorization"],
                         "Bearer sk-openai")
        os.environ["CURRANT_LLM_API_KEY"] = "sk-currant"
        currant.prompt("hi", retry=FAST)
        self.assertEqual(self.srv.headers[1]["Authorization"],
                         "Bearer sk-currant")

    def test_nothing_configured(self) -> None:
        for k in _VARS:
            os.environ.pop(k, None)
        with self.assertRaises(currant.PromptConfigError) as cm:
            currant.prompt("hi")
        self.assertIn("CURRANT_LLM_BASE_URL", str(cm.exception))
        self.assertIn("OPENAI_API_KEY", str(cm.exception))
        self.assertEqual(cm.exception.code, "config")
        os.environ["CURRANT_LLM_BASE_URL"] = self.srv.base
        with self.assertRaises(currant.PromptConfigError) as cm:
            currant.prompt("hi")
        self.assertIn("CURRANT_LLM_MODEL", str(cm.exception))
        self.assertEqual(self.srv.requests, [])

    def test_prompt_file(self) -> None:
        path = os.path.join(self.tmp.name, "summary.prompt")
        with open(path, "w") as fh:
            fh.write("---\nmodel: file-model\ntemperature: 0.5\n"
                     "max_tokens: 64\nsystem: \"Be brief.\"\n---\n"
                     "Summarise {text}.\n")
        out = currant.prompt(path, text="the day", retry=FAST)
        self.assertEqual(out, "[file-model] Summarise the day.\n")
        body = self.srv.requests[0]
        self.assertEqual(body["temperature"], 0.5)
        self.assertEqual(body["max_tokens"], 64)
        self.assertEqual(body["messages"][0],
                         {"role": "system", "content": "Be brief."})
        # call arguments win over front matter
        currant.prompt(path, text="x", model="arg-model", temperature=0,
                       retry=FAST)
        self.assertEqual(self.srv.requests[1]["model"], "arg-model")
        self.assertEqual(self.srv.requests[1]["temperature"], 0)
        # relative: beside the calling module, then the working directory
        here = os.path.dirname(os.path.abspath(__file__))
        self.assertEqual(_prompt.caller_dir(), here)
        old = os.getcwd()
        os.chdir(self.tmp.name)
        try:
            out = currant.prompt("summary.prompt", text="cwd", retry=FAST)
            self.assertEqual(out, "[file-model] Summarise cwd.\n")
        finally:
            os.chdir(old)
        with self.assertRaises(currant.PromptError) as cm:
            currant.prompt("nowhere.prompt")
        self.assertIn("not found", str(cm.exception))

    def test_429_then_success_honours_retry_after(self) -> None:
        self.srv.script = [(429, {"Retry-After": "1"},
                            b'{"error":"slow down"}')]
        t0 = time.monotonic()
        out = currant.prompt("hi", retry=FAST)
        self.assertGreaterEqual(time.monotonic() - t0, 0.9)
        self.assertEqual(out, "[m1] hi")
        self.assertEqual(len(self.srv.requests), 2)

    def test_500_exhausted(self) -> None:
        self.srv.script = [(500, {}, b'{"error":"boom"}')] * 3
        with self.assertRaises(currant.PromptHTTPError) as cm:
            currant.prompt("hi", retry=FAST)
        self.assertEqual(cm.exception.status, 500)
        self.assertIn("HTTP 500", str(cm.exception))
        self.assertIn("boom", str(cm.exception))
        self.assertEqual(len(self.srv.requests), 3)

    def test_4xx_not_retried(self) -> None:
        self.srv.script = [(400, {}, b'{"error":"bad request"}')]
        with self.assertRaises(currant.PromptHTTPError) as cm:
            currant.prompt("hi", retry=FAST)
        self.assertEqual(cm.exception.code, "http")
        self.assertEqual(len(self.srv.requests), 1)

    def test_malformed(self) -> None:
        self.srv.script = [(200, {}, b"not json"),
                           (200, {}, b'{"choices": []}')]
        with self.assertRaises(currant.PromptResponseError):
            currant.prompt("hi", retry=FAST)
        with self.assertRaises(currant.PromptResponseError) as cm:
            currant.prompt("hi", retry=FAST)
        self.assertIn("choices[0].message.content", str(cm.exception))
        self.assertEqual(len(self.srv.requests), 2)

    def test_timeout(self) -> None:
        self.srv.script = [("sleep", 1.0), ("sleep", 1.0)]
        pol = currant.RetryPolicy(max_attempts=2, initial_interval=0.01,
                                  jitter=0, timeout=0.2)
        with self.assertRaises(currant.PromptTimeoutError) as cm:
            currant.prompt("hi", retry=pol)
        self.assertIsInstance(cm.exception, TimeoutError)
        self.assertEqual(len(self.srv.requests), 2)

    def test_cache(self) -> None:
        os.environ["CURRANT_PROMPT_CACHE"] = self.tmp.name
        a = currant.prompt("cached {x}", x=1, retry=FAST)
        b = currant.prompt("cached {x}", x=1, retry=FAST)
        self.assertEqual(a, b)
        self.assertEqual(len(self.srv.requests), 1)
        currant.prompt("cached {x}", x=1, temperature=1, retry=FAST)
        currant.prompt("cached {x}", x=1, model="m2", retry=FAST)
        self.assertEqual(len(self.srv.requests), 3)
        currant.prompt("cached {x}", x=1, cache=False, retry=FAST)
        self.assertEqual(len(self.srv.requests), 4)
        leftovers = [f for _, _, fs in os.walk(self.tmp.name) for f in fs
                     if f.endswith(".tmp")]
        self.assertEqual(leftovers, [])

    def test_async(self) -> None:
        out = asyncio.run(currant.prompt_async("a {x}", x=2, retry=FAST))
        self.assertEqual(out, "[m1] a 2")

    def test_command_override(self) -> None:
        os.environ["CURRANT_PROMPT_CMD"] = "tr a-z A-Z"
        self.assertEqual(currant.prompt("hello {x}", x="y"), "HELLO Y")
        self.assertEqual(self.srv.requests, [])


if __name__ == "__main__":
    unittest.main()
