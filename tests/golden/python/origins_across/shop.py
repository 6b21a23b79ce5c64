"""Calls on values made by functions of another file (clients.py): each
is followed there, by a name bound from the call, on the call's result at
once, and through an attribute a method stores it in."""
from clients import make_client, make_async
import clients


class Shop:
    def __init__(self, base, path):
        self.http = make_client(base)
        self.ledger = clients.open_ledger(path)

    def charge(self, n):
        self.ledger.write(f"charge {n}\n")
        return self.http.post("/charge", json={"n": n})


def audit(base):
    c = make_client(base)
    c.get("/audit")
    make_client(base).delete("/audit")


async def notify(base):
    client = make_async()
    await client.post(base + "/notify")
