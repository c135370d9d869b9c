"""Arming a release before its window: the screen counts down on the session's clock, never
starts by itself, asks the engineer when the window opens, and each decision is audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from launchpad.store.db import Store
from screens.app import LaunchpadApp
from screens.armed import ArmedScreen
from screens.dialogs.confirm import ConfirmDialog
from screens.playbooks import PlaybooksScreen
from screens.run import RunScreen
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import wait_for_screen, wait_opened, wait_run_ended, wait_until

pytestmark = pytest.mark.anyio


class Clock:
    """The site's clock, moved by the test: Monday 17:00, the after_hours window opens at 18:30."""

    def __init__(self) -> None:
        self.now = FIXED_NOW

    def __call__(self) -> datetime:
        return self.now


def audit(root: Path, action: str) -> list[dict[str, object]]:
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        return store.read("SELECT actor, target, detail FROM audit WHERE action = ? ORDER BY id", [action])


async def choose(pilot: Pilot[Any], app: LaunchpadApp, name: str) -> PlaybooksScreen:
    await pilot.press("p")
    playbooks = await wait_for_screen(pilot, PlaybooksScreen)
    await wait_until(pilot, lambda: playbooks.entries, "the playbook list")
    playbooks.query_one("#pb-list", OptionList).highlighted = [e.name for e in playbooks.entries].index(name)
    await wait_until(pilot, lambda: playbooks.entry is not None and playbooks.entry.name == name, name)
    return playbooks


async def test_an_armed_run_waits_for_its_window_and_starts_only_when_the_engineer_says(ui_workspace: Path) -> None:
    clock = Clock()
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=clock, language="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        await choose(pilot, app, "gate")
        await pilot.press("a")
        armed = await wait_for_screen(pilot, ArmedScreen)
        assert "距窗口开启 01:30:00" in str(armed.query_one("#armed-countdown", Static).render())
        assert [a["target"] for a in audit(ui_workspace, "run_armed")] == ["test/gate"]

        clock.now = FIXED_NOW + timedelta(minutes=89, seconds=59)
        armed.tick()
        assert "距窗口开启 00:00:01" in str(armed.query_one("#armed-countdown", Static).render())
        await pilot.press("s")  # too early: nothing starts
        await pilot.pause()
        assert app.screen is armed

        clock.now = FIXED_NOW + timedelta(minutes=90)
        armed.tick()
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.click("#no")  # the engineer is not ready: it waits, and does not ask again by itself
        await wait_for_screen(pilot, ArmedScreen)
        armed.tick()
        await pilot.pause()
        assert app.screen is armed and not (ui_workspace / "released").exists()

        await pilot.press("s")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.click("#yes")
        run = await wait_for_screen(pilot, RunScreen)
        await wait_run_ended(pilot, run)
        assert run.result_status == "passed", run.ended_text  # the window gate passed at 18:30
        assert [a["target"] for a in audit(ui_workspace, "armed_run_started")] == ["test/gate"]


async def test_arming_is_refused_without_a_window_to_wait_for(ui_workspace: Path) -> None:
    clock = Clock()
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=clock, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        playbooks = await choose(pilot, app, "sign-off")
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is playbooks  # no window gate: nothing to wait for

        clock.now = FIXED_NOW + timedelta(hours=2)  # 19:00: the window is open already
        playbooks.query_one("#pb-list", OptionList).highlighted = [e.name for e in playbooks.entries].index("gate")
        await wait_until(pilot, lambda: playbooks.entry is not None and playbooks.entry.name == "gate", "gate")
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is playbooks and audit(ui_workspace, "run_armed") == []


async def test_disarming_asks_and_is_audited(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=Clock(), language="zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        await choose(pilot, app, "gate")
        await pilot.press("a")
        await wait_for_screen(pilot, ArmedScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.click("#yes")
        await wait_until(pilot, lambda: not isinstance(app.screen, ArmedScreen | ConfirmDialog), "disarmed")
        assert [a["target"] for a in audit(ui_workspace, "run_disarmed")] == ["test/gate"]
