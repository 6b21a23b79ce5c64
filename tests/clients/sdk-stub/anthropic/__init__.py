"""A stand-in for the anthropic package (../README.md): Anthropic with
messages.create."""
from __future__ import annotations

import json
from typing import Any, List, Optional

from _stub_http import post

from . import types


class _Messages:
    def __init__(self, client: "Anthropic") -> None:
        self.client = client

    def create(self, *, model: str, max_tokens: int, messages: List[dict],
               **params: Any) -> types.Message:
        body = {"model": model, "max_tokens": max_tokens, "messages": messages, **params}
        headers = {"x-api-key": self.client.api_key, "anthropic-version": "2023-06-01"}
        with post(self.client.base_url + "/v1/messages", body, headers) as res:
            return types.message(json.load(res))


class Anthropic:
    def __init__(self, *, api_key: Optional[str] = None, base_url: Optional[str] = None) -> None:
        self.api_key = api_key or "none"
        self.base_url = (base_url or "https://api.anthropic.com").rstrip("/")
        self.messages = _Messages(self)
