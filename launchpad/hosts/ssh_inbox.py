"""Receiving a command's output without a thread hand-off per SSH packet.

paramiko's transport thread puts every packet (~32 KiB) into the channel's buffered pipe and
wakes whoever reads it: a pipe write for `select`, a futex, a read, for each packet; at
300 MiB/s that is ten thousand hand-offs of the GIL a second. Here the transport thread
appends each packet to the channel's `ChannelInbox` instead, and wakes the reader only when it
waits: for the first bytes, then for `GATHER` bytes, `LINGER` at most. A bulk stream reaches
its sink about once per MiB; a command's few lines reach it within `LINGER`, or at once when
the command ends.

The reader acknowledges the SSH window for what it takes, when it takes it, as paramiko's
`recv` does: at most one window (2 MiB) waits here, and a slow disk stops the server, never
the transport thread, which must keep answering the heartbeat and the key exchange.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

import paramiko
from paramiko.common import (
    MSG_CHANNEL_CLOSE,
    MSG_CHANNEL_DATA,
    MSG_CHANNEL_EOF,
    MSG_CHANNEL_EXTENDED_DATA,
    cMSG_CHANNEL_WINDOW_ADJUST,
)

STDOUT = 1
STDERR = 2
# The only extended data type SSH defines (RFC 4254 5.2); paramiko drops the others too.
_EXTENDED_STDERR = 1

# A bulk stream is handed to the reader in chunks of about this size (half the window)...
GATHER = 1024 * 1024
# ...or what came within this time, so a command's output is never held back for long.
LINGER = 0.01

Chunk = tuple[int, bytes]
ChannelHandler = Callable[[paramiko.Channel, paramiko.Message], None]


class ChannelInbox:
    """What the transport thread received on one channel, until its reader takes it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._chunks: list[Chunk] = []
        self._size = 0
        self._wanted = 0  # bytes the waiting reader wants before it is woken; 0: not waiting
        self._ended = False

    def put(self, stream: int, data: bytes) -> None:
        """Called by the transport thread for each packet."""
        with self._lock:
            self._chunks.append((stream, data))
            self._size += len(data)
            if self._wanted and self._size >= self._wanted:
                self._wanted = 0
                self._arrived.notify()

    def end(self) -> None:
        """Called by the transport thread once nothing more will come (EOF or CLOSE)."""
        with self._lock:
            self._ended = True
            self._arrived.notify()

    def take(self, timeout: float) -> tuple[list[Chunk], bool]:
        """What was received so far, once there is some (waiting `timeout` at most) and then
        `GATHER` bytes or `LINGER` seconds later; and whether the stream has ended (nothing
        more will arrive)."""
        with self._lock:
            self._wait(1, timeout)
            if self._chunks:
                self._wait(GATHER, LINGER)
            chunks, self._chunks, self._size = self._chunks, [], 0
            return chunks, self._ended

    def _wait(self, wanted: int, timeout: float) -> None:
        if self._size < wanted and not self._ended and timeout > 0:
            self._wanted = wanted
            try:
                self._arrived.wait(timeout)
            finally:
                self._wanted = 0


def acknowledge(channel: paramiko.Channel, nbytes: int) -> None:
    """Open the server's window by what was taken out of an inbox, as `Channel.recv` does
    for what it reads (paramiko sends one adjustment per tenth of the window)."""
    ack = channel._check_add_window(nbytes)  # type: ignore[attr-defined]  # private
    if ack > 0:
        message = paramiko.Message()
        message.add_byte(cMSG_CHANNEL_WINDOW_ADJUST)
        message.add_int(channel.remote_chanid)
        message.add_int(ack)
        channel.get_transport()._send_user_message(message)  # type: ignore[attr-defined]


def routed_handlers(
    handlers: Mapping[int, ChannelHandler], inboxes: Mapping[int, ChannelInbox]
) -> dict[int, ChannelHandler]:
    """paramiko's channel message handlers, with the data of a channel that has an inbox
    (by channel id in `inboxes`) sent there instead of to the channel's buffered pipe."""
    plain_data, plain_extended = handlers[MSG_CHANNEL_DATA], handlers[MSG_CHANNEL_EXTENDED_DATA]

    def data(channel: paramiko.Channel, message: paramiko.Message) -> None:
        inbox = inboxes.get(channel.chanid)
        if inbox is None:
            plain_data(channel, message)
        else:
            inbox.put(STDOUT, message.get_binary())

    def extended(channel: paramiko.Channel, message: paramiko.Message) -> None:
        inbox = inboxes.get(channel.chanid)
        if inbox is None:
            plain_extended(channel, message)
        elif message.get_int() == _EXTENDED_STDERR:
            inbox.put(STDERR, message.get_binary())

    def ending(handler: ChannelHandler) -> ChannelHandler:
        def handle(channel: paramiko.Channel, message: paramiko.Message) -> None:
            handler(channel, message)
            inbox = inboxes.get(channel.chanid)
            if inbox is not None:
                inbox.end()

        return handle

    return {
        **handlers,
        MSG_CHANNEL_DATA: data,
        MSG_CHANNEL_EXTENDED_DATA: extended,
        MSG_CHANNEL_EOF: ending(handlers[MSG_CHANNEL_EOF]),
        MSG_CHANNEL_CLOSE: ending(handlers[MSG_CHANNEL_CLOSE]),
    }


def channel_handlers(transport: Any) -> Mapping[int, ChannelHandler]:
    """paramiko's own table (a class attribute, private: not in the stubs)."""
    table: Mapping[int, ChannelHandler] = transport._channel_handler_table
    return table
