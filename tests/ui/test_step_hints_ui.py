"""The run screen says what to do next when a step fails with a launchpad error that says it:
in the failure bar above the keys that answer the failure, and with a gate's refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from launchpad.phrases import phrase
from launchpad.run.events import GateRefused
from screens.app import LaunchpadApp
from screens.support.i18n import set_language
from screens.support.run_events import RunView
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import run_screen, wait_opened, wait_until

pytestmark = pytest.mark.anyio

UNREADABLE = """\
name: ship
title: 上传
phases:
  - id: p
    name: 阶段
    steps:
      - {id: p.ship, name: 上传制品, kind: upload, hosts: app1, artifact: missing.jar, to: /tmp/x.jar}
"""


async def test_the_failure_bar_says_what_to_do_next(ui_workspace: Path) -> None:
    (ui_workspace / "playbooks" / "ship.yaml").write_text(UNREADABLE, encoding="utf-8")
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_opened(pilot)
        screen = run_screen(ui_workspace, "ship", "test")
        app.push_screen(screen)
        await wait_until(pilot, lambda: screen.pending_failure is not None, "the failure question")
        bar = str(screen.query_one("#run-status", Static).render()).splitlines()
        assert "无法读取制品" in bar[0]
        assert bar[1] == "→ 建议：请检查路径（相对路径以工作区为起点）", bar
        assert "r 重试" in bar[2]


def test_a_gate_refusal_notice_carries_its_hint() -> None:
    set_language("zh")
    view = RunView(type("Playbook", (), {"all_steps": lambda self: []})(), "test")
    change = view.apply(GateRefused(1, "gate", phrase("error.no_run", id=7), phrase("store.see_runs")))
    first, second = change.note.splitlines()
    assert first.startswith("关卡拒绝：") and second.startswith("→ 建议：")
    assert view.apply(GateRefused(1, "gate", "关闭")).note == "关卡拒绝：关闭"
