"""The httpx clients httpx_app.py uses, made here: currantc follows what
these functions return into the file that calls them."""
import os

import httpx


def api_client() -> httpx.Client:
    return httpx.Client(base_url=f"{os.environ['LLM_ROOT']}/v1",
                        headers={"x-client": "test"})
