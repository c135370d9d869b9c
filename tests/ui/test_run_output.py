"""The run screen's output panel: each host's lines marked by stream, kept per step and bounded,
and shown again when the person goes back to an earlier step."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Log

from launchpad.run.events import OutputLine
from screens.app import LaunchpadApp
from screens.support.run_events import OUTPUT_LINES_PER_STEP, RunView
from tests.ui.conftest import FIXED_NOW, UI_SITE
from tests.ui.helpers import run_screen, wait_opened, wait_run_ended
from tests.workspaces import write_workspace

pytestmark = pytest.mark.anyio

TALK = f"""\
name: talk
title: 输出
phases:
  - id: p
    name: 阶段
    steps:
      - {{id: mixed, name: 两种输出, kind: shell, hosts: app1, run: "echo 第一行; echo 出错了 >&2; echo 第三行"}}
      - {{id: long, name: 很多行, kind: shell, hosts: app1, run: "seq 1 {OUTPUT_LINES_PER_STEP + 1500}"}}
"""


def test_output_lines_are_marked_by_stream_and_bounded_per_step(tmp_path: Path) -> None:
    from launchpad.run.playbook import load_playbook

    root = write_workspace(tmp_path / "ws", UI_SITE, {"talk": TALK})
    view = RunView(load_playbook(root / "playbooks" / "talk.yaml").playbook, "test")
    assert view.add_output(OutputLine(1, "mixed", "app1", "stdout", "好")) == "app1│ 好"
    assert view.add_output(OutputLine(1, "mixed", "app1", "stderr", "坏")) == "app1! 坏"
    for number in range(OUTPUT_LINES_PER_STEP + 10):
        view.add_output(OutputLine(1, "long", "app2", "stdout", str(number)))
    assert list(view.output["mixed"]) == ["app1│ 好", "app1! 坏"]
    assert len(view.output["long"]) == OUTPUT_LINES_PER_STEP
    assert view.output["long"][-1] == f"app2│ {OUTPUT_LINES_PER_STEP + 9}"  # the newest kept
    change = view.apply(OutputLine(1, "mixed", "app2", "stdout", "再来"))
    assert (change.step_id, change.output) == ("mixed", ["app2│ 再来"])


async def test_the_panel_shows_the_selected_steps_output_and_again_when_going_back(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", UI_SITE, {"talk": TALK})
    app = LaunchpadApp(root, watch_hosts=False, offer_resume=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_opened(pilot)
        screen = run_screen(root, "talk", "test")
        app.push_screen(screen)
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "passed", screen.ended_text
        log = screen.query_one("#run-output", Log)
        # The last step stays selected: its newest lines, no more than the panel keeps.
        assert screen.selected_step == "long"
        assert log.line_count == OUTPUT_LINES_PER_STEP
        assert log.lines[-1] == f"app1│ {OUTPUT_LINES_PER_STEP + 1500}"
        screen._show_step("mixed")
        await pilot.pause()
        # stdout keeps its order; stderr, another pipe, may come before or between its lines.
        assert [line for line in log.lines if "│" in line] == ["app1│ 第一行", "app1│ 第三行"]
        assert [line for line in log.lines if "!" in line] == ["app1! 出错了"]
