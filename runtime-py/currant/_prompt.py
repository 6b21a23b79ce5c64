"""LLM prompts: render a template, call an OpenAI-compatible
chat-completions endpoint, return the answer.  See docs/PROMPTS.md.

Recording is the binding's job (a prompt call is a checkpoint like any other
boundary), so a replayed or resumed run never reaches this module for a
prompt it already recorded.  What lives here: template rendering, ``.prompt``
files, configuration from the environment, the HTTP call with the retry
policy, errors, and the opt-in cache across runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from email.utils import parsedate_to_datetime
from typing import Any, Dict, List, Optional, Tuple

from currant._errors import (
    PromptConfigError,
    PromptConnectionError,
    PromptError,
    PromptHTTPError,
    PromptRateLimitError,
    PromptResponseError,
    PromptTimeoutError,
)
from currant._retry import RetryPolicy

DEFAULT_OPENAI_BASE = "https://api.openai.com/v1"
DEFAULT_TIMEOUT = 120.0
DEFAULT_RETRIES = 3
_PKG_DIR = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------- template

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list, tuple)):
        try:
            return json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def render(template: str, inputs: Dict[str, Any]) -> str:
    """``{name}`` takes ``inputs[name]``; ``{{`` and ``}}`` are literal braces;
    any other brace is left as it is.  A missing input is a PromptError."""
    def sub(m: "re.Match[str]") -> str:
        whole = m.group(0)
        if whole == "{{":
            return "{"
        if whole == "}}":
            return "}"
        name = m.group(1)
        if name not in inputs:
            raise PromptError(f"prompt template: no input named {name!r} "
                              f"(given: {', '.join(sorted(inputs)) or 'none'})")
        return _as_text(inputs[name])
    return _PLACEHOLDER.sub(sub, template)


# ---------------------------------------------------------- .prompt files


def _scalar(raw: str) -> Any:
    v = raw.strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        return v[1:-1]
    low = v.lower()
    if low in ("true", "false"):
        return low == "true"
    if low in ("null", "none", "~"):
        return None
    try:
        return int(v)
    except ValueError:
        pass
    try:
        return float(v)
    except ValueError:
        return v


def parse_prompt_file(text: str, where: str = "<prompt>") -> Tuple[Dict[str, Any], str]:
    """Split a ``.prompt`` file into its front matter and template body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text
    meta: Dict[str, Any] = {}
    for i in range(1, len(lines)):
        line = lines[i]
        if line.strip() == "---":
            return meta, "".join(lines[i + 1:])
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if ":" not in line:
            raise PromptError(f"{where}:{i + 1}: front matter line is not "
                              f"'key: value': {line.strip()!r}")
        key, _, value = line.partition(":")
        meta[key.strip()] = _scalar(value)
    raise PromptError(f"{where}: front matter opened with '---' is never "
                      f"closed")


def is_prompt_path(template: str) -> bool:
    return template.endswith(".prompt") and "\n" not in template


def caller_dir() -> Optional[str]:
    """The directory of the nearest calling frame outside this package (and
    outside asyncio/threading), or None."""
    f = sys._getframe(1)
    skip = (_PKG_DIR + os.sep,)
    while f is not None:
        fname = f.f_code.co_filename
        if fname and not fname.startswith("<") and \
                not os.path.abspath(fname).startswith(skip) and \
                os.sep + "asyncio" + os.sep not in fname and \
                not fname.endswith(("threading.py", "concurrent" + os.sep +
                                    "futures" + os.sep + "thread.py")):
            return os.path.dirname(os.path.abspath(fname))
        f = f.f_back
    return None


def load_prompt_file(path: str, base: Optional[str]) -> Tuple[Dict[str, Any], str, str]:
    """Find and read a ``.prompt`` file: absolute, else beside the calling
    module, else relative to the working directory."""
    tried: List[str] = []
    if os.path.isabs(path):
        tried.append(path)
    else:
        if base:
            tried.append(os.path.join(base, path))
        tried.append(os.path.abspath(path))
    for p in tried:
        if os.path.isfile(p):
            with open(p, encoding="utf-8") as fh:
                meta, body = parse_prompt_file(fh.read(), p)
            return meta, body, p
    raise PromptError(f"prompt file {path!r} not found (tried: "
                      f"{', '.join(tried)})")


# ---------------------------------------------------------- configuration


def _env(*names: str) -> Optional[str]:
    for n in names:
        v = os.environ.get(n)
        if v:
            return v
    return None


def endpoint() -> Tuple[str, Optional[str]]:
    """(base URL, API key) from the environment (see docs/PROMPTS.md)."""
    base = _env("CURRANT_LLM_BASE_URL", "OPENAI_BASE_URL")
    key = _env("CURRANT_LLM_API_KEY", "OPENAI_API_KEY")
    if base is None and key is not None:
        base = DEFAULT_OPENAI_BASE
    if base is None:
        raise PromptConfigError(
            "no model endpoint configured: set CURRANT_LLM_BASE_URL (or "
            "OPENAI_BASE_URL), CURRANT_LLM_API_KEY (or OPENAI_API_KEY) and "
            "CURRANT_LLM_MODEL, or CURRANT_PROMPT_CMD for a local command")
    return base.rstrip("/"), key


def default_policy(retries: Optional[int], timeout: Optional[float]) -> RetryPolicy:
    if retries is None:
        retries = int(_env("CURRANT_PROMPT_RETRIES") or DEFAULT_RETRIES)
    if timeout is None:
        timeout = float(_env("CURRANT_PROMPT_TIMEOUT") or DEFAULT_TIMEOUT)
    return RetryPolicy(max_attempts=retries + 1, initial_interval=1.0,
                       max_interval=60.0, timeout=timeout)


# -------------------------------------------------------------------- HTTP


def _retry_after(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


def _excerpt(body: bytes, n: int = 300) -> str:
    text = body.decode("utf-8", "replace").strip()
    return text if len(text) <= n else text[:n] + "..."


def retryable(exc: BaseException) -> bool:
    """429, 5xx (and 408), timeouts and connection failures are retried."""
    if isinstance(exc, (PromptTimeoutError, PromptConnectionError,
                        PromptRateLimitError)):
        return True
    if isinstance(exc, PromptHTTPError):
        return exc.status is not None and (exc.status >= 500 or
                                           exc.status == 408)
    return False


def _post(url: str, key: Optional[str], body: dict,
          timeout: Optional[float]) -> str:
    data = json.dumps(body).encode("utf-8")
    headers = {"Content-Type": "application/json",
               "Accept": "application/json"}
    if key:
        headers["Authorization"] = "Bearer " + key
    req = urllib.request.Request(url, data=data, headers=headers,
                                 method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as e:
        try:
            payload = e.read()
        except Exception:
            payload = b""
        status = e.code
        what = f"{url}: HTTP {status}: {_excerpt(payload)}"
        if status == 429:
            raise PromptRateLimitError(
                "rate limited: " + what, status=status,
                body=_excerpt(payload, 2000),
                retry_after=_retry_after(e.headers.get("Retry-After"))) from None
        raise PromptHTTPError(what, status=status,
                              body=_excerpt(payload, 2000)) from None
    except TimeoutError:
        raise PromptTimeoutError(f"{url}: no answer within {timeout} s") from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, TimeoutError):
            raise PromptTimeoutError(
                f"{url}: no answer within {timeout} s") from None
        raise PromptConnectionError(f"{url}: {e.reason}") from None
    except (ConnectionError, OSError) as e:
        raise PromptConnectionError(f"{url}: {e}") from None
    return _content(url, raw)


def _content(url: str, raw: bytes) -> str:
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PromptResponseError(f"{url}: response is not JSON: "
                                  f"{_excerpt(raw)}") from None
    try:
        content = doc["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise PromptResponseError(f"{url}: response has no "
                                  f"choices[0].message.content: "
                                  f"{_excerpt(raw)}") from None
    if not isinstance(content, str):
        raise PromptResponseError(f"{url}: choices[0].message.content is "
                                  f"not a string: {_excerpt(raw)}")
    return content


def request_with_policy(url: str, key: Optional[str], body: dict,
                        policy: RetryPolicy) -> str:
    """POST under ``policy``: retried on 429/5xx/timeouts/connection errors,
    waiting Retry-After when the server sends one."""
    deadline = None if policy.total_timeout is None else \
        time.monotonic() + policy.total_timeout
    attempt = 1
    while True:
        limit = policy.timeout
        if deadline is not None:
            left = max(0.001, deadline - time.monotonic())
            limit = left if limit is None else min(limit, left)
        try:
            return _post(url, key, body, limit)
        except PromptError as exc:
            if attempt >= policy.max_attempts or not retryable(exc) or \
                    not policy.retryable(exc):
                raise
            wait = policy.delay(attempt)
            ra = getattr(exc, "retry_after", None)
            if ra is not None:
                wait = ra
            if deadline is not None and time.monotonic() + wait >= deadline:
                raise
        time.sleep(wait)
        attempt += 1


# ------------------------------------------------------------------- cache


def cache_dir(cache: Any) -> Optional[str]:
    if cache is False:
        return None
    if isinstance(cache, (str, os.PathLike)):
        return os.fspath(cache)
    return _env("CURRANT_PROMPT_CACHE")


def cache_key(model: str, messages: list, params: dict) -> str:
    doc = {"model": model, "messages": messages, "params": params}
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_get(directory: str, key: str) -> Optional[str]:
    path = os.path.join(directory, key[:2], key + ".json")
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
        content = doc.get("content")
        return content if isinstance(content, str) else None
    except (OSError, ValueError):
        return None


def cache_put(directory: str, key: str, model: str, content: str) -> None:
    sub = os.path.join(directory, key[:2])
    os.makedirs(sub, exist_ok=True)
    path = os.path.join(sub, key + ".json")
    tmp = f"{path}.{os.getpid()}.{time.monotonic_ns()}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"model": model, "content": content}, fh,
                  ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


# -------------------------------------------------------------------- main


def run_command(cmd: str, text: str, model: Optional[str],
                system: Optional[str]) -> str:
    import subprocess
    env = dict(os.environ)
    if model:
        env["CURRANT_MODEL"] = model
    if system:
        env["CURRANT_SYSTEM"] = system
    done = subprocess.run(cmd, shell=True, input=text, capture_output=True,
                          text=True, env=env, check=False)
    if done.returncode != 0:
        raise PromptError(f"prompt command failed ({done.returncode}): "
                          f"{done.stderr.strip()[:500]}")
    return done.stdout.strip()


_OPTION_KEYS = ("model", "system")


def prompt_impl(template: str, inputs: Dict[str, Any], base_dir: Optional[str],
                model: Optional[str], system: Optional[str],
                params: Dict[str, Any], retry: Optional[RetryPolicy],
                retries: Optional[int], timeout: Optional[float],
                cache: Any) -> str:
    if not isinstance(template, str):
        raise TypeError("prompt template must be a str")
    meta: Dict[str, Any] = {}
    if is_prompt_path(template):
        meta, template, _ = load_prompt_file(template, base_dir)
    text = render(template, inputs)
    model = model or meta.get("model") or _env("CURRANT_LLM_MODEL")
    system = system if system is not None else meta.get("system")
    merged = {k: v for k, v in meta.items()
              if k not in _OPTION_KEYS and v is not None}
    merged.update({k: v for k, v in params.items() if v is not None})

    cmd = os.environ.get("CURRANT_PROMPT_CMD")
    if cmd:
        return run_command(cmd, text, model, system)

    url_base, key = endpoint()
    if not model:
        raise PromptConfigError("no model given: set CURRANT_LLM_MODEL, put "
                                "'model:' in the .prompt file or pass model=")
    messages = []
    if system:
        messages.append({"role": "system", "content": str(system)})
    messages.append({"role": "user", "content": text})

    directory = cache_dir(cache)
    ckey = None
    if directory:
        ckey = cache_key(str(model), messages, merged)
        hit = cache_get(directory, ckey)
        if hit is not None:
            return hit

    body = {"model": model, "messages": messages, **merged}
    policy = retry if retry is not None else default_policy(retries, timeout)
    content = request_with_policy(url_base + "/chat/completions", key, body,
                                  policy)
    if directory and ckey:
        try:
            cache_put(directory, ckey, str(model), content)
        except OSError:
            pass  # a cache that cannot be written is only a missed saving
    return content
