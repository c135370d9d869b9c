"""The run screen and its dialogs keep the gate and sign-off rules: a declined window override
ends the run refused with no skip offered, a critical sign-off needs a signer and a note, and a
phase whose only step was skipped does not read as passed."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from screens.app import LaunchpadApp
from screens.dialogs.reason import ReasonDialog
from screens.dialogs.sign_off import SignOffDialog
from screens.run import RunScreen
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import run_screen, wait_for_screen, wait_opened, wait_run_ended

pytestmark = pytest.mark.anyio


async def test_a_declined_override_ends_the_run_refused(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        screen: RunScreen = run_screen(ui_workspace, "gate", "test")
        app.push_screen(screen)
        await wait_for_screen(pilot, ReasonDialog)
        await pilot.press("escape")  # respect the refusal
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "refused" and screen.pending_failure is None
        assert screen.view.statuses["p.window"] == "refused"
        assert not (ui_workspace / "released").exists()
        assert not screen.check_action("skip", ())


async def test_a_critical_sign_off_needs_a_signer_and_a_note(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        app.push_screen(run_screen(ui_workspace, "sign-off", "test"))
        dialog = await wait_for_screen(pilot, SignOffDialog)
        await pilot.press("ctrl+s")  # no note on a critical step: refused in place
        assert app.screen is dialog
        await pilot.press(*"主流程正常")
        dialog.query_one("#signed-by", Input).value = "   "
        await pilot.press("ctrl+s")  # a blank signer: refused in place
        assert app.screen is dialog
        dialog.query_one("#signed-by", Input).value = "王五"
        await pilot.press("ctrl+s")
        screen = await wait_for_screen(pilot, RunScreen)
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "passed"


async def test_an_unanswered_approval_ends_the_run_refused_with_no_skip(ui_workspace: Path) -> None:
    from screens.dialogs.approval import ApprovalDialog

    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        screen: RunScreen = run_screen(ui_workspace, "approval", "prod")
        app.push_screen(screen)
        await wait_for_screen(pilot, ApprovalDialog)
        await pilot.press("escape")
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "refused" and screen.pending_failure is None
        assert screen.view.statuses["p.form"] == "refused"
