"""untracked-receiver: calls that look like a catalogued origin's method on
values the compiler cannot follow, and calls it does not report."""
import sqlite3
import smtplib
from pathlib import Path


def ask(client, prompt):
    return client.chat.completions.create(model="m", messages=[prompt])  # expect: untracked-receiver


def archive(report, rows, mailer):
    report.write_text(str(rows))  # expect: untracked-receiver
    mailer.send_message(rows)  # expect: untracked-receiver
    for entry in report.iterdir():  # expect: untracked-receiver
        print(entry)


def quiet(report: Path, mailer: smtplib.SMTP, store, cache, db):
    report.write_text("x")  # annotated: a checkpoint
    mailer.sendmail("a", "b", "c")
    store.get("k")  # generic method names alone are not reported
    cache.write("x")
    store.unlink()
    db.execute("SELECT 1")  # sqlite3: journaled by the runtime at its connection
    Path("x").read_text()  # followed: a checkpoint
    return sqlite3.connect("x").execute("SELECT 1")
