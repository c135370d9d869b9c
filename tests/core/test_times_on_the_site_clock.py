"""Times people read are the site's wall clock (site.yaml's `timezone`), never the store's UTC:
a backup taken at 23:30 in Beijing lists as 23:30, not 15:30."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from launchpad.backup.records import insert_backup
from launchpad.cli import cli
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.workspaces import write_workspace

STAMP = "2026-12-05T15:30:07+00:00"  # 23:30:07 in Asia/Shanghai, the test site's zone


def launchpad(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--workspace", str(root), *args], catch_exceptions=False)


def test_backups_list_when_each_was_taken_on_the_site_clock(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    with Store.open(load_workspace(root).store_path) as store:
        insert_backup(store, {"uid": "b1", "environment": "test", "target": "app", "driver": "sqlite", "host": "app1",
                              "file": "test-app-1.db", "compression": "none", "started": STAMP, "finished": STAMP,
                              "size": 4, "sha256": "0" * 64, "tool_versions": {}, "purpose": "manual",
                              "actor": "tester"})
    listed = launchpad(root, "backups")
    assert listed.exit_code == 0, listed.output
    assert "2026-12-05 23:30:07" in listed.output and "15:30" not in listed.output, listed.output
    assert "完成时间（Asia/Shanghai）" in listed.output.splitlines()[0]


def test_role_previews_list_when_each_was_made_on_the_site_clock(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    with Store.open(load_workspace(root).store_path) as store, store.transaction():
        store.db.table("role_assignments").insert({
            "environment": "test", "database": "app", "target": "ruoyi", "rules_file": "rules.yaml",
            "rules_sha256": "0" * 64, "digest": "d", "counts": json.dumps({"users": 2}), "status": "previewed",
            "operator": "tester", "previewed": STAMP})
    listed = launchpad(root, "roles", "list")
    assert listed.exit_code == 0, listed.output
    assert "2026-12-05 23:30" in listed.output and "15:30" not in listed.output, listed.output
