"""The daily report lists the backups taken that day (only complete, checksummed ones exist)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from launchpad.demo import build_demo


def launchpad(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), *args],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_backups_taken_today_are_in_the_report(tmp_path: Path) -> None:
    root = build_demo(tmp_path / "demo")
    empty = launchpad(root, "report", "daily")
    assert empty.returncode == 0, empty.stderr
    assert "今日备份" not in empty.stdout
    taken = launchpad(root, "backup", "--env", "test", "users")
    assert taken.returncode == 0, taken.stdout + taken.stderr
    drilled = launchpad(root, "backups", "drill", "1")
    assert drilled.returncode == 0, drilled.stdout + drilled.stderr

    zh = launchpad(root, "report", "daily").stdout
    assert "今日备份 1 份" in zh
    assert "test/users #1" in zh and "已校验" in zh and "恢复演练通过" in zh
    en = launchpad(root, "report", "daily", "--lang", "en", "--format", "md").stdout
    assert "1 backup(s) taken today" in en and "- test/users #1" in en and "restore drill passed" in en
    html = launchpad(root, "report", "daily", "--format", "html").stdout
    assert "<li>test/users #1" in html
