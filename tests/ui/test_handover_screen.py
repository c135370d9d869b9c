"""The handover screen: `o` on the dashboard (and the palette) shows what `launchpad handover`
prints — the same core use case — with tonight's release, an open P1 issue whose title is
markup-looking text shown as text, and a release still waiting for its reviewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from launchpad.issues.model import IssueDraft
from launchpad.release.operations import new_release
from launchpad.session import open_session
from screens.app import LaunchpadApp
from screens.handover import HandoverScreen
from screens.widgets.wide_text import WideText
from tests.ui.conftest import FIXED_NOW, UI_SITE
from tests.ui.helpers import drawn_lines, opened_by_key, wait_for_screen, wait_opened, wait_until
from tests.workspaces import write_workspace


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = write_workspace(tmp_path / "ws", UI_SITE)
    session = open_session(root, now=lambda: FIXED_NOW, actor="张工")
    try:
        session.issue_log().add(IssueDraft(title="[bold]登录超时[/bold]", severity="P1").checked())
        new_release(session, version="v2.3.1", changes="修复登录", impact="登录中断 10 分钟",
                    start="2024-01-01 19:00", end="20:00", rollback_plan="切回 v2.3.0", owner="张工")
    finally:
        session.close()
    return root


async def opened_handover(pilot: Any) -> HandoverScreen:
    """The handover as `o` on the dashboard opens it, once it is read."""
    return await opened_by_key(pilot, "o", HandoverScreen, lambda screen: screen.handover is not None, "the handover")


def shown(screen: HandoverScreen) -> str:
    content = screen.query_one("#handover-text", Static).content
    return content.text.plain if isinstance(content, WideText) else str(content)


LONG_TITLE = "登录页验证码不显示甲方各科室人员反映无法登录系统需要尽快处理并回复"  # no space to wrap at


@pytest.mark.anyio
async def test_the_dashboard_key_shows_what_the_command_prints(root: Path) -> None:
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await opened_handover(pilot)
        text = shown(screen)
        assert "今天和今晚的发布，以及发布中的发布（1）" in text
        assert "发布 1 v2.3.1 2024-01-01 19:00–20:00：计划中，负责人 张工" in text
        assert "发布 1 v2.3.1（2024-01-01 19:00–20:00）：尚未审核" in text
        assert "[P1] [bold]登录超时[/bold]" in text  # markup-looking words shown as they were typed
        # The same text as the command line's, from the same use case.
        from launchpad.handover.collect import collect_handover
        from launchpad.handover.render import render_handover

        session = open_session(root, now=lambda: FIXED_NOW, actor=app.session.actor)  # type: ignore[union-attr]
        try:
            assert text == render_handover(collect_handover(session, "zh"), "text", "zh")
        finally:
            session.close()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HandoverScreen)


@pytest.mark.anyio
async def test_the_palette_opens_the_handover_in_english(root: Path) -> None:
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="en", watch_hosts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"handover")
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, HandoverScreen)
        await wait_until(pilot, lambda: screen.handover is not None, "the handover")
        await pilot.pause()
        assert "Open P0/P1 issues (1)" in shown(screen)


@pytest.mark.anyio
async def test_at_80_columns_a_long_chinese_title_starts_beside_its_number(root: Path) -> None:
    session = open_session(root, now=lambda: FIXED_NOW, actor="张工")
    try:
        session.issue_log().add(IssueDraft(title=LONG_TITLE, severity="P1").checked())
    finally:
        session.close()
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened_handover(pilot)
        screen.query_one("#handover-scroll").scroll_end(animate=False)
        await pilot.pause()
        [line] = [line for line in drawn_lines(app) if "#2 [P1]" in line]
        assert "#2 [P1] 登录页验证码" in line, line  # the title goes on beside it, then wraps
        assert LONG_TITLE in "".join("".join(drawn_lines(app)).split())  # and is read whole
