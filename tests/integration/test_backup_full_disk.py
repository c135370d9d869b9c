"""A disk that really fills up mid-dump: the backup fails saying so, and leaves no partial file
and no record, whether the dump comes over SSH or from the local machine.

The target's folder is an 80 MiB tmpfs (mounted by the test, as root) and the dump 160 MiB, so
the free-space check before the start passes (there is no earlier backup to go by) and the
disk fills while the dump streams: ENOSPC from the writing thread, not from a stand-in."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from launchpad.backup import records
from launchpad.backup.errors import BackupFailed
from launchpad.backup.session import BackupSession
from launchpad.backup.take import take_backup
from launchpad.connect import HostConnections
from launchpad.store import Store
from launchpad.workspace import load_workspace
from tests.integration.sshd import SshdHost, SshLab

pytestmark = pytest.mark.integration
DISK_MIB = 80
DUMP_MIB = 160


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MIB}m,mode=0700", "tmpfs", str(folder)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        reason = f"cannot mount a tmpfs ({mounted.stderr.strip() or 'not root'})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must run the full-disk test", pytrace=False)
        pytest.skip(reason)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _workspace(root: Path, environment: list[str], small_disk: Path) -> Path:
    """A workspace whose environment `lab` has the lines `environment` and a 160 MiB dump."""
    (root / ".launchpad").mkdir(parents=True, exist_ok=True)
    dump = f"head -c {DUMP_MIB * 1024 * 1024} /dev/urandom"
    lines = ["site: {name: 磁盘满, client: 客户}", "environments:", "  lab:",
             *(f"    {line}" for line in environment),
             "    backups:",
             f"      big: {{compression: none, command: {{dump: '{dump}', restore: 'cat > /dev/null',"
             " extension: bin}}"]
    (root / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # The target's folder is the small disk.
    (root / "backups" / "lab").mkdir(parents=True)
    (root / "backups" / "lab" / "big").symlink_to(small_disk)
    return root


def _take_and_expect_a_full_disk(root: Path, small_disk: Path) -> None:
    workspace = load_workspace(root)
    store = Store.open(workspace.store_path)
    try:
        with HostConnections(workspace, "lab") as connections, \
                pytest.raises(BackupFailed, match="is full; the partial backup was removed") as failed:
            take_backup(BackupSession(workspace, store, connections.transport_for, "tester"), "lab", "big")
        assert "launchpad backups prune" in (failed.value.hint or "")
        assert list(small_disk.iterdir()) == []  # no partial file, no manifest
        assert records.list_backups(store) == []
        actions = [row["action"] for row in store.db.query("SELECT action FROM audit ORDER BY id")]
        assert actions[-1] == "backup_failed" and "backup_taken" not in actions
    finally:
        store.close()


def test_a_disk_filling_up_during_an_ssh_dump_leaves_nothing(tmp_path: Path, small_disk: Path, sshd_lab: SshLab,
                                                             ssh_hosts: list[SshdHost]) -> None:
    host = ssh_hosts[0]
    root = sshd_lab.workspace_trusting(tmp_path / "ws", host)
    hosts = f"hosts: [{{name: app1, address: {host.address}, port: {host.port}}}]"
    _take_and_expect_a_full_disk(_workspace(root, [hosts], small_disk), small_disk)


def test_a_disk_filling_up_during_a_local_dump_leaves_nothing(tmp_path: Path, small_disk: Path) -> None:
    environment = ["transport: local", "hosts: [{name: app1, address: 127.0.0.1}]"]
    _take_and_expect_a_full_disk(_workspace(tmp_path / "ws", environment, small_disk), small_disk)
