"""A stand-in for the openai package (README.md): OpenAI and AsyncOpenAI
with chat.completions.create (streamed or not) and embeddings.create."""
from __future__ import annotations

import asyncio
import json
from typing import Any, List, Optional

from _stub_http import post

from . import types


class Stream:
    """The chunks of a streamed chat completion, read as they come."""

    def __init__(self, response: Any) -> None:
        self.response = response

    def __iter__(self) -> "Stream":
        return self

    def __next__(self) -> types.ChatCompletionChunk:
        for line in self.response:
            line = line.strip()
            if line == b"data: [DONE]":
                break
            if line.startswith(b"data: "):
                return types.chunk(json.loads(line[6:]))
        self.close()
        raise StopIteration

    def close(self) -> None:
        self.response.close()

    def __enter__(self) -> "Stream":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class AsyncStream:
    """A Stream read in a worker thread, chunk by chunk."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream

    def __aiter__(self) -> "AsyncStream":
        return self

    async def __anext__(self) -> types.ChatCompletionChunk:
        item = await asyncio.to_thread(next, self.stream, None)
        if item is None:
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        self.stream.close()


class _Completions:
    def __init__(self, client: "OpenAI") -> None:
        self.client = client

    def create(self, *, model: str, messages: List[dict], stream: bool = False,
               **params: Any) -> Any:
        res = self.client.post("/chat/completions",
                               {"model": model, "messages": messages, "stream": stream, **params})
        if stream:
            return Stream(res)
        with res:
            return types.completion(json.load(res))


class _Chat:
    def __init__(self, client: "OpenAI") -> None:
        self.completions = _Completions(client)


class _Embeddings:
    def __init__(self, client: "OpenAI") -> None:
        self.client = client

    def create(self, *, model: str, input: Any, **params: Any) -> types.CreateEmbeddingResponse:
        with self.client.post("/embeddings", {"model": model, "input": input, **params}) as res:
            return types.embeddings(json.load(res))


class OpenAI:
    def __init__(self, *, api_key: Optional[str] = None, base_url: Optional[str] = None) -> None:
        self.api_key = api_key or "none"
        self.base_url = (base_url or "https://api.openai.com/v1").rstrip("/")
        self.chat = _Chat(self)
        self.embeddings = _Embeddings(self)

    def post(self, path: str, body: dict) -> Any:
        return post(self.base_url + path, body, {"Authorization": f"Bearer {self.api_key}"})


class _AsyncCompletions:
    def __init__(self, sync: _Completions) -> None:
        self.sync = sync

    async def create(self, **kw: Any) -> Any:
        out = await asyncio.to_thread(self.sync.create, **kw)
        return AsyncStream(out) if isinstance(out, Stream) else out


class _AsyncChat:
    def __init__(self, client: OpenAI) -> None:
        self.completions = _AsyncCompletions(_Completions(client))


class AsyncOpenAI:
    def __init__(self, **kw: Any) -> None:
        self.chat = _AsyncChat(OpenAI(**kw))
