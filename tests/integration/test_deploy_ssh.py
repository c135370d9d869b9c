"""Deploying over real OpenSSH servers (app1..app3, one folder of their own each): the upload
step (sent, skipped when already there, a checksum mismatch leaving nothing behind), a rolling
version switch with a health check between batches that stops mid-rollout and the rollback that
returns every host to the old version, and `wait` against a loopback web app whose version
changes with the deploy."""

from __future__ import annotations

import hashlib
import http.server
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from launchpad.deploy.upload import ChecksumMismatch, artifact_at, deliver
from launchpad.hosts.connect import HostConnections
from launchpad.run.engine import Engine, RunResult
from launchpad.run.playbook import load_playbook
from launchpad.run.prompter import FailureChoice
from launchpad.store.audit import iter_audit
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.integration.conftest import TEST_TIMEOUTS
from tests.integration.sshd import SshdHost, SshLab
from tests.scripted import ScriptedPrompter

pytestmark = pytest.mark.integration


def site_yaml(hosts: list[SshdHost], login_url: str) -> str:
    listed = "\n".join(f"      - {{name: {h.name}, address: {h.address}, port: {h.port}, groups: [app]}}"
                       for h in hosts)
    return textwrap.dedent(f"""\
        site: {{name: 集成测试, client: 测试客户}}
        contacts: [{{id: zhang, name: 张三, phone: '13800000001'}}]
        duty: [{{weekdays: daily, primary: zhang, backup: zhang}}]
        environments:
          test:
            urls: {{login: '{login_url}'}}
            hosts:
        """) + listed + "\n"


@pytest.fixture
def workspace(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost]) -> Path:
    sshd_lab.write_user_ssh_config()
    root = tmp_path / "ws"
    (root / "playbooks").mkdir(parents=True)
    (root / ".launchpad").mkdir()
    (root / ".launchpad" / "known_hosts").write_text("".join(h.known_hosts_line() for h in ssh_hosts))
    (root / "site.yaml").write_text(site_yaml(ssh_hosts, "http://127.0.0.1:9/login"), encoding="utf-8")
    (root / "artifacts").mkdir()
    (root / "artifacts" / "portal-2.0.tar.gz").write_bytes(b"portal 2.0\n" + bytes(range(256)) * 4096)
    return root


def run(root: Path, playbook: str, prompter: ScriptedPrompter | None = None, **given: str) -> RunResult:
    path = root / "playbooks" / "p.yaml"
    path.write_text(textwrap.dedent(playbook), encoding="utf-8")
    ws = load_workspace(root)
    with Store.open(ws.store_path) as store, HostConnections(ws, "test", timeouts=TEST_TIMEOUTS) as connections:
        engine = Engine(ws, store, prompter or ScriptedPrompter(), connections.transport_for)
        return engine.start(load_playbook(path), "test", given)


def hosts_of(root: Path, run_id: int, step_id: str) -> dict[str, dict[str, Any]]:
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        rows = store.host_rows(run_id, step_id)
    return {r["host"]: r for r in rows}


def audit_actions(root: Path) -> list[tuple[str, str]]:
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        return [(e.action, e.target) for e in iter_audit(store)]


UPLOAD = """\
    name: deploy
    title: 上传
    vars:
      dest: {{default: "{}"}}
    phases:
      - id: ship
        name: 上传
        steps:
          - id: up
            name: 上传安装包
            kind: upload
            hosts: app
            artifact: artifacts/portal-2.0.tar.gz
            to: "{{{{ vars.dest }}}}/{{{{ host.name }}}}/releases/portal-2.0.tar.gz"
"""


def test_upload_sends_to_every_host_then_skips_hosts_that_hold_it(workspace: Path, tmp_path: Path) -> None:
    dest = tmp_path / "hosts"
    artifact = workspace / "artifacts" / "portal-2.0.tar.gz"
    digest = hashlib.sha256(artifact.read_bytes()).hexdigest()
    first = run(workspace, UPLOAD.format(dest))
    assert first.status == "passed"
    for name in ("app1", "app2", "app3"):
        copy = dest / name / "releases" / "portal-2.0.tar.gz"
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == digest
        assert copy.stat().st_mode & 0o777 == 0o644
        # No partial file left; the verified sum recorded beside the copy, for the next skip.
        assert sorted(p.name for p in copy.parent.iterdir()) == [".portal-2.0.tar.gz.launchpad-sha256",
                                                                  "portal-2.0.tar.gz"]
    assert all("sha256 checked" in r["message"] for r in hosts_of(workspace, first.run_id, "up").values())

    # app2 was deployed by hand with another build of the same size: its recorded sum no longer
    # describes the file, so it is hashed again, and only it is sent again.
    by_hand = dest / "app2" / "releases" / "portal-2.0.tar.gz"
    by_hand.write_bytes(b"x" * by_hand.stat().st_size)
    # app3 lost its recorded sum: its file is hashed on the host and found right.
    (dest / "app3" / "releases" / ".portal-2.0.tar.gz.launchpad-sha256").unlink()
    second = run(workspace, UPLOAD.format(dest))
    assert second.status == "passed"
    rows = hosts_of(workspace, second.run_id, "up")
    assert "already there" in rows["app1"]["message"] and "already there" in rows["app3"]["message"]
    assert "sha256 checked" in rows["app2"]["message"]
    assert hashlib.sha256((dest / "app2" / "releases" / "portal-2.0.tar.gz").read_bytes()).hexdigest() == digest
    actions = audit_actions(workspace)
    assert actions.count(("upload_sent", "app1")) == 1 and actions.count(("upload_already_there", "app1")) == 1
    assert actions.count(("upload_sent", "app2")) == 2
    # Every command sent is in the audit log: per host and run, the sum asked for, and the receiving
    # command when the artifact was sent.
    assert actions.count(("remote_command", "app1")) == 3 and actions.count(("remote_command", "app2")) == 4


def test_a_checksum_mismatch_fails_the_host_and_leaves_nothing(workspace: Path, tmp_path: Path) -> None:
    dest = tmp_path / "hosts"
    wrong = "0" * 64
    playbook = UPLOAD.format(dest).replace("            to: ", f"            sha256: '{wrong}'\n            to: ")
    result = run(workspace, playbook)
    assert result.status == "failed"
    rows = hosts_of(workspace, result.run_id, "up")
    assert set(rows) == {"app1", "app2", "app3"}
    for name, row in rows.items():
        assert row["status"] == "failed"
        assert f"expected {wrong[:12]}" in row["message"] and "it was removed" in row["message"]
        folder = dest / name / "releases"
        assert list(folder.iterdir()) == [], f"{name} kept {list(folder.iterdir())}"
    assert ("upload_failed", "app1") in audit_actions(workspace)


class Corrupting:
    """The artifact's bytes with one flipped, as a bad link or disk would deliver them."""

    def __init__(self, path: Path) -> None:
        self.data = bytearray(path.read_bytes())
        self.data[len(self.data) // 2] ^= 0xFF
        self.at = 0

    def read(self, size: int = -1, /) -> bytes:
        chunk = bytes(self.data[self.at:self.at + size])
        self.at += len(chunk)
        return chunk


def test_bytes_corrupted_in_transit_are_caught_on_the_host(
    workspace: Path, tmp_path: Path, ssh_hosts: list[SshdHost], ssh_pool: Any
) -> None:
    artifact = artifact_at(workspace / "artifacts" / "portal-2.0.tar.gz")
    transport = ssh_pool.get(ssh_hosts[0].spec())
    target = tmp_path / "corrupt" / "portal.tar.gz"
    with pytest.raises(ChecksumMismatch, match="it was removed"):
        deliver(transport, artifact, str(target), source=Corrupting(artifact.path))
    assert list(target.parent.iterdir()) == []
    sent = deliver(transport, artifact, str(target))
    assert sent.state == "sent" and sent.bytes_sent == artifact.size
    assert deliver(transport, artifact, str(target)).state == "already_there"


# -- switching versions -------------------------------------------------------------------

def install_releases(dest: Path, names: list[str], *, broken_on: str | None = None) -> None:
    """Each host: releases 1.0 and 2.0 (2.0 missing on `broken_on`), current → 1.0."""
    for name in names:
        for version in ("1.0", "2.0"):
            if version == "2.0" and name == broken_on:
                continue
            folder = dest / name / "releases" / version
            folder.mkdir(parents=True)
            (folder / "version").write_text(version + "\n")
        (dest / name / "current").symlink_to(dest / name / "releases" / "1.0")


def current(dest: Path, name: str) -> str:
    return (dest / name / "current" / "version").read_text().strip()


SWITCH = """\
    name: switch
    title: 切换版本
    vars:
      root: {{default: "{}"}}
      version: {{default: '2.0'}}
    phases:
      - id: switch
        name: 切换
        steps:
          - id: link
            name: 切换到新版本
            kind: shell
            hosts: app
            run: >-
              cd {{{{ vars.root }}}}/{{{{ host.name }}}} && test -d releases/{{{{ vars.version }}}}
              && ln -sfn {{{{ vars.root }}}}/{{{{ host.name }}}}/releases/{{{{ vars.version }}}} current
            rolling:
              batch: 1
              check: {{run: "grep -qx {{{{ vars.version }}}} {{{{ vars.root }}}}/{{{{ host.name }}}}/current/version",
                      every: 0.05, within: 5}}
        rollback:
          - id: back
            name: 切回旧版本
            kind: shell
            hosts: app
            run: >-
              ln -sfn {{{{ vars.root }}}}/{{{{ host.name }}}}/releases/1.0
              {{{{ vars.root }}}}/{{{{ host.name }}}}/current
"""


def test_rolling_switch_passes_batch_by_batch(workspace: Path, tmp_path: Path) -> None:
    dest = tmp_path / "hosts"
    install_releases(dest, ["app1", "app2", "app3"])
    result = run(workspace, SWITCH.format(dest))
    assert result.status == "passed"
    assert [current(dest, n) for n in ("app1", "app2", "app3")] == ["2.0", "2.0", "2.0"]
    rows = hosts_of(workspace, result.run_id, "link")
    assert all("healthy" in r["message"] for r in rows.values())


def test_a_failing_batch_stops_the_rollout_and_the_rollback_restores_every_host(
    workspace: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "hosts"
    install_releases(dest, ["app1", "app2", "app3"], broken_on="app2")
    prompter = ScriptedPrompter(failures=[FailureChoice("abort", "2.0 is missing on app2")])
    result = run(workspace, SWITCH.format(dest), prompter)
    assert result.status == "aborted"
    with Store.open(workspace / ".launchpad" / "launchpad.db") as store:
        attempts = {r["step_id"]: r for r in store.step_rows(result.run_id)}
        link_hosts = {r["host"]: r for r in store.host_rows(result.run_id, "link")}
    assert attempts["link"]["status"] == "failed"
    assert "batch 2 of 3 failed; the remaining hosts were left untouched" in attempts["link"]["summary"]
    assert link_hosts["app1"]["status"] == "passed"
    assert link_hosts["app2"]["status"] == "failed"
    assert link_hosts["app3"]["status"] == "not_checked"
    assert "left untouched" in link_hosts["app3"]["message"]
    failure = next(r for r in prompter.asked if type(r).__name__ == "FailureRequest")
    assert set(failure.failed_hosts) == {"app2", "app3"}  # a retry of the failed hosts includes app3
    # The rollback ran (the prompter confirmed it): every host back on 1.0.
    assert attempts["back"]["status"] == "passed"
    assert [current(dest, n) for n in ("app1", "app2", "app3")] == ["1.0", "1.0", "1.0"]
    assert ("rollout_stopped", "link") in audit_actions(workspace)


# -- waiting for the new version ----------------------------------------------------------

class RestartingApp:
    """A login page showing the version in `current/version`; when that changes, the app
    "restarts": it answers 503 to the next `restart_requests` requests, then shows the new one."""

    def __init__(self, folder: Path, restart_requests: int = 2) -> None:
        self.folder = folder
        self.restart_requests = restart_requests
        self.shown: str | None = None
        self.left = 0
        self.requests = 0
        app = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, body = app.answer()
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/login"

    def answer(self) -> tuple[int, str]:
        self.requests += 1
        version = (self.folder / "current" / "version").read_text().strip()
        if version != self.shown and self.left == 0 and self.shown is not None:
            self.left = self.restart_requests
        if self.left > 0:
            self.left -= 1
            if self.left == 0:
                self.shown = version
            return 503, "starting"
        self.shown = version
        return 200, f"<title>登录</title><footer>版本 v{version}</footer>"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def web_app(tmp_path: Path) -> Iterator[RestartingApp]:
    dest = tmp_path / "hosts"
    install_releases(dest, ["app1", "app2", "app3"])
    app = RestartingApp(dest / "app1")
    yield app
    app.close()


WAIT = """\
    name: wait
    title: 等待新版本
    vars:
      root: {{default: "{root}"}}
      version: {{default: '2.0'}}
    phases:
      - id: switch
        name: 切换
        steps:
          - {{id: link, name: 切换, kind: shell, hosts: app,
             run: "ln -sfn {{{{ vars.root }}}}/{{{{ host.name }}}}/releases/{{{{ vars.version }}}}
                   {{{{ vars.root }}}}/{{{{ host.name }}}}/current"}}
          - {{id: up, name: 等待登录页显示新版本, kind: wait, url: "{{{{ env.urls.login }}}}",
             contains: ["v{{{{ vars.version }}}}"], every: 0.02, timeout: {timeout}}}
"""


def test_wait_polls_until_the_new_version_answers(workspace: Path, tmp_path: Path, web_app: RestartingApp,
    ssh_hosts: list[SshdHost]) -> None:
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts, web_app.url), encoding="utf-8")
    assert web_app.answer() == (200, "<title>登录</title><footer>版本 v1.0</footer>")
    result = run(workspace, WAIT.format(root=tmp_path / "hosts", timeout=30))
    assert result.status == "passed"
    with Store.open(workspace / ".launchpad" / "launchpad.db") as store:
        step = next(s for s in store.step_rows(result.run_id) if s["step_id"] == "up")
    # Two answers of 503 while the app restarted, then the page with v2.0.
    assert step["evidence"]["tries"] == 3
    assert "passed after 3 tr(ies)" in step["summary"]


def test_wait_times_out_with_the_last_answer(workspace: Path, tmp_path: Path, web_app: RestartingApp,
    ssh_hosts: list[SshdHost]) -> None:
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts, web_app.url), encoding="utf-8")
    web_app.answer()
    web_app.restart_requests = 10**9  # it never comes back
    result = run(workspace, WAIT.format(root=tmp_path / "hosts", timeout=0.3))
    assert result.status == "failed"
    with Store.open(workspace / ".launchpad" / "launchpad.db") as store:
        step = next(s for s in store.step_rows(result.run_id) if s["step_id"] == "up")
    assert "still failing after" in step["summary"] and "status 503, expected 200" in step["summary"]


# -- verifying after the release ----------------------------------------------------------

VERIFY = """\
    name: verify
    title: 发布后验证
    vars:
      root: {{default: "{root}"}}
      version: {{default: '2.0'}}
    phases:
      - id: verify
        name: 验证
        steps:
          - id: login
            name: 登录页显示新版本
            kind: http
            url: "{{{{ env.urls.login }}}}"
            extract: {{pattern: '版本 v([0-9.]+)', label: version, expect: "{{{{ vars.version }}}}"}}
          - id: log
            name: 应用日志无新错误
            kind: log_scan
            hosts: app
            path: "{{{{ vars.root }}}}/{{{{ host.name }}}}/logs/*.log"
"""


def test_verify_reads_the_version_and_scans_the_log_since_the_run_began(
    workspace: Path, tmp_path: Path, web_app: RestartingApp, ssh_hosts: list[SshdHost]
) -> None:
    from datetime import datetime, timedelta

    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts, web_app.url), encoding="utf-8")
    root = tmp_path / "hosts"
    tz = load_workspace(workspace).site.tz
    before = (datetime.now(tz) - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    after = (datetime.now(tz) + timedelta(minutes=5)).strftime("%Y-%m-%d %H:%M:%S")
    logs = {
        "app1": f"{before}.001 ERROR old failure, before the release\n{after}.002 INFO started\n"
                f"{after}.003 ERROR c.r.PortalController - 集团接口调用失败\n"
                "java.lang.IllegalStateException: gateway 502\n\tat c.r.Portal.call(Portal.java:42)\n",
        "app2": f"{before}.001 ERROR old failure, before the release\n{after}.002 INFO started\n",
        "app3": f"{before}.001 INFO nothing since the release\n",
    }
    for name, text in logs.items():
        (root / name / "logs").mkdir(parents=True)
        (root / name / "logs" / "portal.log").write_text(text, encoding="utf-8")

    result = run(workspace, VERIFY.format(root=root))
    assert result.status == "failed"  # the page shows v1.0, not the version being released
    with Store.open(workspace / ".launchpad" / "launchpad.db") as store:
        login = next(s for s in store.step_rows(result.run_id) if s["step_id"] == "login")
    assert "version is 1.0, expected 2.0" in login["summary"]

    result = run(workspace, VERIFY.format(root=root).replace("'2.0'", "'1.0'"))
    with Store.open(workspace / ".launchpad" / "launchpad.db") as store:
        steps = {s["step_id"]: s for s in store.step_rows(result.run_id)}
    assert steps["login"]["status"] == "passed" and steps["login"]["evidence"]["version"] == "1.0"
    rows = hosts_of(workspace, result.run_id, "log")
    assert rows["app1"]["status"] == "failed"
    assert "2 error line(s) since" in rows["app1"]["message"] and "集团接口调用失败" in rows["app1"]["message"]
    assert "IllegalStateException" in rows["app1"]["stdout"] and "old failure" not in rows["app1"]["stdout"]
    assert rows["app2"]["status"] == "passed"
    assert rows["app3"]["status"] == "not_checked"  # nothing logged since: no word on errors
    assert steps["log"]["status"] == "failed"

    missing = run(workspace, VERIFY.format(root=root).replace("*.log", "*.missing").replace("'2.0'", "'1.0'"))
    rows = hosts_of(workspace, missing.run_id, "log")
    assert all(r["status"] == "failed" and "no log file matches" in r["message"] for r in rows.values())


def test_retrying_the_failed_hosts_of_a_stopped_rollout_switches_the_untouched_ones_too(
    workspace: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "hosts"
    install_releases(dest, ["app1", "app2", "app3"], broken_on="app2")

    def fix_app2_then_retry_failed(request: Any) -> FailureChoice:
        folder = dest / "app2" / "releases" / "2.0"
        folder.mkdir(parents=True)
        (folder / "version").write_text("2.0\n")
        return FailureChoice("retry_failed", "2.0 copied to app2 by hand")

    result = run(workspace, SWITCH.format(dest), ScriptedPrompter(failures=[fix_app2_then_retry_failed]))
    assert result.status == "passed"
    assert [current(dest, n) for n in ("app1", "app2", "app3")] == ["2.0", "2.0", "2.0"]
    with Store.open(workspace / ".launchpad" / "launchpad.db") as store:
        retried = [r for r in store.host_rows(result.run_id, "link") if r["attempt"] == 2]
    assert sorted(r["host"] for r in retried) == ["app2", "app3"]  # app1, already switched, not again
