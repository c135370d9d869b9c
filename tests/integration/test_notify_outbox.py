"""The outbox against real robot servers: messages queued with no network survive a restart
and go out once the network is back; two senders at once deliver each message once; a
sender killed mid-send leaves the message `unknown`, not re-sent; the CLI and the `announce`
step go through it too."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from launchpad.notify.outbox import Outbox
from launchpad.notify.send import flush, queue_message, send_message
from launchpad.run.prompter import FailureChoice
from launchpad.store.db import Store
from tests.core.test_engine import Harness, playbook_text
from tests.core.test_issues import run_cli
from tests.integration.test_notify import CHANNELS, RobotLab, notify_workspace, point_channels, start_robots
from tests.loopback import closed_port
from tests.scripted import ScriptedPrompter
from tests.workspaces import LOCAL_SITE, write_workspace

pytestmark = pytest.mark.integration


def test_queued_while_offline_sent_once_after_a_restart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = closed_port()
    point_channels(monkeypatch, f"http://127.0.0.1:{port}")  # nothing listens there yet
    site, store = notify_workspace(tmp_path / "ws")
    offline = send_message(store, site, "group", "今晚 19:00 发布考勤模块")
    assert offline.error is not None and not offline.delivered
    assert "cannot reach the WeCom robot at 127.0.0.1" in offline.error.message
    assert f":{port}" not in offline.error.render()
    store.close()

    lab = RobotLab()
    server = start_robots(lab, port)
    try:
        reopened = Store.open(tmp_path / "ws" / ".launchpad" / "launchpad.db")
        first = flush(reopened, site)
        second = flush(reopened, site)
    finally:
        server.shutdown()
        server.server_close()
    assert [m.body for m in first.sent] == ["今晚 19:00 发布考勤模块"] and second.sent == []
    assert lab.texts() == ["今晚 19:00 发布考勤模块"]
    assert [m.status for m in Outbox(reopened).messages()] == ["sent"]


def test_two_senders_at_once_deliver_each_message_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lab = RobotLab(delay=0.02)
    server = start_robots(lab)
    point_channels(monkeypatch, lab.url)
    site, store = notify_workspace(tmp_path / "ws")
    for n in range(30):
        queue_message(store, site, "group" if n % 2 else "ding", f"消息 {n}", "text")
    store.close()
    try:
        senders = [subprocess.Popen([sys.executable, "-c", _SENDER, str(tmp_path / "ws")]) for _ in range(3)]
        assert [sender.wait(timeout=120) for sender in senders] == [0, 0, 0]
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(lab.texts()) == sorted(f"消息 {n}" for n in range(30))
    # Each channel's messages arrived in the order they were queued.
    assert lab.texts("wecom") == [f"消息 {n}" for n in range(1, 30, 2)]


_SENDER = (
    "import sys\nfrom pathlib import Path\nfrom launchpad.workspace.folder import load_workspace\n"
    "from launchpad.store.db import Store\nfrom launchpad.notify.send import flush\n"
    "ws = load_workspace(Path(sys.argv[1]))\nflush(Store.open(ws.store_path), ws.site)\n"
)


def test_a_sender_killed_mid_send_leaves_the_message_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lab = RobotLab(hang=threading.Event())
    assert lab.hang is not None
    lab.hang.set()
    server = start_robots(lab)
    point_channels(monkeypatch, lab.url)
    site, store = notify_workspace(tmp_path / "ws")
    queue_message(store, site, "group", "发布通知", "text")
    try:
        sender = subprocess.Popen([sys.executable, "-c", _SENDER, str(tmp_path / "ws")])
        outbox = Outbox(store)
        deadline = time.monotonic() + 30
        while lab.arrived == 0 and time.monotonic() < deadline:  # the robot has the request
            time.sleep(0.05)
        assert outbox.messages()[0].status == "sending"
        sender.send_signal(signal.SIGKILL)
        sender.wait(timeout=30)
        lab.hang.clear()  # the robot posts it, but its sender is gone
        result = flush(store, site)
        assert result.sent == [] and len(result.abandoned) == 1
        message = outbox.messages()[0]
        assert message.status == "unknown" and "check the group" in message.last_error
        assert flush(store, site).sent == [] and lab.arrived == 1  # never re-sent by itself
        outbox.drop(message.id)  # a person looked: it is in the group
    finally:
        lab.hang.clear()
        server.shutdown()
        server.server_close()
    assert lab.arrived == 1


def test_cli_daily_send_then_outbox_flush(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = closed_port()
    point_channels(monkeypatch, f"http://127.0.0.1:{port}")
    root = write_workspace(tmp_path / "ws", LOCAL_SITE + CHANNELS)
    assert run_cli(root, "issue", "add", "P1 @张三 !明天 登录页白屏").returncode == 0
    offline = run_cli(root, "report", "daily", "--send", "group")
    assert offline.returncode == 1 and "未发送" in offline.stderr and "outbox --send" in offline.stderr
    assert "no clipboard program" in offline.stderr or "剪贴板" in offline.stderr
    assert "试运行日报" in offline.stdout  # the text to paste by hand, when no clipboard exists
    listed = run_cli(root, "report", "outbox")
    # the reason in the site's language, as the rest of the listing
    assert "排队中" in listed.stdout and "queued" not in listed.stdout and "cannot reach" not in listed.stdout
    assert "(无法连接127.0.0.1 上的企业微信机器人（渠道 group）" in listed.stdout
    assert "该端口上没有服务在监听)" in listed.stdout  # the reason whole, not cut at its 80th character

    lab = RobotLab()
    server = start_robots(lab, port)
    try:
        sent = run_cli(root, "report", "outbox", "--send")
        again = run_cli(root, "report", "outbox", "--send")
        online = run_cli(root, "report", "daily", "--send", "ding", "--lang", "en")
    finally:
        server.shutdown()
        server.server_close()
    assert sent.returncode == 0 and "已发送 #1 → group" in sent.stdout
    assert again.returncode == 0 and "待发队列为空" in again.stdout
    assert online.returncode == 0 and "sent to ding (1 part(s))" in online.stdout
    wecom, = lab.texts("wecom")
    assert wecom.startswith("## 测试项目 试运行日报") and "登录页白屏" in wecom
    assert lab.texts("dingtalk")[0].startswith("## 测试项目 Trial operation daily report")


def test_announce_retried_after_the_network_returns_posts_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = closed_port()
    point_channels(monkeypatch, f"http://127.0.0.1:{port}")
    step = ("- {id: notice, name: 发布通知, kind: announce, channel: group, "
            "fields: {change: 考勤模块, when: '今晚 19:00', impact: 期间无法登录}}")
    h = Harness(tmp_path / "ws", playbook_text(step))
    (h.root / "site.yaml").write_text(LOCAL_SITE + CHANNELS, encoding="utf-8")
    h.workspace = __import__("launchpad.workspace.folder", fromlist=["load_workspace"]).load_workspace(h.root)
    lab = RobotLab()
    servers = []

    def network_back(_request: object) -> FailureChoice:
        servers.append(start_robots(lab, port))
        return FailureChoice("retry_all")

    try:
        result = h.run(ScriptedPrompter(failures=[network_back]))
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    assert result.status == "passed"
    attempts = [row for row in h.store.step_rows(result.run_id) if row["step_id"] == "notice"]
    assert [a["status"] for a in attempts] == ["failed", "passed"]
    assert "queued" in attempts[0]["summary"]
    assert lab.texts("wecom") == ["## 测试项目 发布通知\n- **发布内容**：考勤模块\n- **发布时间**：今晚 19:00\n"
                                  "- **影响范围**：期间无法登录\n- **联系人**：张三 13800000001\n"
                                  "- **备用联系人**：李四 13800000002\n"]
