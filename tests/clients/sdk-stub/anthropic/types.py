"""The answer types of the stand-in anthropic package (../README.md)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List


@dataclass
class TextBlock:
    type: str
    text: str


@dataclass
class Usage:
    input_tokens: int
    output_tokens: int


@dataclass
class Message:
    id: str
    model: str
    role: str
    content: List[TextBlock]
    usage: Usage


def message(d: dict) -> Message:
    return Message(d["id"], d["model"], d["role"],
                   [TextBlock(b["type"], b["text"]) for b in d["content"]],
                   Usage(**d["usage"]))
