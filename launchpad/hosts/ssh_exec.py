"""Running one command on an open SSH connection without ever hanging or lying.

One loop drains stdout and stderr together as data arrives (through the channel's inbox,
`ssh_inbox`): reading stdout to its end before stderr deadlocks as soon as the command fills
the stderr window (2 MiB). stdin is fed from its own thread for the same reason in the other
direction. Every wait is short and followed by a look at the deadline and at the connection's
heartbeat, so a timeout or a dead network ends the command with an error within a bounded
time; a command whose exit status never arrived is never reported as a success.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

import paramiko

from launchpad.errors import CommandTimeout, ConnectionLost, RemoteError
from launchpad.hosts.base import Readable
from launchpad.hosts.capture import short
from launchpad.hosts.ssh_connect import Connection
from launchpad.hosts.ssh_inbox import STDOUT, ChannelInbox, Chunk, acknowledge
from launchpad.phrases import phrase

READ_SIZE = 256 * 1024
SEND_SIZE = 32 * 1024  # paramiko's largest packet: one sendall, one packet
# The longest any wait lasts before the deadline and the connection's health are looked at.
TICK = 0.25
# What the exit code is when the server sent none: the command was killed by a signal.
NO_EXIT_STATUS = -1
# What paramiko raises when a channel or its connection fails.
_CHANNEL_ERRORS = (paramiko.SSHException, EOFError, OSError)

ChunkSink = Callable[[bytes], None]
StdinSource = bytes | Readable | None


def run_command(
    connection: Connection,
    command: str,
    *,
    timeout: float,
    channel_timeout: float,
    on_stdout: ChunkSink,
    on_stderr: ChunkSink,
    stdin: StdinSource = None,
) -> int:
    """Run `command` in a new session channel; return its exit status."""
    deadline = time.monotonic() + timeout
    channel = _open_session(connection, channel_timeout, command)
    inbox = ChannelInbox()
    connection.transport.attach_inbox(channel, inbox)
    feeder: _StdinFeeder | None = None
    try:
        try:
            channel.exec_command(command)
            if not stdin:
                # Like `ssh host cmd < /dev/null`: a command reading its input gets EOF at once.
                channel.shutdown_write()
        except _CHANNEL_ERRORS as exc:
            raise _refused(connection, command, exc) from None
        if stdin:
            feeder = _StdinFeeder(channel, stdin)
        check = _Checker(connection, command, timeout, deadline)
        _drain_until_eof(channel, inbox, connection, check, on_stdout, on_stderr)
        status = _wait_for_exit_status(channel, connection, check)
    finally:
        connection.transport.detach_inbox(channel)
        with contextlib.suppress(*_CHANNEL_ERRORS):
            channel.close()  # tells the server on a live connection; fails on a dead one
    if feeder is not None and feeder.read_error is not None:
        raise RemoteError(
            connection.target.name,
            phrase("ssh.input_failed", command=short(command), error=str(feeder.read_error)),
            hint=phrase("ssh.check_local_file"),
        )
    return status


class _Checker:
    """Raises when the command's deadline passed or its connection went silent."""

    def __init__(self, connection: Connection, command: str, timeout: float, deadline: float):
        self.connection = connection
        self.command = command
        self.timeout = timeout
        self.deadline = deadline

    def __call__(self) -> None:
        if time.monotonic() >= self.deadline:
            raise CommandTimeout(
                self.connection.target.name,
                phrase("ssh.timeout", command=short(self.command), seconds=f"{self.timeout:g}"),
                hint=phrase("ssh.timeout_hint"),
            )
        if not self.connection.is_alive():
            raise _lost(self.connection, self.command)

    def wait_time(self) -> float:
        return max(0.0, min(TICK, self.deadline - time.monotonic()))


def _drain_until_eof(
    channel: paramiko.Channel,
    inbox: ChannelInbox,
    connection: Connection,
    check: _Checker,
    on_stdout: ChunkSink,
    on_stderr: ChunkSink,
) -> None:
    while True:
        # Closed without an EOF before (the connection died, or the input's feeder gave up):
        # what arrived before is in the inbox already, take it without waiting.
        closed = channel.closed
        chunks, ended = inbox.take(0 if closed else check.wait_time())
        if chunks:
            connection.heartbeat.saw_traffic()
            try:
                acknowledge(channel, sum(len(data) for _, data in chunks))
            except _CHANNEL_ERRORS:
                # Acknowledging data to the server fails on a dead connection.
                raise _lost(connection, check.command) from None
            # The sinks run outside the try: their own errors (a full disk) are not the network's.
            _deliver(chunks, on_stdout, on_stderr)
        if ended or closed:
            # EOF or CLOSE came after the last data, and that was just delivered.
            return
        check()


def _deliver(chunks: list[Chunk], on_stdout: ChunkSink, on_stderr: ChunkSink) -> None:
    """Hand over the chunks in order, consecutive ones of a stream joined into one."""
    run: list[bytes] = []
    stream = STDOUT
    for kind, data in chunks:
        if kind != stream and run:
            (on_stdout if stream == STDOUT else on_stderr)(b"".join(run))
            run = []
        stream = kind
        run.append(data)
    if run:
        (on_stdout if stream == STDOUT else on_stderr)(run[0] if len(run) == 1 else b"".join(run))


def _wait_for_exit_status(
    channel: paramiko.Channel, connection: Connection, check: _Checker
) -> int:
    # The event is set by the exit status and by the channel closing, whichever comes first.
    while not channel.status_event.wait(check.wait_time()):
        check()
    if channel.exit_status != NO_EXIT_STATUS:
        return int(channel.exit_status)
    # A dying transport closes its channels before it marks itself inactive: give it a moment
    # to finish, so a cut connection is not mistaken for a command killed by a signal.
    connection.transport.join(TICK)
    if not connection.transport.is_active():
        raise _lost(connection, check.command)
    return NO_EXIT_STATUS


def _open_session(connection: Connection, timeout: float, command: str) -> paramiko.Channel:
    try:
        return connection.transport.open_session(timeout=timeout)
    except _CHANNEL_ERRORS as exc:
        if connection.is_alive() and "timeout" in str(exc).lower():
            raise RemoteError(
                connection.target.name,
                phrase("ssh.no_session", command=short(command), seconds=f"{timeout:g}"),
                hint=phrase("ssh.no_session_hint"),
            ) from None
        raise _refused(connection, command, exc) from None


def _refused(connection: Connection, command: str, exc: BaseException) -> RemoteError:
    if not connection.transport.is_active():
        return _lost(connection, command)
    return RemoteError(
        connection.target.name,
        phrase("ssh.refused_command", command=short(command), error=str(exc) or type(exc).__name__),
        hint=phrase("ssh.refused_command_hint"),
    )


def _lost(connection: Connection, command: str) -> ConnectionLost:
    return ConnectionLost(
        connection.target.name,
        phrase("ssh.lost", command=short(command), why=connection.why_dead()),
        hint=phrase("ssh.lost_hint"),
    )


class _StdinFeeder:
    """Writes the command's input from a thread while the caller drains its output."""

    def __init__(self, channel: paramiko.Channel, stdin: bytes | Readable) -> None:
        self.read_error: OSError | None = None
        self._channel = channel
        self._stdin = stdin
        self._thread = threading.Thread(target=self._feed, name="ssh stdin", daemon=True)
        self._thread.start()

    def _feed(self) -> None:
        try:
            if isinstance(self._stdin, bytes):
                self._send(self._stdin)
            else:
                self._send_file(self._stdin)
            self._channel.shutdown_write()
        except _CHANNEL_ERRORS:
            # The command stopped reading, or the channel closed: its exit status, or the
            # command loop's own checks, tell the caller what happened.
            pass

    def _send_file(self, source: Readable) -> None:
        while True:
            try:
                chunk = source.read(READ_SIZE)
            except OSError as exc:
                self.read_error = exc
                self._channel.close()
                return
            if not chunk:
                return
            self._send(chunk)

    def _send(self, data: bytes) -> None:
        """paramiko's sendall copies what is left of its argument after each packet it sends,
        which is quadratic in the argument's size (20 MiB of input: 0.4 s of CPU): it is given a
        packet's worth at a time."""
        view = memoryview(data)
        for start in range(0, len(view), SEND_SIZE):
            self._channel.sendall(view[start:start + SEND_SIZE].tobytes())
