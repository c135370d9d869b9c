"""Snapshots of the screens a person reads most: the dashboard, a playbook preview, a run in
the middle, the sign-off dialog and the production confirmation — at 80x24 (a bastion's web
terminal) and 120x40, in Chinese and English.

Everything shown is fixed: the clock, the workspace (no ports or temporary paths on screen),
the run history, and the moment of the picture (a run waiting on a person, never mid-output).
Update with `pytest tests/ui --snapshot-update` after checking the new pictures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from launchpad.golive.checklist import CHECKLIST_FILE
from launchpad.store.db import Store
from screens.app import LaunchpadApp
from screens.dashboard import DashboardScreen
from screens.dialogs.sign_off import SignOffDialog
from screens.dialogs.type_name import TypeNameDialog
from screens.playbooks import PlaybooksScreen
from tests.ui.conftest import FIXED_NOW, RELEASE_CHECK, UI_SITE
from tests.ui.helpers import run_screen, wait_for_screen, wait_opened, wait_until
from tests.workspaces import write_workspace

# Go-live nine days after the fixed clock: one item late, one open critical item, one done.
CHECKLIST = """\
date: 2024-01-10
version: V1.0
items:
  - {id: accept, title: 现场点验主流程, owner: zhang, due: 2024-01-08, critical: true, proof: {sign_off: true}}
  - {id: group, title: 试运行反馈群, owner: li, due: 2023-12-28, status: blocked, reason: 等甲方名单}
  - {id: dict, title: 字典数据, owner: zhang, due: 2023-12-20, status: done}
"""

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = ["zh", "en"]


@pytest.fixture
def snapshot_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Bundled playbooks change with the product; the pictures show the test's own only.
    (tmp_path / "no-bundled").mkdir()
    monkeypatch.setattr("launchpad.run.playbook.BUNDLED_DIR", tmp_path / "no-bundled")
    root = write_workspace(tmp_path / "ws", UI_SITE, {"release-check": RELEASE_CHECK})
    (root / CHECKLIST_FILE).write_text(CHECKLIST, encoding="utf-8")
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        for status in ("passed", "failed"):
            run_id = store.create_run(
                playbook="release-check", playbook_path="playbooks/release-check.yaml", playbook_hash="x",
                playbook_snapshot={}, environment="test", production=False, variables={}, operator="张伟",
            )
            store.set_run_status(run_id, status, finished=True)
            # Fixed times, so the picture does not depend on when the test ran.
            store.db.table("runs").update(run_id, {"started": f"2024-01-01T0{run_id}:30:00+00:00"})
    return root


def make_app(root: Path, language: str, watch_hosts: bool = False) -> LaunchpadApp:
    return LaunchpadApp(root, now=lambda: FIXED_NOW, language=language, watch_hosts=watch_hosts)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_dashboard(snap_compare: Any, snapshot_workspace: Path, size: tuple[int, int], language: str) -> None:
    app = make_app(snapshot_workspace, language, watch_hosts=True)

    async def ready(pilot: Any) -> None:
        await wait_opened(pilot)
        await wait_until(pilot, lambda: len(app.host_health) == 2 and len(app.recent_runs) == 2, "hosts and runs")
        await wait_until(pilot, lambda: app.issue_summary is not None, "the issue counts")
        await wait_until(pilot, lambda: app.backup_freshness is not None, "the backup ages")
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        await wait_until(pilot, lambda: dashboard.golive is not None, "the go-live checklist")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_playbook_preview(snap_compare: Any, snapshot_workspace: Path, size: tuple[int, int], language: str) -> None:
    app = make_app(snapshot_workspace, language)

    async def ready(pilot: Any) -> None:
        await wait_opened(pilot)
        await pilot.press("p")
        screen = await wait_for_screen(pilot, PlaybooksScreen)
        await wait_until(pilot, lambda: screen.entries and screen.query("#var-0"), "the preview")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_run_waiting_on_a_failed_sign_off(
    snap_compare: Any, snapshot_workspace: Path, size: tuple[int, int], language: str
) -> None:
    app = make_app(snapshot_workspace, language)

    async def ready(pilot: Any) -> None:
        await wait_opened(pilot)
        screen = run_screen(snapshot_workspace, "release-check", "test", {"version": "1.2.0"})
        app.push_screen(screen)
        await wait_for_screen(pilot, SignOffDialog)
        await pilot.press("escape")  # not done: the step fails and waits for a decision
        await wait_until(pilot, lambda: screen.pending_failure is not None, "the failure question")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_sign_off_dialog(snap_compare: Any, snapshot_workspace: Path, size: tuple[int, int], language: str) -> None:
    app = make_app(snapshot_workspace, language)

    async def ready(pilot: Any) -> None:
        await wait_opened(pilot)
        app.push_screen(run_screen(snapshot_workspace, "release-check", "test", {"version": "1.2.0"}))
        await wait_for_screen(pilot, SignOffDialog)
        await pilot.press(*"已确认")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_production_confirmation(
    snap_compare: Any, snapshot_workspace: Path, size: tuple[int, int], language: str
) -> None:
    app = make_app(snapshot_workspace, language)

    async def ready(pilot: Any) -> None:
        await wait_opened(pilot)
        await pilot.press("e")  # select prod: the banner turns red everywhere
        await pilot.press("p")
        screen = await wait_for_screen(pilot, PlaybooksScreen)
        await wait_until(pilot, lambda: screen.entries and screen.query("#var-0"), "the preview")
        await pilot.press("r")
        dialog = await wait_for_screen(pilot, TypeNameDialog)
        dialog.query_one(Input).cursor_blink = False  # a blinking cursor would make the picture depend on time
        await pilot.press(*"prdo", "enter")  # a wrong name is refused in place
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)
