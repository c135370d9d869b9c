"""Files written complete or not at all: what a person hands to a client, a manifest beside a
backup, a baseline that took a site's change.

The bytes go to a temporary name beside the final one (same folder, so the rename is atomic),
are flushed to the disk, optionally checked by reading the temporary file back, and only then
renamed into place, with the folder synced so the rename itself survives a power cut. On any
failure — a full disk, an interrupt, a check that refuses — the temporary file is removed and
the final file is exactly as it was.

`write_output` is the same promise for a file a person named on the command line or in a
playbook (`--out`, `--report`, `--xlsx`, a step's `report:`): the writer (openpyxl, a template)
fills a temporary path beside it, and a file that cannot be written — no folder, a folder in its
place, a read-only file, no permission, a full disk, /proc — is a usage error naming the file
and the reason, never an internal error, and leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from launchpad.errors import UsageError
from launchpad.oserrors import os_reason
from launchpad.phrases import phrase

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


def workbook_bytes(book: Any) -> bytes:
    """An openpyxl workbook saved whole in memory. Saved straight to a file, a full disk fails
    openpyxl's zip archive half-way, and the archive's clean-up prints a traceback after the
    message that says what to do; its bytes written with a plain write fail cleanly."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_output_text(path: Path, text: str, *, option: str = "--out", make_folder: bool = False) -> Path:
    """`text` (UTF-8) written to `path` as `write_output` writes any output."""
    return write_output(path, lambda partial: partial.write_text(text, encoding="utf-8"), option=option,
                        make_folder=make_folder)


def write_output(path: Path, write: Callable[[Path], object], *, option: str = "--out",
                 make_folder: bool = False) -> Path:
    """Call `write` with a temporary path beside `path`, then move the result to `path`.
    `option` is what the person gave the path with, for the hint; `make_folder` creates a
    missing folder (a default place such as the workspace's `baselines/`)."""
    folder = path.parent
    if make_folder and not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _cannot_write(path, exc, option) from None
    if not folder.is_dir():
        why = phrase("cli.out.not_a_folder" if folder.exists() else "cli.out.no_folder", folder=str(folder))
        raise UsageError(phrase("cli.cannot_write", where=str(path), reason=why),
                         hint=phrase("cli.out.no_folder_hint", option=option))
    if path.is_dir():
        raise UsageError(phrase("cli.cannot_write", where=str(path), reason=phrase("cli.out.is_folder")),
                         hint=phrase("cli.out.is_folder_hint", option=option))
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(phrase("cli.cannot_write", where=str(path), reason=phrase("cli.out.read_only")),
                         hint=phrase("cli.out.read_only_hint", option=option))
    try:
        handle, partial_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    except OSError as exc:
        raise _cannot_write(path, exc, option) from None
    os.close(handle)
    partial = Path(partial_name)
    try:
        write(partial)
        # mkstemp makes the file 0600; the output gets the mode any new file would have.
        umask = os.umask(0)
        os.umask(umask)
        partial.chmod(0o666 & ~umask)
        partial.replace(path)
    except OSError as exc:
        raise _cannot_write(path, exc, option) from None
    finally:
        partial.unlink(missing_ok=True)
    return path


def _cannot_write(path: Path, exc: OSError, option: str) -> UsageError:
    return UsageError(phrase("cli.cannot_write", where=str(path), reason=os_reason(exc)),
                      hint=phrase("cli.out.failed_hint", option=option))
