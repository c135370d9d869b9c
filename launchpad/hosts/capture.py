"""Keeping a command's output in memory without letting it take all the memory.

Both transports drain stdout and stderr as chunks arrive and hand them here: every chunk goes
to the caller's callback (so a live view sees everything), while only the first
`limit` bytes of each stream are kept for the `CommandResult`. A `cat` of a 2 GiB log on 40
hosts must not take 80 GiB of the engineer's laptop.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from launchpad.hosts.base import ByteSink, CommandResult, OutputCallback, Stream, StreamResult

# Enough for any check's evidence; beyond it the start is kept and `truncated` is set.
DEFAULT_CAPTURE_LIMIT = 8 * 1024 * 1024


@dataclass
class OutputCapture:
    """Collects the first `limit` bytes of each stream and forwards every chunk."""

    limit: int = DEFAULT_CAPTURE_LIMIT
    on_output: OutputCallback | None = None
    truncated: bool = False
    _kept: dict[Stream, bytearray] = field(
        default_factory=lambda: {"stdout": bytearray(), "stderr": bytearray()}
    )

    def feed(self, stream: Stream, chunk: bytes) -> None:
        if not chunk:
            return
        if self.on_output is not None:
            self.on_output(stream, chunk)
        kept = self._kept[stream]
        room = self.limit - len(kept)
        if len(chunk) > room:
            self.truncated = True
            chunk = chunk[: max(room, 0)]
        kept.extend(chunk)

    def bytes_of(self, stream: Stream) -> bytes:
        return bytes(self._kept[stream])

    def result(self, host: str, command: str, exit_code: int, started: float) -> CommandResult:
        return CommandResult(
            host=host,
            command=command,
            exit_code=exit_code,
            stdout=self.bytes_of("stdout"),
            stderr=self.bytes_of("stderr"),
            duration=time.monotonic() - started,
            truncated=self.truncated,
        )


# stderr of a streamed dump is only read by people; keep a bounded amount of it.
STREAM_STDERR_LIMIT = 1024 * 1024


class StreamCapture:
    """A streamed command's two outputs: stdout goes to the sink as it arrives (a dump is never
    held in memory), stderr is kept, bounded, for the person reading the failure."""

    def __init__(self, sink: ByteSink) -> None:
        self._sink = sink
        self._stderr = OutputCapture(STREAM_STDERR_LIMIT)
        self.written = 0
        self.started = time.monotonic()

    def stdout(self, chunk: bytes) -> None:
        self._sink.write(chunk)
        self.written += len(chunk)

    def stderr(self, chunk: bytes) -> None:
        self._stderr.feed("stderr", chunk)

    def result(self, host: str, command: str, exit_code: int) -> StreamResult:
        return StreamResult(
            host=host,
            command=command,
            exit_code=exit_code,
            bytes_written=self.written,
            stderr=self._stderr.bytes_of("stderr"),
            duration=time.monotonic() - self.started,
        )


def short(command: str, width: int = 60) -> str:
    """A command as it fits in an error message: one line, at most `width` characters."""
    line = " ".join(command.split())
    return line if len(line) <= width else line[: width - 1] + "…"
