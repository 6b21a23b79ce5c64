"""A fake SMTP server on 127.0.0.1 for tests: it accepts every message and
appends its Subject header, a line each, to a file (opened anew for each
message, so a test may delete it between runs).

As a program (tests/suites/92-durable-py.sh): ``python3 fake_smtp.py
PORTFILE MAILFILE`` serves until killed, writing its port to PORTFILE.
"""

from __future__ import annotations

import email
import os
import socketserver
import sys


class Handler(socketserver.StreamRequestHandler):
    """One SMTP session: enough of RFC 5321 for smtplib's client."""

    mailfile = ""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 fake ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line[:4].decode("ascii", "replace").upper()
            if verb == "EHLO":
                self.reply("250-fake")
                self.reply("250 8BITMIME")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                self.store(self.body())
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")

    def body(self) -> bytes:
        lines = []
        while True:
            line = self.rfile.readline()
            if not line or line in (b".\r\n", b".\n"):
                return b"".join(lines)
            lines.append(line[1:] if line.startswith(b"..") else line)

    def store(self, data: bytes) -> None:
        subject = email.message_from_bytes(data).get("Subject", "")
        with open(self.mailfile, "a", encoding="utf-8") as f:
            f.write(subject + "\n")


def main() -> None:
    portfile, Handler.mailfile = sys.argv[1], sys.argv[2]
    socketserver.ThreadingTCPServer.allow_reuse_address = True
    with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler) as srv:
        with open(portfile + ".tmp", "w", encoding="utf-8") as f:
            f.write(str(srv.server_address[1]))
        os.replace(portfile + ".tmp", portfile)
        srv.serve_forever()


if __name__ == "__main__":
    main()
