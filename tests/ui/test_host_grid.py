"""The host grid fits its host column to the labels, measured in terminal cells: a label that
arrives only with its result (an http step's `127.0.0.1:PORT`) is shown whole, Chinese
characters count two cells, and at 80 columns a very long label is cut with an ellipsis
rather than pushing the status off-screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.app import App, ComposeResult

from screens.app import LaunchpadApp
from screens.support.i18n import current_language, set_language
from screens.support.run_events import HostRow
from screens.widgets.host_grid import HostGrid
from tests.core.test_step_http import server  # noqa: F401  (the page the http step reads)
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import run_screen, wait_opened, wait_run_ended
from tests.workspaces import write_workspace

pytestmark = pytest.mark.anyio

LONG_HOST = "db-primary-east-china-zone-a-0001.prod.internal.example.com"


class GridApp(App[None]):
    """A host grid alone, as wide as the run screen gives it at 100 columns."""

    CSS = "HostGrid { width: 58; }"

    def compose(self) -> ComposeResult:
        yield HostGrid()


def lines(grid: HostGrid) -> list[str]:
    """The grid as it is drawn: its visible width, header first."""
    return [grid.render_line(y).text for y in range(grid.size.height)]


def line_of(grid: HostGrid, text: str) -> str:
    return next(line for line in lines(grid) if text in line)


def status_cell(line: str, status: str) -> int:
    """The terminal cell at which `status` starts on a drawn line."""
    return cell_len(line[: line.index(status)])


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    previous = current_language()
    set_language("en")
    yield
    set_language(previous)


async def test_a_label_arriving_with_its_result_is_shown_whole() -> None:
    app = GridApp()
    async with app.run_test(size=(80, 12)) as pilot:
        grid = app.query_one(HostGrid)
        grid.show({})  # an http step: no hosts are known when it starts
        await pilot.pause()
        grid.update_host("127.0.0.1:54321", HostRow("passed", 0.2, 200, "HTTP 200 in 3 ms"))
        await pilot.pause()
        row = line_of(grid, "127.0.0.1:54321")
        assert "✓ passed" in row and "200" in row

        message = "HTTP 503, expected 200: upstream down"
        grid.update_host("127.0.0.1:54321", HostRow("failed", 65.0, 503, message))
        await pilot.pause()
        assert "1m05s" in line_of(grid, "127.0.0.1:54321")
        # The message runs past the edge (the grid scrolls) but is never cut short.
        assert grid.ordered_columns[-1].width == cell_len(message)


async def test_wide_characters_are_measured_in_cells() -> None:
    app = GridApp()
    async with app.run_test(size=(80, 12)) as pilot:
        grid = app.query_one(HostGrid)
        label = "订单服务.内网:8443"
        grid.show({"app1": HostRow("passed", 0.1, 0, "ok"), label: HostRow("passed", 0.1, 0, "正常")})
        await pilot.pause()
        assert grid.columns[grid.ordered_columns[0].key].width == cell_len(label) == 18
        wide, narrow = line_of(grid, label), line_of(grid, "app1")
        assert status_cell(wide, "✓") == status_cell(narrow, "✓"), "the status column lines up"
        assert "正常" in wide


async def test_a_label_that_looks_like_markup_is_shown_as_it_is() -> None:
    app = GridApp()
    async with app.run_test(size=(80, 12)) as pilot:
        grid = app.query_one(HostGrid)
        grid.show({"[fe80::1]:8080": HostRow("passed", 0.1, 200, "ok")})  # an http step on IPv6
        await pilot.pause()
        assert "[fe80::1]:8080" in line_of(grid, "✓")


async def test_the_cursor_stays_when_a_longer_label_arrives() -> None:
    app = GridApp()
    async with app.run_test(size=(80, 12)) as pilot:
        grid = app.query_one(HostGrid)
        grid.show({name: HostRow() for name in ("app1", "app2", "app3")})
        await pilot.pause()
        grid.focus()
        await pilot.press("down", "down")
        assert grid.cursor_row == 2
        grid.update_host("127.0.0.1:54321", HostRow("passed", 0.2, 200, "ok"))  # widens the host column
        await pilot.pause()
        assert grid.cursor_row == 2 and grid.row_count == 4
        assert "127.0.0.1:54321" in line_of(grid, "127.0.0.1:54321")


SITE = f"""\
site: {{name: 测试项目, client: 测试客户, language: zh, timezone: Asia/Shanghai}}
environments:
  test:
    transport: local
    hosts:
      - {{name: app1, address: 127.0.0.1, groups: [app]}}
      - {{name: {LONG_HOST}, address: 127.0.0.1, groups: [app]}}
"""

CHECK = """\
name: check
title: 检查
phases:
  - id: p
    name: 阶段
    steps:
      - {id: p.echo, name: 主机可执行命令, kind: shell, hosts: app, run: echo ok}
"""


@pytest.mark.parametrize("language, passed", [("en", "✓ passed"), ("zh", "✓ 通过")])
@pytest.mark.parametrize("width, whole", [(80, False), (100, False), (160, True)])
async def test_a_long_host_name_never_pushes_the_status_off_screen(
    tmp_path: Path, width: int, whole: bool, language: str, passed: str
) -> None:
    root = write_workspace(tmp_path / "ws", SITE, {"check": CHECK})
    app = LaunchpadApp(root, watch_hosts=False, offer_resume=False, now=lambda: FIXED_NOW, language=language)
    async with app.run_test(size=(width, 24)) as pilot:
        await wait_opened(pilot)
        screen = run_screen(root, "check", "test")
        app.push_screen(screen)
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "passed"
        grid = screen.query_one(HostGrid)
        # found by its first ten characters: at 80 columns the Chinese time column ("59分59秒") leaves it eleven
        long_row, short_row = line_of(grid, LONG_HOST[:10]), line_of(grid, "app1")
        assert passed in long_row, f"the status is on screen at {width} columns: {long_row!r}"
        assert status_cell(long_row, "✓") == status_cell(short_row, "✓")
        if whole:
            assert LONG_HOST in long_row, "given the room, the label is shown whole"
        else:
            assert LONG_HOST not in long_row and "…" in long_row, "a long label is cut with an ellipsis"


@pytest.mark.parametrize("language, http, exit_code", [("en", "HTTP status", "Exit"), ("zh", "HTTP 状态码", "退出码")])
async def test_the_numbers_heading_says_what_the_steps_hosts_report(language: str, http: str, exit_code: str) -> None:
    set_language(language)
    app = GridApp()
    async with app.run_test(size=(80, 12)) as pilot:
        grid = app.query_one(HostGrid)
        grid.show({"127.0.0.1:8080": HostRow("passed", 0.1, 200, "ok")}, "http")
        await pilot.pause()
        assert http in lines(grid)[0] and exit_code not in lines(grid)[0]
        grid.show({"app1": HostRow("passed", 0.1, 0, "ok")}, "exit")
        await pilot.pause()
        assert exit_code in lines(grid)[0] and http not in lines(grid)[0]


HTTP_AND_SHELL = """\
name: check
title: 检查
phases:
  - id: p
    name: 阶段
    steps:
      - {{id: login, name: 登录页, kind: http, url: '{url}/login'}}
      - {{id: disk, name: 磁盘, kind: shell, hosts: app, run: echo ok}}
"""


async def test_the_run_screens_grid_heads_an_http_steps_numbers_http_status(
        tmp_path: Path, server: str) -> None:  # noqa: F811
    root = write_workspace(tmp_path / "ws", SITE, {"check": HTTP_AND_SHELL.format(url=server)})
    app = LaunchpadApp(root, watch_hosts=False, offer_resume=False, now=lambda: FIXED_NOW, language="zh")
    async with app.run_test(size=(120, 24)) as pilot:
        await wait_opened(pilot)
        screen = run_screen(root, "check", "test")
        app.push_screen(screen)
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "passed", screen.ended_text
        grid = screen.query_one(HostGrid)
        screen._show_step("login")
        await pilot.pause()
        assert "HTTP 状态码" in lines(grid)[0] and "退出码" not in lines(grid)[0]
        assert "200" in line_of(grid, "127.0.0.1:")
        screen._show_step("disk")
        await pilot.pause()
        assert "退出码" in lines(grid)[0] and "HTTP" not in lines(grid)[0]


@pytest.mark.parametrize(("language", "cells", "countdowns"), [
    ("zh", ["0.4秒", "1分05秒", "-"], ["2小时05分", "45分", "30秒"]),
    ("en", ["0.4s", "1m05s", "-"], ["2h05m", "45m", "30s"]),
])
def test_a_hosts_time_and_a_windows_countdown_stay_terse_in_the_screens_language(
    language: str, cells: list[str], countdowns: list[str]
) -> None:
    from datetime import timedelta

    from screens.support.display import countdown_text, duration_text

    set_language(language)
    assert [duration_text(0.4), duration_text(65.0), duration_text(None)] == cells
    assert [countdown_text(timedelta(seconds=s)) for s in (7530, 2730, 30)] == countdowns
