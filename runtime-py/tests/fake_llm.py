"""A fake OpenAI-compatible chat-completions server on 127.0.0.1 for tests.

In a test: ``srv = FakeLLM(); srv.start(); ... srv.stop()``; ``srv.base``
is the base URL, ``srv.requests`` the JSON bodies received, ``srv.script``
a list of canned replies used first (each ``(status, headers, body)`` or
``("sleep", seconds)``); once it is empty every request gets a completion
whose content is ``"[MODEL] USER-MESSAGE"``.

As a program (tests/suites/95-prompts.sh): ``python3 fake_llm.py PORTFILE
COUNTFILE`` serves until killed, writing its port to PORTFILE and the number
of requests so far to COUNTFILE.
"""

from __future__ import annotations

import json
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
                self._send(200, {}, completion(
                    f"[{(body or {}).get('model')}] {user}"))

            def _send(self, status: int, headers: dict, data: bytes) -> None:
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Type", "application/json")
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
