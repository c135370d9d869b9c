"""Snapshots of the feedback screens: the issues table (an overdue issue in red, the highlighted
issue in full, a quick-capture line read as it is typed) and the daily report's preview — at
80x24 and 120x40, in Chinese and English, over the fixed sample issues and the fixed clock.
Update with `pytest tests/ui --snapshot-update` after checking the new pictures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static, TextArea

from screens.app import LaunchpadApp
from screens.issues import IssuesScreen
from screens.report import ReportScreen
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import wait_for_screen, wait_opened, wait_until

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = ["zh", "en"]


def make_app(root: Path, language: str) -> LaunchpadApp:
    return LaunchpadApp(root, now=lambda: FIXED_NOW, language=language, watch_hosts=False)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_issues_screen(snap_compare: Any, issues_workspace: Path, size: tuple[int, int], language: str) -> None:
    app = make_app(issues_workspace, language)

    async def ready(pilot: Any) -> None:
        await wait_opened(pilot)
        await pilot.press("i")
        screen = await wait_for_screen(pilot, IssuesScreen)
        await wait_until(pilot, lambda: screen.total == 5 and screen.table.issue is not None, "the issues")
        await pilot.press("down", "down", "down", "down")  # #1: in progress and overdue
        await pilot.press("c")
        screen.capture.input.cursor_blink = False  # the picture must not depend on the blink phase
        screen.capture.input.insert_text_at_cursor("P1 @li #报表 !周五 导出的 Excel 打不开")  # an IME commit
        preview = screen.query_one("#capture-preview", Static)
        await wait_until(pilot, lambda: "李娜" in str(preview.render()), "the capture preview")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_report_screen(snap_compare: Any, issues_workspace: Path, size: tuple[int, int], language: str) -> None:
    app = make_app(issues_workspace, language)

    async def ready(pilot: Any) -> None:
        await wait_opened(pilot)
        await pilot.press("d")
        screen = await wait_for_screen(pilot, ReportScreen)
        await wait_until(pilot, lambda: screen.ready and screen.text, "the preview")
        if language == "en":
            await pilot.press("l")  # the report follows the site (Chinese) until switched
            await wait_until(pilot, lambda: screen.ready and screen.text.startswith("["), "English")
        await pilot.press("t")
        plan = "上午修复登录白屏" if language == "zh" else "fix the login page"
        screen.query_one("#report-plan", TextArea).insert(plan)
        await wait_until(pilot, lambda: screen.ready and ("登录白屏" in screen.text or "login page" in screen.text),
                         "the plan in the preview")
        await pilot.press("escape")  # back to the preview: no blinking cursor in the picture
        await wait_until(pilot, lambda: screen.focused is screen.query_one("#report-preview"), "the preview focused")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)
