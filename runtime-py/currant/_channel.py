"""The private channel to the coordinator: inherited file descriptors.

The runtime writes its requests to a socket and, under the coordinator,
reads the replies from a pipe (from the socket itself without one).

Messages are length-prefixed JSON: a 4-byte big-endian length, then that
many bytes of UTF-8 JSON.  Lengths are bounded (MAX_MESSAGE) on both sides
so that neither end can be made to allocate without limit.  The channel is
strictly request/reply from the runtime's side and guarded by a lock, so
threads that reach checkpoints at once take turns.

If the coordinator goes away the process cannot make progress durably, so
it exits at once (status 70) rather than run side effects nobody records.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import threading
import time
from typing import Any, Callable, Dict, Optional

MAX_MESSAGE = 16 * 1024 * 1024
_HEADER = struct.Struct(">I")
_OK_BODY = b'{"ok":true}'
# At most this many prompt replies are blocked for after polls in vain.  A
# poll in vain usually means the coordinator waits for the CPU the poll
# holds: after n in a row, the next min(2 ** (n - 1), _MAX_REST) replies
# are blocked for.  A slow disk costs one such reply at a time.
_MAX_REST = 16


class ChannelClosed(Exception):
    """The coordinator closed the channel or sent something malformed."""


class Channel:
    """Blocking framed JSON messages over the channel's descriptors."""

    def __init__(self, fd: int, reply_fd: Optional[int] = None,
                 spin_us: int = 0) -> None:
        self.fd = fd
        self.rfd = fd if reply_fd is None else reply_fd
        # A reply usually comes within the coordinator's commit (tens to a
        # few hundred µs); a process asleep in read needs a wake-up, 15-20
        # µs of each checkpoint on a VM.  So replies are polled for spin_us
        # first, through a non-blocking description of the reply pipe (the
        # inherited one stays blocking for the wait after that).
        self._poll = _open_non_blocking(self.rfd) \
            if spin_us > 0 and self.rfd != fd else None
        self._spin_ns = spin_us * 1000
        self._polling = False  # the reply awaited is a prompt one
        self._rest = 0  # prompt replies still to block for
        self._vain = 0  # polls in vain in a row
        self.lock = threading.Lock()
        # Bytes read past the last message: a reply's header and body
        # usually arrive in one read, so a checkpoint costs one read call.
        self._pending = bytearray()
        self._dumps = json.JSONEncoder(ensure_ascii=False,
                                       separators=(",", ":"),
                                       allow_nan=False).encode

    def send(self, msg: Dict[str, Any]) -> None:
        """Write one message (raises ValueError when it is too large)."""
        self.send_text(self._dumps(msg))

    def send_text(self, text: str) -> None:
        """Write one message given as its JSON text (an object)."""
        data = text.encode("utf-8")
        if len(data) > MAX_MESSAGE:
            raise ValueError(f"message of {len(data)} bytes exceeds the "
                             f"{MAX_MESSAGE}-byte channel limit")
        data = _HEADER.pack(len(data)) + data
        n = os.write(self.fd, data)
        if n < len(data):
            self._write_all(data[n:])

    def recv(self) -> Dict[str, Any]:
        """Read one message."""
        body = self._read_message()
        if body == _OK_BODY:
            return {"ok": True}  # the reply to every commit: no parse
        msg = json.loads(body)
        if not isinstance(msg, dict):
            raise ChannelClosed("message is not a JSON object")
        return msg

    def request(self, msg: Dict[str, Any],
                prompt: bool = False) -> Dict[str, Any]:
        """Send ``msg`` and return the reply; exits if the coordinator died.

        ``prompt``: the reply comes as soon as the coordinator has done its
        own work (a commit), so it is polled for before blocking.  Not for
        a reply that waits on another process or an event: three processes
        polling at once (caller, bridge worker, coordinator) starve one
        another on two CPUs.
        """
        return self._exchange(self.send, msg, prompt)

    def request_text(self, text: str,
                     prompt: bool = False) -> Dict[str, Any]:
        """``request`` of a message already encoded as JSON text."""
        return self._exchange(self.send_text, text, prompt)

    def _exchange(self, send: Callable[[Any], None], msg: Any,
                  prompt: bool) -> Dict[str, Any]:
        with self.lock:
            try:
                send(msg)
                self._polling = prompt and self._poll is not None
                return self.recv()
            except (OSError, ChannelClosed, ValueError) as exc:
                if isinstance(exc, ValueError) and \
                        "channel limit" in str(exc):
                    raise
                lost(exc)
                raise  # not reached
            finally:
                self._polling = False

    def _write_all(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]

    def _read_message(self) -> bytes:
        """The body of the next message."""
        if not self._pending:
            # the usual case: nothing left over and one read brings the
            # whole reply, header and body
            chunk = self._read_some(1 << 16)
            if len(chunk) >= 4:
                end = 4 + _HEADER.unpack_from(chunk)[0]
                if len(chunk) == end and end <= 4 + MAX_MESSAGE:
                    return chunk[4:]
            self._pending += chunk
        (size,) = _HEADER.unpack(self._read_exact(4))
        if size > MAX_MESSAGE:
            raise ChannelClosed(f"oversized message ({size} bytes)")
        return self._read_exact(size)

    def _read_some(self, n: int) -> bytes:
        chunk = None
        if self._polling and self._rest > 0:
            self._rest -= 1
        elif self._polling:
            chunk = self._spin(n)
        if chunk is None:
            chunk = os.read(self.rfd, n)
        if not chunk:
            raise ChannelClosed("coordinator closed the channel")
        return chunk

    def _spin(self, n: int) -> Optional[bytes]:
        """Up to n bytes polled for at most spin_us; None if none came."""
        assert self._poll is not None
        until = time.monotonic_ns() + self._spin_ns
        while True:
            try:
                chunk = os.read(self._poll, n)
                self._vain = 0
                return chunk
            except BlockingIOError:
                if time.monotonic_ns() >= until:
                    self._rest = min(1 << self._vain, _MAX_REST)
                    if self._rest < _MAX_REST:
                        self._vain += 1
                    return None

    def _read_exact(self, n: int) -> bytes:
        buf = self._pending
        while len(buf) < n:
            buf += self._read_some(max(n - len(buf), 1 << 16))
        data = bytes(buf[:n])
        del buf[:n]
        return data


def _open_non_blocking(fd: int) -> Optional[int]:
    """fd's pipe opened again, non-blocking; None if it cannot be."""
    try:
        return os.open(f"/proc/self/fd/{fd}",
                       os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None


def lost(exc: BaseException) -> None:
    """The coordinator is gone: stop before doing anything unrecorded."""
    try:
        sys.stderr.write(f"currant: lost the coordinator ({exc}); stopping\n")
        sys.stderr.flush()
    finally:
        os._exit(70)
