"""The command line against real OpenSSH servers: trust, exec, hosts check and a playbook run
across several hosts, through ~/.ssh/config and a jump host, with the safety rules intact."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from launchpad.hosts.base import Timeouts
from launchpad.hosts.connect import HostConnections
from launchpad.run.engine import Engine, RunResult
from launchpad.run.playbook import load_playbook
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.integration.sshd import SshdHost, SshLab
from tests.scripted import ScriptedPrompter

pytestmark = pytest.mark.integration

CHECK_PLAYBOOK = """\
name: check
title: 远程检查
vars:
  value: {default: plain}
phases:
  - id: p
    name: 检查
    steps:
      - {id: name, name: 主机名, kind: shell, hosts: app, run: uname -n}
      - {id: echo, name: 回显, kind: shell, hosts: app, run: 'printf %s {{ value }}',
         expect: {output: '^\\$\\(touch'}}
      - {id: count, name: 计数, kind: shell, hosts: app, run: echo 3, expect: {number: {min: 1, max: 5}}}
"""


def site_yaml(hosts: list[SshdHost], *, jump: SshdHost | None = None, production: bool = False) -> str:
    lines = [
        "site: {name: 集成测试, client: 测试客户}",
        "contacts: [{id: zhang, name: 张三, phone: '13800000001'}]",
        "duty: [{weekdays: daily, primary: zhang, backup: zhang}]",
        "environments:",
        "  lab:",
        f"    production: {'true' if production else 'false'}",
    ]
    if jump is not None:
        lines.append(f"    jump: {{address: {jump.address}, port: {jump.port}}}")
    lines.append("    hosts:")
    for host in hosts:
        lines.append(f"      - {{name: {host.name}, address: {host.address}, port: {host.port}, groups: [app]}}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def workspace(tmp_path: Path, sshd_lab: SshLab) -> Path:
    """A workspace folder, with ~/.ssh/config giving the lab's user and key (as on a laptop)."""
    sshd_lab.write_user_ssh_config()
    root = tmp_path / "ws"
    (root / "playbooks").mkdir(parents=True)
    (root / "playbooks" / "check.yaml").write_text(CHECK_PLAYBOOK, encoding="utf-8")
    return root


def launchpad(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "launchpad", "--workspace", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def accepted_logins(host: SshdHost) -> int:
    return host.log_path.read_text(errors="replace").count("Accepted publickey")


def trust_all(root: Path, hosts: list[SshdHost]) -> subprocess.CompletedProcess[str]:
    accepts = [arg for host in hosts for arg in ("--accept", host.fingerprint())]
    return launchpad(root, "hosts", "trust", "--env", "lab", *accepts)


def test_unknown_keys_are_refused_until_trusted(workspace: Path, ssh_hosts: list[SshdHost]) -> None:
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts), encoding="utf-8")
    refused = launchpad(workspace, "exec", "--env", "lab", "--", "echo", "hi")
    assert refused.returncode == 1
    for host in ssh_hosts:
        line = next(x for x in refused.stdout.splitlines() if host.name in x)
        assert "主机密钥未知" in line and host.fingerprint() in line  # the site speaks Chinese

    unanswered = launchpad(workspace, "hosts", "trust", "--env", "lab")
    assert "未信任" in unanswered.stdout  # the site speaks Chinese
    assert not (workspace / ".launchpad" / "known_hosts").exists()

    trusted = trust_all(workspace, ssh_hosts)
    assert trusted.returncode == 0, trusted.stderr
    assert trusted.stdout.count("已记录到") == len(ssh_hosts)
    ran = launchpad(workspace, "exec", "--env", "lab", "--", "echo", "你好")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.count("你好") == len(ssh_hosts)
    assert f"{len(ssh_hosts)}/{len(ssh_hosts)} 台主机成功" in ran.stdout
    again = trust_all(workspace, ssh_hosts)
    assert again.stdout.count("已知 ") == len(ssh_hosts)


def test_playbook_across_hosts_one_connection_each(workspace: Path, ssh_hosts: list[SshdHost]) -> None:
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts), encoding="utf-8")
    assert trust_all(workspace, ssh_hosts).returncode == 0
    before = [accepted_logins(h) for h in ssh_hosts]
    evil = "$(touch /tmp/launchpad-ssh-pwned); rm -rf ~"
    result = launchpad(workspace, "run", "check", "--env", "lab", "--yes", "--var", f"value={evil}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert [accepted_logins(h) - b for h, b in zip(ssh_hosts, before, strict=True)] == [1, 1, 1]
    assert not Path("/tmp/launchpad-ssh-pwned").exists()
    with Store.open(workspace / ".launchpad" / "launchpad.db") as store:
        rows = store.host_rows(1, "echo")
        assert sorted(r["host"] for r in rows) == ["app1", "app2", "app3"]
        assert all(r["stdout"] == evil for r in rows)
    report = launchpad(workspace, "runs", "show", "1", "--format", "md")
    assert "3/3 台主机通过" in report.stdout
    assert launchpad(workspace, "audit", "verify").returncode == 0


def test_through_a_jump_host(workspace: Path, ssh_hosts: list[SshdHost], jump_host: SshdHost) -> None:
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts[:2], jump=jump_host), encoding="utf-8")
    (Path(os.environ["HOME"]) / ".ssh" / "known_hosts").write_text(jump_host.known_hosts_line())
    assert trust_all(workspace, ssh_hosts[:2]).returncode == 0
    jumps_before = accepted_logins(jump_host)
    result = launchpad(workspace, "exec", "--env", "lab", "--", "echo", "via-bastion")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("via-bastion") == 2
    assert accepted_logins(jump_host) == jumps_before + 1  # one bastion connection shared


def test_changed_key_is_refused(
    workspace: Path, fresh_sshd: Callable[[str], SshdHost], ssh_hosts: list[SshdHost]
) -> None:
    host = fresh_sshd("rekeyed")
    (workspace / "site.yaml").write_text(site_yaml([host]), encoding="utf-8")
    assert trust_all(workspace, [host]).returncode == 0
    assert launchpad(workspace, "exec", "--env", "lab", "--", "true").returncode == 0
    host.restart(new_host_key=True)
    result = launchpad(workspace, "exec", "--env", "lab", "--", "touch", "/tmp/launchpad-should-not-exist")
    assert result.returncode == 1
    assert "主机密钥已改变" in result.stdout and host.fingerprint() in result.stdout  # the site speaks Chinese
    retrust = trust_all(workspace, [host])
    assert "已改变" in retrust.stdout and "已记录到" not in retrust.stdout


def test_production_exec_needs_the_typed_name(workspace: Path, ssh_hosts: list[SshdHost]) -> None:
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts[:1], production=True), encoding="utf-8")
    assert trust_all(workspace, ssh_hosts[:1]).returncode == 0
    marker = workspace / "touched"
    refused = launchpad(workspace, "exec", "--env", "lab", "--", "touch", str(marker))
    assert refused.returncode == 2 and "--confirm lab" in refused.stderr
    wrong = launchpad(workspace, "exec", "--env", "lab", "--confirm", "prod", "--", "touch", str(marker))
    assert wrong.returncode == 2 and not marker.exists()
    right = launchpad(workspace, "exec", "--env", "lab", "--confirm", "lab", "--", "touch", str(marker))
    assert right.returncode == 0 and marker.exists()


def test_hosts_check_table(workspace: Path, ssh_hosts: list[SshdHost]) -> None:
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts), encoding="utf-8")
    assert trust_all(workspace, ssh_hosts).returncode == 0
    result = launchpad(workspace, "hosts", "check", "--env", "lab", "--json")
    import json

    rows = json.loads(result.stdout)
    assert [r["host"] for r in rows] == ["app1", "app2", "app3"]
    assert all(r["reachable"] and r["disk_used_percent"] is not None for r in rows)
    assert all(abs(r["clock_offset"]) < 5 for r in rows)  # same machine: clocks agree
    table = launchpad(workspace, "hosts", "check", "--env", "lab")
    assert re.search(r"app2\s+可达", table.stdout)  # the site speaks Chinese
    audit = json.loads(launchpad(workspace, "audit", "show", "--json").stdout)
    assert [e["action"] for e in audit].count("hosts_check") == 2


def test_connection_killed_mid_step_fails_the_step(workspace: Path, fresh_sshd: Callable[[str], SshdHost]) -> None:
    host = fresh_sshd("victim")
    (workspace / "site.yaml").write_text(site_yaml([host]), encoding="utf-8")
    (workspace / "playbooks" / "long.yaml").write_text(
        "name: long\ntitle: 长任务\nphases:\n  - id: p\n    name: p\n    steps:\n"
        "      - {id: wait, name: 等待, kind: shell, hosts: app, run: 'echo up > {{ fifo }}; sleep 60'}\n"
        "vars: {fifo: {}}\n",
        encoding="utf-8",
    )
    fifo = workspace / "running.fifo"
    os.mkfifo(fifo)
    assert trust_all(workspace, [host]).returncode == 0
    ws = load_workspace(workspace)
    store = Store.open(ws.store_path)
    timeouts = Timeouts(
        connect=5, banner=5, auth=5, channel=5, command=120, keepalive_interval=1, keepalive_dead_after=3
    )
    outcome: list[RunResult] = []
    with HostConnections(ws, "lab", timeouts=timeouts) as connections:
        engine = Engine(ws, store, ScriptedPrompter(), connections.transport_for)
        worker = threading.Thread(
            target=lambda: outcome.append(
                engine.start(load_playbook(workspace / "playbooks" / "long.yaml"), "lab", {"fifo": str(fifo)})
            )
        )
        worker.start()
        # Reading the FIFO returns once the remote shell has written to it: the command is running.
        assert fifo.read_text().strip() == "up"
        host.kill_sessions()
        worker.join(60)
    assert not worker.is_alive()
    result = outcome[0]
    assert result.status == "failed"
    rows = store.host_rows(result.run_id, "wait")
    assert rows[0]["status"] == "failed" and rows[0]["exit_code"] in (None, -1)


def test_a_value_inside_quotes_stays_data_over_ssh(workspace: Path, ssh_hosts: list[SshdHost],
                                                   tmp_path: Path) -> None:
    quoted = ("name: quoted\ntitle: 引号内的变量\nvars:\n  note: {default: x}\nphases:\n  - id: p\n    name: p\n"
              "    steps:\n"
              "      - {id: dq, name: 双引号, kind: shell, hosts: app, run: 'echo \"note: {{ vars.note }}\"'}\n"
              "      - {id: sq, name: 单引号, kind: shell, hosts: app, run: \"printf %s 'note: {{ vars.note }}'\"}\n")
    (workspace / "playbooks" / "quoted.yaml").write_text(quoted, encoding="utf-8")
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts[:1]), encoding="utf-8")
    assert trust_all(workspace, ssh_hosts[:1]).returncode == 0
    marker = tmp_path / "pwned"
    evil = f"$(touch {marker}) `touch {marker}` \"'"
    result = launchpad(workspace, "run", "quoted", "--env", "lab", "--yes", "--var", f"note={evil}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not marker.exists()
    with Store.open(workspace / ".launchpad" / "launchpad.db") as store:
        assert [r["stdout"].rstrip("\n") for r in store.host_rows(1)] == [f"note: {evil}"] * 2
