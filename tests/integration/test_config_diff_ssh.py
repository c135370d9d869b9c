"""`config_diff` against real OpenSSH servers: a test environment (app1) and a production
environment (app2, app3) serving their own configuration files, compared by the step in a
playbook run and by `launchpad config diff`. A canary password must appear nowhere: not in
the output, the store (its database and WAL files), the audit log or the run report."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from launchpad.hosts.connect import HostConnections
from launchpad.run.engine import Engine
from launchpad.run.playbook import load_playbook
from launchpad.store.audit import iter_audit
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.integration.conftest import TEST_TIMEOUTS
from tests.integration.sshd import SshdHost, SshLab
from tests.scripted import ScriptedPrompter

pytestmark = pytest.mark.integration

CANARY = "CANARY-7f3a9-secret"

PLAYBOOK = """\
name: pre-release
title: 发布前检查
phases:
  - id: check
    name: 发布前检查
    steps:
      - {id: config, name: 生产配置与测试环境比对, kind: config_diff, against: test, section: portal}
"""

TEST_YAML = f"""\
spring:
  datasource:
    url: jdbc:mysql://portal:{CANARY}-t@db-test:3306/portal
    password: {CANARY}-t
group:
  gateway:
    url: http://gw-test.group.cn/api
server:
  port: 8080
feature:
  sms: on
"""


def prod_yaml(gateway: str, *, sms: bool = True) -> str:
    text = TEST_YAML.replace("db-test", "db-prod").replace(f"{CANARY}-t", f"{CANARY}-p")
    text = text.replace("http://gw-test.group.cn/api", gateway)
    return text if sms else text.replace("feature:\n  sms: on\n", "")


def site_yaml(test: list[SshdHost], prod: list[SshdHost]) -> str:
    def hosts(group: list[SshdHost]) -> str:
        return "\n".join(f"      - {{name: {h.name}, address: {h.address}, port: {h.port}, groups: [app]}}"
                         for h in group)

    return textwrap.dedent("""\
        site: {name: 集成测试, client: 测试客户}
        contacts: [{id: zhang, name: 张三, phone: '13800000001'}]
        duty: [{weekdays: daily, primary: zhang, backup: zhang}]
        environments:
          test:
            hosts:
        """) + hosts(test) + "\n  prod:\n    production: true\n    hosts:\n" + hosts(prod) + "\n"


@pytest.fixture
def workspace(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost]) -> Path:
    """test = app1, prod = app2 + app3; each environment's files in its own folder."""
    sshd_lab.write_user_ssh_config()
    root = tmp_path / "ws"
    (root / "playbooks").mkdir(parents=True)
    (root / ".launchpad").mkdir()
    (root / ".launchpad" / "known_hosts").write_text("".join(h.known_hosts_line() for h in ssh_hosts))
    (root / "site.yaml").write_text(site_yaml(ssh_hosts[:1], ssh_hosts[1:]), encoding="utf-8")
    (root / "playbooks" / "pre-release.yaml").write_text(PLAYBOOK, encoding="utf-8")
    conf = tmp_path / "conf"
    for env in ("test", "prod"):
        (conf / env).mkdir(parents=True)
        (conf / env / ".env").write_text("APP_NAME=portal\nLOG_LEVEL=info\n", encoding="utf-8")
    (conf / "test" / "application.yml").write_text(TEST_YAML, encoding="utf-8")
    (conf / "prod" / "application.yml").write_text(prod_yaml("http://gw.group.cn/api"), encoding="utf-8")
    (root / "config-expect.yaml").write_text(textwrap.dedent(f"""\
        portal:
          files:
            - hosts: app
              path: {{test: {conf}/test/application.yml, prod: {conf}/prod/application.yml}}
            - hosts: app
              path: {{test: {conf}/test/.env, prod: {conf}/prod/.env}}
          expect:
            - {{key: spring.datasource.url, may: differ, why: 各环境各用自己的数据库}}
            - {{key: spring.datasource.password, may: differ}}
            - {{key: "group.gateway.*", must: differ, why: 生产不得调用集团测试接口}}
        """), encoding="utf-8")
    return root


def prod_file(root: Path) -> Path:
    return root.parent / "conf" / "prod" / "application.yml"


def launchpad(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), *args],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def run_playbook(root: Path) -> tuple[str, int]:
    ws = load_workspace(root)
    with Store.open(ws.store_path) as store, HostConnections(ws, "prod", timeouts=TEST_TIMEOUTS) as connections:
        engine = Engine(ws, store, ScriptedPrompter(), connections.transport_for)
        result = engine.start(load_playbook(root / "playbooks" / "pre-release.yaml"), "prod", {})
    return result.status, result.run_id


def stored_bytes(root: Path) -> bytes:
    """Everything the store holds on disk, the write-ahead log included."""
    return b"".join(p.read_bytes() for p in (root / ".launchpad").glob("launchpad.db*"))


def test_step_fails_on_undeclared_differences_then_passes(workspace: Path) -> None:
    prod_file(workspace).write_text(prod_yaml("http://gw-test.group.cn/api", sms=False), encoding="utf-8")
    status, run_id = run_playbook(workspace)
    assert status == "failed"
    with Store.open(workspace / ".launchpad" / "launchpad.db") as store:
        step = next(s for s in store.step_rows(run_id) if s["step_id"] == "config")
        assert "2 undeclared difference(s) between test and prod" in step["summary"]
        assert "group.gateway.url is the same in both environments and must differ" in step["summary"]
        assert "生产不得调用集团测试接口" in step["summary"]
        assert "feature.sms is missing in one environment" in step["summary"]
        commands = [e for e in iter_audit(store) if e.action == "remote_command"]
        targets = sorted(e.target for e in commands)
        assert targets == ["prod/app2"] * 2 + ["prod/app3"] * 2 + ["test/app1"] * 2
        assert any(e.detail["command"].startswith("cat -- ") and "application.yml" in e.detail["command"]
                   for e in commands)
        assert CANARY not in repr([(e.target, e.detail) for e in iter_audit(store)])
        declared = step["evidence"]["declared"]
        assert {d["key"] for d in declared} == {"spring.datasource.url", "spring.datasource.password"}
    report = launchpad(workspace, "runs", "show", str(run_id), "--format", "md")
    assert "test 与 prod 之间有 2 处未声明的差异" in report.stdout, report.stdout

    prod_file(workspace).write_text(prod_yaml("http://gw.group.cn/api"), encoding="utf-8")
    status, run_id = run_playbook(workspace)
    assert status == "passed"
    assert CANARY.encode() not in stored_bytes(workspace)
    assert CANARY not in report.stdout
    assert launchpad(workspace, "audit", "verify").returncode == 0


def test_command_reads_both_environments_and_names_a_malformed_file(workspace: Path) -> None:
    passed = launchpad(workspace, "config", "diff", "--env", "test", "--env", "prod", "--json")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    comparison = json.loads(passed.stdout)
    assert comparison["passed"] and comparison["files"] == 2 and comparison["keys"] == 7
    secret = next(d for d in comparison["declared"] if d["key"] == "spring.datasource.password")
    assert secret["secret"] and all(v.startswith("#") for v in secret["values"].values())

    prod_file(workspace).write_text(prod_yaml("http://gw-test.group.cn/api"), encoding="utf-8")
    failed = launchpad(workspace, "config", "diff", "--env", "test", "--env", "prod")
    assert failed.returncode == 1
    assert "group.gateway.url 在两个环境中相同，但必须不同" in failed.stdout  # the site speaks Chinese

    prod_file(workspace).write_text("spring:\n  datasource:\n    url: [unclosed\nserver: 1\n", encoding="utf-8")
    broken = launchpad(workspace, "config", "diff", "--env", "test", "--env", "prod")
    assert broken.returncode == 1
    for host in ("prod/app2", "prod/app3"):
        assert f"{host}：{prod_file(workspace)} 第 4 行：YAML" in broken.stdout, broken.stdout
    audit = json.loads(launchpad(workspace, "audit", "show", "--json").stdout)
    results = [e["detail"] for e in audit if e["action"] == "config_diff"]
    assert [(r["passed"], r["undeclared"]) for r in results] == [(True, 0), (False, 1), (False, 2)]
    outputs = passed.stdout + failed.stdout + broken.stdout + passed.stderr + failed.stderr + broken.stderr
    assert CANARY not in outputs
    assert CANARY.encode() not in stored_bytes(workspace)


def test_a_host_that_cannot_be_reached_fails_the_comparison(workspace: Path, ssh_hosts: list[SshdHost]) -> None:
    from tests.integration.sshd import free_port

    site = (workspace / "site.yaml").read_text(encoding="utf-8")
    dead = f"      - {{name: app9, address: 127.0.0.1, port: {free_port()}, groups: [app]}}\n"
    (workspace / "site.yaml").write_text(site + dead, encoding="utf-8")
    result = launchpad(workspace, "config", "diff", "--env", "test", "--env", "prod", "--json")
    assert result.returncode == 1, result.stderr
    comparison = json.loads(result.stdout)
    unread = [f for f in comparison["undeclared"] if f["kind"] == "unreadable"]
    assert [f["file"] for f in unread] == ["application.yml", ".env"]
    assert all(list(f["values"]) == ["prod/app9"] for f in unread)
    assert not comparison["passed"]
    table = launchpad(workspace, "config", "diff", "--env", "test", "--env", "prod")
    assert "无法连接 127.0.0.1:" in table.stdout and "cannot connect" not in table.stdout, table.stdout
