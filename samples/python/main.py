#!/usr/bin/env python3
"""Processes a batch of orders and prints what happened.

Usage: python3 main.py [DATA_DIR]
(default: $CURRANT_SAMPLE_DIR, else a new temporary directory)

Everything printed is derived from the orders, never from clocks, uuids or
randomness, so a plain run and an instrumented run print the same text.
"""

import sys

import shop
import shop.notify as notify
from shop import config, inventory


def show(result):
    line = f"{result['order']} {result['customer']:<6} {result['status']}"
    if "amount" in result:
        line += f" {result['amount'] / 100:.2f} {config.currency()}"
    if "detail" in result:
        line += f" ({result['detail']})"
    print(line)


def main(argv):
    data_dir = config.data_dir(argv)
    results = shop.process_orders(data_dir, report=show)
    for result in results:
        if "message" in result:
            print(result["message"])
    paid = [r for r in results if r["status"] == "paid"]
    revenue = sum(r["amount"] for r in paid) / 100
    print(f"paid: {len(paid)} of {len(results)}, revenue {revenue:.2f}")
    print(f"stock left: {inventory.summary(data_dir)}")
    print(f"receipts on disk: {notify.count_receipts(data_dir)}")
    with open(f"{data_dir}/shop.log", encoding="utf-8") as log:
        print(f"log lines: {sum(1 for _ in log)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
