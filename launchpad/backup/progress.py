"""Progress of a dump, a check or a restore: plain frozen dataclasses, reported at most twice a
second, so the CLI prints a line and the TUI moves a bar without slowing the stream down."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

REPORT_EVERY = 0.5  # seconds


@dataclass(frozen=True)
class BackupProgress:
    environment: str
    target: str
    phase: str  # dump, check, restore, drill
    bytes: int
    elapsed: float
    total: int | None = None  # known for restores and checks (the file's size)

    @property
    def rate(self) -> float:
        """Bytes per second so far."""
        return self.bytes / self.elapsed if self.elapsed > 0 else 0.0

    def describe(self) -> str:
        done = f"{human_size(self.bytes)}"
        if self.total:
            done += f" of {human_size(self.total)}"
        return f"{self.environment}/{self.target} {self.phase}: {done} at {human_size(self.rate)}/s"


ProgressSink = Callable[[BackupProgress], None]


def ignore_progress(_progress: BackupProgress) -> None:
    """A progress sink for callers that do not show progress."""


class ProgressMeter:
    """Counts bytes and calls the sink at most every REPORT_EVERY seconds (and at the end)."""

    def __init__(self, sink: ProgressSink, environment: str, target: str, phase: str,
                 total: int | None = None) -> None:
        self.sink, self.environment, self.target, self.phase, self.total = sink, environment, target, phase, total
        self.bytes = 0
        self.started = time.monotonic()
        self._next = self.started + REPORT_EVERY

    def add(self, count: int) -> None:
        self.bytes += count
        now = time.monotonic()
        if now >= self._next:
            self._next = now + REPORT_EVERY
            self.report(now)

    def report(self, now: float | None = None) -> None:
        elapsed = (now or time.monotonic()) - self.started
        self.sink(BackupProgress(self.environment, self.target, self.phase, self.bytes, elapsed, self.total))


def human_size(size: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(size) < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"
