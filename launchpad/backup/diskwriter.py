"""Hashing and writing a dump in a thread of its own, past the page cache where the disk allows.

A dump is written once and read again only to verify, drill or restore it. Written through the
page cache, every byte is copied into freshly allocated cache pages (a quarter of a million
per GiB) and `fsync` then waits for all of them to reach the disk. Written with O_DIRECT, the
disk takes the bytes straight from a few reused, page-aligned buffers: no cache pages, nothing
evicted from the cache of the machine doing the backup, and only metadata left for the final
`fsync`.

The receiving thread copies each chunk into the current buffer and hands full buffers over;
this module's thread hashes (sha256) and writes them, so a dump is received, hashed and written
at the same time, on different cores. When every buffer is waiting for the disk, the receiving
thread waits too, and with it the SSH window: a slow disk slows the server, memory stays at
`BUFFERS` × `BUFFER_SIZE`.

Filesystems without O_DIRECT (ramfs, tmpfs before Linux 6.6, some FUSE and network filesystems)
are written through the cache, synced every `SYNC_EVERY` bytes so the final `fsync` has little
left.
Measured on the backup bench (bench/backup/README.md) against buffered writes.
"""

from __future__ import annotations

import errno
import hashlib
import mmap
import os
import queue
import threading

# O_DIRECT wants buffers, sizes and offsets aligned to the disk's logical block (512 or 4096
# bytes); page alignment covers both, and mmap'd buffers are page-aligned.
ALIGNMENT = mmap.PAGESIZE
BUFFER_SIZE = 4 * 1024 * 1024
BUFFERS = 3
SYNC_EVERY = 64 * 1024 * 1024

_STOP = None
# The data, without waiting for the file's times (macOS has only fsync).
_datasync = getattr(os, "fdatasync", os.fsync)


class DumpWriter:
    """Writes what `write` is given to `fd` (from its current offset), computing its sha256.

    Errors of the writing thread (a full disk) are raised by the next `write` or by `close`;
    after one, nothing more is written."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.direct = _set_direct(fd, True)
        self.error: Exception | None = None
        self._hash = hashlib.sha256()
        self._free: queue.SimpleQueue[mmap.mmap] = queue.SimpleQueue()
        self._full: queue.SimpleQueue[tuple[mmap.mmap, int] | None] = queue.SimpleQueue()
        for _ in range(BUFFERS):
            self._free.put(mmap.mmap(-1, BUFFER_SIZE))
        self._buffer = self._free.get()
        self._used = 0
        self._unsynced = 0
        self._thread = threading.Thread(target=self._run, name="backup write", daemon=True)
        self._thread.start()

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            taken = min(len(view), BUFFER_SIZE - self._used)
            self._buffer[self._used:self._used + taken] = view[:taken]
            self._used += taken
            view = view[taken:]
            if self._used == BUFFER_SIZE:
                self._hand_over()

    def close(self) -> None:
        """Write what is left and wait for the writing thread; the caller syncs the file."""
        try:
            if self._used and self.error is None:
                self._full.put((self._buffer, self._used))
                self._used = 0
        finally:
            self._stop()
        if self.error is not None:
            raise self.error

    def abandon(self) -> None:
        """Stop without writing what is left (the file is about to be removed)."""
        self._used = 0
        self._stop()

    def _hand_over(self) -> None:
        if self.error is not None:
            raise self.error
        self._full.put((self._buffer, self._used))
        self._buffer = self._free.get()  # waits while every buffer is with the disk
        self._used = 0

    def _stop(self) -> None:
        if self._thread.is_alive():
            self._full.put(_STOP)
            self._thread.join()

    def _run(self) -> None:
        while (item := self._full.get()) is not _STOP:
            buffer, used = item
            try:
                if self.error is None:
                    with memoryview(buffer) as view:
                        self._hash.update(view[:used])
                        self._write(view[:used])
            except Exception as exc:  # handed to the receiving thread, raised there
                self.error = exc
            finally:
                self._free.put(buffer)

    def _write(self, view: memoryview) -> None:
        while view:
            if self.direct and len(view) >= ALIGNMENT:
                try:
                    # Whole blocks only: the last piece of a dump goes through the cache.
                    written = os.write(self.fd, view[:len(view) - len(view) % ALIGNMENT])
                except OSError as exc:
                    if exc.errno != errno.EINVAL:
                        raise
                    # Some filesystems take the flag and then refuse the write: nothing was
                    # written, so the same bytes go through the cache instead.
                    self.direct = _set_direct(self.fd, False)
                    continue
                if written % ALIGNMENT:  # a short write (a signal): offsets are unaligned now
                    self.direct = _set_direct(self.fd, False)
            else:
                if self.direct:
                    self.direct = _set_direct(self.fd, False)
                written = os.write(self.fd, view)
                self._unsynced += written
            view = view[written:]
        if self._unsynced >= SYNC_EVERY:
            self._unsynced = 0
            _datasync(self.fd)


def _set_direct(fd: int, on: bool) -> bool:
    """Turn O_DIRECT on or off for `fd`; whether it is on now."""
    flag = getattr(os, "O_DIRECT", 0)  # Linux and a few others; not Windows, nor macOS
    if not flag:
        return False
    import fcntl

    flags = fcntl.fcntl(fd, fcntl.F_GETFL)
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, flags | flag if on else flags & ~flag)
    except OSError:
        if on:
            return False  # a filesystem without O_DIRECT
        raise
    return on
