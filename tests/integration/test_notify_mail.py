"""Mail through the outbox against a real SMTP server on loopback (aiosmtpd): STARTTLS with a
certificate from the test's own CA, plain on loopback, AUTH with the password from its secret
reference; the mail parsed back (Chinese subject, both parts, the workbook attached); a 5xx
refusal, a 4xx, a connection dropped after the data; the .eml draft when no server is there;
and the password in none of the store, the audit log, the outbox or the draft."""

from __future__ import annotations

import io
import json
import stat
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from launchpad.notify.deliver import ChannelConfigError, ContentRefused, DeliveryUncertain
from launchpad.notify.outbox import Outbox
from launchpad.notify.send import flush, queue_message
from launchpad.phrases import render
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from launchpad.workspace.site import Site
from tests.certificates import Certificates, make_certificates
from tests.core.test_engine import Harness, playbook_text
from tests.core.test_issues import run_cli
from tests.integration.smtp import SMTP_PASSWORD, SMTP_USER, MailLab, old_tls_server, start_smtp
from tests.loopback import closed_port
from tests.scripted import ScriptedPrompter
from tests.workspaces import LOCAL_SITE, write_workspace

pytestmark = pytest.mark.integration

CONTACTS = """\
  - {id: zhang, name: 张三, phone: "13800000001", email: zhang@example.gov.cn, role: 信息科}
  - {id: li, name: 李四, phone: "13800000002", email: li@example.gov.cn, role: 信息科}
"""


def mail_site(port: int, security: str = "starttls", ca: Path | None = None) -> str:
    site = LOCAL_SITE.replace('  - {id: zhang, name: 张三, phone: "13800000001"}\n'
                              '  - {id: li, name: 李四, phone: "13800000002"}\n', CONTACTS)
    assert CONTACTS in site
    return site + f"""\
channels:
  mail:
    kind: email
    host: 127.0.0.1
    port: {port}
    security: {security}
{f"    ca_file: {ca}" if ca else ""}
    user: {SMTP_USER}
    password: env:LP_SMTP_PASSWORD
    from: {SMTP_USER}
    from_name: 测试项目上线保障组
    to: [zhang]
    cc: ["role:信息科", wang@client.example.cn]
"""


@pytest.fixture
def certs(tmp_path: Path) -> Certificates:
    return make_certificates(tmp_path / "certs")


@pytest.fixture
def password(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LP_SMTP_PASSWORD", SMTP_PASSWORD)
    return SMTP_PASSWORD


class Server:
    """One test's SMTP server, stopped when the test ends."""

    def __init__(self) -> None:
        self.controllers: list[Controller] = []

    def start(self, lab: MailLab, port: int, **options: object) -> None:
        self.controllers.append(start_smtp(lab, port, **options))  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[Server]:
    started = Server()
    yield started
    for controller in started.controllers:
        controller.stop()


def workspace(root: Path, site_text: str) -> tuple[Site, Store]:
    loaded = load_workspace(write_workspace(root, site_text))
    return loaded.site, Store.open(loaded.store_path)


def never_anywhere(secret: str, root: Path, *texts: str) -> None:
    """The password is in no file of the workspace (the store, its WAL, drafts) nor in `texts`."""
    for encoded in (secret.encode(), secret.encode("utf-16-le")):
        for path in root.rglob("*"):
            if path.is_file():
                assert encoded not in path.read_bytes(), path
    assert all(secret not in text for text in texts)


def test_a_daily_report_mailed_over_starttls_arrives_whole(tmp_path: Path, certs: Certificates, password: str,
                                                            server: Server) -> None:
    lab, port = MailLab(), closed_port()
    server.start(lab, port, security="starttls", certs=certs)
    root = write_workspace(tmp_path / "ws", mail_site(port, ca=certs.ca))
    assert run_cli(root, "issue", "add", "P1 @张三 登录页<b>白屏</b>").returncode == 0
    sent = run_cli(root, "report", "daily", "--send", "mail")
    assert sent.returncode == 0 and "已发送到 mail" in sent.stdout, sent.stderr
    received, = lab.received
    assert lab.logins == [(SMTP_USER, "PLAIN")]
    assert received.mail_from == SMTP_USER
    assert received.rcpt_tos == ["zhang@example.gov.cn", "li@example.gov.cn", "wang@client.example.cn"]
    mail = received.message
    assert mail["Subject"].startswith("【测试项目】试运行日报 ") and "=?utf-8?" in received.data.decode("ascii")
    assert str(mail["From"]) == f"测试项目上线保障组 <{SMTP_USER}>" and str(mail["To"]) == "张三 <zhang@example.gov.cn>"
    text_part, html_part = mail.get_body(("plain",)), mail.get_body(("html",))
    assert text_part is not None and html_part is not None
    text, page = text_part.get_content(), html_part.get_content()
    assert text.splitlines()[0] == mail["Subject"] and "登录页<b>白屏</b>" in text  # as written, in plain text
    assert "登录页&lt;b&gt;白屏&lt;/b&gt;" in page and "<b>白屏" not in page  # text in HTML too
    workbook, = mail.iter_attachments()
    assert workbook.get_filename() == f"日报-{mail['Subject'].split()[1][:10]}.xlsx"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook.get_content()))
    assert "登录页<b>白屏</b>" in [cell for row in book.worksheets[1].iter_rows(values_only=True) for cell in row]
    assert mail["Date"] and mail["Message-ID"]
    rows = json.loads(run_cli(root, "report", "outbox", "--all", "--json").stdout)
    assert [(row["status"], row["kind"], row["message_id"]) for row in rows] == [("sent", "email", mail["Message-ID"])]
    assert mail["Message-ID"] in run_cli(root, "report", "outbox", "--all").stdout  # what to search a mailbox for
    audit = run_cli(root, "audit", "show", "--json").stdout
    entry, = [e for e in json.loads(audit) if e["action"] == "mail_sent"]
    assert entry["detail"]["message_id"] == mail["Message-ID"]
    never_anywhere(password, root, audit, sent.stdout, sent.stderr)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback: what `none` is for
def test_plain_on_loopback_the_announce_step_and_the_test_message(tmp_path: Path, password: str,
                                                                   server: Server) -> None:
    lab, port = MailLab(), closed_port()
    server.start(lab, port, security="none")
    step = ("- {id: notice, name: 发布通知, kind: announce, channel: mail, "
            "fields: {change: '考勤模块 <script>alert(1)</script>', when: '今晚 19:00', impact: 期间无法登录}}")
    h = Harness(tmp_path / "ws", playbook_text(step))
    (h.root / "site.yaml").write_text(mail_site(port, security="none"), encoding="utf-8")
    h.workspace = load_workspace(h.root)
    result = h.run(ScriptedPrompter())
    tested = run_cli(h.root, "notify", "test", "mail")
    assert result.status == "passed" and tested.returncode == 0, tested.stderr
    notice, test = (r.message for r in lab.received)
    assert notice["Subject"] == "【测试项目】发布通知" and lab.logins == [(SMTP_USER, "PLAIN")] * 2
    body = notice.get_body(("html",))
    assert body is not None and "&lt;script&gt;" in body.get_content() and "<script>" not in body.get_content()
    plain = notice.get_body(("plain",))
    assert plain is not None and "联系人：张三 13800000001" in plain.get_content()
    assert test["Subject"] == "【测试项目】launchpad 测试消息" and not list(test.iter_attachments())


def test_a_mail_refused_after_its_data_fails_with_the_reason_and_the_next_goes(
        tmp_path: Path, certs: Certificates, password: str, server: Server) -> None:
    lab, port = MailLab(answers=["554 5.7.1 内容含敏感词，拒收"]), closed_port()
    server.start(lab, port, security="starttls", certs=certs)
    site, store = workspace(tmp_path / "ws", mail_site(port, ca=certs.ca))
    queue_message(store, site, "mail", "第一封", "text")
    queue_message(store, site, "mail", "第二封", "text")
    first = flush(store, site)
    second = flush(store, site)
    (message, error), = first.failed
    assert isinstance(error, ContentRefused) and "554 5.7.1 内容含敏感词，拒收" in error.message
    assert [m.body for m in first.sent] == ["第二封"] and second.sent == second.failed == []
    assert Outbox(store).get(message.id).status == "failed" and "554 5.7.1" in Outbox(store).get(message.id).last_error
    assert lab.data_seen == 2 and [r.text for r in lab.received] == ["第二封\n"]


def test_every_recipient_refused_is_said_one_by_one_with_the_chinese_separator(
        tmp_path: Path, certs: Certificates, password: str, server: Server) -> None:
    lab, port = MailLab(recipient_answer="550 5.1.1 用户不存在"), closed_port()
    server.start(lab, port, security="starttls", certs=certs)
    site, store = workspace(tmp_path / "ws", mail_site(port, ca=certs.ca))
    queue_message(store, site, "mail", "无人接收", "text")
    (_, error), = flush(store, site).failed
    assert isinstance(error, ChannelConfigError)
    assert ("zhang@example.gov.cn: 550 5.1.1 用户不存在；li@example.gov.cn: 550 5.1.1 用户不存在；"
            "wang@client.example.cn: 550 5.1.1 用户不存在") in render(error.said, "zh")
    assert "用户不存在; li@example.gov.cn" in render(error.said, "en")
    assert lab.data_seen == 0


def test_a_busy_server_keeps_the_mail_queued_and_it_goes_once(tmp_path: Path, certs: Certificates, password: str,
                                                             server: Server) -> None:
    lab, port = MailLab(answers=["451 4.3.0 暂时无法处理"]), closed_port()
    server.start(lab, port, security="starttls", certs=certs)
    site, store = workspace(tmp_path / "ws", mail_site(port, ca=certs.ca))
    queue_message(store, site, "mail", "稍后再发", "text")
    first = flush(store, site)
    message = Outbox(store).messages()[0]
    assert first.sent == [] and message.status == "queued" and "451 4.3.0" in message.last_error
    second = flush(store, site)
    third = flush(store, site)
    assert len(second.sent) == 1 and third.sent == [] and len(lab.received) == 1 and lab.data_seen == 2
    assert lab.received[0].message["Message-ID"] == message.message_id


def test_a_connection_dropped_after_the_data_is_unknown_and_never_sent_again(
        tmp_path: Path, certs: Certificates, password: str, server: Server) -> None:
    lab, port = MailLab(answers=["drop"]), closed_port()
    server.start(lab, port, security="starttls", certs=certs)
    site, store = workspace(tmp_path / "ws", mail_site(port, ca=certs.ca))
    queue_message(store, site, "mail", "今晚发布", "text")
    first = flush(store, site)
    second = flush(store, site)
    (message, error), = first.unknown
    assert isinstance(error, DeliveryUncertain) and message.message_id and message.message_id in error.hint
    assert second.sent == [] and lab.data_seen == 1  # never re-sent by itself
    assert Outbox(store).get(message.id).status == "unknown"
    Outbox(store).requeue(message.id)  # a person searched the mailboxes: it is not there
    assert len(flush(store, site).sent) == 1 and lab.data_seen == 2
    assert lab.received[0].message["Message-ID"] == message.message_id  # the same mail, recognisably
    actions = [row["action"] for row in store.read("SELECT action FROM audit ORDER BY id", [])]
    assert actions.count("mail_unknown") == 1 and actions.count("mail_sent") == 1


def test_an_untrusted_certificate_is_a_configuration_error_and_the_mail_stays_queued(
        tmp_path: Path, certs: Certificates, password: str, server: Server) -> None:
    lab, port = MailLab(), closed_port()
    server.start(lab, port, security="starttls", certs=certs)
    site, store = workspace(tmp_path / "ws", mail_site(port))  # no ca_file: the system's CAs
    queue_message(store, site, "mail", "不应发出", "text")
    result = flush(store, site)
    (message, error), = result.failed
    assert isinstance(error, ChannelConfigError) and "ca_file" in error.hint
    # Said in the reader's language, not OpenSSL's English ("unable to get local issuer certificate").
    chinese, english = error.render("zh"), error.render("en")
    assert "的证书未通过校验：TLS 证书问题：签发证书的 CA 不受本机信任" in chinese, chinese
    assert "issuer" not in chinese and "→ 是内网 CA 吗？请在 ca_file 中写明它的 PEM 文件" in chinese
    assert "was refused: TLS certificate problem: it is signed by a CA this computer does not trust" in english
    assert Outbox(store).get(message.id).status == "queued" and lab.logins == [] and lab.data_seen == 0


@pytest.mark.parametrize(("made", "chinese_reason", "chinese_hint", "english_reason"), [
    ({"expired": True}, "TLS 证书问题：证书已过期（或本机时钟不对）", "请检查本机的日期和时间",
     "TLS certificate problem: it has expired"),
    ({"names": ("mail.example.cn",)}, "TLS 证书问题：证书签发给的名称与该地址不符", "请把 host: 写成证书签发给的名称",
     "TLS certificate problem: it is issued for another name than this address"),
])
def test_a_certificate_expired_or_for_another_name_is_said_in_the_readers_language(
        tmp_path: Path, password: str, server: Server, made: dict[str, object], chinese_reason: str,
        chinese_hint: str, english_reason: str) -> None:
    certs = make_certificates(tmp_path / "certs", **made)  # type: ignore[arg-type]
    lab, port = MailLab(), closed_port()
    server.start(lab, port, security="starttls", certs=certs)
    site, store = workspace(tmp_path / "ws", mail_site(port, ca=certs.ca))  # the CA is trusted: not the problem
    queue_message(store, site, "mail", "不应发出", "text")
    (message, error), = flush(store, site).failed
    assert isinstance(error, ChannelConfigError)
    chinese, english = error.render("zh"), error.render("en")
    assert f"的证书未通过校验：{chinese_reason}" in chinese and chinese_hint in chinese, chinese
    assert "ca_file" not in chinese and english_reason in english, english
    assert Outbox(store).get(message.id).status == "queued" and lab.logins == [] and lab.data_seen == 0


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls_to_a_plain_server_says_it_does_not_speak_tls(tmp_path: Path, password: str,
                                                                   server: Server) -> None:
    lab, port = MailLab(), closed_port()
    server.start(lab, port, security="none")
    site, store = workspace(tmp_path / "ws", mail_site(port, security="ssl"))
    queue_message(store, site, "mail", "不应发出", "text")
    (message, error), = flush(store, site).failed
    assert isinstance(error, ChannelConfigError)
    chinese, english = error.render("zh"), error.render("en")
    assert "的 TLS 连接失败：对方在该端口上不使用 TLS" in chinese and "WRONG_VERSION" not in chinese, chinese
    assert "failed: the other side does not speak TLS on that port" in english, english
    assert Outbox(store).get(message.id).status == "queued" and lab.logins == []


def test_a_handshake_failing_for_a_reason_without_words_says_tls_failed_once_with_openssls_reason(
        tmp_path: Path, password: str, certs: Certificates) -> None:
    """Not "TLS with … failed: TLS failed: …": the sentence says TLS failed, then OpenSSL's reason."""
    with old_tls_server(certs) as port:
        site, store = workspace(tmp_path / "ws", mail_site(port, ca=certs.ca))
        queue_message(store, site, "mail", "不应发出", "text")
        (message, error), = flush(store, site).failed
    assert isinstance(error, ChannelConfigError)
    chinese, english = error.render("zh"), error.render("en")
    assert (f"与邮件服务器 127.0.0.1:{port}（渠道 mail）的 TLS 连接失败：OpenSSL 报告 SSLV3_ALERT_HANDSHAKE_FAILURE"
            in chinese), chinese
    assert chinese.count("TLS") == 1 and "失败" not in chinese.split("失败", 1)[1].split("→")[0], chinese
    assert (f"TLS with the mail server 127.0.0.1:{port} (channel mail) failed: OpenSSL says "
            "SSLV3_ALERT_HANDSHAKE_FAILURE") in english, english
    assert english.count("failed") == 1, english
    assert Outbox(store).get(message.id).status == "queued"


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_without_a_server_the_mail_becomes_a_draft_for_the_mail_client(tmp_path: Path, password: str,
                                                                        server: Server) -> None:
    port = closed_port()  # nothing listens there
    root = write_workspace(tmp_path / "ws", mail_site(port, security="none"))
    offline = run_cli(root, "report", "notice", "--set", "change=考勤模块", "--set", "when=今晚 19:00",
                      "--send", "mail")
    assert offline.returncode == 1 and "report outbox --draft 1" in offline.stderr, offline.stderr
    drafted = run_cli(root, "report", "outbox", "--draft", "1")
    assert drafted.returncode == 0 and "已写成邮件草稿" in drafted.stdout, drafted.stderr
    path, = (root / "outbox" / "drafts").iterdir()
    assert path.name == "00001-【测试项目】发布通知.eml" and stat.S_IMODE(path.stat().st_mode) == 0o600
    draft = message_from_bytes(path.read_bytes(), policy=default_policy)
    assert isinstance(draft, EmailMessage)
    assert draft["X-Unsent"] == "1" and draft["Subject"] == "【测试项目】发布通知"
    assert str(draft["To"]) == "张三 <zhang@example.gov.cn>" and "li@example.gov.cn" in str(draft["Cc"])
    plain = draft.get_body(("plain",))
    assert plain is not None and "考勤模块" in plain.get_content() and draft.get_body(("html",)) is not None
    row, = json.loads(run_cli(root, "report", "outbox", "--all", "--json").stdout)
    assert (row["status"], row["draft"], row["message_id"]) == ("drafted", "outbox/drafts/" + path.name,
                                                               draft["Message-ID"])
    lab = MailLab()
    server.start(lab, port, security="none")
    assert run_cli(root, "report", "outbox", "--send").returncode == 0 and lab.data_seen == 0  # not also sent

    unaddressed = run_cli(root, "report", "daily", "--draft")
    assert unaddressed.returncode == 0, unaddressed.stderr
    report_path, = (p for p in (root / "outbox" / "drafts").iterdir() if p != path)
    report = message_from_bytes(report_path.read_bytes(), policy=default_policy)
    assert isinstance(report, EmailMessage) and report["To"] is None and report["Subject"].startswith("【测试项目】")
    attached, = report.iter_attachments()
    assert str(attached.get_filename()).endswith(".xlsx") and stat.S_IMODE(report_path.stat().st_mode) == 0o600
    requeued = run_cli(root, "report", "outbox", "--requeue", "2")  # nowhere to send it from here
    assert requeued.returncode == 2 and "没有邮件渠道：请用邮件客户端发送" in requeued.stderr  # the site speaks Chinese
    never_anywhere(password, root, offline.stderr, drafted.stdout)


def test_one_announce_step_tells_the_group_and_mails_the_client(tmp_path: Path, certs: Certificates, password: str,
                                                                server: Server,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.integration.test_notify import RobotLab, point_channels, start_robots

    lab, port = MailLab(), closed_port()
    server.start(lab, port, security="starttls", certs=certs)
    robots = RobotLab()
    robot_server = start_robots(robots)
    point_channels(monkeypatch, robots.url)
    step = ("- {id: notice, name: 发布通知, kind: announce, channels: [group, mail], "
            "fields: {change: 考勤模块, when: '今晚 19:00', impact: 期间无法登录}}")
    h = Harness(tmp_path / "ws", playbook_text(step))
    site_text = mail_site(port, ca=certs.ca) + "  group: {kind: wecom, webhook: env:LP_WECOM_HOOK}\n"
    (h.root / "site.yaml").write_text(site_text, encoding="utf-8")
    h.workspace = load_workspace(h.root)
    try:
        first = h.run(ScriptedPrompter())
    finally:
        robot_server.shutdown()
        robot_server.server_close()
    assert first.status == "passed"
    wecom, = robots.texts("wecom")
    assert wecom.startswith("## 测试项目 发布通知")  # Markdown for the robot
    mail, = (r.message for r in lab.received)
    assert mail["Subject"] == "【测试项目】发布通知"
    plain = mail.get_body(("plain",))
    assert plain is not None and plain.get_content().startswith("【测试项目】发布通知\n发布内容：考勤模块")
    evidence = h.store.step_rows(first.run_id)[-1]["evidence"]
    assert set(evidence["channels"]) == {"group", "mail"}


def test_a_mail_larger_than_the_server_takes_fails_before_its_data(tmp_path: Path, certs: Certificates,
                                                                    password: str, server: Server) -> None:
    lab, port = MailLab(), closed_port()
    server.start(lab, port, security="starttls", certs=certs, data_size_limit=4096)
    site, store = workspace(tmp_path / "ws", mail_site(port, ca=certs.ca))
    queue_message(store, site, "mail", "【测试项目】日报\n" + "很长。" * 2000, "text")
    result = flush(store, site)
    (message, error), = result.failed
    assert isinstance(error, ContentRefused) and "at most 4096 bytes" in error.message
    assert Outbox(store).get(message.id).status == "failed" and lab.data_seen == 0


def test_notify_test_reaches_a_robot_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.integration.test_notify import CHANNELS, RobotLab, point_channels, start_robots

    robots = RobotLab()
    robot_server = start_robots(robots)
    point_channels(monkeypatch, robots.url)
    root = write_workspace(tmp_path / "ws", LOCAL_SITE + CHANNELS)
    try:
        tested = run_cli(root, "notify", "test", "group")
    finally:
        robot_server.shutdown()
        robot_server.server_close()
    assert tested.returncode == 0, tested.stderr
    text, = robots.texts("wecom")
    assert text.startswith("【测试项目】launchpad 测试消息") and "渠道 group" in text


def test_a_connection_lost_before_the_data_leaves_the_mail_queued_and_it_goes_once(
        tmp_path: Path, certs: Certificates, password: str, server: Server) -> None:
    lab, port = MailLab(drop_at_recipient=1), closed_port()
    server.start(lab, port, security="starttls", certs=certs)
    site, store = workspace(tmp_path / "ws", mail_site(port, ca=certs.ca))
    queue_message(store, site, "mail", "今晚发布", "text")
    first = flush(store, site)
    message = Outbox(store).messages()[0]
    assert first.unknown == [] and message.status == "queued" and "before the mail was complete" in message.last_error
    second = flush(store, site)
    assert len(second.sent) == 1 and len(lab.received) == 1 and lab.data_seen == 1


def test_a_refused_login_leaves_the_mail_unclaimed(tmp_path: Path, certs: Certificates, server: Server,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LP_SMTP_PASSWORD", "wrong-口令-9f1")
    lab, port = MailLab(), closed_port()
    server.start(lab, port, security="starttls", certs=certs)
    site, store = workspace(tmp_path / "ws", mail_site(port, ca=certs.ca))
    queue_message(store, site, "mail", "不应发出", "text")
    (message, error), = flush(store, site).failed
    assert isinstance(error, ChannelConfigError) and f"refused the login of {SMTP_USER}: 535" in error.message
    assert "wrong-口令-9f1" not in error.render()
    stored = Outbox(store).get(message.id)
    assert (stored.status, stored.attempts) == ("queued", 0) and lab.data_seen == 0  # never claimed


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # TLS from the first byte
def test_implicit_tls_on_its_own_port(tmp_path: Path, certs: Certificates, password: str, server: Server) -> None:
    lab, port = MailLab(), closed_port()
    server.start(lab, port, security="ssl", certs=certs)
    root = write_workspace(tmp_path / "ws", mail_site(port, security="ssl", ca=certs.ca))
    tested = run_cli(root, "notify", "test", "mail")
    assert tested.returncode == 0, tested.stderr
    received, = lab.received
    assert received.message["Subject"] == "【测试项目】launchpad 测试消息" and lab.logins == [(SMTP_USER, "PLAIN")]
