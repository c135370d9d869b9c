"""What steps say about their results reads in the UI's language: the same failed step is
summarised in Chinese in a Chinese UI and in English in an English one."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from screens.app import LaunchpadApp
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import run_screen, wait_opened, wait_until

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("language", "host_message", "summary", "foreign"), [
    ("zh", "退出码 3，应为 0：坏了", "1 台主机中 1 台失败：app1：退出码 3，应为 0：坏了", "exit code"),
    ("en", "exit code 3, expected 0: 坏了", "1 of 1 host(s) failed: app1: exit code 3, expected 0: 坏了", "退出码"),
])
async def test_a_failed_step_is_summarised_in_the_ui_language(
    ui_workspace: Path, language: str, host_message: str, summary: str, foreign: str
) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language=language)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_opened(pilot)
        screen = run_screen(ui_workspace, "skip", "test")
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.pending_failure is not None, "the failure question")
        await wait_until(pilot, lambda: "p.broken" in screen.view.summaries, "the step's summary")
        assert screen.view.summaries["p.broken"] == summary
        assert screen.view.hosts["p.broken"]["app1"].message == host_message
        bar = str(screen.query_one("#run-status", Static).render())
        assert summary[:12] in bar and foreign not in bar
