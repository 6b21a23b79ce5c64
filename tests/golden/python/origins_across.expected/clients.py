"""Factories of the values other files call methods on."""; _currant = __import__("currant").module("clients.py")
import httpx


def make_client(base):
    return httpx.Client(base_url=base)


def open_ledger(path):
    ledger = _currant.call(0, open, path, "a")
    return ledger


def make_async():
    return httpx.AsyncClient()
