"""The import's command on the host, opened while the last passwords are hashed.

Opening it — the SSH channel, the host's login shell, the private folder, the database
client's connection — takes 0.15–0.5 s before the host can take a row (bench/import). Opened
once hashing is done, the host sat idle that long at the start of every import. So the command
is opened on a thread of its own when hashing has OPEN_AHEAD seconds or less left (at once when
nothing is left to hash), and is ready when the first batch is. Not sooner: a command left idle
through hours of bcrypt would wait on a link that NAT, a firewall or the host may close.

Whatever ends the import before its batches — a stop asked for, a failed hash, a full disk —
closes a command opened early: `close()` in the import's `finally`, which never leaves the
private folder on the host.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from launchpad.users.stream import BatchStream
from launchpad.users.target import TargetSession

# Seconds of hashing left when the command is opened: several times what opening takes on a
# busy machine, and short enough for any link to keep an idle channel.
OPEN_AHEAD = 3.0


class EarlyStream:
    """The import's one command (stream.py), opened ahead of its first batch, or not at all
    when the import sends no batch through it (`wanted` False)."""

    def __init__(self, session: TargetSession, wanted: bool, batches: int) -> None:
        self._session, self._wanted, self._batches = session, wanted, batches
        self._opening: threading.Thread | None = None
        self._stream: BatchStream | None = None
        self._failed: Exception | None = None
        self._lock = threading.Lock()

    def hashing_left(self, seconds: float | None) -> None:
        """Hashing has about `seconds` left (None: not known yet): open once it is OPEN_AHEAD or less."""
        if seconds is not None and seconds <= OPEN_AHEAD:
            self.open_soon()

    def open_soon(self) -> None:
        """Start opening the command on its own thread, once."""
        with self._lock:
            if not self._wanted or self._opening is not None:
                return
            self._opening = threading.Thread(target=self._open, name="import-stream-open", daemon=True)
            self._opening.start()

    def _open(self) -> None:
        try:
            stream = BatchStream(self._session, self._batches).open()
        except Exception as exc:  # re-raised as it came by ready(), on the import's own thread
            self._failed = exc
            return
        self._stream = stream

    @contextlib.contextmanager
    def ready(self) -> Iterator[BatchStream | None]:
        """The command, once opened (opened now if it was not yet), for the import's batches."""
        if not self._wanted:
            yield None
            return
        self.open_soon()
        assert self._opening is not None
        self._opening.join()
        if self._failed is not None:
            raise self._failed
        assert self._stream is not None
        try:
            yield self._stream
        finally:
            self.close()

    def close(self) -> None:
        """End the command, if it was opened; waits for an opening under way to finish first."""
        with self._lock:
            opening, self._wanted = self._opening, False
        if opening is not None:
            opening.join()
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.close()
