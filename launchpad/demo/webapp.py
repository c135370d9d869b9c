"""The demo's stand-in for the client's system: a tiny web app on 127.0.0.1, one port per
environment, with a Chinese login page that shows today's on-site duty contact and signs people
in against the environment's sys_user (`signin.py`), a /health endpoint; and the stand-in for
the chat group's robot (`robot.py`).

It exists so that the bundled playbooks (the login-page check above all) have something real
to check on a newcomer's machine. It uses the standard library (and bcrypt to sign in) and runs as its own
process (`python -m launchpad.demo.webapp CONFIG`), started and stopped by
`launchpad.demo.launcher`. The config is re-read on every page, so a rebuilt demo (new duty
roster) shows at once without a restart.
"""

from __future__ import annotations

import html
import json
import os
import signal
import sys
import threading
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from launchpad.demo import robot
from launchpad.demo.release import running_version

NOBODY = {"name": "（未排班）", "phone": ""}
MAX_FORM = 4096
LOGIN_TEMPLATE = Path(__file__).with_name("login.html")


def read_config(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def duty_today(config: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """(primary, backup) for today in the site's time zone, as the engine computes it."""
    today = datetime.now(ZoneInfo(config["site"]["timezone"])).weekday()
    entry = config.get("duty", {}).get(str(today)) or {}
    return entry.get("primary") or NOBODY, entry.get("backup") or NOBODY


def login_page(config: dict[str, Any], env_name: str, message: str = "", ok: bool = False,
               version: str = "1.0.0") -> str:
    environment = config["environments"][env_name]
    primary, backup = duty_today(config)
    now = datetime.now(ZoneInfo(config["site"]["timezone"]))
    values = {
        "site_name": config["site"]["name"],
        "client": config["site"]["client"],
        "env_label": environment["label"],
        "badge_color": "#c0392b" if environment.get("production") else "#2e8b57",
        "primary_name": primary["name"],
        "primary_phone": primary["phone"],
        "backup_name": backup["name"],
        "backup_phone": backup["phone"],
        "today": f"{now:%Y-%m-%d}",
        "version": version,
        "message": message,
        "message_class": "ok" if ok else "refused",
    }
    template = Template(LOGIN_TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute({key: html.escape(str(value)) for key, value in values.items()})


class DemoServer(ThreadingHTTPServer):
    """One environment's site; the handler asks it which environment it serves."""

    daemon_threads = True  # a slow client must not keep the process alive at shutdown

    def __init__(self, port: int, env_name: str, config_path: Path, instance: str) -> None:
        self.env_name, self.config_path, self.instance = env_name, config_path, instance
        # The config sits in the workspace's .launchpad/; the deployed app in its deploy/.
        self.workspace_root = config_path.parent.parent
        super().__init__(("127.0.0.1", port), DemoHandler)


class DemoHandler(BaseHTTPRequestHandler):
    server: DemoServer
    server_version = "launchpad-demo"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_POST(self) -> None:
        if urlsplit(self.path).path == "/login":
            self._sign_in()
            return
        if urlsplit(self.path).path != "/robot/send":
            self._send(HTTPStatus.NOT_FOUND, b"", "text/plain", True)
            return
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= robot.MAX_BODY:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"", "text/plain", True)
            return
        answer = robot.receive(self.server.config_path.parent, self.rfile.read(length))
        print(f"demo robot received a message ({length} bytes)", file=sys.stderr)
        self._send(HTTPStatus.OK, json.dumps(answer).encode(), "application/json", True)

    def _sign_in(self) -> None:
        from urllib.parse import parse_qs

        from launchpad.demo.signin import sign_in

        length = int(self.headers.get("Content-Length") or 0)
        if not 0 <= length <= MAX_FORM:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, b"", "text/plain", True)
            return
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        config = read_config(self.server.config_path)
        database = self.server.config_path.parent.parent / config["environments"][self.server.env_name]["database"]
        answer = sign_in(database, form.get("account", [""])[0], form.get("password", [""])[0])
        version, _ = running_version(self.server.workspace_root, self.server.env_name)
        page = login_page(config, self.server.env_name, answer.message, answer.ok, version=version)
        self._send(HTTPStatus.OK, page.encode(), "text/html; charset=utf-8", True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        path = urlsplit(self.path).path
        if path in ("", "/"):
            self._send(HTTPStatus.FOUND, b"", "text/plain", send_body, {"Location": "/login"})
        elif path == "/login":
            version, _ = running_version(self.server.workspace_root, self.server.env_name)
            page = login_page(read_config(self.server.config_path), self.server.env_name, version=version)
            self._send(HTTPStatus.OK, page.encode(), "text/html; charset=utf-8", send_body)
        elif path in ("/app/health", "/app/group-interface"):
            self._app_status(path, send_body)
        elif path == "/robot":
            page = robot.robot_page(self.server.config_path.parent)
            self._send(HTTPStatus.OK, page.encode(), "text/html; charset=utf-8", send_body)
        elif path == "/health":
            # The instance token and pid let the launcher tell its own server from a stranger.
            body = {"status": "ok", "environment": self.server.env_name,
                    "instance": self.server.instance, "pid": os.getpid()}
            self._send(HTTPStatus.OK, json.dumps(body).encode(), "application/json", send_body)
        else:
            self._send(HTTPStatus.NOT_FOUND, "页面不存在".encode(), "text/plain; charset=utf-8",
                       send_body)

    def _app_status(self, path: str, send_body: bool) -> None:
        """The deployed app's own health and its call to the group's interface: down while
        the broken demo build runs (launchpad.demo.release), whatever /health says of the server."""
        version, broken = running_version(self.server.workspace_root, self.server.env_name)
        body: dict[str, object]
        if path == "/app/health":
            status, body = ((HTTPStatus.SERVICE_UNAVAILABLE, {"status": "DOWN", "version": version}) if broken
                            else (HTTPStatus.OK, {"status": "UP", "version": version}))
        else:
            status, body = ((HTTPStatus.BAD_GATEWAY, {"code": 502, "msg": "集团接口调用失败"}) if broken
                            else (HTTPStatus.OK, {"code": 200, "msg": "集团接口正常"}))
        data = json.dumps(body, ensure_ascii=False).encode()
        self._send(status, data, "application/json; charset=utf-8", send_body)

    def _send(
        self, status: HTTPStatus, body: bytes, content_type: str, send_body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def serve(config_path: Path) -> int:
    config = read_config(config_path)
    servers: list[DemoServer] = []
    try:
        for env_name, environment in config["environments"].items():
            servers.append(DemoServer(environment["port"], env_name, config_path, config["instance"]))
    except OSError as exc:
        print(f"demo web app: cannot listen on 127.0.0.1: {exc}", file=sys.stderr)
        for server in servers:
            server.server_close()
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    signal.signal(signal.SIGINT, lambda _signum, _frame: stop.set())
    # A short poll interval makes a stop take a tenth of a second rather than half a second.
    threads = [
        threading.Thread(target=s.serve_forever, args=(0.1,), name=f"demo-{s.env_name}")
        for s in servers
    ]
    for thread in threads:
        thread.start()
    ports = ", ".join(f"{s.env_name}={s.server_address[1]}" for s in servers)
    print(f"demo web app (pid {os.getpid()}) listening on 127.0.0.1: {ports}", file=sys.stderr)
    stop.wait()
    for server in servers:
        server.shutdown()
        server.server_close()
    print(f"demo web app (pid {os.getpid()}) stopped", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m launchpad.demo.webapp CONFIG.json", file=sys.stderr)
        return 2
    return serve(Path(args[0]))


if __name__ == "__main__":
    sys.exit(main())
