"""Email: sendmail/send_message of an SMTP client are checkpoints (the
client is followed from smtplib.SMTP, SMTP_SSL and LMTP, through `with ...
as` and an annotated parameter); login, starttls and quit are not (they run
again with the connection on replay).  email.utils's Message-ID and dates
are recorded."""
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, localtime, make_msgid
from smtplib import SMTP_SSL


def message(to):
    msg = EmailMessage()
    msg["To"] = to
    msg["Message-ID"] = make_msgid(domain="example.com")
    msg["Date"] = formatdate(localtime=True)
    msg.set_content(f"sent {localtime().isoformat()}")
    return msg


def notify(server: smtplib.SMTP, to):
    server.send_message(message(to))


def main():
    with smtplib.SMTP("localhost", 2525) as s:
        s.starttls()
        s.login("u", "p")
        s.sendmail("a@example.com", ["b@example.com"], "Subject: hi\n\nhello")
        notify(s, "c@example.com")
    secure = SMTP_SSL("smtp.example.com")
    secure.send_message(message("d@example.com"))
    secure.quit()
    lmtp = smtplib.LMTP("/run/lmtp.sock")
    lmtp.sendmail("a@example.com", "e@example.com", b"hi")
