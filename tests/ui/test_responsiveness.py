"""Keys are answered while forty hosts stream output (the terminal-app issue, point 7).

A shell step prints log lines on 40 local hosts as fast as they can, and ends only when the
test creates a stop file. While it streams, the person moves the selection in the step tree
and the host grid and opens and closes the help screen; each key must have its effect while
the step is still running and its output still arriving. Were the UI thread starved until the
step ended, the step would never end (nobody creates the stop file) and the bounded waits
below would fail.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from launchpad.run.events import OutputLine
from screens.app import LaunchpadApp
from screens.help import HelpScreen
from screens.run import RunScreen
from screens.widgets.host_grid import HostGrid
from screens.widgets.step_tree import StepTree
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import run_screen
from tests.workspaces import write_workspace

pytestmark = pytest.mark.anyio

HOSTS = 40
# Each pause waits for the screen's pending messages and then at most ~1 s for the process to
# go idle, which it does not while 40 hosts stream: the count bounds the wait, not the speed.
PAUSES = 120

SITE = """\
site: {{name: 测试项目, client: 测试客户, language: zh, timezone: Asia/Shanghai}}
environments:
  test:
    transport: local
    hosts:
{hosts}
"""

# Lines the size of a web server's log, so what the pipes hold when the stop file appears is
# drained in moments. The screen sets the pace, so a host's 100 rounds (50,000 lines) last far
# longer than the keys below; the cap is there for a starved UI, which would otherwise let the
# hosts fill the memory with lines it never takes, and instead sees the step end under it.
STREAM = """\
name: stream
title: 持续输出
phases:
  - id: p
    name: 阶段
    steps:
      - id: stream
        name: 持续输出直到停止
        kind: shell
        hosts: app
        timeout: 600
        run: >-
          i=0; while [ ! -e stream.stop ] && [ $i -lt 100 ]; do i=$((i + 1));
          seq -f "%g GET /api/v1/orders 200 12ms upstream=app-backend request=5f3a9c0e7b1d4e2a" 1 500;
          done
"""


@pytest.fixture
def forty_hosts(tmp_path: Path) -> Path:
    hosts = "\n".join(f"      - {{name: h{i:02d}, address: 127.0.0.1, groups: [app]}}" for i in range(1, HOSTS + 1))
    return write_workspace(tmp_path / "ws", SITE.format(hosts=hosts), {"stream": STREAM})


async def settle(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    for _ in range(PAUSES):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"{what} did not happen within {PAUSES} pauses; the screen is {pilot.app.screen!r}")


def count_output(screen: RunScreen) -> Callable[[], int]:
    """How many output lines the run screen has taken so far."""
    taken = 0
    add_output = screen.view.add_output

    def counted(event: OutputLine) -> str:
        nonlocal taken
        taken += 1
        return add_output(event)

    screen.view.add_output = counted  # type: ignore[method-assign]
    return lambda: taken


async def test_keys_are_answered_while_forty_hosts_stream(forty_hosts: Path) -> None:
    app = LaunchpadApp(forty_hosts, watch_hosts=False, offer_resume=False, now=lambda: FIXED_NOW)
    stop = forty_hosts / "stream.stop"
    async with app.run_test(size=(100, 30)) as pilot:
        try:
            await settle(pilot, lambda: app.session is not None, "the workspace")
            screen: RunScreen = run_screen(forty_hosts, "stream", "test")
            taken = count_output(screen)
            app.push_screen(screen)

            def streaming() -> bool:
                return screen.view.status("stream") == "running"

            await settle(pilot, lambda: streaming() and taken() > 0, "output from the step")
            await settle(pilot, lambda: len({line.split("│")[0] for line in screen.view.output["stream"]}) > 1,
                         "output from more than one host")
            before_keys = taken()

            tree = screen.query_one(StepTree)
            assert tree.cursor_node is not None and tree.cursor_node.data == "stream"
            assert app.focused is screen.query_one(StepTree)
            await pilot.press("up")
            assert tree.cursor_node is not None and tree.cursor_node.data == "phase:p", "the tree's selection moved"

            grid = screen.query_one(HostGrid)
            await pilot.press("tab")
            assert app.focused is grid
            assert grid.row_count == HOSTS and grid.cursor_row == 0
            await pilot.press("down", "down")
            assert grid.cursor_row == 2, "the host grid's selection moved"

            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen) and screen in app.screen_stack
            assert streaming(), "the help screen opened while the step was still running"
            await pilot.press("question_mark")
            assert app.screen is screen and app.focused is grid

            assert streaming(), "every key was answered while the step was still running"
            after_keys = taken()
            assert after_keys > before_keys, "output arrived while the keys were pressed"
            await settle(pilot, lambda: taken() > after_keys, "more output after the keys")
            assert streaming()
        finally:
            stop.touch()  # whatever failed, no host's shell may outlive the test

        await settle(pilot, lambda: screen.state == "ended", "the end of the run")
        assert screen.result_status == "passed"
        assert {row.status for row in screen.view.hosts["stream"].values()} == {"passed"}
        assert len(screen.view.hosts["stream"]) == HOSTS
