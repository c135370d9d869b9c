"""The real thing: `launchpad demo --dir DIR` in a terminal (tmux), driven with keys the way a
newcomer would — p for playbooks, r to run the highlighted environment-readiness on test — and
read back from the screen until it says the run passed; and issues typed into the quick-capture
line with the full-width tokens a Chinese input method produces, which only a real terminal
delivers as a person types them."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import missing

DEADLINE = 90.0  # seconds for each wait; the demo starts a web app and Textual on a slow CI box



class Terminal:
    """One tmux server of our own (its own socket), so no user session is ever touched."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "smoke")

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "smoke", *keys)

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + DEADLINE
        while True:
            shown = self.screen()
            if text in shown:
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen shows:\n{shown}")
            time.sleep(0.2)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    if shutil.which("tmux") is None:
        missing("tmux", "not on PATH")
    terminal = Terminal(f"launchpad-smoke-{os.getpid()}")
    try:
        yield terminal
    finally:
        terminal.tmux("kill-server")
        from launchpad.demo import stop_demo_webapp

        if (tmp_path / "demo" / ".launchpad").exists():
            stop_demo_webapp(tmp_path / "demo")


def test_launchpad_demo_runs_a_playbook_in_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    environment = {
        "HOME": os.environ["HOME"],
        "PATH": os.environ.get("PATH", ""),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "LAUNCHPAD_ACTOR": "tester",
    }
    command = " ".join(
        ["env", "-i", *(f"{k}={shlex.quote(v)}" for k, v in environment.items()),
         shlex.quote(sys.executable), "-m", "launchpad", "demo", "--dir", shlex.quote(str(demo))]
    )
    terminal.tmux("new-session", "-d", "-s", "smoke", "-x", "100", "-y", "30", "-c", str(tmp_path), command)
    terminal.wait_for("某市政务服务平台")  # the dashboard, in the site's language
    terminal.send("p")
    terminal.wait_for("environment-readiness")
    terminal.send("r")
    shown = terminal.wait_for("有跳过或未检查。")  # the demo configures no ports or services
    assert "运行 1" in shown
    terminal.send("Escape")
    terminal.wait_for("最近运行")
    terminal.send("C-q")
    deadline = time.monotonic() + DEADLINE
    while "smoke" in terminal.tmux("list-sessions") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "smoke" not in terminal.tmux("list-sessions"), "the app did not quit on ctrl+q"
    from launchpad.demo.launcher import health, read_demo_config

    ports = [env["port"] for env in read_demo_config(demo)["environments"].values()]
    assert all(health(port) is None for port in ports), "quitting the app stops the demo's web app"


def test_issues_are_logged_from_a_real_terminal(terminal: Terminal, tmp_path: Path) -> None:
    """Quick capture as a PM types it during a call, in a real terminal: `c` on the dashboard,
    lines with full-width tokens from a Chinese input method, Enter after each, no mouse."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from launchpad.issues.log import IssueLog
    from launchpad.issues.query import IssueFilter
    from launchpad.store.db import Store
    from tests.ui.conftest import UI_SITE
    from tests.workspaces import write_workspace

    root = write_workspace(tmp_path / "ws", UI_SITE)
    environment = {"HOME": os.environ["HOME"], "PATH": os.environ.get("PATH", ""), "TERM": "xterm-256color",
                   "LANG": "C.UTF-8", "LAUNCHPAD_ACTOR": "tester"}
    command = " ".join(["env", "-i", *(f"{k}={shlex.quote(v)}" for k, v in environment.items()),
                        shlex.quote(sys.executable), "-m", "launchpad", "-w", shlex.quote(str(root))])
    terminal.tmux("new-session", "-d", "-s", "smoke", "-x", "100", "-y", "30", "-c", str(tmp_path), command)
    terminal.wait_for("反馈问题（i）")
    terminal.send("c")
    terminal.wait_for("＋ 记录")
    lines = ["P1 @zhang ＃登录 ！明天 登录页点提交后白屏", "P0 #接口 市级接口推送失败", "＠李娜 ！周五 报表导出乱码"]
    for number, line in enumerate(lines, 1):
        terminal.send("-l", line)
        terminal.send("Enter")
        terminal.wait_for(f"共 {number} 项")
    terminal.send("Escape", "Escape")
    terminal.wait_for("未解决 3")  # the dashboard's issue counts followed
    terminal.send("C-q")
    deadline = time.monotonic() + DEADLINE
    while "smoke" in terminal.tmux("list-sessions") and time.monotonic() < deadline:
        time.sleep(0.2)
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        zone = ZoneInfo("Asia/Shanghai")
        issues = IssueLog(store, zone, "test").find(IssueFilter(sort="oldest", limit=None))
    tomorrow = (datetime.now(zone) + timedelta(days=1)).date().isoformat()
    assert [(i.severity, i.owner, i.module, i.title) for i in issues] == [
        ("P1", "张伟", "登录", "登录页点提交后白屏"),
        ("P0", "", "接口", "市级接口推送失败"),
        ("P2", "李娜", "", "报表导出乱码"),
    ]
    assert issues[0].due == tomorrow and issues[2].due is not None
