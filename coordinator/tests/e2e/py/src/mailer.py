"""Email under a durable run, for 92-durable-py: three messages sent through
smtplib to the fake server (runtime-py/tests/fake_smtp.py, which appends
each Subject to $DATA.mail).  Killed after any checkpoint and resumed, each
message is sent once; the last line reads the server's file through a call
no checkpoint wraps, so it shows what was sent, not the journal."""
import builtins
import os
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

PORT = int(os.environ["SMTP_PORT"])


def send(subject: str) -> str:
    msg = EmailMessage()
    msg["From"] = "shop@example.com"
    msg["To"] = "buyer@example.com"
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="example.com")
    msg.set_content(f"{subject}: shipped")
    with smtplib.SMTP("127.0.0.1", PORT) as server:
        server.send_message(msg)
    return msg["Message-ID"]


ids = [send(f"order {n}") for n in range(3)]
print("distinct ids", len(set(ids)))
with vars(builtins)["open"](os.environ["DATA"] + ".mail") as sent:
    print("sent", sent.read().split("\n")[:-1])
