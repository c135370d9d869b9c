"""The outbox when the robot or its settings fail in the ways that could send a message twice,
lose it, or hold up the group for ever — against a real robot server on loopback: an answer
that comes after the timeout, a report sent again after an offline failure, a message the
robot refuses for its content, a malformed webhook, a sender killed while getting ready."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from launchpad.notify.deliver import ContentRefused, DeliveryUncertain, Robot, channel_of
from launchpad.notify.outbox import Outbox
from launchpad.notify.send import flush, queue_message
from launchpad.workspace.site import Site
from tests.core.test_issues import run_cli
from tests.integration.test_notify import CHANNELS, WECOM_KEY, RobotLab, notify_workspace, point_channels, start_robots
from tests.loopback import closed_port
from tests.workspaces import LOCAL_SITE, write_workspace

pytestmark = pytest.mark.integration


def impatient(name: str, site: Site) -> Robot:
    """A robot that waits half a second for an answer instead of fifteen."""
    return Robot(name, channel_of(site, name), timeout=0.5)


def test_an_answer_after_the_timeout_is_unknown_and_never_sent_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lab = RobotLab(hang=threading.Event())
    assert lab.hang is not None
    lab.hang.set()
    server = start_robots(lab)
    point_channels(monkeypatch, lab.url)
    site, store = notify_workspace(tmp_path / "ws")
    queue_message(store, site, "group", "今晚发布", "text")
    try:
        first = flush(store, site, robot_for=impatient)
        lab.hang.clear()  # the robot answers late: the group has the message
        second = flush(store, site, robot_for=impatient)
        third = flush(store, site)
    finally:
        lab.hang.clear()
        server.shutdown()
        server.server_close()
    assert first.sent == [] and first.failed == []
    (message, error), = first.unknown
    assert isinstance(error, DeliveryUncertain) and "check the group" in error.hint
    assert error.message.endswith("no answer came back: timed out waiting for the answer: the server took the "
                                  "request but did not answer in time"), error.message
    assert second.sent == third.sent == [] and lab.arrived == 1
    stored = Outbox(store).get(message.id)
    assert stored.status == "unknown" and "no answer came back" in stored.last_error


def test_a_newer_copy_of_the_daily_report_replaces_the_queued_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = closed_port()
    point_channels(monkeypatch, f"http://127.0.0.1:{port}")  # offline: nothing listens yet
    root = write_workspace(tmp_path / "ws", LOCAL_SITE + CHANNELS)
    assert run_cli(root, "issue", "add", "P1 @张三 登录页白屏").returncode == 0
    assert run_cli(root, "report", "daily", "--send", "group").returncode == 1
    assert run_cli(root, "issue", "add", "P2 @李四 导出按钮无反应").returncode == 0
    lab = RobotLab()
    server = start_robots(lab, port)
    try:
        again = run_cli(root, "report", "daily", "--send", "group")
        flushed = run_cli(root, "report", "outbox", "--send")
    finally:
        server.shutdown()
        server.server_close()
    assert again.returncode == 0 and flushed.returncode == 0, again.stderr + flushed.stderr
    sent, = lab.texts("wecom")  # one copy, the fresh one
    assert "登录页白屏" in sent and "导出按钮无反应" in sent
    rows = json.loads(run_cli(root, "report", "outbox", "--all", "--json").stdout)
    assert [(row["status"], row["last_error"].split(" (")[0]) for row in rows] == [
        ("dropped", "replaced by a newer copy"), ("sent", "")]


def test_a_message_refused_for_its_content_fails_and_the_rest_go_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lab = RobotLab(banned=("违禁",))
    server = start_robots(lab)
    point_channels(monkeypatch, lab.url)
    site, store = notify_workspace(tmp_path / "ws")
    for text in ("第一条", "含违禁词的第二条", "第三条"):
        queue_message(store, site, "group", text, "text")
    try:
        first = flush(store, site)
        second = flush(store, site)
        root = tmp_path / "ws"
        cli = run_cli(root, "report", "notice", "--set", "change=违禁内容", "--send", "group")
        listed = run_cli(root, "report", "outbox")
    finally:
        server.shutdown()
        server.server_close()
    assert [m.body for m in first.sent] == ["第一条", "第三条"] and second.sent == second.failed == []
    (message, error), = first.failed
    assert isinstance(error, ContentRefused) and "40058: content contains sensitive words" in error.message
    stored = Outbox(store).get(message.id)
    assert stored.status == "failed" and "sensitive words" in stored.last_error
    assert lab.texts("wecom") == ["第一条", "第三条"] and lab.arrived == 4
    assert cli.returncode == 1 and "机器人拒收了这条消息" in cli.stderr and "违禁内容" in cli.stdout
    assert "失败" in listed.stdout and "40058: content contains" in listed.stdout  # the site speaks Chinese


@pytest.mark.parametrize("broken", ["trailing-cr", "ipv6"])
def test_a_malformed_webhook_is_a_configuration_error_and_the_message_stays_queued(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str) -> None:
    lab = RobotLab()
    server = start_robots(lab)
    point_channels(monkeypatch, lab.url)
    hook = {"trailing-cr": f"{lab.url}/cgi-bin/webhook/send?key={WECOM_KEY}\r",
            "ipv6": f"http://[::1/cgi-bin/webhook/send?key={WECOM_KEY}"}[broken]
    monkeypatch.setenv("LP_WECOM_HOOK", hook)
    root = write_workspace(tmp_path / "ws", LOCAL_SITE + CHANNELS)
    assert run_cli(root, "issue", "add", "P1 @张三 登录页白屏").returncode == 0
    try:
        sent = run_cli(root, "report", "daily", "--send", "group")
    finally:
        server.shutdown()
        server.server_close()
    assert sent.returncode == 2, sent.stderr
    assert "渠道配置有误：渠道 group 的 webhook" in sent.stderr  # the site speaks Chinese
    assert "webhook of channel group" not in sent.stderr
    assert "env:LP_WECOM_HOOK" in sent.stderr and "outbox --send" in sent.stderr
    assert "internal error" not in sent.stderr and "Traceback" not in sent.stderr
    assert WECOM_KEY not in sent.stdout + sent.stderr
    assert "登录页白屏" in sent.stdout  # printed for pasting by hand
    row, = json.loads(run_cli(root, "report", "outbox", "--json").stdout)
    assert row["status"] == "queued" and row["attempts"] == 0 and "webhook of channel group" in row["last_error"]
    assert lab.arrived == 0


# Stops the sender inside `import httpx`, i.e. before any request can go out, and says so.
_STUCK_SENDER = """\
import importlib.abc, sys, time
from pathlib import Path
class Stuck(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "httpx":
            Path(sys.argv[2]).touch()
            while True:
                time.sleep(1)
sys.meta_path.insert(0, Stuck())
from launchpad.workspace.folder import load_workspace
from launchpad.store.db import Store
from launchpad.notify.send import flush
ws = load_workspace(Path(sys.argv[1]))
flush(Store.open(ws.store_path), ws.site)
"""


def test_a_sender_killed_before_its_request_goes_out_leaves_the_message_queued(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lab = RobotLab()
    server = start_robots(lab)
    point_channels(monkeypatch, lab.url)
    site, store = notify_workspace(tmp_path / "ws")
    queue_message(store, site, "group", "发布通知", "text")
    ready = tmp_path / "importing-httpx"
    sender = subprocess.Popen([sys.executable, "-c", _STUCK_SENDER, str(tmp_path / "ws"), str(ready)])
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and sender.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), "the sender never got to importing httpx"
        assert Outbox(store).messages()[0].status == "queued"  # not claimed while getting ready
        sender.send_signal(signal.SIGKILL)
        sender.wait(timeout=30)
        result = flush(store, site)
    finally:
        if sender.poll() is None:
            sender.kill()
        server.shutdown()
        server.server_close()
    assert result.abandoned == [] and [m.body for m in result.sent] == ["发布通知"]
    assert lab.texts("wecom") == ["发布通知"] and lab.arrived == 1


def test_the_group_gets_a_title_as_text_not_as_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from markdown_it import MarkdownIt

    lab = RobotLab()
    server = start_robots(lab)
    point_channels(monkeypatch, lab.url)
    root = write_workspace(tmp_path / "ws", LOCAL_SITE + CHANNELS)
    forged = "登录白屏\n### 九、伪造的章节\n[点我](http://evil.example) <@all> <font color=\"warning\">紧急</font>"
    try:
        assert run_cli(root, "issue", "add", "--raw", forged).returncode == 0
        sent = run_cli(root, "report", "daily", "--send", "group")
    finally:
        server.shutdown()
        server.server_close()
    assert sent.returncode == 0, sent.stderr
    text, = lab.texts("wecom")
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    inline = [child.type for t in tokens if t.type == "inline" for child in (t.children or [])]
    assert "伪造的章节" in text and not any("伪造" in heading for heading in headings)
    assert "link_open" not in inline and "html_inline" not in inline
    assert "<@all>" not in text and "<font" not in text
