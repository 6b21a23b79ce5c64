"""Stock kept in a JSON file; every read and write goes through open()."""

import json
from pathlib import Path

INITIAL_STOCK = {
    "widget": {"price": 1250, "count": 10},
    "gadget": {"price": 4999, "count": 2},
    "gizmo": {"price": 799, "count": 3},
}


class OutOfStock(Exception):
    pass


def stock_path(data_dir):
    return Path(data_dir) / "stock.json"


def seed(data_dir):
    """Writes the initial stock file."""
    with open(stock_path(data_dir), "w", encoding="utf-8") as f:
        json.dump(INITIAL_STOCK, f, indent=2, sort_keys=True)


def load(data_dir):
    with open(stock_path(data_dir), encoding="utf-8") as f:
        return json.load(f)


def save(data_dir, stock):
    text = json.dumps(stock, indent=2, sort_keys=True)
    stock_path(data_dir).write_text(text + "\n", encoding="utf-8")


def price_of(data_dir, lines):
    """Total price in cents of the order lines [(sku, qty), ...]."""
    stock = load(data_dir)
    return sum(stock[sku]["price"] * qty for sku, qty in lines)


def reserve(data_dir, lines):
    """Takes the lines out of stock; raises OutOfStock, changing nothing."""
    stock = load(data_dir)
    for sku, qty in lines:
        if stock[sku]["count"] < qty:
            have = stock[sku]["count"]
            raise OutOfStock(f"{sku}: wanted {qty}, have {have}")
    for sku, qty in lines:
        stock[sku]["count"] -= qty
    save(data_dir, stock)


def release(data_dir, lines):
    """Puts reserved lines back (after a failed payment)."""
    stock = load(data_dir)
    for sku, qty in lines:
        stock[sku]["count"] += qty
    save(data_dir, stock)


def summary(data_dir):
    stock = json.loads(stock_path(data_dir).read_text(encoding="utf-8"))
    return ", ".join(
        f"{sku}={item['count']}" for sku, item in sorted(stock.items())
    )
