"""The channel: requests on a socket, replies on a pipe polled before a
blocking read (currant._channel)."""

import json
import os
import socket
import struct
import threading
import time
import unittest

from currant._channel import Channel, ChannelClosed


def frame(msg: dict) -> bytes:
    body = json.dumps(msg).encode()
    return struct.pack(">I", len(body)) + body


class ChannelTest(unittest.TestCase):
    def setUp(self) -> None:
        self.ours, self.coordinator = socket.socketpair()
        self.reply_r, self.reply_w = os.pipe()

    def tearDown(self) -> None:
        self.ours.close()
        self.coordinator.close()
        for fd in (self.reply_r, self.reply_w):
            try:
                os.close(fd)
            except OSError:
                pass

    def channel(self, spin_us: int) -> Channel:
        return Channel(self.ours.fileno(), self.reply_r, spin_us)

    def reply_later(self, seconds: float, data: bytes) -> threading.Thread:
        def write() -> None:
            time.sleep(seconds)
            os.write(self.reply_w, data)
        t = threading.Thread(target=write)
        t.start()
        return t

    def test_requests_go_to_the_socket_and_replies_come_on_the_pipe(self) -> None:
        ch = self.channel(0)
        os.write(self.reply_w, frame({"ok": True}))
        self.assertEqual(ch.request({"op": "commit", "key": "0"}), {"ok": True})
        sent = self.coordinator.recv(1 << 16)
        self.assertEqual(json.loads(sent[4:]), {"op": "commit", "key": "0"})
        self.assertIsNone(ch._poll)  # spin 0: nothing polled

    def spied(self, ch: Channel) -> list:
        """What each poll of ch returned (None: nothing came in time)."""
        polls: list = []
        spin = ch._spin

        def record(n: int):
            polls.append(spin(n))
            return polls[-1]
        ch._spin = record  # type: ignore[method-assign]
        return polls

    def test_a_reply_within_the_poll_is_read_by_polling(self) -> None:
        ch = self.channel(2_000_000)
        self.assertIsNotNone(ch._poll)
        polls = self.spied(ch)
        t = self.reply_later(0.02, frame({"value": 7}))
        self.assertEqual(ch.request({"op": "commit"}, prompt=True),
                         {"value": 7})
        self.assertEqual(polls, [frame({"value": 7})])
        t.join()

    def test_a_reply_that_is_not_prompt_is_not_polled_for(self) -> None:
        ch = self.channel(2_000_000)
        polls = self.spied(ch)
        t = self.reply_later(0.02, frame({"value": "bridged"}))
        self.assertEqual(ch.request({"op": "bridge"}), {"value": "bridged"})
        self.assertEqual(polls, [])
        t.join()

    def test_a_reply_after_the_poll_is_read_by_blocking(self) -> None:
        ch = self.channel(1_000)  # 1 ms of polling, the reply after 100
        polls = self.spied(ch)
        t = self.reply_later(0.1, frame({"value": "late"}))
        self.assertEqual(ch.request({"op": "commit"}, prompt=True),
                         {"value": "late"})
        self.assertEqual(polls, [None])
        t.join()

    def test_after_polls_in_vain_the_next_prompt_replies_are_blocked_for(
            self) -> None:
        # polling while the coordinator waits for a CPU (ours) only makes
        # it wait longer: after n polls in vain in a row, the next
        # min(2**(n-1), 16) prompt replies are not polled for
        ch = self.channel(1_000)
        polls = self.spied(ch)

        def commit(seq: int, late: bool) -> None:
            t = self.reply_later(0.05 if late else 0, frame({"seq": seq}))
            if not late:
                t.join()
            self.assertEqual(ch.request({"op": "commit"}, prompt=True),
                             {"seq": seq})
            t.join()
        commit(0, late=True)   # polled in vain: 1 reply blocked for
        commit(1, late=False)  # blocked for
        commit(2, late=True)   # polled in vain again: 2 blocked for
        commit(3, late=False)
        commit(4, late=False)
        commit(5, late=False)  # polled
        self.assertEqual(polls, [None, None, frame({"seq": 5})])

    def test_a_reply_split_across_reads_is_joined(self) -> None:
        ch = self.channel(200)
        data = frame({"value": "x" * 100})
        os.write(self.reply_w, data[:3])
        t = self.reply_later(0.05, data[3:])
        self.assertEqual(ch.request({"op": "commit"}, prompt=True),
                         {"value": "x" * 100})
        t.join()

    def test_the_coordinator_gone_while_polling_closes_the_channel(self) -> None:
        ch = self.channel(2_000_000)
        os.close(self.reply_w)
        ch._polling = True  # as request(prompt=True) does; it would exit
        with self.assertRaises(ChannelClosed):
            ch.recv()

    def test_without_a_reply_pipe_replies_come_on_the_socket(self) -> None:
        ch = Channel(self.ours.fileno(), None, 200)
        self.assertIsNone(ch._poll)  # a socket is not opened again
        self.coordinator.sendall(frame({"op": "ready"}))
        self.assertEqual(ch.recv(), {"op": "ready"})


if __name__ == "__main__":
    unittest.main()
