"""Is a dump complete? Checks of each format, run over the decompressed stream, in one pass
and flat memory. A dump tool that exits 0 after writing half a dump (a full disk on its side,
a killed pipe) is caught here, before the backup is recorded, and again by `verify`.

- mysqldump: the last lines hold `-- Dump completed`.
- PostgreSQL custom archives: `pg_restore --list` reads the table of contents, and a full
  `pg_restore -f /dev/null` reads every data block (`--list` alone misses a cut tail).
- SQLite: the header's page size × page count is exactly the file's length.
- tar: every member reads to its end and the archive ends with its zero blocks; each file's
  sha256 is kept as the backup's inventory (files and hashes, for drills).
- command: the end matches the target's `complete:` pattern, if it has one.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import subprocess
import tarfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from launchpad.phrases import Said, phrase

TAIL = 64 * 1024


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    detail: Said
    inventory: dict[str, Any] | None = field(default=None)


def keep_tail(chunks: Iterable[bytes], size: int = TAIL) -> tuple[bytes, int]:
    tail, total = bytearray(), 0
    for chunk in chunks:
        total += len(chunk)
        tail.extend(chunk)
        if len(tail) > 2 * size:
            del tail[:-size]
    return bytes(tail[-size:]), total


def check_mysqldump(chunks: Iterable[bytes]) -> CheckResult:
    tail, total = keep_tail(chunks, 4096)
    if total == 0:
        return CheckResult(False, phrase("check.empty"))
    if b"-- Dump completed" not in tail:
        return CheckResult(False, phrase("check.mysql_cut"))
    return CheckResult(True, phrase("check.mysql_ok"))


def check_pattern(chunks: Iterable[bytes], pattern: str | None) -> CheckResult:
    tail, total = keep_tail(chunks)
    if total == 0:
        return CheckResult(False, phrase("check.empty"))
    if pattern is None:
        return CheckResult(True, phrase("check.no_pattern"))
    if not re.search(pattern, tail.decode("utf-8", "replace")):
        return CheckResult(False, phrase("check.pattern_cut", pattern=pattern))
    return CheckResult(True, phrase("check.pattern_ok", pattern=pattern))


def check_sqlite(chunks: Iterable[bytes]) -> CheckResult:
    header, total = b"", 0
    for chunk in chunks:
        if len(header) < 100:
            header += chunk[: 100 - len(header)]
        total += len(chunk)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return CheckResult(False, phrase("check.not_sqlite"))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] != header[92:96] or pages == 0:
        return CheckResult(False, phrase("check.sqlite_header"))
    if page_size * pages != total:
        return CheckResult(False, phrase("check.sqlite_cut", total=total, expected=page_size * pages))
    return CheckResult(True, phrase("check.sqlite_ok", pages=pages, size=page_size))


class ChunkReader:
    """A file-like view of chunks, for tarfile's stream mode; remembers the last bytes."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._buffer = b""
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        self.tail = (self.tail + out)[-2048:]
        return out

    def drain(self) -> None:
        while self.read(1024 * 1024):
            pass


def check_tar(chunks: Iterable[bytes]) -> CheckResult:
    reader = ChunkReader(chunks)
    files: dict[str, Any] = {}
    try:
        with tarfile.open(fileobj=reader, mode="r|") as archive:  # type: ignore[call-overload]
            for member in archive:
                files[member.name] = _describe_member(archive, member)
        reader.drain()
    except (tarfile.TarError, EOFError, OSError) as exc:
        return CheckResult(False, phrase("check.tar_damaged", error=str(exc)))
    if not files:
        return CheckResult(False, phrase("check.tar_empty"))
    if reader.tail[-1024:] != b"\x00" * 1024:
        return CheckResult(False, phrase("check.tar_cut"))
    regular = sum(1 for f in files.values() if f["type"] == "file")
    return CheckResult(True, phrase("check.tar_ok", files=regular, others=len(files) - regular), {"files": files})


def _describe_member(archive: tarfile.TarFile, member: tarfile.TarInfo) -> dict[str, Any]:
    if not member.isfile():
        kind = "dir" if member.isdir() else "link" if member.issym() or member.islnk() else "other"
        return {"type": kind, "target": member.linkname} if kind == "link" else {"type": kind}
    digest = hashlib.sha256()
    handle = archive.extractfile(member)
    assert handle is not None
    size = 0
    while data := handle.read(1024 * 1024):
        digest.update(data)
        size += len(data)
    if size != member.size:
        raise EOFError(f"{member.name} is cut short")
    return {"type": "file", "size": size, "sha256": digest.hexdigest()}


def check_pg_custom(open_chunks: Callable[[], Iterator[bytes]]) -> CheckResult:
    """Run the local pg_restore twice over the stream: the TOC listing, then a full read."""
    tool = shutil.which("pg_restore")
    if tool is None:
        return CheckResult(False, phrase("check.no_pg_restore"))
    listing = _pipe_into([tool, "--list"], open_chunks())
    if listing[0] != 0:
        return CheckResult(False, phrase("check.pg_list_refused", error=listing[1]))
    entries = sum(1 for line in listing[2].splitlines() if line and not line.startswith(";"))
    full = _pipe_into([tool, "--file=/dev/null"], open_chunks())
    if full[0] != 0:
        return CheckResult(False, phrase("check.pg_damaged", error=full[1]))
    return CheckResult(True, phrase("check.pg_ok", entries=entries))


def _pipe_into(command: list[str], chunks: Iterable[bytes]) -> tuple[int, str, str]:
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [threading.Thread(target=lambda: out.append(process.stdout.read() if process.stdout else b"")),
               threading.Thread(target=lambda: err.append(process.stderr.read() if process.stderr else b""))]
    for reader in readers:
        reader.start()
    source = iter(chunks)
    try:
        for chunk in source:
            process.stdin.write(chunk)
    except BrokenPipeError:
        pass  # it stopped reading (the listing needs only the start): its status tells
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()  # stops a decompressor that would otherwise run to the end
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
    process.wait()
    for reader in readers:
        reader.join()
    message = b"".join(err).decode("utf-8", "replace").strip().splitlines()
    return process.returncode, " / ".join(message[-3:]), b"".join(out).decode("utf-8", "replace")
