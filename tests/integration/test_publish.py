"""A message that did not go is copied for the person to paste, whichever door sent it: the
`announce` step now does what `report notice --send` and the TUI's report screen did."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.workspace.folder import load_workspace
from tests.core.test_engine import Harness, playbook_text
from tests.core.test_issues import run_cli
from tests.integration.test_notify import CHANNELS, RobotLab, point_channels, start_robots
from tests.loopback import closed_port
from tests.scripted import ScriptedPrompter
from tests.workspaces import LOCAL_SITE

pytestmark = pytest.mark.integration

NOTICE = ("- {id: notice, name: 发布通知, kind: announce, channel: group, "
          "fields: {change: 考勤模块 v1.3, when: 今晚 19:00}}")


@pytest.fixture
def clipboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clipboard program that keeps what it is given in a file."""
    kept = tmp_path / "clipboard.txt"
    monkeypatch.setattr("launchpad.notify.clipboard._commands", lambda: [["sh", "-c", f"cat > '{kept}'"]])
    return kept


def test_an_announce_that_could_not_be_sent_is_copied_like_the_cli_and_the_tui_copy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clipboard: Path) -> None:
    point_channels(monkeypatch, f"http://127.0.0.1:{closed_port()}")  # nothing listens: offline
    h = Harness(tmp_path / "ws", playbook_text(NOTICE))
    (h.root / "site.yaml").write_text(LOCAL_SITE + CHANNELS, encoding="utf-8")
    h.workspace = load_workspace(h.root)
    result = h.run(ScriptedPrompter())
    step = h.store.latest_step_states(result.run_id)["notice"]
    assert step["status"] == "failed"  # only queued: a release does not start untold
    evidence = step["evidence"]
    assert evidence["copied"] == "sh" and evidence["sent"] == 0
    assert clipboard.read_text(encoding="utf-8") == evidence["text"] and "考勤模块 v1.3" in evidence["text"]


def test_the_cli_notice_copies_the_same_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    point_channels(monkeypatch, f"http://127.0.0.1:{closed_port()}")
    for display in ("DISPLAY", "WAYLAND_DISPLAY"):  # no clipboard program reachable: printed instead
        monkeypatch.delenv(display, raising=False)
    h = Harness(tmp_path / "ws", playbook_text(NOTICE))
    (h.root / "site.yaml").write_text(LOCAL_SITE + CHANNELS, encoding="utf-8")
    sent = run_cli(h.root, "report", "notice", "--set", "change=考勤模块 v1.3", "--set", "when=今晚 19:00",
                   "--send", "group")
    assert sent.returncode == 1 and "未发送" in sent.stderr
    assert "考勤模块 v1.3" in sent.stdout  # printed, to paste by hand


def test_a_daily_report_that_did_not_go_says_why_in_the_sites_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    point_channels(monkeypatch, f"http://127.0.0.1:{closed_port()}")  # nothing listens: offline
    for display in ("DISPLAY", "WAYLAND_DISPLAY"):  # no clipboard program reachable: printed instead
        monkeypatch.delenv(display, raising=False)
    h = Harness(tmp_path / "ws", playbook_text(NOTICE))
    (h.root / "site.yaml").write_text(LOCAL_SITE + CHANNELS, encoding="utf-8")
    sent = run_cli(h.root, "report", "daily", "--send", "group")
    assert sent.returncode == 1
    assert "未发送：无法连接" in sent.stderr and "没有可用的剪贴板程序" in sent.stderr
    assert "cannot reach" not in sent.stderr and "no clipboard program" not in sent.stderr


def test_a_channel_setting_to_fix_is_said_in_the_sites_language(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    lab = RobotLab()
    server = start_robots(lab)
    try:
        point_channels(monkeypatch, lab.url, wecom_key="wrong-key")  # the robot answers 93000
        for display in ("DISPLAY", "WAYLAND_DISPLAY"):
            monkeypatch.delenv(display, raising=False)
        h = Harness(tmp_path / "ws", playbook_text(NOTICE))
        (h.root / "site.yaml").write_text(LOCAL_SITE + CHANNELS, encoding="utf-8")
        sent = run_cli(h.root, "report", "daily", "--send", "group")
    finally:
        server.shutdown()
        server.server_close()
    assert sent.returncode == 2 and "Traceback" not in sent.stderr
    assert "webhook 的 key 有误，或机器人已被移除" in sent.stderr and "已放入待发队列" in sent.stderr
    assert "; 已放入待发队列" not in sent.stderr and "；已放入待发队列" in sent.stderr  # what to do, said in parts
    assert "the webhook key is wrong" not in sent.stderr and "check channels" not in sent.stderr
