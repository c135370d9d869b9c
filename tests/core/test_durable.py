"""`write_complete`: the final file is the new content, or exactly the old one; never a part."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

import pytest

from launchpad.workspace.durable import write_complete


def test_bytes_and_a_writer_function_both_land_complete_and_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "名单.xlsx"
    write_complete(target, b"first")
    assert target.read_bytes() == b"first" and target.stat().st_mode & 0o777 == 0o600

    def writer(handle: BinaryIO) -> None:
        handle.write(b"second, ")
        handle.write(b"in two writes")

    write_complete(target, writer)
    assert target.read_bytes() == b"second, in two writes"
    assert os.listdir(tmp_path) == ["名单.xlsx"]


def test_a_wider_mode_is_kept_despite_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_complete(tmp_path / "baseline.yaml", b"version: 1\n", mode=0o644)
    finally:
        os.umask(old)
    assert (tmp_path / "baseline.yaml").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("where", ["writing", "checking"])
def test_a_failure_leaves_the_old_file_and_no_temporary_one(tmp_path: Path, where: str) -> None:
    target = tmp_path / "baseline.yaml"
    target.write_bytes(b"old")
    seen: list[bytes] = []

    def writer(handle: BinaryIO) -> None:
        handle.write(b"half")
        if where == "writing":
            raise OSError(28, "No space left on device")
        handle.write(b" and the rest")

    def check(written: Path) -> None:
        seen.append(written.read_bytes())
        raise ValueError("does not read back")

    with pytest.raises((OSError, ValueError)):
        write_complete(target, writer, check=check)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["baseline.yaml"]
    # The check read the whole new content from the temporary file, before any rename.
    assert seen == ([] if where == "writing" else [b"half and the rest"])
