"""A fake card processor: tasks, uuids, clocks and a little randomness."""

import random
import time
import uuid

from currant import task

from . import config


class Declined(Exception):
    pass


@task(retries=2, non_retryable=(Declined,))
def charge(order_id, amount):
    """Charges amount cents; returns a transaction record."""
    started = time.monotonic()
    if amount > config.card_limit():
        raise Declined(f"{order_id}: {amount} cents is over the card limit")
    # A real processor takes a moment; the jitter is recorded, not printed.
    latency = random.uniform(0.001, 0.005)
    transaction = {
        "id": str(uuid.uuid4()),
        "order": order_id,
        "amount": amount,
        "currency": config.currency(),
        "at": time.time(),
        "latency": latency,
    }
    transaction["took"] = time.monotonic() - started
    return transaction


@task
def refund(transaction):
    return {
        "id": str(uuid.uuid1()),
        "refunds": transaction["id"],
        "at": time.time_ns(),
    }
