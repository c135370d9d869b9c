"""How the SSH transport hands a command's output from paramiko's thread to the reader: the
channel inbox. The real sshd tests in tests/integration stream through it; these pin the edge
cases (a few bytes are not held back, the end wakes the reader, a bulk stream is gathered)."""

from __future__ import annotations

import threading
import time

from launchpad.remote.ssh_inbox import GATHER, LINGER, STDERR, STDOUT, ChannelInbox


def test_inbox_hands_over_everything_in_order_and_says_when_it_ended() -> None:
    inbox = ChannelInbox()
    inbox.put(STDOUT, b"a")
    inbox.put(STDERR, b"b")
    inbox.put(STDOUT, b"c")
    inbox.end()
    assert inbox.take(1.0) == ([(STDOUT, b"a"), (STDERR, b"b"), (STDOUT, b"c")], True)
    assert inbox.take(1.0) == ([], True)


def test_an_empty_inbox_waits_its_timeout_and_no_more() -> None:
    started = time.monotonic()
    assert ChannelInbox().take(0.05) == ([], False)
    assert 0.04 <= time.monotonic() - started < 1.0


def test_a_few_bytes_reach_the_reader_within_the_linger() -> None:
    inbox = ChannelInbox()
    threading.Timer(0.05, inbox.put, (STDOUT, b"line\n")).start()
    started = time.monotonic()
    assert inbox.take(5.0) == ([(STDOUT, b"line\n")], False)
    assert time.monotonic() - started < 0.05 + LINGER + 0.5


def test_a_bulk_stream_wakes_the_reader_once_it_gathered_enough() -> None:
    inbox = ChannelInbox()
    packet = b"x" * 32768

    def stream() -> None:
        for _ in range(GATHER // len(packet)):
            inbox.put(STDOUT, packet)

    inbox.put(STDOUT, packet)
    feeder = threading.Thread(target=stream)
    feeder.start()
    chunks, ended = inbox.take(5.0)
    feeder.join()
    chunks += inbox.take(0)[0]
    assert not ended and sum(len(data) for _, data in chunks) == GATHER + len(packet)


def test_the_end_wakes_a_waiting_reader_at_once() -> None:
    inbox = ChannelInbox()
    threading.Timer(0.05, inbox.end).start()
    started = time.monotonic()
    assert inbox.take(5.0) == ([], True)
    assert time.monotonic() - started < 1.0
