"""The workspace on a disk that is really full (a 4 MiB tmpfs, mounted by the test as root): a
write says the disk is full (not "is the disk healthy?", not an internal error) and changes
nothing, and reading the store still works — also when SQLite cannot create the -shm file a
normal open needs. Freeing space makes writing work again."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.small_disk import fill, tmpfs
from tests.workspaces import write_workspace

pytestmark = pytest.mark.integration


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "small-disk", "4m") as folder:
        yield folder


def launchpad(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), *args],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                          env={**os.environ, "HOME": str(root.parent.parent)})


def checkpointed(root: Path) -> None:
    """As after the last launchpad closed cleanly: no -wal and no -shm beside the store."""
    path = root / ".launchpad" / "launchpad.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize("side_files", [True, False], ids=["with-shm", "without-shm"])
def test_a_full_disk_is_reported_as_such_and_reads_still_work(small_disk: Path, side_files: bool) -> None:
    root = write_workspace(small_disk / "ws")
    assert launchpad(root, "issue", "add", "P2 登录页报错").returncode == 0
    if not side_files:
        checkpointed(root)
    filler = fill(small_disk)

    added = launchpad(root, "issue", "add", "P1 第二个问题")
    assert added.returncode == 2, added.stderr
    assert "所在的磁盘已满；这次改动没有写入任何内容" in added.stderr and "internal error" not in added.stderr
    assert "磁盘是否正常" not in added.stderr  # the site speaks Chinese
    listed = launchpad(root, "issue", "list")
    assert listed.returncode == 0, listed.stderr
    assert "登录页报错" in listed.stdout and "第二个问题" not in listed.stdout
    assert launchpad(root, "audit", "verify").returncode == 0

    filler.unlink()
    again = launchpad(root, "issue", "add", "P1 第二个问题")
    assert again.returncode == 0, again.stderr


def test_accepting_an_onsite_change_on_a_full_disk_changes_nothing_and_works_once_there_is_room(
        small_disk: Path, tmp_path: Path) -> None:
    """The baseline file is rewritten complete or not at all: on a full disk the accept is
    refused in the site's words, the file and the change stay as they were, and no temporary
    file is left beside it."""
    from launchpad.demo.builder import build_demo

    root = build_demo(tmp_path / "demo")
    added = launchpad(root, "issue", "add", "P3 #字典 甲方要求办件渠道增加12345热线", "--reporter", "王科长")
    assert added.returncode == 0, added.stderr
    issue = added.stdout.split("#")[1].split()[0]
    recorded = launchpad(root, "baseline", "change", "record", "--env", "prod", "--issue", issue,
                         "--item", "dict_item/gov_channel/hotline", "--why", "甲方要求增加12345热线")
    assert recorded.returncode == 0, recorded.stderr
    baseline = small_disk / "baseline.yaml"
    baseline.write_bytes((root / "baselines" / "baseline.yaml").read_bytes())
    before = baseline.read_bytes()
    filler = fill(small_disk)

    refused = launchpad(root, "baseline", "change", "accept", "1", "--baseline", str(baseline))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "无法写入" in refused.stderr and "基线文件保持原样" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr and "internal error" not in refused.stderr
    assert baseline.read_bytes() == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["baseline.yaml", "filler"]
    pending = launchpad(root, "baseline", "changes", "--format", "json")
    assert [c["status"] for c in json.loads(pending.stdout)] == ["pending"]

    filler.unlink()
    accepted = launchpad(root, "baseline", "change", "accept", "1", "--baseline", str(baseline))
    assert accepted.returncode == 0, accepted.stderr
    assert "hotline" in baseline.read_text(encoding="utf-8") and baseline.read_bytes() != before
