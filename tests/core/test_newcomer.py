"""What a newcomer meets in the first hour: times in the site's zone everywhere, one spelling
of each format name, a keymap that says what is wrong with it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.core.test_inputs import GOOD_PLAYBOOK, launchpad
from tests.workspaces import write_workspace


def test_runs_shows_site_time_and_says_which_zone(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"hello": GOOD_PLAYBOOK})
    assert launchpad(root, "run", "hello", "--env", "test", "--yes").returncode == 0
    stored = json.loads(launchpad(root, "runs", "--json").stdout)[0]["started"]
    site_time = datetime.fromisoformat(stored).astimezone(ZoneInfo("Asia/Shanghai"))
    listed = launchpad(root, "runs")
    assert listed.returncode == 0, listed.stderr
    header, first = listed.stdout.splitlines()[:2]
    assert "STARTED (Asia/Shanghai)" in header
    assert f"{site_time:%Y-%m-%d %H:%M:%S}" in first
