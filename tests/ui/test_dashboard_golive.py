"""The dashboard's go-live line: the demo's checklist on the fixed clock shows its version, days
to go-live, done/total, late count and verdict — the numbers `launchpad golive` computes — and
the first late items with their owners; no golive.yaml shows no line, and a golive.yaml with
mistakes says so instead of crashing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from launchpad.demo import build_demo
from launchpad.demo.checklist import demo_checklist
from launchpad.golive.checklist import CHECKLIST_FILE
from screens.app import LaunchpadApp
from screens.dashboard import DashboardScreen
from tests.ui.conftest import FIXED_NOW, UI_SITE
from tests.ui.helpers import wait_opened, wait_until
from tests.workspaces import write_workspace


async def golive_panel(pilot: Any, app: LaunchpadApp) -> Static:
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    await wait_until(pilot, lambda: screen.golive is not None, "the go-live checklist read")
    await pilot.pause()
    return screen.query_one("#dash-golive", Static)


@pytest.mark.anyio
@pytest.mark.parametrize(("language", "expected"), [
    ("zh", ["上线（ctrl+g） V1.0 · 距上线 7 天 · 已完成 2/10 · ⚠ 逾期 2  暂不具备上线条件",
            "逾期：用户数据（账号、组织机构）已导入生产（王强）；登录页显示现场联系人及电话（李娜）"]),
    ("en", ["Go-live (ctrl+g) V1.0 · 7 days to go · 2/10 done · ⚠ 2 overdue  NO-GO",
            "late: 用户数据（账号、组织机构）已导入生产 (王强); 登录页显示现场联系人及电话 (李娜)"]),
])
async def test_the_demo_checklist_on_the_dashboard(tmp_path: Path, language: str, expected: list[str]) -> None:
    root = build_demo(tmp_path / "demo")
    (root / CHECKLIST_FILE).write_text(demo_checklist(FIXED_NOW.date()), encoding="utf-8")
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language=language, watch_hosts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        panel = await golive_panel(pilot, app)
        assert panel.display
        lines = [line.strip() for line in str(panel.render()).splitlines()]
        assert lines[0] == expected[0]
        assert lines[1:] == expected[1:]


@pytest.mark.anyio
async def test_no_checklist_no_line(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", UI_SITE)
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        panel = await golive_panel(pilot, app)
        assert not panel.display


@pytest.mark.anyio
async def test_a_checklist_with_mistakes_says_so(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", UI_SITE)
    (root / CHECKLIST_FILE).write_text(
        "date: 2024-01-10\nversion: V1.0\nitems:\n  - {id: a, title: 甲, owner: nobody, due: 2024-01-02}\n"
        "  - {id: a, title: 乙, owner: zhang, due: 2024-01-02}\n", encoding="utf-8")
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        panel = await golive_panel(pilot, app)
        assert panel.display
        assert str(panel.render()).strip() == "上线（ctrl+g） ⚠ golive.yaml 有 2 处错误：按 ctrl+g 查看位置"


@pytest.mark.anyio
async def test_late_items_past_the_first_two_are_counted(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", UI_SITE)
    late = "".join(f"  - {{id: i{n}, title: 事项{n}, owner: li, due: 2023-12-2{n}}}\n" for n in range(1, 5))
    (root / CHECKLIST_FILE).write_text(f"date: 2024-01-10\nversion: V1.0\nitems:\n{late}", encoding="utf-8")
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        panel = await golive_panel(pilot, app)
        lines = [line.strip() for line in str(panel.render()).splitlines()]
        assert "⚠ 逾期 4" in lines[0] and lines[0].endswith("  具备上线条件")  # no critical item: a GO
        assert lines[1] == "逾期：事项1（李娜）；事项2（李娜） 另有 2 项"  # the oldest first


@pytest.mark.anyio
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_go_resting_on_a_critical_item_set_aside_says_so_on_a_line_of_its_own(
        tmp_path: Path, size: tuple[int, int]) -> None:
    """Never a bare go: the sentence that says the go rests on a critical item set aside starts
    its line, so no ellipsis at 80 columns can cut it, and who set it aside and why follow."""
    root = write_workspace(tmp_path / "ws", UI_SITE)
    (root / CHECKLIST_FILE).write_text(
        "date: 2024-01-10\nversion: V1.0\nitems:\n"
        "  - {id: sms, title: 短信通道, owner: li, due: 2024-01-05, critical: true, status: not_applicable,"
        " reason: 本期不含短信}\n"
        "  - {id: a, title: 事项甲, owner: li, due: 2023-12-21}\n", encoding="utf-8")
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=size) as pilot:
        await wait_opened(pilot)
        panel = await golive_panel(pilot, app)
        lines = [line.strip() for line in str(panel.render()).splitlines()]
        assert not lines[0].endswith("具备上线条件")
        assert lines[1].startswith("具备上线条件（1 项关键事项被标为不适用：短信通道） 短信通道（未经 launchpad 标记")
        assert lines[2] == "逾期：事项甲（李娜）"
        assert panel.region.height == 3  # every line shows
