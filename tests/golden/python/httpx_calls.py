# httpx, the HTTP client with a sync and an async API: module functions
# (also imported under another name), a Client's methods (also through
# `with`) and an AsyncClient's (awaited, also through `async with`).
import httpx
from httpx import post as send

URL = "http://127.0.0.1:9/"


def with_httpx():
    httpx.get(URL, timeout=1)
    send(URL, json={"a": 1})
    httpx.put(URL, content=b"x")
    httpx.patch(URL)
    httpx.delete(URL)
    httpx.head(URL)
    httpx.options(URL)
    httpx.request("GET", URL)
    client = httpx.Client(base_url=URL)
    client.get("/a")
    client.put("/a")
    client.patch("/a")
    client.delete("/a")
    client.head("/a")
    client.options("/a")
    client.request("GET", "/a")
    client.send(client.build_request("GET", "/a"))  # build_request: not a site
    with httpx.Client() as c:
        return c.post(URL).json()


async def with_async_httpx():
    aio = httpx.AsyncClient()
    await aio.get(URL)
    async with httpx.AsyncClient(base_url=URL) as c:
        r = await c.post("/b", json={"b": 2})
        return r.status_code
