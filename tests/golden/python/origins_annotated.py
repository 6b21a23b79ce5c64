# Values a type annotation declares: a parameter annotated with a class
# the catalogue follows (`T`, `T | None`, `Optional[T]`) holds one, and so
# does an attribute annotated in the class body or where a method assigns
# it, or assigned from such a parameter (`self.http = http`).
from pathlib import Path
from typing import Optional

import httpx


class Shop:
    http: httpx.Client

    def __init__(self, http: httpx.Client, data: Path, backup: Optional[Path] = None):
        self.http = http
        self.data = data
        self.backup = backup
        self.cache: httpx.Client | None = None

    def charge(self, n: int):
        self.data.write_text(str(n))
        if self.backup:
            self.backup.write_text(str(n))
        return self.http.post("/charge")

    def cached(self):
        return self.cache.get("/rates")


def pay(client: httpx.Client, other, path: Path | None, named: "Path"):
    client.post("/pay")
    other.post("/pay")  # not a site: nothing says what other is
    path.read_text()
    named.read_text()  # not a site: a string annotation is not read


def reassigned(client: httpx.Client):
    client = other_client()
    return client.post("/pay")  # not a site: client is not the parameter any more


def other_client():
    return object()
