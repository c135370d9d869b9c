"""How the SSH transport hands a command's output from paramiko's thread to the reader: the
channel inbox. The real sshd tests in tests/integration stream through it; these pin the edge
cases (a few bytes are not held back, the end wakes the reader, a bulk stream is gathered).

No test reads the clock: each records how long the reader asked to wait and whether it was
woken or timed out, which is what the inbox decides; how long the machine took is not."""

from __future__ import annotations

import threading
from collections.abc import Callable

from launchpad.hosts.ssh_inbox import GATHER, LINGER, STDERR, STDOUT, ChannelInbox

SETTLED = 10.0  # a bound for the test's own threads, never reached when all is well


class WatchedWaits(threading.Condition):
    """The inbox's condition, recording each wait: the timeout asked for, and whether it
    ended by a wake-up (True) or by the timeout (False). `waiting` is set on each wait."""

    def __init__(self, lock: threading.Lock) -> None:
        super().__init__(lock)
        self.waits: list[tuple[float | None, bool]] = []
        self.waiting = threading.Event()

    def wait(self, timeout: float | None = None) -> bool:
        self.waiting.set()  # the lock is released inside wait, so a put or end can follow
        woken = super().wait(timeout)
        self.waits.append((timeout, woken))
        return woken


def watched() -> tuple[ChannelInbox, WatchedWaits]:
    inbox = ChannelInbox()
    waits = WatchedWaits(inbox._lock)
    inbox._arrived = waits
    return inbox, waits


def take_while(inbox: ChannelInbox, waits: WatchedWaits, timeout: float,
               meanwhile: Callable[[], None]) -> tuple[list[tuple[int, bytes]], bool]:
    """`inbox.take(timeout)` in a reader thread; `meanwhile` once that reader waits."""
    taken: list[tuple[list[tuple[int, bytes]], bool]] = []
    reader = threading.Thread(target=lambda: taken.append(inbox.take(timeout)))
    reader.start()
    assert waits.waiting.wait(SETTLED), "the reader never waited"
    meanwhile()
    reader.join(SETTLED)
    assert not reader.is_alive() and taken
    return taken[0]


def test_inbox_hands_over_everything_in_order_and_says_when_it_ended() -> None:
    inbox = ChannelInbox()
    inbox.put(STDOUT, b"a")
    inbox.put(STDERR, b"b")
    inbox.put(STDOUT, b"c")
    inbox.end()
    assert inbox.take(1.0) == ([(STDOUT, b"a"), (STDERR, b"b"), (STDOUT, b"c")], True)
    assert inbox.take(1.0) == ([], True)


def test_an_empty_inbox_waits_its_timeout_and_no_more() -> None:
    inbox, waits = watched()
    assert inbox.take(0.05) == ([], False)
    assert waits.waits == [(0.05, False)]  # one wait, as long as asked, ended by its timeout


def test_a_few_bytes_reach_the_reader_within_the_linger() -> None:
    inbox, waits = watched()
    taken = take_while(inbox, waits, 5.0, lambda: inbox.put(STDOUT, b"line\n"))
    assert taken == ([(STDOUT, b"line\n")], False)
    # Woken by the bytes, then waiting LINGER at most for more before handing them over.
    assert waits.waits == [(5.0, True), (LINGER, False)]


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
    inbox, waits = watched()
    assert take_while(inbox, waits, 5.0, inbox.end) == ([], True)
    assert waits.waits == [(5.0, True)]  # woken by the end, not by the timeout
