"""The run screen's own controls: stepping one step at a time, stopping a run so it can be
resumed, and overriding a refused release window only with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.store.db import Store
from screens.app import LaunchpadApp
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.reason import ReasonDialog
from screens.run import RunScreen
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import run_screen, wait_for_screen, wait_opened, wait_run_ended, wait_until

pytestmark = pytest.mark.anyio


def logged(root: Path) -> list[str]:
    path = root / "steps.log"
    return path.read_text().split() if path.exists() else []


async def test_run_next_then_run_all(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        screen: RunScreen = run_screen(ui_workspace, "steps", "test", step_mode=True)
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.state == "paused", "the pause before the first step")
        assert logged(ui_workspace) == []
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.view.status("one") == "passed" and screen.state == "paused", "step one")
        assert logged(ui_workspace) == ["1"]
        await pilot.press("a")
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "passed" and logged(ui_workspace) == ["1", "2", "3"]


async def test_abort_stops_at_a_safe_point_and_the_run_resumes(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        screen: RunScreen = run_screen(ui_workspace, "steps", "test", step_mode=True)
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.state == "paused", "the first pause")
        await pilot.press("n")
        await wait_until(pilot, lambda: screen.view.status("one") == "passed" and screen.state == "paused", "step one")
        await pilot.press("x")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert app.focused is not None and app.focused.id == "no", "stopping is never the default"
        await pilot.click("#yes")
        assert dialog.dialog_title
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "interrupted"
        run_id = screen.run_id
        assert run_id is not None
    with Store.open(ui_workspace / ".launchpad" / "launchpad.db") as store:
        run = store.get_run(run_id)
        assert run is not None and run["status"] == "interrupted"
        assert [run["id"] for run in store.interrupted_runs()] == [run_id]
    assert logged(ui_workspace) == ["1"]

    again = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, offer_resume=False)
    async with again.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        await wait_until(pilot, lambda: again.interrupted_runs, "the interrupted run")
        again.resume_run(run_id)
        resumed = await wait_for_screen(pilot, RunScreen)
        assert resumed.view.status("one") == "passed"
        await wait_run_ended(pilot, resumed)
        assert resumed.result_status == "passed"
    assert logged(ui_workspace) == ["1", "2", "3"], "nothing done twice, nothing left out"


async def test_stopping_while_a_question_is_open_stops_the_engine_itself(ui_workspace: Path) -> None:
    """Quitting with a confirmation open: the run screen calls `Engine.cancel`, the question is
    withdrawn unanswered, and the engine records the run interrupted (and audits it)."""
    from launchpad.store.audit import iter_audit

    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        screen: RunScreen = run_screen(ui_workspace, "danger", "test")
        app.push_screen(screen)
        await wait_for_screen(pilot, ConfirmDialog)
        screen.stop_run()  # what quitting the app does to a run in progress
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "interrupted"
        run_id = screen.run_id
    assert run_id is not None and not (ui_workspace / "restarted").exists()
    with Store.open(ui_workspace / ".launchpad" / "launchpad.db") as store:
        run = store.get_run(run_id)
        assert run is not None and run["status"] == "interrupted"
        assert store.decisions(run_id) == [], "no answer was invented for the open question"
        ended = [e.detail for e in iter_audit(store) if e.action == "run_finished"]
    assert ended == [{"status": "interrupted"}]


async def test_a_refused_window_is_overridden_only_with_a_reason(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        screen: RunScreen = run_screen(ui_workspace, "gate", "test")
        app.push_screen(screen)
        dialog = await wait_for_screen(pilot, ReasonDialog)
        assert "outside the after_hours window" in str(dialog.body)
        assert app.focused is not None and app.focused.id == "reason"
        await pilot.press("enter")  # no reason: refused in place
        assert app.screen is dialog
        await pilot.press(*"client approved in writing", "enter")
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "passed" and (ui_workspace / "released").exists()
        assert screen.run_id is not None
        with Store.open(ui_workspace / ".launchpad" / "launchpad.db") as store:
            overrides = [d for d in store.decisions(screen.run_id) if d["kind"] == "overrode"]
        assert [d["reason"] for d in overrides] == ["client approved in writing"]


async def test_abort_after_a_failure_offers_the_rollback(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        screen: RunScreen = run_screen(ui_workspace, "rollback", "test")
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.pending_failure is not None, "the failed verification")
        assert (ui_workspace / "changed").exists()
        await pilot.press("x")
        offer = await wait_for_screen(pilot, ConfirmDialog)
        assert "恢复配置" in str(offer.body)
        await pilot.click("#yes")
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "aborted"  # the person's abort, recorded as such
        assert screen.query_one("StepTree").status("p.undo") == "passed"
        assert not (ui_workspace / "changed").exists(), "the rollback step ran"
