"""A really full disk for a test: a small tmpfs mounted over a folder (the tests run as root, as
CI does), filled to the last byte. Without the right to mount, the test is failed under CI and
skipped loudly elsewhere (`tests.servers.missing`)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from tests.servers import missing


@contextlib.contextmanager
def tmpfs(folder: Path, size: str = "1m") -> Iterator[Path]:
    """`folder` on a tmpfs of `size`, 0700 (made, or with the files it had copied onto it);
    unmounted afterwards, and then holding its files as before the tmpfs."""
    away = folder.with_name(folder.name + ".away") if folder.exists() else None
    if away is not None:
        folder.rename(away)
    folder.mkdir(mode=0o700)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        folder.rmdir()
        if away is not None:
            away.rename(folder)
        missing("a tmpfs mount", mounted.stderr.strip() or "not root")
    try:
        if away is not None:
            shutil.copytree(away, folder, dirs_exist_ok=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        if away is not None:
            shutil.rmtree(folder, ignore_errors=True)
            away.rename(folder)


def fill(disk: Path) -> Path:
    """The disk filled to the last byte by one file, whose removal frees it."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as out, contextlib.suppress(OSError):
        while True:
            out.write(b"\0" * 4096)
    return filler


@contextlib.contextmanager
def full_disk(folder: Path, size: str = "1m") -> Iterator[Path]:
    """`folder` on a tmpfs filled to the last byte; yields the filler."""
    with tmpfs(folder, size):
        yield fill(folder)
