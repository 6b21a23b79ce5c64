"""The one HTTP call of both stand-in SDKs (README.md): a JSON POST."""
from __future__ import annotations

import json
import urllib.request
from typing import Any


def post(url: str, body: dict, headers: dict) -> Any:
    """The HTTP response to a JSON POST of body to url."""
    req = urllib.request.Request(url, json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", **headers})
    return urllib.request.urlopen(req, timeout=30)
