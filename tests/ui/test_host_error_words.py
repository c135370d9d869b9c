"""A host that fails with launchpad's own error (a command past its timeout) reads in the UI's
language on the run screen: the host's row, with what to do next, and the step's summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from screens.app import LaunchpadApp
from tests.ui.conftest import FIXED_NOW, UI_SITE
from tests.ui.helpers import run_screen, wait_opened, wait_until
from tests.workspaces import write_workspace

pytestmark = pytest.mark.anyio

LATE = """\
name: late
title: 超时
phases:
  - id: p
    name: 阶段
    steps:
      - {id: p.late, name: 慢命令, kind: shell, hosts: app1, run: sleep 5, timeout: 0.3}
"""


@pytest.mark.parametrize(("language", "row", "summary", "foreign"), [
    ("zh", "`sleep 5` 在 0.3 秒内没有结束，已被终止 → 建议：如果命令只是慢但运行正常，请调大这一步的超时时间",
     "1 台主机中 1 台失败：app1：`sleep 5` 在 0.3 秒内没有结束，已被终止", "did not finish"),
    ("en", "`sleep 5` did not finish within 0.3s and was killed → raise the step's timeout if the command is slow "
     "but healthy", "1 of 1 host(s) failed: app1: `sleep 5` did not finish within 0.3s and was killed", "没有结束"),
])
async def test_a_hosts_own_error_reads_in_the_ui_language(
    tmp_path: Path, language: str, row: str, summary: str, foreign: str
) -> None:
    root = write_workspace(tmp_path / "ws", UI_SITE, {"late": LATE})
    app = LaunchpadApp(root, watch_hosts=False, now=lambda: FIXED_NOW, language=language)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_opened(pilot)
        screen = run_screen(root, "late", "test")
        app.push_screen(screen)
        await wait_until(pilot, lambda: "p.late" in screen.view.summaries, "the step's summary")
        assert screen.view.hosts["p.late"]["app1"].message == row
        assert screen.view.summaries["p.late"] == summary and foreign not in screen.view.summaries["p.late"]
