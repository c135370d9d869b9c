"""The after-hours release walked in the app on the demo, as a field engineer does it: the
playbooks screen, 下班后发布, the release record's id and the versions typed into the form, the
switch confirmed, the login page at the new version and the record released; then the broken
build, its failed health check aborted, the rollback confirmed, the restore declined, the login
page back at the old version and the record rolled back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from launchpad.demo.robot import received
from launchpad.workspace.folder import load_workspace
from screens.app import LaunchpadApp
from screens.dialogs.confirm import ConfirmDialog
from screens.playbooks import PlaybooksScreen
from screens.run import RunScreen
from tests.core.test_after_hours_release import EVENING, record_of, recorded
from tests.ui.helpers import wait_for_screen, wait_opened, wait_run_ended, wait_until

pytestmark = pytest.mark.anyio


def login_page(root: Path) -> str:
    url = load_workspace(root).site.environments["test"].urls["login"]
    return httpx.get(url, trust_env=False, timeout=5).text


async def release_from_the_app(pilot: Pilot[Any], release_id: int, version: str,
                               previous: str) -> RunScreen:
    """p, 下班后发布, the form filled in, the run started on test, the switch confirmed."""
    dialog = await start_release_from_the_app(pilot, release_id, version, previous)
    # The switch is confirmed as the command it runs.
    assert f"releases/{version}" in str(dialog.body) and "{{" not in str(dialog.body)
    await pilot.click("#yes")
    return await wait_for_screen(pilot, RunScreen)


async def start_release_from_the_app(pilot: Pilot[Any], release_id: int, version: str,
                                     previous: str) -> ConfirmDialog:
    """p, 下班后发布, the form filled in, the run started on test: the switch's confirmation."""
    await pilot.press("p")
    playbooks = await wait_for_screen(pilot, PlaybooksScreen)
    await wait_until(pilot, lambda: playbooks.entries, "the playbook list")
    names = [entry.name for entry in playbooks.entries]
    playbooks.query_one("#pb-list", OptionList).highlighted = names.index("after-hours-release")
    await wait_until(pilot, lambda: playbooks.query("#var-3"), "the release's variables")
    await pilot.pause()
    for index, value in ((0, str(release_id)), (2, version), (3, previous)):
        field = playbooks.query_one(f"#var-{index}", Input)
        field.value = value
    playbooks.query_one("#pb-list", OptionList).focus()
    await pilot.press("r")
    return await wait_for_screen(pilot, ConfirmDialog)


async def test_a_release_and_a_rolled_back_one_walked_in_the_app(demo_workspace: Path) -> None:
    root = demo_workspace
    playbook = root / "playbooks" / "after-hours-release.yaml"  # the broken build fails in a second
    text = playbook.read_text(encoding="utf-8")
    playbook.write_text(text.replace("every: 2\n            within: 60", "every: 0.2\n            within: 1"),
                        encoding="utf-8")
    good, broken = recorded(root, "1.1.0"), recorded(root, "1.2.0")
    app = LaunchpadApp(root, watch_hosts=False, now=lambda: EVENING)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_opened(pilot)
        screen = await release_from_the_app(pilot, good, "1.1.0", "1.0.0")
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "passed", screen.ended_text
        assert "版本 v1.1.0" in login_page(root)
        assert record_of(root, good)[0].status == "released"
        await pilot.press("escape")

        screen = await release_from_the_app(pilot, broken, "1.2.0", "1.1.0")
        await wait_until(pilot, lambda: screen.pending_failure is not None, "the failed switch")
        await pilot.press("x")
        rollback = await wait_for_screen(pilot, ConfirmDialog)
        await pilot.click("#yes")
        restore = await wait_for_screen(pilot, ConfirmDialog)
        assert restore is not rollback
        await pilot.press("escape")  # the release changed no data: no restore
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "aborted"
        assert "版本 v1.1.0" in login_page(root)
        record, moves = record_of(root, broken)
        assert (record.status, moves[-1]) == ("rolled_back", "rolled_back")
        assert any("1.2.0" in m["content"] and "发布回退通知" in m["content"] for m in received(root / ".launchpad"))


async def test_a_declined_switch_reads_as_stopped_on_the_handover_screen(demo_workspace: Path) -> None:
    """The switch declined in the app (n on its confirmation): the handover the dashboard's `o`
    opens says the release stopped before the switch and what to run next, never 发布中."""
    from screens.handover import HandoverScreen
    from tests.ui.test_handover_screen import shown

    root = demo_workspace
    release_id = recorded(root, "1.1.0")
    app = LaunchpadApp(root, watch_hosts=False, now=lambda: EVENING)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_opened(pilot)
        await start_release_from_the_app(pilot, release_id, "1.1.0", "1.0.0")
        await pilot.click("#no")  # the switch declined
        screen = await wait_for_screen(pilot, RunScreen)
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "aborted"
        assert record_of(root, release_id)[0].status == "in_progress"
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.press("o")
        handover = await wait_for_screen(pilot, HandoverScreen)
        await wait_until(pilot, lambda: handover.handover is not None, "the handover")
        await pilot.pause()
        text = shown(handover)
    line = next(line for line in text.splitlines() if f"发布 {release_id} 1.1.0" in line)
    assert "已停止，未切换（切换未获确认）" in line and "发布中" not in line
    assert f"launchpad release status {release_id} rolled-back" in line
