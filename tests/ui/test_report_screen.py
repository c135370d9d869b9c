"""Pilot tests of the daily report screen: the preview in Chinese and English, as text and
Markdown, with tomorrow's plan typed in; sending it to a WeCom robot on loopback (the same fake
robot the notify integration tests use) and the three results a person must tell apart — sent,
queued in the outbox, a channel configured wrongly — with the text copied when it did not go;
copying without a clipboard program; exporting text and Excel into the workspace."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static, TextArea

from launchpad.notify.outbox import Outbox
from launchpad.store.db import Store
from screens.app import LaunchpadApp
from screens.dialogs.confirm import ConfirmDialog
from screens.report import ReportScreen
from tests.integration.test_notify import WECOM_KEY, RobotLab, start_robots
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import wait_for_screen, wait_opened, wait_until

pytestmark = pytest.mark.anyio


@pytest.fixture
def robot(monkeypatch: pytest.MonkeyPatch) -> Iterator[RobotLab]:
    """A WeCom group robot on loopback, answering as the real one does; the channel points at it."""
    lab = RobotLab()
    server = start_robots(lab)
    monkeypatch.setenv("LP_WECOM_HOOK", f"{lab.url}/cgi-bin/webhook/send?key={WECOM_KEY}")
    yield lab
    server.shutdown()
    server.server_close()


def make_app(root: Path, language: str = "zh") -> LaunchpadApp:
    return LaunchpadApp(root, now=lambda: FIXED_NOW, language=language, watch_hosts=False)


async def open_report(pilot: Pilot[Any]) -> ReportScreen:
    await wait_opened(pilot)
    await pilot.press("d")
    screen = await wait_for_screen(pilot, ReportScreen)
    await wait_until(pilot, lambda: screen.ready and screen.text, "the preview")
    return screen


def result(screen: ReportScreen) -> str:
    return str(screen.query_one("#report-result", Static).render())


async def send(pilot: Pilot[Any], screen: ReportScreen) -> None:
    await pilot.press("s")
    dialog = await wait_for_screen(pilot, ConfirmDialog)
    assert dialog.focused is not None and dialog.focused.id == "no", "sending is a choice, not a reflex"
    await pilot.press("shift+tab", "enter")
    await wait_until(pilot, lambda: screen.outcome is not None and screen.ready, "the send")


async def test_preview_in_both_languages_and_formats_with_the_plan(issues_workspace: Path) -> None:
    app = make_app(issues_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_report(pilot)
        text = screen.text
        assert text.startswith("【某市政务服务平台】试运行日报 2024-01-01（周一）")
        assert "未解决 3 项（P0 0 / P1 1 / P2 1 / P3 1），其中逾期 1 项" in text
        assert "四、逾期未解决（1）" in text and "市级接口推送失败 — 已修复" in text
        assert "生成于 2024-01-01 17:00" in text, "stamped by the session's clock"
        assert "登录页点提交后白屏" in str(screen.query_one("#report-text", Static).render())
        await pilot.press("l")
        await wait_until(pilot, lambda: screen.ready and screen.text.startswith("[某市"), "English")
        assert "Trial operation daily report 2024-01-01 (Mon)" in screen.text
        await pilot.press("f")
        await wait_until(pilot, lambda: screen.ready and screen.text.startswith("## "), "Markdown")
        assert screen.fmt == "md" and "**[P0]** 市级接口推送失败" in screen.text
        await pilot.press("t")
        screen.query_one("#report-plan", TextArea).insert("fix the login page")
        await wait_until(pilot, lambda: screen.ready and "fix the login page" in screen.text, "the plan")
        await pilot.press("escape", "f")  # html: a file; the preview stays readable text
        await wait_until(pilot, lambda: screen.ready and screen.fmt == "html", "html")
        assert "reports/daily-report-2024-01-01.html" in str(screen.query_one("#report-preview").border_subtitle)
        await pilot.press("d", *"昨天", "enter")
        await wait_until(pilot, lambda: screen.ready and "2023-12-31" in screen.text, "another day")


async def test_a_day_that_does_not_exist_is_said_in_chinese(issues_workspace: Path) -> None:
    app = make_app(issues_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_report(pilot)
        await pilot.press("d", *"2026-02-30", "enter")
        await wait_until(pilot, lambda: "2026-02-30" in result(screen), "the refusal")
        assert "“2026-02-30”不是真实存在的日期" in result(screen), result(screen)


async def test_sending_to_the_group_robot(issues_workspace: Path, robot: RobotLab) -> None:
    app = make_app(issues_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_report(pilot)
        await send(pilot, screen)
        assert screen.outcome is not None and screen.outcome.result == "sent"
        assert "已发送到 group（1 段）" in result(screen)
    (received,) = robot.texts("wecom")
    assert received.startswith("## 某市政务服务平台 试运行日报 2024-01-01") and "市级接口推送失败" in received
    with Store.open(issues_workspace / ".launchpad" / "launchpad.db") as store:
        assert [m.status for m in Outbox(store).messages(limit=10)] == ["sent"]


async def test_a_wrong_key_is_a_configuration_error_and_the_text_is_copied(
        issues_workspace: Path, robot: RobotLab, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LP_WECOM_HOOK", f"{robot.url}/cgi-bin/webhook/send?key=k-forged-1")
    app = make_app(issues_workspace, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_report(pilot)
        await send(pilot, screen)
        assert screen.outcome is not None and screen.outcome.result == "config"
        said = result(screen)
        assert "configured wrongly" in said and "webhook key is wrong" in said and "channels.group" in said
        assert "k-forged-1" not in said, "the key never shows"
        assert "No clipboard program" in said and app.clipboard == screen.outcome.text
    assert robot.received == []


async def test_no_network_leaves_the_report_queued(issues_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as probe:  # a port nobody listens on: connection refused, as offline
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("LP_WECOM_HOOK", f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key={WECOM_KEY}")
    app = make_app(issues_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_report(pilot)
        await send(pilot, screen)
        assert screen.outcome is not None and screen.outcome.result == "queued"
        assert "未发送" in result(screen) and "report outbox --send" in result(screen)
    with Store.open(issues_workspace / ".launchpad" / "launchpad.db") as store:
        assert [m.status for m in Outbox(store).messages(limit=10)] == ["queued"]


async def test_a_report_the_robot_refuses_is_failed_and_copied(issues_workspace: Path, robot: RobotLab) -> None:
    robot.banned = ("白屏",)
    app = make_app(issues_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_report(pilot)
        await send(pilot, screen)
        assert screen.outcome is not None and screen.outcome.result == "refused"
        assert "机器人拒收" in result(screen) and "sensitive words" in result(screen)
        assert app.clipboard == screen.outcome.text
    with Store.open(issues_workspace / ".launchpad" / "launchpad.db") as store:
        assert [m.status for m in Outbox(store).messages(limit=10)] == ["failed"]


async def test_copy_and_export(issues_workspace: Path) -> None:
    from openpyxl import load_workbook

    app = make_app(issues_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_report(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: screen.ready and "剪贴板" in result(screen), "the copy")
        assert app.clipboard == screen.text, "no clipboard program: the terminal's clipboard took it"
        await pilot.press("x")
        txt = issues_workspace / "reports" / "日报-2024-01-01.txt"
        await wait_until(pilot, lambda: screen.ready and txt.exists(), "the text export")
        assert txt.read_text(encoding="utf-8") == screen.text and "reports/日报-2024-01-01.txt" in result(screen)
        await pilot.press("f", "f", "f", "x")  # md, html, xlsx
        xlsx = issues_workspace / "reports" / "日报-2024-01-01.xlsx"
        await wait_until(pilot, lambda: screen.ready and xlsx.exists(), "the Excel export")
    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames == ["汇总", "问题清单"]
    titles = [row[2] for row in book["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert "登录页点提交后白屏，清缓存也不行" in titles


async def test_without_channels_it_says_how_to_add_one(ui_workspace: Path) -> None:
    app = make_app(ui_workspace, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await pilot.press("ctrl+p", *"report: send", "enter")
        screen = await wait_for_screen(pilot, ReportScreen)
        await wait_until(pilot, lambda: "no channels" in result(screen), "the explanation")
        assert isinstance(app.screen, ReportScreen), "nothing to confirm without a channel"


async def test_log_issues_during_a_call_then_send_the_report(issues_workspace: Path, robot: RobotLab) -> None:
    """The issue's "done when", by keys alone: issues typed during a call, the day's report
    sent to the group."""
    from screens.issues import IssuesScreen

    app = make_app(issues_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await pilot.press("c")
        issues = await wait_for_screen(pilot, IssuesScreen)
        for line in ("P1 @zhang #登录 !明天 登录后首页空白", "P2 #报表 月报导出超时", "P3 @li 培训资料发群里"):
            issues.capture.input.insert_text_at_cursor(line)  # an input method commits the phrase
            await pilot.press("enter")
        await wait_until(pilot, lambda: not issues.writing and not issues.pending and issues.total == 8, "logged")
        await pilot.press("escape", "d")
        screen = await wait_for_screen(pilot, ReportScreen)
        await wait_until(pilot, lambda: screen.ready and "月报导出超时" in screen.text, "the report")
        await send(pilot, screen)
        assert screen.outcome is not None and screen.outcome.result == "sent"
    (received,) = robot.texts("wecom")
    assert all(title in received for title in ("登录后首页空白", "月报导出超时", "培训资料发群里"))
    assert "今日新增 6 项" in received


def test_every_channel_kind_has_a_name_on_screen() -> None:
    """The report screen names the channel's kind ("发送到 mail（邮件）"): a kind without words
    would show its key."""
    from typing import get_args

    from launchpad.phrases import CATALOG
    from launchpad.workspace.site import Channel, MailChannel

    kinds = [*get_args(Channel.model_fields["kind"].annotation), *get_args(MailChannel.model_fields["kind"].annotation)]
    assert "email" in kinds and [kind for kind in kinds if f"kind.{kind}" not in CATALOG] == []


async def test_sending_to_a_mail_channel_attaches_the_workbook(issues_workspace: Path) -> None:
    """The screen's send goes to a mail channel as it goes to a robot: the same use case, the
    workbook attached, the mail received by a real SMTP server on loopback."""
    from tests.integration.smtp import MailLab, start_smtp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    mail_channel_only(issues_workspace, port)
    lab = MailLab()
    controller = start_smtp(lab, port, security="none", auth=False)
    try:
        app = make_app(issues_workspace)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_report(pilot)
            await send(pilot, screen)
            assert screen.outcome is not None and screen.outcome.result == "sent"
            assert "已发送到 mail" in result(screen)
    finally:
        controller.stop()
    (mail,) = (received.message for received in lab.received)
    assert mail["Subject"] == "【某市政务服务平台】试运行日报 2024-01-01（周一）"
    (workbook,) = mail.iter_attachments()
    assert workbook.get_filename() == "日报-2024-01-01.xlsx"


def mail_channel_only(root: Path, port: int) -> None:
    """The workspace's channels become one mail channel, to a server on loopback `port`."""
    site = root / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text[:text.index("channels:")] + (
        f"channels:\n  mail: {{kind: email, host: 127.0.0.1, port: {port}, security: none, "
        "from: notice@example.gov.cn, to: [it@client.example.gov.cn]}\n"), encoding="utf-8")


async def test_a_mail_server_out_of_reach_then_a_draft_for_the_mail_client(issues_workspace: Path) -> None:
    from email import message_from_bytes
    from email.policy import default

    with socket.socket() as probe:  # a port nobody listens on: the mail server is out of reach
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    mail_channel_only(issues_workspace, port)
    app = make_app(issues_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_report(pilot)
        await send(pilot, screen)
        assert screen.outcome is not None and screen.outcome.result == "queued"
        assert "按 e 写成邮件草稿" in result(screen)
        await pilot.press("e")
        await wait_until(pilot, lambda: "已写成邮件草稿" in result(screen), "the draft")
        said = result(screen)
    draft, = (issues_workspace / "outbox" / "drafts").iterdir()
    assert draft.name.startswith("00001-") and draft.name in said
    mail = message_from_bytes(draft.read_bytes(), policy=default)
    assert str(mail["To"]) == "it@client.example.gov.cn" and mail["X-Unsent"] == "1"
    with Store.open(issues_workspace / ".launchpad" / "launchpad.db") as store:
        assert [m.status for m in Outbox(store).messages(limit=10)] == ["drafted"]  # not also sent later


async def test_a_checklist_with_mistakes_still_gives_the_report_with_the_note(issues_workspace: Path) -> None:
    # The same report as `launchpad report daily`: its issues, and where golive.yaml is wrong.
    (issues_workspace / "golive.yaml").write_text("date: 2024-01-10\nversion: V1.0\nitems: [\n", encoding="utf-8")
    app = make_app(issues_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_report(pilot)
        assert "未解决 3 项（P0 0 / P1 1 / P2 1 / P3 1），其中逾期 1 项" in screen.text
        assert "上线检查清单 golive.yaml 无法读取" in screen.text and "golive.yaml:4:1: " in screen.text
