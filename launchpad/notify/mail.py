"""E-mail: a notice or report as a mail (a plain-text part and an HTML part rendered from the
same text, the notice's files attached), sent through SMTP from the outbox.

The outbox's rules hold for mail as for robots, and SMTP lets them be kept exactly:
`Mailer.prepare()` does everything before the SMTP transaction — resolve the password, connect,
STARTTLS or TLS, log in — so a message is claimed only when its transaction starts (MAIL FROM).
How a transaction ends says what the server has:
- anything before the end of the data (the final dot) fails → the server has nothing: a 4xx,
  a dropped connection, a refused sender or every recipient refused → DeliveryFailed (or
  ChannelConfigError), the message stays queued;
- the data went out and the connection was lost before the server's answer → DeliveryUncertain:
  the server may have taken it, so it is `unknown`, sent again only when a person says so;
- 250 → sent; 4xx → queued for a retry; 5xx → ContentRefused (`failed`, with the server's reason).

The password is resolved at send time and is never in an error, the store, the mail or a draft.
smtplib is imported on first use.
"""

from __future__ import annotations

import contextlib
import html
import re
import ssl
from collections.abc import Sequence
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launchpad.errors import LaunchpadError
from launchpad.notify.deliver import ChannelConfigError, ContentRefused, DeliveryFailed, DeliveryUncertain
from launchpad.notify.outbox import Attachment, OutboxMessage
from launchpad.oserrors import CERTIFICATE_REASONS, openssl_detail, os_reason, tls_known_reason
from launchpad.phrases import Phrase, Said, parts, phrase, word
from launchpad.workspace.secrets import resolve_secret
from launchpad.workspace.site import MailChannel, Site

if TYPE_CHECKING:
    import smtplib

TIMEOUT = 30.0
FORMATS = ("text", "markdown")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SUBJECT_MAX = 120
# WeCom's Markdown colours text with <font color="…">: a tag of the template, not of the mail.
_FONT_TAG = re.compile(r"</?font(?:\s[^>]*)?>")
_HEADING_MARKS = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+]\s+)")
_HTML_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body style="font-family: sans-serif; font-size: 14px; line-height: 1.6">
{body}
</body></html>
"""


def plain_text(body: str, fmt: str) -> str:
    return _FONT_TAG.sub("", body) if fmt == "markdown" else body


def subject_of(body: str, fmt: str, fallback: str) -> str:
    """A notice's first line is its heading (【系统】发布通知, the daily report's title): the
    subject, without Markdown's marks."""
    for line in plain_text(body, fmt).splitlines():
        line = line.strip()
        if fmt == "markdown":
            line = _HEADING_MARKS.sub("", line).replace("**", "").replace("\\", "")
        if line:
            return line if len(line) <= _SUBJECT_MAX else line[:_SUBJECT_MAX - 1] + "…"
    return fallback


def html_of(body: str, fmt: str, subject: str, lang: str) -> str:
    """The HTML part, from the same text: everything in it is escaped (text from people stays
    text); Markdown's own marks become headings, lists and bold, raw HTML is not let through."""
    if fmt == "markdown":
        from markdown_it import MarkdownIt

        inner = MarkdownIt("commonmark", {"html": False}).render(plain_text(body, fmt))
    else:
        inner = f'<div style="white-space: pre-wrap">{html.escape(body)}</div>'
    return _HTML_PAGE.format(lang=word("language.tag", lang), title=html.escape(subject), body=inner)


def compose(*, body: str, fmt: str, title: str, lang: str, message_id: str, when: datetime,
            sender: Address | None = None, to: Sequence[Address] = (), cc: Sequence[Address] = (),
            attachments: Sequence[Attachment] = (), draft: bool = False) -> EmailMessage:
    """The mail: UTF-8 throughout (headers RFC 2047, parts base64, file names RFC 2231)."""
    subject = subject_of(body, fmt, title)
    mail = EmailMessage()
    mail["Subject"] = subject
    if sender is not None:
        mail["From"] = sender
    if to:
        mail["To"] = tuple(to)
    if cc:
        mail["Cc"] = tuple(cc)
    mail["Date"] = format_datetime(when)
    mail["Message-ID"] = message_id
    mail["Content-Language"] = word("language.tag", lang)
    if draft:
        mail["X-Unsent"] = "1"  # Outlook opens it as a draft to send, not as a received mail
    mail.set_content(plain_text(body, fmt), charset="utf-8", cte="base64")
    mail.add_alternative(html_of(body, fmt, subject, lang), subtype="html", charset="utf-8", cte="base64")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        mail.add_attachment(attachment.data, maintype=maintype, subtype=subtype or "octet-stream",
                            filename=attachment.name)
    return mail


def as_bytes(mail: EmailMessage) -> bytes:
    return mail.as_bytes(policy=SMTP_POLICY)


def addresses(site: Site, channel: MailChannel) -> tuple[Address, list[Address], list[Address]]:
    """From, To and Cc of a mail channel, contacts by their names."""
    to, cc = site.mail_recipients(channel)

    def address(name: str, spec: str) -> Address:
        return Address(display_name=name, addr_spec=spec)

    return (address(channel.from_name, channel.sender), [address(*pair) for pair in to],
            [address(*pair) for pair in cc])


def _dot_stuffed(data: bytes) -> bytes:
    """The DATA payload: a line starting with a dot gets another, and the final dot ends it."""
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


class Mailer:
    """One mail channel's SMTP connection, kept open across the messages of one flush."""

    def __init__(self, name: str, channel: MailChannel, site: Site, *, timeout: float = TIMEOUT) -> None:
        self.name, self.channel, self.site, self.timeout = name, channel, site, timeout
        self._smtp: smtplib.SMTP | None = None

    @property
    def _where(self) -> Phrase:
        return phrase("mail.where", host=self.channel.host, port=str(self.channel.smtp_port), channel=self.name)

    def _context(self) -> ssl.SSLContext:
        try:
            return ssl.create_default_context(
                cafile=str(Path(self.channel.ca_file).expanduser()) if self.channel.ca_file else None)
        except (OSError, ssl.SSLError) as exc:
            raise ChannelConfigError(phrase("mail.no_ca_file", channel=self.name, error=os_reason(exc)),
                                     hint=phrase("mail.no_ca_file_hint", channel=self.name)) from None

    def prepare(self) -> None:
        """Connect, secure and log in: everything before a message's transaction. Raises
        ChannelConfigError (settings to fix), SecretUnavailable or DeliveryFailed (try later);
        nothing has been sent either way."""
        if self._smtp is not None:
            return
        import smtplib

        password = (resolve_secret(self.channel.password, label=phrase("secret.channel_password", channel=self.name))
                    if self.channel.password else None)
        context = self._context() if self.channel.security != "none" else None
        host, port = self.channel.host, self.channel.smtp_port
        smtp: smtplib.SMTP | None = None
        try:
            if self.channel.security == "ssl":
                smtp = smtplib.SMTP_SSL(host, port, timeout=self.timeout, context=context)
            else:
                smtp = smtplib.SMTP(host, port, timeout=self.timeout)
            smtp.ehlo()
            if self.channel.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise ChannelConfigError(phrase("mail.no_starttls", where=self._where),
                                             hint=phrase("mail.no_starttls_hint"))
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.channel.user is not None and password is not None:
                _login(smtp, self.channel.user, password)
        except LaunchpadError:
            _quietly_close(smtp)
            raise
        except smtplib.SMTPAuthenticationError as exc:
            _quietly_close(smtp)
            raise ChannelConfigError(phrase("mail.login_refused", where=self._where, user=self.channel.user,
                                            reply=_reply(exc)),
                                     hint=phrase("mail.login_refused_hint", password=self.channel.password)) from None
        except smtplib.SMTPNotSupportedError:
            _quietly_close(smtp)
            raise ChannelConfigError(phrase("mail.no_auth", where=self._where),
                                     hint=phrase("mail.no_auth_hint")) from None
        except ssl.SSLCertVerificationError as exc:
            _quietly_close(smtp)
            raise ChannelConfigError(phrase("mail.untrusted", where=self._where, error=os_reason(exc)),
                                     hint=phrase(_certificate_hint(exc))) from None
        except ssl.SSLError as exc:
            _quietly_close(smtp)
            raise ChannelConfigError(_tls_failed(self._where, exc), hint=phrase("mail.tls_failed_hint")) from None
        except smtplib.SMTPResponseException as exc:
            _quietly_close(smtp)
            if 400 <= exc.smtp_code < 500:
                raise DeliveryFailed(phrase("mail.busy", where=self._where, reply=_reply(exc)), hint=_LATER) from None
            raise ChannelConfigError(phrase("mail.connection_refused", where=self._where, reply=_reply(exc)),
                                     hint=phrase("mail.check_channel", channel=self.name)) from None
        except (OSError, smtplib.SMTPException) as exc:
            _quietly_close(smtp)
            raise DeliveryFailed(phrase("mail.unreachable", where=self._where, error=os_reason(exc)),
                                 hint=phrase("mail.unreachable_hint", later=_LATER)) from None
        self._smtp = smtp

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            import smtplib

            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):  # the mail went or did not: a failed goodbye changes neither
                _quietly_close(smtp)

    def deliver(self, message: OutboxMessage, attachments: Sequence[Attachment]) -> Said:
        """Send one claimed message; returns a note (recipients the server refused) or ""."""
        import smtplib

        self.prepare()
        assert self._smtp is not None
        smtp = self._smtp
        sender, to, cc = addresses(self.site, self.channel)
        mail = compose(body=message.body, fmt=message.format, title=message.title, lang=self.site.site.language,
                       message_id=message.message_id or f"<{message.batch}.{message.part}@{self.channel.domain}>",
                       when=self.site.now(), sender=sender, to=to, cc=cc, attachments=attachments)
        data = as_bytes(mail)
        limit = int(smtp.esmtp_features.get("size", "0") or 0) if smtp.has_extn("size") else 0
        if limit and len(data) > limit:
            raise ContentRefused(phrase("mail.too_big", where=self._where, limit=limit, size=len(data)),
                                 hint=phrase("mail.too_big_hint"))
        try:
            self._command(smtp.mail, sender.addr_spec, phrase("mail.the_sender", address=sender.addr_spec))
            refused: dict[str, str] = {}
            for address in [*to, *cc]:
                code, reply = smtp.rcpt(address.addr_spec)
                if code not in (250, 251):
                    refused[address.addr_spec] = f"{code} {_text(reply)}"
            if len(refused) == len(to) + len(cc):
                self._reset()
                said = parts([f"{who}: {why}" for who, why in refused.items()])
                if all(why.startswith("4") for why in refused.values()):
                    raise DeliveryFailed(phrase("mail.recipients_later", where=self._where, said=said), hint=_LATER)
                raise ChannelConfigError(phrase("mail.recipients_refused", where=self._where, said=said),
                                         hint=phrase("mail.recipients_refused_hint", channel=self.name))
            smtp.putcmd("data")
            code, reply = smtp.getreply()
            if code != 354:
                self._reset()
                raise self._refusal(code, reply)
            smtp.send(_dot_stuffed(data))
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            # The final dot never left: a server keeps nothing of an unfinished message.
            self._lost()
            raise DeliveryFailed(phrase("mail.dropped", where=self._where, error=type(exc).__name__),
                                 hint=_LATER) from None
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self._lost()
            raise DeliveryUncertain(phrase("mail.no_answer", where=self._where, error=type(exc).__name__),
                                    hint=phrase("mail.no_answer_hint", id=message.id,
                                                what=message.message_id or phrase("mail.the_subject"))) from None
        if code != 250:
            raise self._refusal(code, reply)
        return parts([phrase("mail.not_taken", who=who, why=why) for who, why in refused.items()]) if refused else ""

    def _command(self, command: Any, argument: str, what: Phrase) -> None:
        code, reply = command(argument)
        if code == 250:
            return
        self._reset()
        if 400 <= code < 500:
            raise DeliveryFailed(phrase("mail.command_later", where=self._where, what=what,
                                        reply=f"{code} {_text(reply)}"), hint=_LATER)
        raise ChannelConfigError(phrase("mail.command_refused", where=self._where, what=what,
                                        reply=f"{code} {_text(reply)}"),
                                 hint=phrase("mail.command_refused_hint", channel=self.name))

    def _refusal(self, code: int, reply: bytes) -> DeliveryFailed:
        if 400 <= code < 500:
            return DeliveryFailed(phrase("mail.later_refused", where=self._where, reply=f"{code} {_text(reply)}"),
                                  hint=_LATER)
        return ContentRefused(phrase("mail.refused", where=self._where, reply=f"{code} {_text(reply)}"),
                              hint=phrase("mail.refused_hint"))

    def _reset(self) -> None:
        import smtplib

        try:
            assert self._smtp is not None
            self._smtp.rset()
        except (smtplib.SMTPException, OSError):  # a server that cannot reset is reconnected next time
            self._lost()

    def _lost(self) -> None:
        smtp, self._smtp = self._smtp, None
        _quietly_close(smtp)


_LATER = phrase("mail.later")


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; a password in Chinese too. smtplib encodes credentials as ASCII (and its error
    would quote the password), so others go as UTF-8 (RFC 4616) by PLAIN, else LOGIN."""
    import base64
    import smtplib

    if (user + password).isascii():
        smtp.login(user, password)
        return

    def encoded(value: str) -> str:
        return base64.b64encode(value.encode("utf-8")).decode("ascii")

    methods = (smtp.esmtp_features.get("auth") or "").upper().split()
    if "PLAIN" in methods:
        code, reply = smtp.docmd("AUTH", "PLAIN " + encoded(f"\0{user}\0{password}"))
    elif "LOGIN" in methods:
        code, reply = smtp.docmd("AUTH", "LOGIN " + encoded(user))
        if code == 334:
            code, reply = smtp.docmd(encoded(password))
    else:
        raise smtplib.SMTPNotSupportedError("no AUTH method that takes UTF-8")
    if code not in (235, 503):  # 503: already logged in
        raise smtplib.SMTPAuthenticationError(code, reply)


def _reply(exc: Any) -> str:
    return f"{exc.smtp_code} {_text(exc.smtp_error)}"


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


# What to do about a refused certificate, by what was wrong with it: a CA this computer was not
# given is the usual case on an intranet, and ca_file is its answer; a date or a name is not.
_CERTIFICATE_HINTS = {"os.tls_expired": "mail.clock_hint", "os.tls_not_yet_valid": "mail.clock_hint",
                      "os.tls_wrong_name": "mail.wrong_name_hint"}


def _certificate_hint(exc: ssl.SSLCertVerificationError) -> str:
    said = CERTIFICATE_REASONS.get(exc.verify_code or 0, "")
    return _CERTIFICATE_HINTS.get(said, "mail.untrusted_hint")


def _tls_failed(where: Phrase, exc: ssl.SSLError) -> Phrase:
    """A failed handshake, saying once that TLS failed: then why in the word-book's words, or
    OpenSSL's own reason when the word-book has none for it (an old server's ciphers, say)."""
    known = tls_known_reason(exc)
    if known is not None:
        return phrase("mail.tls_failed", where=where, error=known)
    detail = openssl_detail(exc)
    return phrase("mail.tls_failed_openssl", where=where, detail=detail) if detail else phrase(
        "mail.tls_failed_unsaid", where=where)


def _quietly_close(smtp: Any) -> None:
    if smtp is not None:
        with contextlib.suppress(OSError):
            smtp.close()
