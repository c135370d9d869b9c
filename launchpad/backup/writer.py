"""The sink a dump streams into: the workspace's store, never a temporary copy elsewhere.

Bytes are hashed (sha256) and written as they arrive, to a private temporary name beside the
final one. Only `publish` — after the dump exited 0 and passed its completeness check — syncs
the directory and renames the file into place; `discard` removes it. A launchpad killed
mid-stream leaves a `.partial` file named with its pid, removed by the next backup of the
target once that process is gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
from pathlib import Path

from launchpad.backup.diskwriter import DumpWriter
from launchpad.backup.errors import BackupFailed, BackupFolderUnusable
from launchpad.backup.progress import ProgressMeter
from launchpad.oserrors import os_reason
from launchpad.phrases import Said, phrase
from launchpad.workspace.durable import sync_directory

# Kept free beyond the expected size: the store and its journal must still be writable.
FREE_SPACE_MARGIN = 64 * 1024 * 1024
_PARTIAL = re.compile(r"^\..+\.(\d+)\.partial$")


class StreamingFile:
    """A write-only file object (`write` is all a transport's `stream` needs)."""

    def __init__(self, final: Path, meter: ProgressMeter | None = None) -> None:
        self.final = final
        self.partial = final.with_name(f".{final.name}.{os.getpid()}.partial")
        self.meter = meter
        self.size = 0
        self._fd: int | None = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._writer = DumpWriter(self._fd)

    def write(self, chunk: bytes) -> int:
        if self._fd is None:
            raise ValueError("write to a closed backup file")
        self._writer.write(chunk)
        self.size += len(chunk)
        if self.meter is not None:
            self.meter.add(len(chunk))
        return len(chunk)

    @property
    def sha256(self) -> str:
        return self._writer.sha256

    def finish(self) -> None:
        """Write what is left, flush the bytes to the disk (fsync) and close; the file keeps
        its temporary name."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            self._writer.close()
            os.fsync(fd)
        finally:
            os.close(fd)
        if self.meter is not None:
            self.meter.report()

    def publish(self) -> Path:
        self.finish()
        os.replace(self.partial, self.final)
        sync_directory(self.final.parent)
        return self.final

    def discard(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            self._writer.abandon()
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            self.partial.unlink()


def private_directory(path: Path) -> Path:
    """Create `path` (and parents) readable by the owner only: dumps hold the client's data."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if path.stat().st_mode & 0o077:
            os.chmod(path, 0o700)
        if not os.access(path, os.W_OK | os.X_OK):
            # A read-only disk refuses root too: say which it is, not "no permission".
            number = errno.EROFS if os.statvfs(path).f_flag & os.ST_RDONLY else errno.EACCES
            raise OSError(number, os.strerror(number), str(path))
    except OSError as exc:
        raise _unusable_folder(path, exc) from None
    return path


def _unusable_folder(path: Path, exc: OSError) -> BackupFolderUnusable:
    """Which part of the way to `path` is in the way: a link to nowhere, a file, no permission."""
    for part in (*reversed(path.parents), path):
        if part.is_symlink() and not part.exists():
            why: Said = phrase("backup.dangling_link", path=str(part), target=os.readlink(part))
            break
        if part.exists() and not part.is_dir():
            why = phrase("backup.file_not_folder", path=str(part))
            break
    else:
        why = phrase("backup.folder_unwritable", path=str(exc.filename or path), reason=os_reason(exc))
    return BackupFolderUnusable(
        why,
        hint=phrase("backup.folder_unusable_hint"),
    )


def check_free_space(directory: Path, expected: int) -> None:
    """Refuse to start when the last backup's size (plus a margin) would not fit."""
    free = shutil.disk_usage(directory).free
    needed = expected + FREE_SPACE_MARGIN
    if free < needed:
        from launchpad.backup.progress import human_size

        needs = (phrase("backup.last_took", size=human_size(expected)) if expected
                 else phrase("backup.margin", size=human_size(FREE_SPACE_MARGIN)))
        raise BackupFailed(
            phrase("backup.low_space", free=human_size(free), directory=str(directory), needs=needs),
            hint=phrase("backup.low_space_hint"),
        )


def remove_stale_partials(directory: Path) -> list[Path]:
    """Remove `.partial` files left by launchpad processes that no longer run."""
    removed = []
    for entry in directory.glob(".*.partial"):
        match = _PARTIAL.match(entry.name)
        if match and not _alive(int(match.group(1))):
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
                removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def explain_os_error(exc: OSError, path: Path) -> BackupFailed:
    if exc.errno == errno.ENOSPC:
        return BackupFailed(phrase("backup.disk_full", folder=str(path.parent)), hint=phrase("backup.disk_full_hint"))
    return BackupFailed(phrase("backup.cannot_write", path=str(path), reason=os_reason(exc)),
                        hint=phrase("backup.cannot_write_hint"))
