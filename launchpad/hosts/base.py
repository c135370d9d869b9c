"""The one interface every transport offers, and the values it returns.

The engine, the host checks and (later) the backup drivers speak only this interface, so the
same playbook runs over SSH on a client's servers and locally in the demo and the tests.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

Stream = Literal["stdout", "stderr"]
# Called from the transport's reader thread with each chunk as it arrives.
OutputCallback = Callable[[Stream, bytes], None]
# How much of each stream `feed` keeps: the end, where a failing command says why.
FEED_KEEPS = 1024 * 1024


class Readable(Protocol):
    """What `feed` reads a command's input from: a file, or a decompressing reader."""

    def read(self, size: int = -1, /) -> bytes: ...


class ByteSink(Protocol):
    """Where a streamed command's stdout goes: an open file, or anything that takes bytes."""

    def write(self, chunk: bytes, /) -> object: ...


@dataclass(frozen=True)
class HostSpec:
    """Where a host is and how to log in, as the workspace (or ~/.ssh/config) says."""

    name: str
    address: str
    port: int | None = None
    user: str | None = None
    jump: HostSpec | None = None
    identity_file: str | None = None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class CommandResult:
    host: str
    command: str
    # Negative when a signal killed the command: -N locally, -1 over SSH (no exit status sent).
    exit_code: int
    stdout: bytes
    stderr: bytes
    duration: float
    # True when output beyond the capture limit was dropped (the start is kept).
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def text(self, stream: Stream = "stdout") -> str:
        data = self.stdout if stream == "stdout" else self.stderr
        return data.decode("utf-8", errors="replace")

    def tail(self, stream: Stream, chars: int) -> str:
        """The last `chars` characters of a stream, decoding only its end (a UTF-8 character is
        at most 4 bytes): megabytes of output are kept as evidence by their tail alone."""
        data = self.stdout if stream == "stdout" else self.stderr
        return data[-4 * chars:].decode("utf-8", errors="replace")[-chars:]


@dataclass(frozen=True)
class StreamResult:
    host: str
    command: str
    exit_code: int
    bytes_written: int
    stderr: bytes
    duration: float


@dataclass
class Timeouts:
    """Every wait has a bound; a dead network fails a step, it never hangs it."""

    connect: float = 10.0
    banner: float = 10.0
    auth: float = 15.0
    channel: float = 10.0
    command: float = 600.0
    keepalive_interval: int = 5
    # A connection that answers no keepalive for this long is declared dead.
    keepalive_dead_after: float = 20.0
    extra: dict[str, float] = field(default_factory=dict)


class Transport(Protocol):
    """A way to run commands on one host."""

    host: HostSpec

    def run(
        self,
        command: str,
        *,
        timeout: float | None = None,
        stdin: bytes | None = None,
        on_output: OutputCallback | None = None,
    ) -> CommandResult:
        """Run `command` through the host's shell; stdout and stderr are drained together."""
        ...

    def stream(
        self, command: str, sink: ByteSink, *, timeout: float | None = None, stdin: bytes | None = None
    ) -> StreamResult:
        """Run `command` and write its stdout to `sink` as it arrives (for dumps); `stdin` is
        the command's input (a dump's credentials)."""
        ...

    def feed(self, command: str, source: Readable, *, timeout: float | None = None,
             on_output: OutputCallback | None = None) -> CommandResult:
        """Run `command` with `source` streamed into its stdin as the command takes it (a
        restore): no copy of the input on either side. A failure to read `source` fails the
        command with a RemoteError that says so. `on_output` gets each chunk as it arrives (a
        conversation: the next input may wait for what the command said)."""
        ...

    def put(self, local_path: str, remote_path: str, *, mode: int = 0o600) -> None:
        """Copy a local file to the host."""
        ...

    def tunnel(
        self, remote_host: str, remote_port: int
    ) -> contextlib.AbstractContextManager[tuple[str, int]]:
        """Forward a local port to remote_host:remote_port as seen from the host."""
        ...

    def close(self) -> None: ...


def chunks_to_lines(buffer: bytearray, chunk: bytes) -> Iterator[str]:
    """Split streamed output into complete lines, keeping a partial line for the next chunk."""
    buffer.extend(chunk)
    while True:
        cut = buffer.find(b"\n")
        if cut < 0:
            return
        line = bytes(buffer[:cut])
        del buffer[: cut + 1]
        yield line.decode("utf-8", errors="replace").rstrip("\r")
