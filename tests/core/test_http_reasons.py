"""Why an HTTP request failed, in the reader's language: httpx's failures against real servers on
loopback are said in words of the word-book (连接被拒绝, 等待应答超时, TLS 证书问题 …), never
httpx's "ConnectError: [Errno 111] Connection refused"; and every module that catches an httpx
error says it so."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest

from launchpad.httperrors import http_reason
from launchpad.phrases import Phrase, phrase, render
from tests.certificates import make_certificates
from tests.loopback import answering_late, closed_port, serving

ROOT = Path(__file__).resolve().parents[2]

# What must never reach a person's sentence: httpx's class names and the C library's English.
ENGLISH = ("Error", "Errno", "Connection refused", "timed out", "Timeout")


class _Odd(BaseHTTPRequestHandler):
    """A server that hangs up without answering (`/close`) and redirects to itself (`/loop`)."""

    def do_GET(self) -> None:
        if self.path == "/close":
            self.close_connection = True
            return
        self.send_response(302)
        self.send_header("Location", self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def _odd_server() -> Iterator[str]:
    with serving(_Odd) as server:
        yield f"127.0.0.1:{server.server_address[1]}"


@contextmanager
def _tls_server(tmp_path: Path) -> Iterator[str]:
    """https on loopback with a certificate signed by an intranet CA this computer was not given."""
    certs = make_certificates(tmp_path / "certs")
    with serving(_Odd) as server:
        server.socket = certs.server_context().wrap_socket(server.socket, server_side=True)
        yield f"https://127.0.0.1:{server.server_address[1]}/close"


def _failure(url: str, **options: Any) -> Exception:
    with pytest.raises(Exception) as failed, httpx.Client(trust_env=False, **options) as client:
        client.get(url)
    assert isinstance(failed.value, httpx.HTTPError | httpx.InvalidURL), failed.value
    return failed.value


def _both(said: object) -> tuple[str, str]:
    assert isinstance(said, Phrase), said
    zh, en = render(said, "zh"), render(said, "en")
    assert not any(english in zh for english in ENGLISH), zh
    return zh, en


def test_a_port_nothing_listens_on_reads_connection_refused() -> None:
    error = _failure(f"http://127.0.0.1:{closed_port()}/")
    assert "Connection refused" in str(error)  # what httpx said, and the reader used to read
    assert _both(http_reason(error)) == ("连接被拒绝：该端口上没有服务在监听",
                                         "connection refused: nothing listens on that port")


def test_a_server_that_answers_too_late_reads_timed_out_waiting_for_the_answer() -> None:
    with answering_late() as url:
        error = _failure(url, timeout=0.3)
    assert isinstance(error, httpx.ReadTimeout)
    assert _both(http_reason(error)) == (
        "等待应答超时：服务器收下了请求，但没有按时应答",
        "timed out waiting for the answer: the server took the request but did not answer in time")


def test_a_server_that_hangs_up_and_one_that_redirects_for_ever() -> None:
    with _odd_server() as where:
        closed = _failure(f"http://{where}/close")
        looping = _failure(f"http://{where}/loop", follow_redirects=True, max_redirects=3)
        not_tls = _failure(f"https://{where}/close")
    assert _both(http_reason(closed)) == ("服务器在应答前关闭了连接",
                                          "the server closed the connection before it answered")
    assert _both(http_reason(looping))[0] == "重定向次数过多（可能是循环重定向）"
    assert _both(http_reason(not_tls))[0] == "对方在该端口上不使用 TLS"


def test_a_certificate_this_computer_does_not_trust_is_a_tls_certificate_problem(tmp_path: Path) -> None:
    with _tls_server(tmp_path) as url:
        error = _failure(url)
    assert "CERTIFICATE_VERIFY_FAILED" in str(error)  # OpenSSL's words, number 1: errno's "permission denied"
    assert _both(http_reason(error)) == ("TLS 证书问题：签发证书的 CA 不受本机信任",
                                         "TLS certificate problem: it is signed by a CA this computer does not trust")


def test_an_address_that_is_not_one_is_said_so() -> None:
    for url in ("http://[::1/x", "ftp://127.0.0.1/x", "http://999.1.1.1/"):
        assert _both(http_reason(_failure(url)))[0] == "不是有效的 http:// 或 https:// 地址", url


def test_a_failure_no_phrase_covers_keeps_httpx_words_unless_they_may_quote_the_url() -> None:
    odd = httpx.ProxyError("proxy at http://user:key@proxy refused")
    assert http_reason(odd) == "ProxyError: proxy at http://user:key@proxy refused"
    assert http_reason(odd, quote=False) == "ProxyError"


def test_the_reason_inside_a_sentence_reads_in_the_sentences_language_and_is_stored_as_a_phrase() -> None:
    error = _failure(f"http://127.0.0.1:{closed_port()}/login")
    said = phrase("http.request_failed", url="http://x/login", error=http_reason(error))
    assert render(said, "zh") == "http://x/login：请求失败：连接被拒绝：该端口上没有服务在监听"
    assert str(said) == "http://x/login: connection refused: nothing listens on that port"
    assert render(Phrase.from_json(said.to_json()), "zh") == render(said, "zh")


def test_every_module_that_catches_an_httpx_error_says_it_with_http_reason() -> None:
    caught = re.compile(r"except .*httpx\.(HTTPError|TimeoutException|TransportError|RequestError|ConnectError)")
    found = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "launchpad").rglob("*.py"))
             if caught.search(text := path.read_text(encoding="utf-8")) and "http_reason(" not in text]
    assert not found, found
