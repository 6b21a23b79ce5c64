"""Receipts on disk and a notification through a subprocess."""

import datetime as dt
import subprocess
from pathlib import Path

import currant


@currant.task
def send_receipt(data_dir, order_id, transaction):
    issued = dt.datetime.now(dt.timezone.utc)
    Path(data_dir, "receipts").mkdir(exist_ok=True)
    receipt = Path(data_dir, "receipts", f"{order_id}.txt")
    receipt.write_text(
        f"order {order_id}\n"
        f"amount {transaction['amount']} {transaction['currency']}\n"
        f"transaction {transaction['id']}\n"
        f"issued {issued.isoformat()}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        ["echo", f"receipt sent for {order_id}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def count_receipts(data_dir):
    return sum(1 for _ in Path(data_dir, "receipts").glob("*.txt"))


def start_log(data_dir):
    """Starts a fresh log file for this batch."""
    with open(Path(data_dir) / "shop.log", "w", encoding="utf-8") as log:
        log.write(f"# shop log, batch of {dt.date.today():%Y-%m-%d}\n")


def log_line(data_dir, message):
    """Appends to the shop's log file; the timestamp stays in the file."""
    stamp = dt.date.today().isoformat()
    with open(Path(data_dir) / "shop.log", "a", encoding="utf-8") as log:
        log.write(f"{stamp} {message}\n")
