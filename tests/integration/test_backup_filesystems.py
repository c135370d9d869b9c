"""Real filesystems under a target's backup folder, mounted by the tests (as root).

A disk that really fills up mid-dump: the backup fails saying so, and leaves no partial file
and no record, whether the dump comes over SSH or from the local machine. The folder is an
80 MiB tmpfs and the dump 160 MiB, so the free-space check before the start passes (there is no
earlier backup to go by) and the disk fills while the dump streams: ENOSPC from the writing
thread, not from a stand-in.

A filesystem without O_DIRECT (ramfs): the same bytes go through the page cache.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from launchpad.backup import diskwriter, records
from launchpad.backup.diskwriter import BUFFER_SIZE
from launchpad.backup.errors import BackupFailed
from launchpad.backup.session import BackupSession
from launchpad.backup.take import take_backup
from launchpad.backup.writer import StreamingFile
from launchpad.hosts.connect import HostConnections
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.integration.sshd import SshdHost, SshLab

pytestmark = pytest.mark.integration
DISK_MIB = 80
DUMP_MIB = 160


def _mount(folder: Path, *how: str) -> None:
    folder.mkdir()
    mounted = subprocess.run(["mount", *how, str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        reason = f"cannot mount {how[1]} ({mounted.stderr.strip() or 'not root'})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}: CI must run the filesystem tests", pytrace=False)
        pytest.skip(reason)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "small-disk"
    _mount(folder, "-t", "tmpfs", "-o", f"size={DISK_MIB}m,mode=0700", "tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def ramfs(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "ramfs"
    _mount(folder, "-t", "ramfs", "-o", "mode=0700", "ramfs")
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


def test_a_filesystem_without_direct_io_gets_the_dump_through_the_cache(ramfs: Path) -> None:
    fd = os.open(ramfs / "probe", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        assert not diskwriter._set_direct(fd, True)  # ramfs has no O_DIRECT
    finally:
        os.close(fd)
        (ramfs / "probe").unlink()
    data = os.urandom(3 * BUFFER_SIZE + 12345)
    sink = StreamingFile(ramfs / "dump.bin")
    for at in range(0, len(data), 32768):  # as SSH packets arrive
        sink.write(data[at:at + 32768])
    published = sink.publish()
    assert published.read_bytes() == data
    assert sink.sha256 == hashlib.sha256(data).hexdigest() and sink.size == len(data)
    assert sorted(path.name for path in ramfs.iterdir()) == ["dump.bin"]  # no partial left


@pytest.fixture
def read_only_disk(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "read-only"
    _mount(folder, "-t", "tmpfs", "-o", "size=1m,mode=0700,ro", "tmpfs")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_backups_folder_on_a_read_only_disk_says_read_only(tmp_path: Path, read_only_disk: Path) -> None:
    from tests.commandline import launch

    environment = ["transport: local", "hosts: [{name: app1, address: 127.0.0.1}]"]
    root = _workspace(tmp_path / "ws", environment, read_only_disk)
    code, output = launch(root, "--lang", "zh", "backup", "--env", "lab", "big")
    assert code == 2 and "备份目录不可用" in output and str(root / "backups" / "lab" / "big") in output, output
    assert "只读" in output and "没有权限" not in output, output  # not "no permission": root has it


def test_pruning_backups_on_a_disk_gone_read_only_says_so(tmp_path: Path, small_disk: Path) -> None:
    from tests.commandline import launch

    root = tmp_path / "ws"
    (root / ".launchpad").mkdir(parents=True)
    (root / "site.yaml").write_text(
        "site: {name: 只读, client: 客户}\nenvironments:\n  lab:\n    transport: local\n"
        "    hosts: [{name: app1, address: 127.0.0.1}]\n    backups:\n"
        "      small: {compression: none, retention: {keep: 1},"
        " command: {dump: 'echo data', restore: 'cat > /dev/null', extension: bin}}\n", encoding="utf-8")
    (root / "backups" / "lab").mkdir(parents=True)
    (root / "backups" / "lab" / "small").symlink_to(small_disk)
    for _ in range(2):
        assert launch(root, "backup", "--env", "lab", "small")[0] == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    code, output = launch(root, "--lang", "zh", "backups", "prune")
    assert code == 2 and "无法删除" in output and "文件系统是只读的" in output, output
    assert "backups/lab/small/" in output and "→" in output, output
    listing = launch(root, "backups", "--json")[1]
    assert '"deleted_at": null' in listing and listing.count('"deleted_at": null') == 2  # nothing marked deleted
