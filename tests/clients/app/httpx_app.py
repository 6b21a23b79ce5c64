"""A program that uses httpx as its documentation shows, with no currant
API in it, its clients made by a function of another file (http_clients.py)
and one kept by a class: tests/suites/98-client-libraries.sh compiles it
with currantc and runs it under currant, killed after each checkpoint.  The
server is the fake LLM server (any JSON API would do), which answers 404 to
an unknown path; nothing listens on port 9, so that request fails to
connect."""
import asyncio
import os

import httpx

from http_clients import api_client

root = os.environ["LLM_ROOT"]


class Embedder:
    """Keeps its client, made by a function of another file."""

    def __init__(self) -> None:
        self.http = api_client()

    def embed(self, text: str) -> httpx.Response:
        return self.http.post("/embeddings", json={"model": "e", "input": text})


def main() -> None:
    a = httpx.post(f"{root}/v1/chat/completions",
                   json={"model": "m",
                         "messages": [{"role": "user", "content": "one"}]})
    print("post:", a.status_code, a.json()["choices"][0]["message"]["content"],
          a.headers["content-type"], type(a).__name__)
    b = Embedder().embed("two")
    print("client:", b.status_code,
          ",".join(map(str, b.json()["data"][0]["embedding"])))
    with api_client() as client:
        missing = client.post("/missing", json={})
        try:
            missing.raise_for_status()
        except httpx.HTTPStatusError as err:
            print("error:", err.response.status_code,
                  err.response.json()["error"], err.request.method)
    try:
        httpx.post("http://127.0.0.1:9/refused", timeout=2)
    except httpx.ConnectError as err:
        print("refused:", type(err).__name__)
    asyncio.run(ask())


async def ask() -> None:
    async with httpx.AsyncClient(base_url=f"{root}/v1") as aio:
        c = await aio.post("/messages", json={
            "model": "c", "messages": [{"role": "user", "content": "three"}]})
        print("async:", c.json()["content"][0]["text"], c.is_success,
              c.reason_phrase)


main()
