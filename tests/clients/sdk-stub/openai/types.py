"""The answer types of the stand-in openai package (README.md)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional


@dataclass
class ChatCompletionMessage:
    role: str
    content: Optional[str]


@dataclass
class Choice:
    index: int
    message: ChatCompletionMessage
    finish_reason: Optional[str]


@dataclass
class ChatCompletion:
    id: str
    model: str
    choices: List[Choice]


@dataclass
class ChoiceDelta:
    content: Optional[str]


@dataclass
class ChunkChoice:
    index: int
    delta: ChoiceDelta
    finish_reason: Optional[str]


@dataclass
class ChatCompletionChunk:
    id: str
    model: str
    choices: List[ChunkChoice]


@dataclass
class Embedding:
    index: int
    embedding: List[float]


@dataclass
class CreateEmbeddingResponse:
    model: str
    data: List[Embedding]


def completion(d: dict) -> ChatCompletion:
    return ChatCompletion(d["id"], d["model"], [
        Choice(c["index"], ChatCompletionMessage(**c["message"]),
               c.get("finish_reason")) for c in d["choices"]])


def chunk(d: dict) -> ChatCompletionChunk:
    return ChatCompletionChunk(d["id"], d["model"], [
        ChunkChoice(c["index"], ChoiceDelta(c["delta"].get("content")),
                    c.get("finish_reason")) for c in d["choices"]])


def embeddings(d: dict) -> CreateEmbeddingResponse:
    return CreateEmbeddingResponse(d["model"], [
        Embedding(e["index"], e["embedding"]) for e in d["data"]])
