"""A fake OpenAI-compatible chat-completions server on 127.0.0.1 for tests.

In a test: ``srv = FakeLLM(); srv.start(); ... srv.stop()``; ``srv.base``
is the base URL, ``srv.requests`` the JSON bodies received, ``srv.script``
a list of canned replies used first (each ``(status, headers, body)`` or
``("sleep", seconds)``); once it is empty every request gets a completion
whose content is ``"[MODEL] USER-MESSAGE"``.

For the SDK tests (tests/suites/98-client-libraries.sh) it also answers as the
OpenAI and Anthropic APIs do, with answers that depend only on the
request: ``stream: true`` chat completions (server-sent events, the content
in two chunks), ``/v1/embeddings`` (floats, or base64 float32 when asked,
as the openai package does by default) and Anthropic's ``/v1/messages``.

As a program (tests/suites/95-prompts.sh): ``python3 fake_llm.py PORTFILE
COUNTFILE`` serves until killed, writing its port to PORTFILE and the number
of requests so far to COUNTFILE.
"""

from __future__ import annotations

import base64
import json
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, List, Optional


def completion(content: str, model: str = "fake") -> bytes:
    return json.dumps({
        "id": "chatcmpl-fake", "object": "chat.completion", "model": model,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
    }).encode()


def chunk(part: str, model: Any) -> dict:
    """One chunk of a streamed chat completion."""
    return {"id": "chatcmpl-fake", "object": "chat.completion.chunk",
            "created": 0, "model": model,
            "choices": [{"index": 0, "delta": {"content": part},
                         "finish_reason": None}]}


def embeddings(body: dict) -> dict:
    """An embedding of the input's length and first character."""
    text = str(body.get("input"))
    vec = [float(len(text)), float(ord(text[0]) if text else 0), 0.5]
    if body.get("encoding_format") == "base64":
        data: Any = base64.b64encode(struct.pack("<3f", *vec)).decode()
    else:
        data = vec
    return {"object": "list", "model": body.get("model"),
            "data": [{"object": "embedding", "index": 0, "embedding": data}],
            "usage": {"prompt_tokens": 1, "total_tokens": 1}}


def message(body: dict) -> dict:
    """An Anthropic message answering the last user message."""
    msgs = body.get("messages") or [{}]
    text = f"[{body.get('model')}] {msgs[-1].get('content', '')}"
    return {"id": "msg_fake", "type": "message", "role": "assistant",
            "model": body.get("model"), "stop_reason": "end_turn",
            "stop_sequence": None, "content": [{"type": "text", "text": text}],
            "usage": {"input_tokens": 5, "output_tokens": len(text)}}


SDK_ROUTES = {"/v1/embeddings": embeddings, "/v1/messages": message}


class FakeLLM:
    def __init__(self, count_file: Optional[str] = None) -> None:
        self.requests: List[Any] = []
        self.headers: List[dict] = []
        self.script: List[Any] = []
        self.count_file = count_file
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a: Any) -> None:
                pass

            def do_POST(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                with fake.lock:
                    fake.requests.append(body)
                    fake.headers.append(dict(self.headers))
                    step = fake.script.pop(0) if fake.script else None
                    if fake.count_file:
                        with open(fake.count_file, "w") as fh:
                            fh.write(str(len(fake.requests)))
                if self.path in SDK_ROUTES:
                    self._send_sdk(self.path, body or {})
                    return
                if self.path != "/v1/chat/completions":
                    self._send(404, {}, b'{"error":"not found"}')
                    return
                if step is not None and step[0] == "sleep":
                    time.sleep(step[1])
                    step = None
                if step is not None:
                    self._send(*step)
                    return
                msgs = (body or {}).get("messages") or [{}]
                user = msgs[-1].get("content", "")
                content = f"[{(body or {}).get('model')}] {user}"
                if (body or {}).get("stream"):
                    self._send_events(content, (body or {}).get("model"))
                    return
                self._send(200, {}, completion(content))

            def _send_events(self, content: str, model: Any) -> None:
                half = len(content) // 2
                events = b"".join(
                    b"data: " + json.dumps(chunk(part, model)).encode() +
                    b"\n\n" for part in (content[:half], content[half:]))
                self._send(200, {}, events + b"data: [DONE]\n\n",
                           "text/event-stream")

            def _send_sdk(self, path: str, body: dict) -> None:
                self._send(200, {}, json.dumps(SDK_ROUTES[path](body)).encode())

            def _send(self, status: int, headers: dict, data: bytes,
                      kind: str = "application/json") -> None:
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       daemon=True)

    def start(self) -> "FakeLLM":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


if __name__ == "__main__":
    srv = FakeLLM(count_file=sys.argv[2])
    with open(sys.argv[1] + ".tmp", "w") as fh:
        fh.write(str(srv.port))
    import os
    os.replace(sys.argv[1] + ".tmp", sys.argv[1])
    srv.server.serve_forever()
