"""Pilot tests of the flows a field engineer walks: open the demo and run a playbook to the
end, sign off a manual step, skip a failed step with a reason, refuse a mistyped production
name, resume an interrupted run, and see a broken workspace explained instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from launchpad.run.playbook import load_playbook
from launchpad.store.db import Store
from screens.app import LaunchpadApp
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.reason import ReasonDialog
from screens.dialogs.resume import ResumeDialog
from screens.dialogs.sign_off import SignOffDialog
from screens.dialogs.type_name import TypeNameDialog
from screens.opening_error import OpeningErrorScreen
from screens.playbooks import PlaybooksScreen
from screens.run import RunScreen
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import run_screen, wait_for_screen, wait_opened, wait_run_ended, wait_until

pytestmark = pytest.mark.anyio


def decisions(root: Path, run_id: int) -> list[dict[str, object]]:
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        return store.decisions(run_id)


async def test_demo_runs_environment_readiness_on_test(demo_workspace: Path) -> None:
    app = LaunchpadApp(demo_workspace, watch_hosts=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        assert app.environment == "test" and not app.production
        await pilot.press("p")
        playbooks = await wait_for_screen(pilot, PlaybooksScreen)
        await wait_until(pilot, lambda: playbooks.entries, "the playbook list")
        assert playbooks.entry is not None and playbooks.entry.name == "environment-readiness"
        await pilot.press("r")
        screen = await wait_for_screen(pilot, RunScreen)
        await wait_run_ended(pilot, screen)
        # The demo configures no ports or services: those checks did not run and say so.
        assert screen.result_status == "partial", screen.ended_text
        assert "有跳过或未检查" in screen.ended_text
        unchecked = {"services.ports", "services.active"}
        assert {s for s, status in screen.view.statuses.items() if status != "passed"} == unchecked
        assert all(screen.view.statuses[s] == "not_checked" for s in unchecked)
        phase = screen.query_one("StepTree").phase_nodes["services"]
        assert not str(phase.label).startswith("✓")
        with Store.open(demo_workspace / ".launchpad" / "launchpad.db") as store:
            run = store.list_runs(limit=1)[0]
        assert (run["playbook"], run["environment"], run["status"]) == ("environment-readiness", "test", "partial")
        await wait_until(pilot, lambda: app.recent_runs and app.recent_runs[0]["status"] == "partial", "recent runs")


async def test_sign_off_a_manual_step(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        app.push_screen(run_screen(ui_workspace, "sign-off", "test"))
        dialog = await wait_for_screen(pilot, SignOffDialog)
        assert "登录后点击主流程" in str(dialog.body)
        assert not dialog.query("#skip"), "a critical step offers no skip"
        await pilot.press(*"主流程正常")
        await pilot.press("ctrl+s")
        screen = await wait_for_screen(pilot, RunScreen)
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "passed" and screen.run_id is not None
        decision = decisions(ui_workspace, screen.run_id)[0]
        assert (decision["kind"], decision["actor"], decision["reason"]) == ("signed_off", "tester", "主流程正常")


async def test_skip_a_failed_step_with_a_reason(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        screen = run_screen(ui_workspace, "skip", "test")
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.pending_failure is not None, "the failure question")
        assert screen.selected_step == "p.broken"
        # Output travels to the screen, the question to the app: either may come first.
        await wait_until(pilot, lambda: any("坏了" in line for line in screen.view.output["p.broken"]), "stderr")
        await pilot.press("s")
        dialog = await wait_for_screen(pilot, ReasonDialog)
        await pilot.press("enter")  # an empty reason is refused
        assert app.screen is dialog
        await pilot.press(*"known issue", "enter")
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "partial"  # a skip is no pass
        assert screen.view.statuses == {"p.broken": "skipped", "p.after": "passed"}
        assert str(screen.query_one("StepTree").phase_nodes["p"].label).startswith("↷")
        skipped = [d for d in decisions(ui_workspace, screen.run_id) if d["kind"] == "skipped"]
        assert [(d["step_id"], d["reason"]) for d in skipped] == [("p.broken", "known issue")]


async def test_production_confirmation_refuses_a_wrong_name(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        screen = run_screen(ui_workspace, "danger", "prod")
        app.push_screen(screen)
        dialog = await wait_for_screen(pilot, TypeNameDialog)
        assert app.production, "the production banner follows the run's environment"
        await pilot.press(*"prdo", "enter")
        assert app.screen is dialog, "a wrong name never answers the question"
        problem = str(dialog.query_one("#dialog-problem", Static).render())
        assert "prod" in problem
        await pilot.press("escape")  # the safe answer: not confirmed
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "aborted"
        assert not (ui_workspace / "restarted").exists()
        assert decisions(ui_workspace, screen.run_id)[-1]["kind"] == "declined"


async def test_production_confirmation_accepts_the_typed_name(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        screen = run_screen(ui_workspace, "danger", "prod")
        app.push_screen(screen)
        await wait_for_screen(pilot, TypeNameDialog)
        await pilot.press(*"prod", "enter")
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "passed"
        assert (ui_workspace / "restarted").exists()


def _interrupted_run(ui_workspace: Path, store: Store, **snapshot: str) -> int:
    """A run of the resumable playbook on test, stored as started (`snapshot` over its copy)."""
    loaded = load_playbook(ui_workspace / "playbooks" / "resumable.yaml")
    playbook = loaded.playbook
    return int(store.create_run(
        playbook=playbook.name, playbook_path=str(loaded.path), playbook_hash=playbook.digest(),
        playbook_snapshot={**playbook.snapshot(), **snapshot}, environment="test", production=False, variables={},
        operator="tester",
    ))


async def test_resume_an_interrupted_run(ui_workspace: Path) -> None:
    with Store.open(ui_workspace / ".launchpad" / "launchpad.db") as store:
        run_id = _interrupted_run(ui_workspace, store)
        store.step_started(run_id, "first", "p", 1, ["app1"])
        store.step_finished(run_id, "first", 1, "passed", "done", {})
        store.step_started(run_id, "second", "p", 1, ["app1"])  # the process died here
        store.set_run_status(run_id, "interrupted", finished=False)
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        offer = await wait_for_screen(pilot, ResumeDialog)
        assert [run["id"] for run in offer.runs] == [run_id]
        assert app.focused is not None and app.focused.id == "later", "Later is the default"
        await pilot.click("#resume")
        question = await wait_for_screen(pilot, ConfirmDialog)  # second is not idempotent
        assert app.focused is not None and app.focused.id == "no"
        await pilot.click("#yes")
        screen = await wait_for_screen(pilot, RunScreen)
        await wait_run_ended(pilot, screen)
        assert question.dialog_title
        assert screen.result_status == "passed"
        assert (ui_workspace / "log").read_text().split() == ["2"], "only the interrupted step ran again"
        assert [d["kind"] for d in decisions(ui_workspace, run_id)] == ["rerun_interrupted"]


async def test_runs_are_listed_by_their_playbooks_title(ui_workspace: Path) -> None:
    with Store.open(ui_workspace / ".launchpad" / "launchpad.db") as store:
        run_id = _interrupted_run(ui_workspace, store, title="可恢复（运行时的标题）")
        store.set_run_status(run_id, "interrupted", finished=False)
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        offer = await wait_for_screen(pilot, ResumeDialog)
        [option] = offer.query_one("#resume-runs", OptionList).options
        assert "可恢复（运行时的标题）" in str(option.prompt) and "resumable" not in str(option.prompt)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is not offer, "the offer closed")
        table = app.screen.query_one("#runs", DataTable)
        await wait_until(pilot, lambda: table.row_count == 1 and str(table.get_row_at(0)[0]) == f"#{run_id}",
                         "the run listed")
        # The title the run was started under (its snapshot), not today's file's, nor the id.
        assert str(table.get_row_at(0)[1]) == "可恢复（运行时的标题）"


async def test_invalid_site_yaml_shows_where(tmp_path: Path) -> None:
    root = tmp_path / "broken"
    root.mkdir()
    (root / "site.yaml").write_text("site:\n  name: x\n  client: y\n  langauge: zh\n", encoding="utf-8")
    app = LaunchpadApp(root, watch_hosts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, OpeningErrorScreen)
        text = screen.describe().plain
        assert "site.yaml:4:3" in text and "langauge" in text
        assert "launchpad init" in text and "launchpad demo" in text
        assert "Traceback" not in text
        (root / "site.yaml").write_text("site:\n  name: x\n  client: y\n", encoding="utf-8")
        await pilot.press("r")  # fixed: try again without restarting
        await wait_until(pilot, lambda: app.session is not None, "the repaired workspace")


async def test_missing_workspace_shows_the_way_out(tmp_path: Path) -> None:
    app = LaunchpadApp(tmp_path / "nowhere", watch_hosts=False, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, OpeningErrorScreen)
        text = screen.describe().plain
        assert "No workspace here" in text and "has no site.yaml" in text
        assert "launchpad init" in text and "launchpad demo" in text


async def test_language_switch_and_production_banner(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        assert app.language == "zh"
        await pilot.press("ctrl+t")
        assert app.language == "en"
        banner = app.screen.query_one("ProductionBanner")
        assert not banner.has_class("-production")
        await pilot.press("e")  # next environment: prod
        await wait_until(pilot, lambda: app.environment == "prod", "prod selected")
        await pilot.pause()
        assert banner.has_class("-production") and "PRODUCTION" in str(banner.render())
        await pilot.press("p")
        playbooks = await wait_for_screen(pilot, PlaybooksScreen)
        assert playbooks.query_one("ProductionBanner").has_class("-production")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "help")
        await pilot.pause()
        # The dialog's banner lies exactly over the dimmed screen's: one banner, not two rows of it.
        above = app.screen.query_one("ProductionBanner")
        assert above.has_class("-production") and above.region == playbooks.query_one("ProductionBanner").region


async def test_variables_are_checked_before_a_run_starts(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        await pilot.press("p")
        playbooks = await wait_for_screen(pilot, PlaybooksScreen)
        await wait_until(pilot, lambda: playbooks.entries, "the playbook list")
        index = [e.name for e in playbooks.entries].index("release-check")
        playbooks.query_one("#pb-list", OptionList).highlighted = index
        # The form is rebuilt for the highlighted playbook, and the first one in the list has
        # variables too: wait for release-check's own (its version defaults to 1.2.0).
        await wait_until(pilot, lambda: playbooks.query("#var-0")
                         and playbooks.query_one("#var-0", Input).value == "1.2.0", "the variables form")
        playbooks.query_one("#var-0", Input).value = "not-a-version"
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PlaybooksScreen), "a bad variable never starts a run"
