"""Reading a stored backup for a restore or a drill so that what is streamed is what was verified.

The checksum is checked before a restore, but the safety backup takes minutes between that
check and the stream: a file replaced or rewritten in between must not be restored under the
verified backup's name. The restore holds the verified file open, so a replaced one is never
read; one rewritten in place is caught here: the file is hashed again as it is read, and its
last chunk is held back until the whole file has been read and hashed. When size or sha256 differ from the record,
`read` fails before the end is sent: the host's command never gets a complete input — a
PostgreSQL restore rolls back, tar never swaps the folder in, SQLite refuses a file cut short,
the local pipe is killed — and the restore is reported as not done. (A MySQL dump is applied
statement by statement: what arrived before the end has been applied; the safety backup holds
the state before.)
"""

from __future__ import annotations

import hashlib
from typing import BinaryIO

from launchpad.phrases import Phrase, phrase


class ChangedSinceVerified(OSError):
    """The stored file is not the one that was verified. An OSError, because to every reader of
    a command's input (the SSH and local feeders) it is a failed read that must stop the input."""


class VerifiedReader:
    def __init__(self, source: BinaryIO, size: int, sha256: str) -> None:
        self.source, self.size, self.sha256 = source, size, sha256
        self.digest = hashlib.sha256()
        self.read_bytes = 0
        self.held: bytes | None = None
        self.problem: Phrase | None = None

    def read(self, size: int = -1, /) -> bytes:
        if self.held is None:
            self.held = self._next(size)
            if not self.held:
                self._check()
                return b""
        following = self._next(size)
        if not following:
            self._check()
        out, self.held = self.held, following
        return out

    def _next(self, size: int) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        self.read_bytes += len(chunk)
        return chunk

    def _check(self) -> None:
        if self.problem is None:
            actual = self.digest.hexdigest()
            if self.read_bytes != self.size:
                self.problem = phrase("check.size_differs", size=self.read_bytes, recorded=self.size)
            elif actual != self.sha256:
                self.problem = phrase("check.sha_differs", actual=actual[:16], recorded=self.sha256[:16])
            else:
                return
        raise ChangedSinceVerified(str(self.problem))
