"""The `http` step against a real HTTP server on loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.core.test_engine import Harness, playbook_text
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
