"""More refusals in the site's language: the mail channel and the sending, the users' API source
and operations, the database drivers, the config diff, the go-live file edits, the issue log, the
store and the templates. Each one read in Chinese (what a `language: zh` site prints) and in
English (`--lang en` or LAUNCHPAD_LANG=en)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from launchpad.errors import LaunchpadError
from launchpad.phrases import render


def _both(error: LaunchpadError) -> tuple[str, str]:
    return error.render("zh"), error.render("en")


# -- the mail channel and the sending ------------------------------------------------------------


def _mail_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, port: int) -> object:
    from launchpad.workspace.folder import load_workspace
    from tests.core.test_mail_channel import CHANNEL, SITE
    from tests.workspaces import write_workspace

    monkeypatch.setenv("SMTP_PASSWORD", "口令-123")
    text = SITE + CHANNEL.replace("host: smtp.example.gov.cn", f"host: 127.0.0.1\n    port: {port}")
    return load_workspace(write_workspace(tmp_path / "ws", text))


def _closed_port() -> int:
    with socket.socket() as probe:  # bound and closed: nothing listens there any more
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_mail_server_out_of_reach_is_said_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.notify.deliver import DeliveryFailed
    from launchpad.notify.mail import Mailer

    port = _closed_port()
    workspace = _mail_site(tmp_path, monkeypatch, port)
    site = workspace.site  # type: ignore[attr-defined]
    with pytest.raises(DeliveryFailed) as refused:
        Mailer("mail", site.channels["mail"], site).prepare()
    chinese, english = _both(refused.value)
    assert f"无法连接邮件服务器 127.0.0.1:{port}（渠道 mail）：ConnectionRefusedError" in chinese, chinese
    assert "→ 没有网络？邮件留在发件箱中：可用 `launchpad report outbox --send` 重试" in chinese
    assert f"cannot reach the mail server 127.0.0.1:{port} (channel mail): ConnectionRefusedError" in english
    assert "→ no network? it stays in the outbox: `launchpad report outbox --send` to retry" in english
    assert refused.value.message.startswith("cannot reach the mail server")  # the outbox keeps English


def test_a_mail_the_server_refuses_is_said_in_both_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.notify.mail import Mailer

    workspace = _mail_site(tmp_path, monkeypatch, 2525)
    site = workspace.site  # type: ignore[attr-defined]
    mailer = Mailer("mail", site.channels["mail"], site)
    chinese, english = _both(mailer._refusal(554, "5.7.1 内容含敏感词".encode()))
    assert "邮件服务器 127.0.0.1:2525（渠道 mail）拒收了这封邮件：554 5.7.1 内容含敏感词" in chinese, chinese
    assert "→ 原样不会再发送" in chinese and "refused" not in chinese
    assert "the mail server 127.0.0.1:2525 (channel mail) refused the mail: 554 5.7.1 内容含敏感词" in english
    later_zh, later_en = _both(mailer._refusal(451, b"4.3.0 try later"))
    assert "暂时不接收这封邮件：451 4.3.0 try later" in later_zh and "did not take the mail for now" in later_en


def test_a_message_format_a_channel_does_not_take_is_refused_in_both_languages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.notify.deliver import ChannelConfigError
    from launchpad.notify.send import queue_message
    from launchpad.store.db import Store

    workspace = _mail_site(tmp_path, monkeypatch, 2525)
    store = Store.open(workspace.store_path)  # type: ignore[attr-defined]
    with pytest.raises(ChannelConfigError) as mail:
        queue_message(store, workspace.site, "mail", "x", "html")  # type: ignore[attr-defined]
    assert "邮件只能是 text 或 markdown，不能是“html”" in mail.value.render("zh")
    assert "a mail is text or markdown, not 'html'" in mail.value.render("en")
    with pytest.raises(ChannelConfigError) as robot:
        queue_message(store, workspace.site, "group", "x", "html")  # type: ignore[attr-defined]
    assert "wecom 机器人只接收 text 或 markdown，不能是“html”" in robot.value.render("zh")
    assert "wecom robots take text or markdown, not 'html'" in robot.value.render("en")


def test_a_part_left_waiting_says_its_state_in_the_readers_words() -> None:
    from launchpad.phrases import Phrase, phrase

    said = phrase("send.part_waiting_error", part=2, parts=3, status=Phrase("cli.outbox.state_queued"), error="451")
    assert render(said, "zh") == "第 2/3 部分排队中：451" and str(said) == "part 2 of 3 is queued: 451"
