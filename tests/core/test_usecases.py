"""Each use case has one home in the core that the CLI, the TUI and the steps call: the session
a command or the app opens, when a backup is fresh, opening a backup session, and whether a run
can resume and where."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from launchpad.backup.freshness import FRESH_FOR, fresh_backup, read_freshness
from launchpad.backup.records import insert_backup
from launchpad.backup.session import open_backup_session
from launchpad.cli.door import Door, pass_session
from launchpad.errors import UsageError
from launchpad.run.engine import resumable_run
from launchpad.session import Session, open_session
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.core.test_inputs import GOOD_PLAYBOOK
from tests.core.test_issues import run_cli
from tests.workspaces import LOCAL_SITE, write_workspace

NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)


def _backup(store: Store, root: Path, number: int, finished: datetime, verified: bool = True) -> str:
    file = f"test/users/users-{number}.sqlite3.zst"
    (root / "backups" / file).parent.mkdir(parents=True, exist_ok=True)
    (root / "backups" / file).write_bytes(b"backup")
    at = finished.isoformat()
    insert_backup(store, {
        "uid": f"uid-{number}", "environment": "test", "target": "users", "driver": "sqlite", "host": "app1",
        "compression": "zstd", "file": file, "started": at, "finished": at, "size": 6, "sha256": "ab" * 32,
        "tool_versions": {}, "inventory": {}, "purpose": "manual", "actor": "张伟", "run_id": None,
        "step_id": None, "verified_at": at if verified else None, "verify_status": "ok" if verified else None,
        "verify_detail": "", "drilled_at": None, "drill_status": None, "drill_detail": None})
    return file


def test_the_dashboard_and_the_gate_call_the_same_backup_fresh(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    workspace = load_workspace(root)
    with Store.open(workspace.store_path) as store:
        older = _backup(store, root, 1, NOW - timedelta(hours=5))
        newer = _backup(store, root, 2, NOW - timedelta(hours=1))
        _backup(store, root, 3, NOW - timedelta(minutes=5), verified=False)  # never counts
        dashboard = read_freshness(store, workspace.site, workspace.backups_dir)["test"]
        assert dashboard.newest_verified == NOW - timedelta(hours=1) and not dashboard.stale(NOW)
        fresh = fresh_backup(store, workspace.backups_dir, "test", "users", NOW, timedelta(hours=2))
        assert fresh is not None and fresh.id == 2
        # A verified backup whose file is gone cannot be restored: the gate never took it as
        # fresh, and now the dashboard does not either (it showed its age as if it could).
        (workspace.backups_dir / newer).unlink()
        dashboard = read_freshness(store, workspace.site, workspace.backups_dir)["test"]
        assert dashboard.newest_verified == NOW - timedelta(hours=5)
        assert fresh_backup(store, workspace.backups_dir, "test", "users", NOW, timedelta(hours=2)) is None
        older_fresh = fresh_backup(store, workspace.backups_dir, "test", "users", NOW, timedelta(hours=6))
        assert older_fresh is not None and older_fresh.id == 1
        # The dashboard's age is the one named constant, with the gate's strict "younger than".
        assert not dashboard.stale(NOW - timedelta(hours=5) + FRESH_FOR - timedelta(seconds=1))
        assert dashboard.stale(NOW - timedelta(hours=5) + FRESH_FOR)
        (workspace.backups_dir / older).unlink()
        assert read_freshness(store, workspace.site, workspace.backups_dir)["test"].stale(NOW)


def test_a_backup_session_uses_a_runs_transports_or_opens_its_own(tmp_path: Path) -> None:
    workspace = load_workspace(write_workspace(tmp_path / "ws"))
    with Store.open(workspace.store_path) as store:
        given = object()
        with open_backup_session(workspace, store, "张伟", "test", transport_for=given,  # type: ignore[arg-type]
                                 run_id=4, step_id="backup") as backups:
            assert backups.transport_for is given and (backups.run_id, backups.step_id) == (4, "backup")
        with open_backup_session(workspace, store, "张伟") as backups:  # the first environment
            host = workspace.environment("test").hosts[0]
            assert backups.transport_for(host).run("echo ok").stdout.strip() == b"ok"
            assert backups.actor == "张伟" and backups.store is store
    empty = load_workspace(write_workspace(tmp_path / "empty", LOCAL_SITE.split("environments:")[0]
                                           + "environments: {}\n"))
    with (Store.open(empty.store_path) as store, pytest.raises(UsageError, match="defines no environments"),
          open_backup_session(empty, store, "张伟")):
        pass


def test_a_command_gets_one_typed_session_closed_when_it_ends(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    seen: list[Any] = []

    @click.group()
    @click.pass_context
    def group(ctx: click.Context) -> None:
        ctx.obj = Door(str(root))

    @group.command()
    @pass_session
    def probe(session: Session) -> None:
        seen.append(session)
        seen.append(session.store())
        assert session.store() is seen[1]  # opened once for the command

    result = CliRunner().invoke(group, ["probe"])
    assert result.exit_code == 0, result.output
    session, store = seen
    assert isinstance(session, Session) and session.workspace.root == root
    assert session._store is None  # closed when the command ended
    with pytest.raises(Exception, match="closed"):
        store.db.execute("SELECT 1")


def test_the_cli_and_the_tui_ask_the_engine_whether_a_run_can_resume(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"hello": GOOD_PLAYBOOK})
    session = open_session(root, actor="张伟")
    store = session.store()
    run_id = store.create_run(playbook="release", playbook_path="release.yaml", playbook_hash="x",
                              playbook_snapshot={}, environment="test", production=False, variables={},
                              operator="张伟")
    store.set_run_status(run_id, "interrupted", finished=True)
    assert resumable_run(store, run_id)["environment"] == "test"
    assert resumable_run(store, run_id, "test")["id"] == run_id
    with pytest.raises(UsageError, match="was on 'test', not 'prod'") as other:
        resumable_run(store, run_id, "prod")
    assert "leave out --env" in (other.value.hint or "")
    with pytest.raises(UsageError, match="no run 99"):
        resumable_run(store, 99)
    store.set_run_status(run_id, "passed", finished=True)
    with pytest.raises(UsageError, match="already passed"):
        resumable_run(store, run_id)
    session.close()
    store = Store.open(root / ".launchpad" / "launchpad.db")
    store.set_run_status(run_id, "interrupted", finished=True)
    store.close()
    wrong = run_cli(root, "run", "hello", "--resume", str(run_id), "--env", "prod")  # the CLI asks the same
    assert wrong.returncode == 2 and f"运行 {run_id} 是在“test”上，不是“prod”" in wrong.stderr
    assert "请去掉 --env" in wrong.stderr


def test_the_session_names_the_person_and_measures_today_in_the_sites_zone(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAUNCHPAD_ACTOR", "李四")
    late = datetime(2025, 11, 20, 17, 30, tzinfo=UTC)  # 01:30 the next day in Shanghai
    session = open_session(write_workspace(tmp_path / "ws"), now=lambda: late)
    assert session.actor == "李四" and session.today().isoformat() == "2025-11-21"
    assert session.people["zhang"] == "张三" and session.is_production("prod") and not session.is_production("test")
    assert session.issue_log().today() == session.today()
    session.close()
