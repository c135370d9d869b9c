"""Files written complete or not at all: what a person hands to a client, a manifest beside a
backup, a baseline that took a site's change.

The bytes go to a temporary name beside the final one (same folder, so the rename is atomic),
are flushed to the disk, optionally checked by reading the temporary file back, and only then
renamed into place, with the folder synced so the rename itself survives a power cut. On any
failure — a full disk, an interrupt, a check that refuses — the temporary file is removed and
the final file is exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

Content = bytes | Callable[[BinaryIO], object]


def sync_directory(directory: Path) -> None:
    """A rename is durable only once its directory is synced."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_complete(path: Path, content: Content, *, mode: int = 0o600,
                   check: Callable[[Path], object] | None = None) -> None:
    """Write `path` from `content` (bytes, or a function writing into the open file), owner-only
    unless `mode` says otherwise. `check` reads the temporary file before it replaces `path`;
    whatever it raises leaves `path` untouched. OSError (a full disk, no permission) reaches
    the caller, which knows how to say it."""
    # The pid keeps two processes writing the same file from sharing a temporary name.
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)  # the umask may have narrowed a wider `mode`
            if isinstance(content, bytes):
                handle.write(content)
            else:
                content(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if check is not None:
            check(partial)
        os.replace(partial, path)
        sync_directory(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
