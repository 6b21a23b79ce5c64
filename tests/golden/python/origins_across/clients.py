"""Factories of the values other files call methods on."""
import httpx


def make_client(base):
    return httpx.Client(base_url=base)


def open_ledger(path):
    ledger = open(path, "a")
    return ledger


def make_async():
    return httpx.AsyncClient()
