"""A step's reason (why it was not checked, skipped or failed) is read whole on the run screen,
at 80 columns too: the step tree has room for its start only, so the status bar says it for the
step the cursor is on."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from screens.app import LaunchpadApp
from tests.ui.conftest import FIXED_NOW, UI_SITE
from tests.ui.helpers import run_screen, shown, wait_opened, wait_run_ended
from tests.workspaces import write_workspace

pytestmark = pytest.mark.anyio

REASON = ("未配置需检查的端口（变量 ports 为空），本项不检查；"
          "如需检查，请在运行表单中填写应用主机上应监听的端口，例如 8080 9090 (end)")
UNCHECKED = f"""\
name: unchecked
title: 未检查
phases:
  - id: p
    name: 阶段
    steps:
      - id: p.ports
        name: 应用端口正在监听
        kind: shell
        hosts: app1
        run: echo "{REASON}"; exit 100
        expect: {{not_checked_exit: 100}}
"""


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_an_unchecked_steps_reason_is_read_whole_on_the_run_screen(
        tmp_path: Path, size: tuple[int, int]) -> None:
    root = write_workspace(tmp_path / "ws", UI_SITE, {"unchecked": UNCHECKED})
    app = LaunchpadApp(root, watch_hosts=False, offer_resume=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=size) as pilot:
        await wait_opened(pilot)
        screen = run_screen(root, "unchecked", "test")
        app.push_screen(screen)
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "partial", screen.ended_text
        assert screen.selected_step == "p.ports"
        await pilot.pause()
        assert "".join(REASON.split()) in shown(screen.query_one("#run-status", Static)), "the reason is cut"
