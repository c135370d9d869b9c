"""A store that vanished or is damaged is noticed: a run whose store is deleted under it does
not pass, a damaged store makes `audit verify` say "damaged" (exit 1), and the errors say
what happened (a full disk is a full disk) instead of "internal error"."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from launchpad.errors import StoreDamaged, StoreError, StoreGone
from launchpad.issues.log import IssueLog
from launchpad.issues.model import IssueDraft
from launchpad.store.db import Store
from launchpad.store.migrations import store_failure
from tests.core.test_store import new_run
from tests.workspaces import write_workspace

# These tests read the command line's English words.
pytestmark = pytest.mark.usefixtures("english_cli")

PLAYBOOK = """\
name: t
title: 删库测试
phases:
  - id: p
    name: 阶段
    steps:
      - {id: first, name: 第一步, kind: shell, hosts: app1, run: 'echo first'}
      - {id: gone, name: 删掉存储, kind: shell, hosts: app1, run: 'rm -rf .launchpad'}
      - {id: third, name: 第三步, kind: shell, hosts: app1, run: 'echo third'}
"""


def launchpad(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), *args],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
                          env={**os.environ, "HOME": str(root.parent)})


def test_a_run_whose_store_is_deleted_does_not_pass(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"t": PLAYBOOK})
    result = launchpad(root, "run", "t", "--env", "test", "--yes")
    assert result.returncode != 0
    assert "passed" not in result.stdout.splitlines()[-1:]
    assert "store gone" in result.stderr and "deleted or replaced" in result.stderr
    assert "internal error" not in result.stderr


def test_a_store_replaced_by_another_file_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / ".launchpad" / "launchpad.db"
    store = Store.open(path)
    run_id = new_run(store)
    os.replace(Store.open(tmp_path / "other.db").path or "", path)  # someone put another file there
    with pytest.raises(StoreGone):
        store.set_run_status(run_id, "passed", finished=True)
    with pytest.raises(StoreGone):
        store.audit("tester", "run_finished", f"run {run_id}")
    store.close()


def damage_audit_pages(root: Path) -> None:
    path = root / ".launchpad" / "launchpad.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = connection.execute("PRAGMA page_size").fetchone()[0]
        audit_root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit'").fetchone()[0]
    connection.close()
    data = bytearray(path.read_bytes())
    data[(audit_root - 1) * page: audit_root * page] = b"\xa5" * page
    path.write_bytes(bytes(data))


def test_a_damaged_audit_table_makes_verify_say_damaged(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        IssueLog(store, ZoneInfo("Asia/Shanghai"), "pm").add_many(
            [IssueDraft(title=f"登录报错 第{n}条") for n in range(40)])
    assert launchpad(root, "audit", "verify").returncode == 0
    damage_audit_pages(root)
    result = launchpad(root, "audit", "verify")
    assert result.returncode == 1, result.stderr
    assert "DAMAGED" in result.stderr and "internal error" not in result.stderr
    # What SQLite can still read is still read.
    listed = launchpad(root, "issue", "list")
    assert listed.returncode == 0 and "第39条" in listed.stdout


def test_a_file_that_is_not_a_database_makes_verify_say_damaged(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    assert launchpad(root, "issue", "add", "P2 登录报错").returncode == 0
    path = root / ".launchpad" / "launchpad.db"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    path.write_bytes(b"\x00" * 100 + path.read_bytes()[100:])
    result = launchpad(root, "audit", "verify")
    assert result.returncode == 1 and "DAMAGED" in result.stderr and "internal error" not in result.stderr
    other = launchpad(root, "runs")
    assert other.returncode == 2 and "store damaged" in other.stderr


@pytest.mark.parametrize(("error", "expected", "words"), [
    (sqlite3.OperationalError("database or disk is full"), StoreError, "is full"),
    (sqlite3.DatabaseError("database disk image is malformed"), StoreDamaged, "is damaged"),
    (sqlite3.DatabaseError("file is not a database"), StoreDamaged, "is damaged"),
])
def test_what_sqlite_says_is_explained(error: sqlite3.Error, expected: type, words: str) -> None:
    explained = store_failure(error, "could not write to the workspace store")
    assert type(explained) is expected and words in explained.message
    assert "is the disk healthy" not in explained.hint
