"""Compression of dumps: chosen per backup, applied on the host, undone here to check.

zstd when both the host and this machine have it (on a 2-core host `gzip -1` caps a stream near
80 MB/s while zstd keeps up with the link), else gzip, which Python reads without any tool.
Compressing on the host, not with SSH's zlib, is ~10× faster and keeps the link's bytes low.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from launchpad.backup.errors import BackupFailed
from launchpad.phrases import phrase

Compression = Literal["zstd", "gzip", "none"]
SUFFIX: dict[str, str] = {"zstd": ".zst", "gzip": ".gz", "none": ""}
# -1: the fastest levels; a dump's text compresses well even there, and the host is busy.
_COMPRESS = {"zstd": "zstd -q -1 -c", "gzip": "gzip -1 -c"}
_DECOMPRESS = {"zstd": "zstd -q -d -c", "gzip": "gzip -d -c"}
READ_SIZE = 1024 * 1024


def choose(requested: str, host_tools: set[str]) -> Compression:
    """The compression for a backup, given what the target asks and what the host has."""
    local_zstd = shutil.which("zstd") is not None
    if requested == "none":
        return "none"
    if requested == "zstd" or (requested == "auto" and "zstd" in host_tools and local_zstd):
        if "zstd" not in host_tools:
            raise BackupFailed(phrase("error.zstd_host"), hint=phrase("error.zstd_host_hint"))
        if not local_zstd:
            raise BackupFailed(phrase("error.zstd_here"), hint=phrase("error.zstd_here_hint"))
        return "zstd"
    if "gzip" not in host_tools:
        raise BackupFailed(phrase("error.no_compressor"), hint=phrase("error.no_compressor_hint"))
    return "gzip"


def compress_command(compression: str) -> str | None:
    return _COMPRESS.get(compression)


def decompress_command(compression: str) -> str | None:
    """The shell filter that undoes `compression` (None: nothing to undo)."""
    return _DECOMPRESS.get(compression)


def decompressed_chunks(path: Path, compression: str, *, tail: int | None = None) -> Iterator[bytes]:
    """The file's content as the dump tool wrote it, in chunks: memory stays flat. With `tail`,
    a check that only needs the end may get just the last `tail` bytes (uncompressed files)."""
    if compression == "none":
        yield from _file_chunks(path, tail)
    elif compression == "gzip":
        yield from _gunzip(_file_chunks(path), path.name)
    elif compression == "zstd":
        yield from _unzstd(path)
    else:
        raise BackupFailed(phrase("compress.unknown", name=path.name, compression=compression))


def decompressed_from(source: BinaryIO, compression: str, name: str) -> Iterator[bytes]:
    """Like `decompressed_chunks`, from an open reader (a restore's `VerifiedReader`), so that
    the bytes decompressed are the bytes read and hashed."""
    chunks = iter(lambda: source.read(READ_SIZE), b"")
    if compression == "none":
        yield from chunks
    elif compression == "gzip":
        yield from _gunzip(chunks, name)
    elif compression == "zstd":
        yield from _unzstd_fed(chunks, name)
    else:
        raise BackupFailed(phrase("compress.unknown", name=name, compression=compression))


def _file_chunks(path: Path, tail: int | None = None) -> Iterator[bytes]:
    with open(path, "rb") as source:
        if tail is not None:
            source.seek(max(0, path.stat().st_size - tail))
        while chunk := source.read(READ_SIZE):
            yield chunk


def _gunzip(chunks: Iterator[bytes], name: str) -> Iterator[bytes]:
    decompressor = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    for chunk in chunks:
        while chunk:
            try:
                out = decompressor.decompress(chunk, READ_SIZE * 4)
            except zlib.error as exc:
                raise BackupFailed(phrase("compress.bad_gzip", name=name, error=str(exc))) from None
            if out:
                yield out
            chunk = decompressor.unconsumed_tail
            if decompressor.eof and decompressor.unused_data:
                # gzip -1 of one stream is one member; a second one would be a concatenation.
                chunk = decompressor.unused_data
                decompressor = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    if not decompressor.eof:
        raise BackupFailed(phrase("compress.truncated", name=name))


def _output_of(process: subprocess.Popen[bytes], helper: threading.Thread) -> Iterator[bytes]:
    """zstd's output as it comes; once it ends, or the consumer stops early, the process and
    its helper thread (feeding stdin or reading stderr) are finished, never left running."""
    assert process.stdout is not None
    finished = False
    try:
        while chunk := process.stdout.read(READ_SIZE):
            yield chunk
        finished = True
    finally:
        if not finished:  # the consumer stopped early: do not leave zstd running
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        process.stdout.close()
        process.wait()
        helper.join()


def _unzstd(path: Path) -> Iterator[bytes]:
    tool = shutil.which("zstd")
    if tool is None:
        raise BackupFailed(phrase("error.zstd_to_read", file=path.name), hint=phrase("error.zstd_to_read_hint"))
    process = subprocess.Popen([tool, "-q", "-d", "-c", str(path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert process.stdout is not None and process.stderr is not None
    errors: list[bytes] = []
    reader = threading.Thread(target=lambda: errors.append(process.stderr.read() if process.stderr else b""),
                              daemon=True)
    reader.start()
    yield from _output_of(process, reader)
    if process.returncode != 0:
        reason = b"".join(errors).decode("utf-8", "replace").strip()
        raise BackupFailed(phrase("compress.zstd_failed", name=path.name, reason=reason) if reason
                           else phrase("compress.zstd_exit", name=path.name, code=process.returncode))


def _unzstd_fed(chunks: Iterator[bytes], name: str) -> Iterator[bytes]:
    """zstd reading from `chunks` through its stdin; a failed read stops it and is raised."""
    tool = shutil.which("zstd")
    if tool is None:
        raise BackupFailed(phrase("error.zstd_to_read", file=name), hint=phrase("error.zstd_to_read_hint"))
    process = subprocess.Popen([tool, "-q", "-d", "-c"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    assert process.stdin is not None and process.stdout is not None
    failure: list[BaseException] = []

    def feed() -> None:
        assert process.stdin is not None
        try:
            for chunk in chunks:
                process.stdin.write(chunk)
        except BrokenPipeError:
            pass
        except BaseException as exc:  # raised below, in the reading thread
            failure.append(exc)
            process.kill()
        finally:
            with contextlib.suppress(OSError):
                process.stdin.close()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    yield from _output_of(process, feeder)
    if failure:
        raise failure[0]
    if process.returncode != 0:
        raise BackupFailed(phrase("compress.zstd_exit", name=name, code=process.returncode))
