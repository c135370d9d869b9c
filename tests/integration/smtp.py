"""A real SMTP server on loopback (aiosmtpd) for the mail tests: plain, STARTTLS or implicit
TLS with a certificate signed by a CA the test makes, AUTH with a password, and answers on
demand — a 4xx or 5xx after the data, or the connection dropped before answering it. And a
server set up years ago, whose STARTTLS offers only a cipher today's clients refuse."""

from __future__ import annotations

import contextlib
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.certificates import Certificates

SMTP_USER, SMTP_PASSWORD = "notice@example.gov.cn", "Smtp-s3cret-口令"


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.data, policy=default_policy)
        assert isinstance(parsed, EmailMessage)
        return parsed

    @property
    def text(self) -> str:
        part = self.message.get_body(("plain",))
        assert part is not None
        return str(part.get_content())


@dataclass
class MailLab:
    """What the server received, and how it answers the next messages' data."""

    received: list[Received] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # "drop", or an SMTP reply like "554 5.7.1 …"
    data_seen: int = 0  # messages whose data arrived whole, whatever the answer
    logins: list[tuple[str, str]] = field(default_factory=list)
    drop_at_recipient: int = 0  # the next N transactions lose the connection at RCPT TO
    recipient_answer: str = ""  # an SMTP reply every RCPT TO gets instead of 250, like "550 5.1.1 …"
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        with self.lock:
            drop = self.drop_at_recipient > 0
            self.drop_at_recipient -= 1 if drop else 0
        if drop:
            server.transport.abort()
            return "250 OK never heard"
        if self.recipient_answer:
            return self.recipient_answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.data_seen += 1
            answer = self.answers.pop(0) if self.answers else "250 2.0.0 OK queued"
        if answer == "drop":
            server.transport.abort()  # the data is in; the answer never leaves
            return "250 2.0.0 never heard"
        if answer.startswith("250"):
            with self.lock:
                self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return answer

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        with self.lock:
            self.logins.append((user, mechanism))
        return AuthResult(success=(user, password) == (SMTP_USER, SMTP_PASSWORD), handled=False)


def start_smtp(lab: MailLab, port: int, *, security: str = "starttls", certs: Certificates | None = None,
               auth: bool = True, data_size_limit: int | None = None) -> Controller:
    """A server on 127.0.0.1:`port`: `starttls` (STARTTLS required before AUTH), `ssl`
    (TLS from the first byte) or `none` (plain, AUTH allowed in clear: loopback only)."""
    # aiosmtpd counts only STARTTLS as TLS: with `ssl` the whole connection is TLS already.
    options: dict[str, Any] = {"authenticator": lab.authenticate if auth else None, "auth_required": auth,
                               "auth_require_tls": security == "starttls"}
    if data_size_limit is not None:
        options["data_size_limit"] = data_size_limit  # advertised as SIZE
    if security == "starttls":
        assert certs is not None
        options.update(tls_context=certs.server_context(), require_starttls=True)
    controller = Controller(lab, hostname="127.0.0.1", port=port,
                            ssl_context=certs.server_context() if security == "ssl" and certs else None,
                            server_hostname="mail.test", **options)
    controller.start()
    return controller


@contextlib.contextmanager
def old_tls_server(certs: Certificates) -> Iterator[int]:
    """The port of a server that greets, offers STARTTLS and then shakes hands with TLS 1.2 and a
    SHA-1 cipher only. Python's blocking TLS answers a handshake it cannot complete with an
    alert, as a real server does; aiosmtpd's (asyncio's) only closes the connection."""
    context = certs.server_context(old_ciphers=True)

    class OldServer(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.wfile.write(b"220 old.example ESMTP\r\n")
            while line := self.rfile.readline():
                if line.upper().startswith(b"STARTTLS"):
                    self.wfile.write(b"220 2.0.0 ready to start TLS\r\n")
                    with contextlib.suppress(OSError):  # no shared cipher: the alert is sent, the client gone
                        context.wrap_socket(self.request, server_side=True)
                    return
                self.wfile.write(b"250-old.example\r\n250 STARTTLS\r\n" if line.upper().startswith(b"EHLO")
                                 else b"250 OK\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), OldServer)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
