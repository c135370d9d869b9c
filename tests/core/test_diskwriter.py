"""The dump writer: every byte lands, in order, with the sha256 of exactly what was written,
past the page cache where the filesystem allows it and through it where it does not; a failing
disk surfaces in the receiving thread and never hangs it. (Real filesystems without O_DIRECT,
and a disk really filling up: tests/integration/test_backup_filesystems.py.)"""

from __future__ import annotations

import errno
import hashlib
import os
import threading
from pathlib import Path

import pytest

from launchpad.backup import diskwriter
from launchpad.backup.diskwriter import ALIGNMENT, BUFFER_SIZE, DumpWriter
from launchpad.backup.writer import StreamingFile

# Chunk sizes as transports deliver them: SSH packets, pipe reads, odd remainders.
CHUNKS = [1, 4095, 32768, 65536, BUFFER_SIZE + 7, 3 * ALIGNMENT, 12345]


def _data(size: int, seed: int = 0) -> bytes:
    return hashlib.shake_256(f"{seed}:{size}".encode()).digest(size)


def _write(path: Path, chunks: list[bytes]) -> DumpWriter:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        writer = DumpWriter(fd)
        for chunk in chunks:
            writer.write(chunk)
        writer.close()
        os.fsync(fd)
    finally:
        os.close(fd)
    return writer


@pytest.mark.parametrize("total", [0, 1, ALIGNMENT - 1, ALIGNMENT, BUFFER_SIZE - 1, BUFFER_SIZE,
                                   3 * BUFFER_SIZE + ALIGNMENT + 17])
def test_every_byte_lands_in_order_with_its_sha256(tmp_path: Path, total: int) -> None:
    data = _data(total)
    chunks, at, turn = [], 0, 0
    while at < total:
        size = CHUNKS[turn % len(CHUNKS)]
        chunks.append(data[at:at + size])
        at, turn = at + size, turn + 1
    writer = _write(tmp_path / "dump.bin", chunks)
    assert (tmp_path / "dump.bin").read_bytes() == data
    assert writer.sha256 == hashlib.sha256(data).hexdigest()


def test_the_disk_is_written_past_the_page_cache_where_the_filesystem_allows(tmp_path: Path) -> None:
    fd = os.open(tmp_path / "probe", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        allowed = diskwriter._set_direct(fd, True)
    finally:
        os.close(fd)
    data = _data(2 * BUFFER_SIZE)
    fd = os.open(tmp_path / "dump.bin", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        writer = DumpWriter(fd)
        assert writer.direct == allowed
        writer.write(data)
        writer.close()
    finally:
        os.close(fd)
    assert (tmp_path / "dump.bin").read_bytes() == data


def test_a_filesystem_refusing_a_direct_write_gets_the_same_bytes_through_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    refused: list[int] = []

    def refuse_direct(fd: int, data: bytes) -> int:
        import fcntl

        if fcntl.fcntl(fd, fcntl.F_GETFL) & getattr(os, "O_DIRECT", 0):
            refused.append(len(data))
            raise OSError(errno.EINVAL, "Invalid argument")
        return real_write(fd, data)

    synced: list[int] = []
    monkeypatch.setattr(diskwriter.os, "write", refuse_direct)
    monkeypatch.setattr(diskwriter, "SYNC_EVERY", BUFFER_SIZE)
    monkeypatch.setattr(diskwriter, "_datasync", synced.append)
    data = _data(2 * BUFFER_SIZE + 999)
    writer = _write(tmp_path / "dump.bin", [data])
    assert (tmp_path / "dump.bin").read_bytes() == data
    assert writer.sha256 == hashlib.sha256(data).hexdigest()
    assert not writer.direct
    assert len(refused) <= 1  # asked once at most, then through the cache
    assert len(synced) == 2  # through the cache, synced along the way (here every buffer)


def test_a_full_disk_is_raised_to_the_receiver_and_the_partial_file_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write
    room = [BUFFER_SIZE + ALIGNMENT]

    def filling(fd: int, data: bytes) -> int:
        if room[0] <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        written = real_write(fd, memoryview(data)[:room[0]])
        room[0] -= written
        return written

    monkeypatch.setattr(diskwriter.os, "write", filling)
    sink = StreamingFile(tmp_path / "dump.bin")
    chunk = _data(65536)
    with pytest.raises(OSError) as raised:
        # Far more than the buffers hold: the receiver must learn of the error, not wait.
        for _ in range(20 * BUFFER_SIZE // len(chunk)):
            sink.write(chunk)
        sink.finish()
    assert raised.value.errno == errno.ENOSPC
    sink.discard()
    assert list(tmp_path.iterdir()) == []
    assert not [thread for thread in threading.enumerate() if thread.name == "backup write"]


def test_discarding_mid_stream_stops_the_writer_and_removes_the_file(tmp_path: Path) -> None:
    sink = StreamingFile(tmp_path / "dump.bin")
    sink.write(_data(BUFFER_SIZE * 2 + 1))
    sink.discard()
    assert list(tmp_path.iterdir()) == []
    assert not [thread for thread in threading.enumerate() if thread.name == "backup write"]
    with pytest.raises(ValueError):
        sink.write(b"more")
