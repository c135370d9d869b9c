"""The `http` step against a real HTTP server on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from launchpad.deploy.probe import Probe, ask_http
from launchpad.phrases import loads, render
from tests.core.test_engine import Harness, playbook_text
from tests.loopback import answering_late, closed_port
from tests.scripted import ScriptedPrompter


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = {"/login": (200, "现场联系人 张三 13800000001"), "/broken": (500, "oops")}.get(
            self.path, (404, "not found")
        )
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def run_http(tmp_path: Path, step: str) -> tuple[str, list[dict[str, object]]]:
    h = Harness(tmp_path / "ws", playbook_text(step))
    result = h.run(ScriptedPrompter())
    return result.status, h.store.host_rows(result.run_id)


def test_page_answers_with_the_contact(tmp_path: Path, server: str) -> None:
    status, rows = run_http(
        tmp_path,
        f"- {{id: l, name: 登录页, kind: http, url: '{server}/login',"
        " contains: ['{{ duty.primary.name }}', '{{ duty.primary.phone }}']}",
    )
    assert status == "passed"
    assert rows[0]["exit_code"] == 200


def test_wrong_status_and_missing_text_fail(tmp_path: Path, server: str) -> None:
    status, rows = run_http(tmp_path, f"- {{id: b, name: b, kind: http, url: '{server}/broken', contains: [李四]}}")
    assert status == "failed"
    assert "status 500, expected 200" in str(rows[0]["message"])
    assert "does not contain '李四'" in str(rows[0]["message"])


def test_unreachable_url_fails_with_the_address(tmp_path: Path) -> None:
    status, rows = run_http(tmp_path, "- {id: u, name: u, kind: http, url: 'http://127.0.0.1:9/x', timeout: 3}")
    assert status == "failed"
    assert "127.0.0.1:9" in str(rows[0]["message"])


def _said(row: dict[str, object], lang: str) -> str:
    stored = row["message_phrase"]
    return render(loads(str(row["message"]), stored if isinstance(stored, str) else None), lang)


def test_a_port_nothing_listens_on_reads_connection_refused_not_httpx_english(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/login"
    status, rows = run_http(tmp_path, f"- {{id: u, name: u, kind: http, url: '{url}'}}")
    assert status == "failed"
    assert _said(rows[0], "zh") == f"{url}：请求失败：连接被拒绝：该端口上没有服务在监听"
    assert _said(rows[0], "en") == f"{url}: connection refused: nothing listens on that port"


def test_a_page_that_answers_too_late_reads_timed_out_waiting_for_the_answer(tmp_path: Path) -> None:
    with answering_late() as url:
        status, rows = run_http(tmp_path, f"- {{id: u, name: u, kind: http, url: '{url}/login', timeout: 0.3}}")
    assert status == "failed"
    assert _said(rows[0], "zh") == f"{url}/login：请求失败：等待应答超时：服务器收下了请求，但没有按时应答"
    assert "ReadTimeout" not in _said(rows[0], "en")


def test_an_address_that_renders_to_no_url_fails_the_step_and_says_so(tmp_path: Path) -> None:
    status, rows = run_http(tmp_path, "- {id: u, name: u, kind: http, url: 'http://[::1/login'}")
    assert status == "failed"  # httpx's InvalidURL is not an HTTPError: it used to escape the step
    assert _said(rows[0], "zh") == "http://[::1/login：请求失败：不是有效的 http:// 或 https:// 地址"


def test_a_deploy_probe_says_why_its_page_did_not_answer_in_the_readers_language() -> None:
    refused = ask_http(Probe(url=f"http://127.0.0.1:{closed_port()}/health"), {}, timeout=5)
    assert not refused.ok and render(refused.said, "zh").endswith("：请求失败：连接被拒绝：该端口上没有服务在监听")
    with answering_late() as url:
        late = ask_http(Probe(url=f"{url}/health"), {}, timeout=0.3)
    assert not late.ok
    assert render(late.said, "zh").endswith("：请求失败：等待应答超时：服务器收下了请求，但没有按时应答")
    assert render(late.said, "en").endswith(": timed out waiting for the answer: the server took the request but "
                                            "did not answer in time")
