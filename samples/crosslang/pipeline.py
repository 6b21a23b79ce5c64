#!/usr/bin/env python3
"""Prices a batch of orders across runtimes, then asks a model to summarise.

Python reads the orders and writes one quote file per order; the prices come
from ``quote``, a JavaScript function of pricing.js, imported through the
``currant.js`` namespace.  Built with currantc and run with ``currant run``,
the whole pipeline is one durable run: the JavaScript call, the clock and
environment reads inside it, each file write and the prompt are checkpoints,
so a crash half-way resumes where it stopped.

Usage: python3 pipeline.py [DATA_DIR]
(default: a new temporary directory).  The model comes from
CURRANT_LLM_BASE_URL / CURRANT_LLM_MODEL (see docs/PROMPTS.md).
"""

import json
import os
import sys
import tempfile

import currant
from currant.js.pricing import quote

ORDERS = [
    {"id": "A-100", "region": "eu", "items": [("tea", 2, 450), ("cup", 1, 1200)]},
    {"id": "A-101", "region": "us", "items": [("tea", 10, 450)]},
    {"id": "A-102", "region": "uk", "items": [("pot", 1, 3900), ("tea", 3, 450)]},
    {"id": "A-103", "region": "eu", "items": [("cup", 4, 1200)]},
]


def subtotal(order):
    """Cents before tax: plain Python, no boundary."""
    return sum(qty * unit for _, qty, unit in order["items"])


def price_order(order, data_dir):
    """Prices one order in JavaScript and keeps the quote on disk."""
    priced = quote(subtotal(order), order["region"])
    with open(os.path.join(data_dir, f"{order['id']}.json"), "w", encoding="utf-8") as f:
        json.dump(priced, f, sort_keys=True)
    return priced


def read_quote(data_dir, order):
    """The quote price_order kept on disk."""
    with open(os.path.join(data_dir, f"{order['id']}.json"), encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    data_dir = argv[1] if len(argv) > 1 else tempfile.mkdtemp(prefix="crosslang-")
    pace = float(os.environ.get("CURRANT_SAMPLE_PACE", "0"))
    lines = []
    for order in ORDERS:
        priced = price_order(order, data_dir)
        line = f"{order['id']} {priced['total'] / 100:.2f} {priced['currency']}"
        lines.append(line)
        print(f"order-{line}", flush=True)
        currant.sleep(pace)  # durable: a resumed run does not sleep again
    total = sum(read_quote(data_dir, order)["total"] for order in ORDERS)
    print(f"total: {total / 100:.2f}", flush=True)
    summary = currant.prompt("Summarise {n} priced orders for finance: {lines}",
                             n=len(lines), lines="; ".join(lines))
    print(f"summary: {summary}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
