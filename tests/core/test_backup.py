"""Backups on the local transport: SQLite (the online backup API), files (tar) and the command
driver, through the same code paths as over SSH. The failure paths are the point: nothing is
recorded unless the dump exited 0, was complete and is on disk under its final name."""

from __future__ import annotations

import contextlib
import errno
import sqlite3
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from launchpad.backup import records
from launchpad.backup.drill import drill_backup
from launchpad.backup.drivers.sqlite import SqliteDriver
from launchpad.backup.errors import BackupFailed, RestoreRefused
from launchpad.backup.restore import restore_backup
from launchpad.backup.session import BackupSession
from launchpad.backup.take import take_backup
from launchpad.backup.verify import verify_backup
from launchpad.hosts.connect import HostConnections
from launchpad.phrases import render
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.scripted import ScriptedPrompter

ROWS = [(1, "张三", "第一行\n第二行"), (2, "tab\there", None), (3, "", "引号 ' \" ; DROP TABLE t; --")]

SITE = """\
site: {name: 备份测试, client: 测试客户}
environments:
  test:
    transport: local
    hosts:
      - {name: app1, address: 127.0.0.1}
    databases:
      app: {engine: sqlite, name: data/app.db, via: app1}
    backups:
      app: {database: app, retention: {keep: 2}}
      files: {paths: [conf], compression: gzip}
      blob:
        host: app1
        command: {dump: "cat blob.bin", restore: "cat > blob.bin", extension: bin, complete: 'END\\n?$'}
  prod:
    production: true
    transport: local
    hosts:
      - {name: prod1, address: 127.0.0.1}
    databases:
      app: {engine: sqlite, name: data/app.db, via: prod1}
    backups:
      app: {database: app}
"""


def rows_of(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as connection:
        return list(connection.execute("SELECT id, name, note FROM t ORDER BY id"))


class Lab:
    """A local workspace with an SQLite database, a config folder and a blob."""

    def __init__(self, root: Path, site: str = SITE) -> None:
        root.mkdir(parents=True)
        (root / "site.yaml").write_text(textwrap.dedent(site), encoding="utf-8")
        (root / "data").mkdir()
        self.db = root / "data" / "app.db"
        with sqlite3.connect(self.db) as connection:
            connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, note TEXT)")
            connection.executemany("INSERT INTO t VALUES (?, ?, ?)", ROWS)
        (root / "conf" / "子目录").mkdir(parents=True)
        (root / "conf" / "app.ini").write_text("port=8080\n")
        (root / "conf" / "子目录" / "说明.txt").write_text("中文内容\n")
        (root / "blob.bin").write_bytes(b"x" * 100_000 + b"END\n")
        self.root = root
        self.workspace = load_workspace(root)
        self.store = Store.open(self.workspace.store_path)
        self.progress: list[Any] = []

    @contextlib.contextmanager
    def session(self, env: str = "test") -> Iterator[BackupSession]:
        with HostConnections(self.workspace, env) as connections:
            yield BackupSession(self.workspace, self.store, connections.transport_for, "tester",
                                progress=self.progress.append)

    def take(self, target: str, env: str = "test") -> records.BackupRecord:
        with self.session(env) as session:
            return take_backup(session, env, target)

    def files_in(self, env: str, target: str) -> list[str]:
        folder = self.workspace.backups_dir / env / target
        return sorted(p.name for p in folder.iterdir()) if folder.exists() else []

    def audit_actions(self) -> list[str]:
        return [row["action"] for row in self.store.db.query("SELECT action FROM audit ORDER BY id")]


@pytest.fixture
def lab(tmp_path: Path) -> Lab:
    return Lab(tmp_path / "ws")


def test_sqlite_backup_change_restore_gives_the_original_back(lab: Lab) -> None:
    record = lab.take("app")
    assert record.driver == "sqlite" and record.verified and record.inventory == {"tables": {"t": 3}}
    assert record.file.startswith("test/app/") and record.size == record.path(lab.workspace.backups_dir).stat().st_size
    assert lab.progress and lab.progress[-1].bytes == record.size
    mode = record.path(lab.workspace.backups_dir).stat().st_mode & 0o777
    assert mode == 0o600
    with sqlite3.connect(lab.db) as connection:
        connection.execute("UPDATE t SET name = '改坏了'")
        connection.execute("DELETE FROM t WHERE id = 3")
    with lab.session() as session:
        result = restore_backup(session, record.id, "test", ScriptedPrompter())
    assert rows_of(lab.db) == ROWS
    assert result.safety_backup is not None and result.safety_backup.purpose == "safety"
    assert result.safety_backup.inventory == {"tables": {"t": 2}}
    assert records.restores(lab.store, record.id)[0]["status"] == "restored"
    assert {"backup_taken", "restore_confirmed", "restore_started", "restore_finished"} <= set(lab.audit_actions())


def test_files_backup_and_restore_swap_the_folder_back(lab: Lab) -> None:
    record = lab.take("files")
    assert record.compression == "gzip" and record.file.endswith(".tar.gz")
    files = record.inventory["files"] if record.inventory else {}
    assert files["conf/子目录/说明.txt"]["type"] == "file"
    (lab.root / "conf" / "app.ini").write_text("port=9999\n")
    (lab.root / "conf" / "stray.txt").write_text("new")
    (lab.root / "conf" / "子目录" / "说明.txt").unlink()
    with lab.session() as session:
        restore_backup(session, record.id, "test", ScriptedPrompter())
    assert (lab.root / "conf" / "app.ini").read_text() == "port=8080\n"
    assert (lab.root / "conf" / "子目录" / "说明.txt").read_text() == "中文内容\n"
    assert not (lab.root / "conf" / "stray.txt").exists()
    assert not list(lab.root.glob("*.launchpad-old"))


def test_drills_report_rows_and_files(lab: Lab) -> None:
    app, files = lab.take("app"), lab.take("files")
    with lab.session() as session:
        drilled = drill_backup(session, app.id)
        assert drilled.passed and drilled.rows == [{"table": "t", "at_backup": 3, "restored": 3, "source_now": 3}]
        (lab.root / "conf" / "app.ini").write_text("changed since\n")
        drilled_files = drill_backup(session, files.id)
    assert drilled_files.passed and "1 differ from the source now" in str(drilled_files.summary)
    stored = records.require_backup(lab.store, app.id)
    assert stored.drill_status == "passed" and stored.drill_detail and stored.drill_detail["rows"][0]["restored"] == 3
    assert render(stored.drill_said(), "zh") == "恢复了 1 张表、3 行，与备份时记录的行数一致"
    assert str(stored.drill_said()) == "1 tables, 3 rows restored, equal to the counts taken with the backup"


def test_a_dump_killed_halfway_leaves_no_file_and_no_record(lab: Lab) -> None:
    with lab.session() as session, pytest.raises(BackupFailed, match="was killed"):
        _take_with_dump(session, "blob", "head -c 3000000 /dev/zero; kill -9 $$")
    assert lab.files_in("test", "blob") == []
    assert records.list_backups(lab.store) == []
    assert lab.audit_actions()[-1] == "backup_failed"


def _take_with_dump(session: BackupSession, target: str, dump: str) -> records.BackupRecord:
    """Take `target` with its command driver's dump replaced (a dump that misbehaves)."""
    from launchpad.backup.drivers import command

    original = command.CommandDriver.dump_command
    command.CommandDriver.dump_command = lambda self, tmp: dump  # type: ignore[method-assign]
    try:
        return take_backup(session, "test", target)
    finally:
        command.CommandDriver.dump_command = original  # type: ignore[method-assign]


def test_a_dump_that_exits_0_but_is_cut_short_is_rejected(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    with lab.session() as session:
        with pytest.raises(BackupFailed, match="incomplete"):
            _take_with_dump(session, "blob", "head -c 5000 blob.bin")
        original = SqliteDriver.dump_command
        monkeypatch.setattr(SqliteDriver, "dump_command", lambda self, tmp: original(self, tmp) + " | head -c 5000")
        with pytest.raises(BackupFailed, match="cut short"):
            take_backup(session, "test", "app")
    assert lab.files_in("test", "blob") == [] and lab.files_in("test", "app") == []
    assert records.list_backups(lab.store) == []


def test_a_full_disk_removes_the_partial_file(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.backup.writer import StreamingFile

    real_write = StreamingFile.write

    def fill_up(self: StreamingFile, chunk: bytes) -> int:
        real_write(self, chunk[:100])  # some bytes land, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(StreamingFile, "write", fill_up)
    with lab.session() as session, pytest.raises(BackupFailed, match="disk .* is full"):
        take_backup(session, "test", "blob")
    assert lab.files_in("test", "blob") == [] and records.list_backups(lab.store) == []


def test_free_space_is_checked_before_starting(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import launchpad.backup.writer as writer

    lab.take("blob")
    monkeypatch.setattr(writer.shutil, "disk_usage", lambda _: shutil._ntuple_diskusage(10**9, 10**9, 1000))
    with lab.session() as session, pytest.raises(BackupFailed, match="free"):
        take_backup(session, "test", "blob")
    assert len(records.list_backups(lab.store)) == 1


def test_a_backup_refused_before_it_starts_is_audited(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    import launchpad.backup.writer as writer
    from launchpad.errors import LaunchpadError

    lab.take("blob")
    monkeypatch.setattr(writer.shutil, "disk_usage", lambda _: shutil._ntuple_diskusage(10**9, 10**9, 1000))
    with lab.session() as session, pytest.raises(BackupFailed, match="free"):
        take_backup(session, "test", "blob")
    (lab.workspace.backups_dir / "test" / "files").write_text("a file where the folder goes")
    with lab.session() as session, pytest.raises(LaunchpadError, match="not a folder"):
        take_backup(session, "test", "files")
    refused = list(lab.store.db.query("SELECT target, detail FROM audit WHERE action = 'backup_refused' ORDER BY id"))
    assert [row["target"] for row in refused] == ["test/blob", "test/files"]
    assert "free" in refused[0]["detail"] and "not a folder" in refused[1]["detail"]


def test_a_partial_file_of_a_dead_process_is_cleaned_up(lab: Lab) -> None:
    folder = lab.workspace.backups_dir / "test" / "blob"
    folder.mkdir(parents=True)
    stale = folder / ".test-blob-x.bin.999999999.partial"
    stale.write_bytes(b"half")
    lab.take("blob")
    assert not stale.exists()


def test_a_flipped_byte_fails_verify_and_restore_refuses(lab: Lab) -> None:
    record = lab.take("app")
    path = record.path(lab.workspace.backups_dir)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with sqlite3.connect(lab.db) as connection:
        connection.execute("DELETE FROM t")
    with lab.session() as session:
        report = verify_backup(session, record.id)
        assert not report.ok and not report.checksum_ok and "sha256" in str(report.detail)
        # What to do next comes with the report, for the CLI and the TUI alike.
        assert str(report.hint).startswith("take a new backup (`launchpad backup --env test app`)")
        assert report.hint is not None and render(report.hint, "zh").startswith("请重新备份")
        with pytest.raises(RestoreRefused, match="does not verify") as refused:
            restore_backup(session, record.id, "test", ScriptedPrompter())
    # The hint names the backup's environment, in both languages, not a placeholder to fill in.
    assert refused.value.hint == "choose another backup (`launchpad backups --env test`)"
    assert render(refused.value.said_hint, "zh") == "请换一个备份（`launchpad backups --env test`）"
    assert rows_of(lab.db) == []  # untouched
    assert records.require_backup(lab.store, record.id).verify_status == "failed"
    assert [b.purpose for b in records.list_backups(lab.store)] == ["manual"]  # no safety backup either


@pytest.mark.parametrize("host_decompresses", [True, False], ids=["decompressed-on-host", "decompressed-here"])
@pytest.mark.parametrize("how", ["replaced", "rewritten-in-place"])
def test_a_restore_streams_exactly_what_it_verified(lab: Lab, monkeypatch: pytest.MonkeyPatch,
                                                    host_decompresses: bool, how: str) -> None:
    from launchpad.backup import take
    from launchpad.backup.hostshell import HostShell

    record = lab.take("app")
    with sqlite3.connect(lab.db) as connection:
        connection.execute("DELETE FROM t WHERE id = 1")
    other = lab.take("app")  # a valid backup too, of other content: it passes every structure check
    with sqlite3.connect(lab.db) as connection:
        connection.execute("UPDATE t SET name = '当前'")
    before = rows_of(lab.db)
    original_take = take.take_backup

    def safety_then_swap(*args: Any, **kwargs: Any) -> records.BackupRecord:
        # The checksum was checked before the safety backup; the file changes while it runs.
        safety = original_take(*args, **kwargs)
        stored = record.path(lab.workspace.backups_dir)
        swapped_in = other.path(lab.workspace.backups_dir).read_bytes()
        if how == "replaced":  # a new file under the same name
            stored.unlink()
            stored.write_bytes(swapped_in)
        else:  # the same file, its bytes overwritten
            with open(stored, "r+b") as inode:
                inode.write(swapped_in)
                inode.truncate()
        return safety

    monkeypatch.setattr(take, "take_backup", safety_then_swap)
    if not host_decompresses:
        # The restore asks the host for its decompressor alone: it has none, so this side decompresses.
        original_tools = HostShell.tools
        monkeypatch.setattr(HostShell, "tools",
                            lambda self, names: set() if len(names) == 1 else original_tools(self, names))
    with lab.session() as session:
        if how == "replaced":
            # The file verified was held open: that is what is restored, not the newcomer.
            restore_backup(session, record.id, "test", ScriptedPrompter())
            assert rows_of(lab.db) == ROWS
            return
        with pytest.raises(BackupFailed, match="changed after it was verified") as refused:
            restore_backup(session, record.id, "test", ScriptedPrompter())
    chinese = refused.value.render("zh")  # what a `language: zh` site prints
    assert f"备份 {record.id} 在校验之后被改动（" in chinese and "所以 app 没有用它恢复" in chinese, chinese
    assert "→ 请查明是谁改动了备份文件夹，然后重新校验这个备份" in chinese
    assert rows_of(lab.db) == before  # neither backup reached the database
    assert records.restores(lab.store, record.id)[0]["status"] == "failed"
    assert records.require_backup(lab.store, record.id).verify_status == "failed"


def test_a_restore_whose_process_died_is_interrupted_not_running(lab: Lab) -> None:
    import subprocess

    record = lab.take("app")
    killed = subprocess.Popen(["true"])
    killed.wait()  # a pid that is gone, as a `kill -9`'d launchpad's is
    restore_id = records.start_restore(lab.store, record, "tester", None, None)
    with lab.store.transaction():
        lab.store.db.execute("UPDATE backup_restores SET pid = ? WHERE id = ?", [killed.pid, restore_id])
    assert records.restores(lab.store)[0]["status"] == "interrupted"
    with lab.session() as session:
        restore_backup(session, record.id, "test", ScriptedPrompter())
    stored = {row["id"]: row["status"] for row in lab.store.db.query("SELECT id, status FROM backup_restores")}
    assert stored == {restore_id: "interrupted", restore_id + 1: "restored"}
    assert "restore_interrupted" in lab.audit_actions()


def test_verify_rechecks_the_structure(lab: Lab) -> None:
    record = lab.take("blob")
    with lab.session() as session:
        report = verify_backup(session, record.id)
    assert report.ok and str(report.detail) == "the end matches /END\\n?$/" and report.hint is None
    stored = records.require_backup(lab.store, record.id)
    assert stored.verify_detail == str(report.detail)
    assert render(stored.verify_said(), "zh") == "结尾匹配 /END\\n?$/", "the phrase is stored beside the text"


def test_production_restore_without_the_typed_name_does_nothing(lab: Lab) -> None:
    record = lab.take("app", env="prod")
    with sqlite3.connect(lab.db) as connection:
        connection.execute("DELETE FROM t WHERE id = 1")
    changed = rows_of(lab.db)
    with lab.session("prod") as session:
        for prompter in (ScriptedPrompter(typed_name=""), ScriptedPrompter(typed_name="test"),
                         ScriptedPrompter(confirm_answer=False, typed_name="prod")):
            with pytest.raises(RestoreRefused, match="nothing was changed"):
                restore_backup(session, record.id, "prod", prompter)
    assert rows_of(lab.db) == changed
    assert records.restores(lab.store) == [] and len(records.list_backups(lab.store)) == 1
    assert lab.audit_actions().count("restore_declined") == 3
    with lab.session("prod") as session:
        restore_backup(session, record.id, "prod", ScriptedPrompter(typed_name="prod"))
    assert rows_of(lab.db) == ROWS


def test_a_backup_is_restored_only_into_its_own_environment(lab: Lab) -> None:
    record = lab.take("app")
    with lab.session("prod") as session, pytest.raises(RestoreRefused, match="not restored onto 'prod'"):
        restore_backup(session, record.id, "prod", ScriptedPrompter(typed_name="prod"))


def test_the_manifest_beside_the_file_matches_the_record(lab: Lab) -> None:
    import json

    record = lab.take("app")
    manifest = json.loads(record.manifest_path(lab.workspace.backups_dir).read_text(encoding="utf-8"))
    assert manifest["sha256"] == record.sha256 and manifest["size"] == record.size
    assert manifest["environment"] == "test" and manifest["target"] == "app" and manifest["driver"] == "sqlite"
    assert manifest["tool_versions"]["python3"].startswith("Python 3")
    assert "password" not in json.dumps(manifest).lower()


def test_the_backup_list_says_what_each_backup_was_for_in_the_readers_language(lab: Lab) -> None:
    from tests.commandline import launch

    record = lab.take("app")
    with lab.session() as session:
        restore_backup(session, record.id, "test", ScriptedPrompter())
    code, output = launch(lab.root, "--lang", "zh", "backups")
    assert code == 0
    assert "手动" in output and "恢复前" in output, output
    assert "manual" not in output and "safety" not in output, output


def test_a_restore_that_fails_on_the_host_names_the_safety_backup_to_go_back_to(tmp_path: Path) -> None:
    from tests.commandline import launch

    lab = Lab(tmp_path / "ws", SITE.replace('restore: "cat > blob.bin"', 'restore: "cat > blob.bin; exit 3"'))
    record = lab.take("blob")
    code, output = launch(lab.root, "--lang", "zh", "restore", str(record.id), "--env", "test", "--yes")
    assert code != 0 and "恢复失败（退出码 3）：没有输出" in output, output
    safety = [b for b in records.list_backups(lab.store) if b.purpose == "safety"]
    assert len(safety) == 1
    assert f"launchpad restore {safety[0].id} --env test" in output, output


def test_a_drill_refused_for_a_backup_that_does_not_verify_is_audited(lab: Lab) -> None:
    from launchpad.backup.errors import DrillRefused

    record = lab.take("app")
    record.path(lab.workspace.backups_dir).unlink()
    with lab.session() as session, pytest.raises(DrillRefused):
        drill_backup(session, record.id)
    assert lab.audit_actions()[-1] == "drill_refused"


def test_a_file_that_cannot_be_adopted_says_why_in_the_readers_language(lab: Lab) -> None:
    from tests.commandline import launch

    record = lab.take("blob")
    folder = lab.workspace.backups_dir / "test" / "blob"
    (folder / "copied-by-hand.bin").write_bytes(b"who knows")
    (folder / "copy.bin").write_bytes(b"x" * record.size)  # its size, other bytes
    manifest = record.manifest_path(lab.workspace.backups_dir).read_text(encoding="utf-8")
    (folder / "copy.bin.json").write_text(manifest.replace(Path(record.file).name, "copy.bin"), encoding="utf-8")
    code, output = launch(lab.root, "--lang", "zh", "backups", "adopt")
    assert code == 1, output
    assert "copied-by-hand.bin：未补录：旁边没有可读的清单" in output, output
    assert "copy.bin：未补录：sha256 与清单记录的不同：文件已被改动或损坏" in output, output
    assert "manifest" not in output, output


def test_a_copy_of_a_recorded_backup_is_not_adopted_twice(lab: Lab) -> None:
    import shutil

    from tests.commandline import launch

    record = lab.take("blob")
    copies = lab.workspace.backups_dir / "test" / "blob-copy"
    copies.mkdir()
    for path in (record.path(lab.workspace.backups_dir), record.manifest_path(lab.workspace.backups_dir)):
        shutil.copy(path, copies / path.name)
    code, output = launch(lab.root, "--lang", "zh", "backups", "adopt")
    assert code == 1, output
    assert f"未补录：它就是已记录的备份 {record.id}（{record.file}）" in output, output
    assert len(records.list_backups(lab.store)) == 1
