"""Order processing: the workflow tying stock, payments and receipts."""

from datetime import datetime
from time import perf_counter as tick

import currant

from . import config, inventory, notify
from .payments import Declined, charge as charge_card

ORDERS = [
    ("alice", [("widget", 2), ("gadget", 1)]),
    ("bob", [("gizmo", 5)]),
    ("carol", [("gadget", 1), ("widget", 8)]),
    ("dave", [("gizmo", 3)]),
]


@currant.task
def place_order(data_dir, number, customer, lines):
    order_id = f"order-{number}"
    token = currant.uuid()
    try:
        inventory.reserve(data_dir, lines)
    except inventory.OutOfStock as exc:
        notify.log_line(data_dir, f"{order_id} rejected: {exc}")
        return {"order": order_id, "customer": customer,
                "status": "out of stock", "detail": str(exc)}
    amount = inventory.price_of(data_dir, lines)
    try:
        transaction = charge_card(order_id, amount)
    except Declined:
        inventory.release(data_dir, lines)
        notify.log_line(data_dir, f"{order_id} declined")
        return {"order": order_id, "customer": customer,
                "status": "declined", "amount": amount}
    message = notify.send_receipt(data_dir, order_id, transaction)
    notify.log_line(data_dir, f"{order_id} paid {transaction['id']} ({token})")
    return {"order": order_id, "customer": customer,
            "status": "paid", "amount": amount, "message": message}


def process_orders(data_dir, report=None):
    """Runs every order; returns the results in order.

    report, if given, is called with each result as soon as it is known.
    """
    opened = datetime.now()
    started = tick()
    inventory.seed(data_dir)
    notify.start_log(data_dir)
    results = []
    for number, (customer, lines) in enumerate(ORDERS, start=1):
        result = place_order(data_dir, number, customer, lines)
        results.append(result)
        if report is not None:
            report(result)
        currant.sleep(config.pace())  # pace the fake card processor
    elapsed = tick() - started
    closed = currant.now()
    notify.log_line(
        data_dir,
        f"batch opened {opened:%H:%M:%S} took {elapsed:.3f}s closed {closed}",
    )
    return results
