"""The `email` channel kind: site.yaml's mistakes reported at the line to fix, recipients from
the contacts, and the mail composed from a notice (subject, both parts, escaping, files). The
server side is in tests/integration/test_notify_mail.py."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from launchpad.errors import InvalidInput
from launchpad.notify.deliver import ChannelConfigError
from launchpad.notify.mail import XLSX, compose, html_of, subject_of
from launchpad.notify.outbox import Attachment, Outbox
from launchpad.notify.send import format_for, queue_message
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from launchpad.workspace.site import MailChannel
from tests.workspaces import LOCAL_SITE, write_workspace

SITE = LOCAL_SITE.replace('{id: li, name: 李四, phone: "13800000002"}',
                          '{id: li, name: 李四, phone: "13800000002", email: li@example.gov.cn, role: 信息科}')
# Line 1 of CHANNEL is line `BASE` of site.yaml.
BASE = len(SITE.splitlines()) + 1
CHANNEL = """\
channels:
  group: {kind: wecom, webhook: env:X}
  mail:
    kind: email
    host: smtp.example.gov.cn
    user: notice@example.gov.cn
    password: env:SMTP_PASSWORD
    from: notice@example.gov.cn
    to: [li, "role:信息科", wang@client.example.cn]
"""


def problems_of(tmp_path: Path, site_text: str) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        load_workspace(write_workspace(tmp_path / "ws", site_text))
    return [str(problem) for problem in caught.value.problems]


def test_a_mail_channel_loads_with_its_defaults(tmp_path: Path) -> None:
    site = load_workspace(write_workspace(tmp_path / "ws", SITE + CHANNEL)).site
    mail = site.channels["mail"]
    assert isinstance(mail, MailChannel) and (mail.security, mail.smtp_port, mail.domain) == (
        "starttls", 587, "example.gov.cn")
    to, cc = site.mail_recipients(mail)
    assert to == [("李四", "li@example.gov.cn"), ("", "wang@client.example.cn")] and cc == []  # each address once


@pytest.mark.parametrize(("old", "new", "line", "col", "said"), [
    ("password: env:SMTP_PASSWORD", "password: hunter2", 7, 15, "a secret must be a reference"),
    ('to: [li, "role:信息科", wang@client.example.cn]', 'to: [li, "role:信息科", nobody, wang@client.example.cn]',
     9, 26, "'nobody' is neither a contact's id or name"),
    ("to: [li,", 'to: ["role:运维", li,', 9, 10, "no contact has role '运维'"),
    ("from: notice@example.gov.cn", "from: notice@内网", 8, 11, "is not an e-mail address"),
    ("host: smtp.example.gov.cn", "host: smtp.example.gov.cn\n    security: none", 4, 5,
     "security: none sends the password"),
], ids=["literal-password", "unknown-recipient", "unknown-role", "bad-from", "clear-text-remote"])
def test_site_yaml_mistakes_point_at_the_line(tmp_path: Path, old: str, new: str, line: int, col: int,
                                              said: str) -> None:
    problem, = problems_of(tmp_path, SITE + CHANNEL.replace(old, new))
    assert problem.startswith(f"{tmp_path / 'ws' / 'site.yaml'}:{BASE + line - 1}:{col}: ") and said in problem, problem


def test_a_contact_without_an_address_is_refused_where_it_is_named(tmp_path: Path) -> None:
    problem, = problems_of(tmp_path, SITE + CHANNEL.replace("to: [li,", "to: [li, 张三,"))
    assert f"site.yaml:{BASE + 8}:14:" in problem and "'张三': contact zhang has no valid email" in problem


def test_user_and_password_go_together(tmp_path: Path) -> None:
    problem, = problems_of(tmp_path, SITE + CHANNEL.replace("    password: env:SMTP_PASSWORD\n", ""))
    assert "user and password go together" in problem


def test_a_mail_is_one_part_with_its_files_and_message_id(tmp_path: Path) -> None:
    workspace = load_workspace(write_workspace(tmp_path / "ws", SITE + CHANNEL))
    store = Store.open(workspace.store_path)
    long_text = "【测试项目】试运行日报\n" + "很长的一行。" * 5000
    book = Attachment("日报-2025-11-20.xlsx", XLSX, b"PK\x03\x04 workbook")
    batch = queue_message(store, workspace.site, "mail", long_text, "text", attachments=[book])
    robot_batch = queue_message(store, workspace.site, "group", long_text, "text", attachments=[book])
    outbox = Outbox(store)
    mail, = outbox.messages(batch=batch)
    assert mail.body == long_text and mail.kind == "email"
    assert mail.message_id == f"<{batch}.1.launchpad@example.gov.cn>" and outbox.attachments(batch) == [book]
    assert len(outbox.messages(batch=robot_batch)) > 1 and outbox.attachments(robot_batch) == []  # robots: text
    assert format_for(workspace.site, "mail") == "text"
    with pytest.raises(ChannelConfigError, match="a mail is text or markdown"):
        queue_message(store, workspace.site, "mail", "x", "html")


def test_the_mail_escapes_text_from_people_in_both_formats() -> None:
    text = "【系统】发布通知\n发布内容：<img src=x onerror=alert(1)> & 其他\n"
    page = html_of(text, "text", subject_of(text, "text", ""), "zh")
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; 其他" in page and "<img" not in page
    markdown = '## 系统 发布通知\n- **发布内容**：a \\*b\\* <font color="warning">注意</font> <script>x</script>\n'
    rendered = html_of(markdown, "markdown", "s", "zh")
    assert "<h2>系统 发布通知</h2>" in rendered and "<strong>发布内容</strong>" in rendered
    assert "*b*" in rendered and "<font" not in rendered and "&lt;script&gt;" in rendered
    assert "<script>" not in rendered and 'lang="zh-CN"' in rendered
    assert subject_of(markdown, "markdown", "fallback") == "系统 发布通知"
    assert subject_of("\n\n", "text", "fallback") == "fallback"


def test_a_composed_mail_has_both_parts_the_file_and_its_headers() -> None:
    when = datetime(2025, 11, 20, 21, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    mail = compose(body="【测试项目】试运行日报 2025-11-20\n内容\n", fmt="text", title="t", lang="zh",
                   message_id="<b.1.launchpad@example.gov.cn>", when=when,
                   attachments=[Attachment("日报-2025-11-20.xlsx", XLSX, b"xlsx bytes")], draft=True)
    assert mail["Subject"] == "【测试项目】试运行日报 2025-11-20" and mail["Date"] == "Thu, 20 Nov 2025 21:30:00 +0800"
    assert mail["X-Unsent"] == "1" and mail["Message-ID"] == "<b.1.launchpad@example.gov.cn>"
    assert [part.get_content_type() for part in mail.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", XLSX]
    attached, = mail.iter_attachments()
    assert attached.get_filename() == "日报-2025-11-20.xlsx" and attached.get_content() == b"xlsx bytes"


def test_the_commented_mail_example_of_init_loads_once_uncommented(tmp_path: Path) -> None:
    from launchpad.workspace.scaffold import SITE_TEMPLATE

    lines = SITE_TEMPLATE.splitlines()
    start = lines.index("  # client-mail:")
    example = [line.replace("  # ", "  ", 1) for line in lines[start:] if line.startswith("  #   ")
               or line == "  # client-mail:"]
    example = [line for line in example if not line.strip().startswith("#")]
    text = "\n".join(lines[:start] + example) + "\n"
    site = load_workspace(write_workspace(tmp_path / "ws", text)).site
    mail = site.channels["client-mail"]
    assert isinstance(mail, MailChannel) and mail.password == "env:SMTP_PASSWORD" and mail.smtp_port == 587


def test_check_names_an_announce_step_with_channel_and_channels(tmp_path: Path) -> None:
    from tests.core.test_engine import playbook_text
    from tests.core.test_issues import run_cli

    steps = ("- {id: both, name: 通知, kind: announce, channel: group, channels: [mail]}\n"
             "- {id: twice, name: 通知, kind: announce, channels: [mail, mail]}\n"
             "- {id: gone, name: 通知, kind: announce, channels: [group, 邮件组]}")
    root = write_workspace(tmp_path / "ws", SITE + CHANNEL, playbooks={"t": playbook_text(steps)})
    checked = run_cli(root, "check")
    assert checked.returncode == 2
    assert "give channel or channels, not both" in checked.stdout + checked.stderr
    assert "a channel is named twice" in checked.stdout + checked.stderr
    assert "邮件组" in checked.stdout + checked.stderr
