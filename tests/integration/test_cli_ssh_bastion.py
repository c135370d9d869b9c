"""`hosts trust`, `exec`, `hosts check` and `run` through a bastion, with the known_hosts files
an ssh_config names, against real OpenSSH servers: the bastion's key is shown and trusted like
any other host's, a refusal is never an exit 0, and every failure says what to do next."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.integration.sshd import SshdHost, SshLab

# These tests read the command line's English words.
pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("english_cli")]

PLAYBOOK = """\
name: check
title: 远程检查
phases:
  - id: p
    name: 检查
    steps:
      - {id: name, name: 主机名, kind: shell, hosts: app, run: uname -n}
"""


def site_yaml(hosts: Sequence[SshdHost], *, jump: SshdHost | None = None, address: str = "") -> str:
    """An environment `lab` with the hosts in group `app`; `address` replaces each host's address
    with `NAME.lab` style aliases that the test's ssh_config resolves."""
    lines = [
        "site: {name: 集成测试, client: 测试客户}",
        "contacts: [{id: zhang, name: 张三, phone: '13800000001'}]",
        "duty: [{weekdays: daily, primary: zhang, backup: zhang}]",
        "environments:",
        "  lab:",
        "    production: false",
    ]
    if jump is not None:
        lines.append(f"    jump: {{address: {jump.address}, port: {jump.port}}}")
    lines.append("    hosts:")
    for host in hosts:
        where = f"{host.name}{address}" if address else host.address
        lines.append(f"      - {{name: {host.name}, address: {where}, port: {host.port}, groups: [app]}}")
    return "\n".join(lines) + "\n"


def home() -> Path:
    return Path(os.environ["HOME"])


def write_ssh_config(lab: SshLab, text: str = "") -> Path:
    """~/.ssh/config: `text` first (first match wins), then the lab's user and key for all."""
    ssh_dir = home() / ".ssh"
    ssh_dir.mkdir(mode=0o700, exist_ok=True)
    path = ssh_dir / "config"
    path.write_text(f"{text}\nHost *\n  User {lab.user}\n  IdentityFile {lab.client_key}\n")
    return path


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / "playbooks").mkdir(parents=True)
    (root / "playbooks" / "check.yaml").write_text(PLAYBOOK, encoding="utf-8")
    return root


def launchpad(root: Path, *args: str, answers: str | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI with no terminal, or with `answers` typed at a terminal (a pty as its stdin;
    the lines wait in the terminal's input queue until a prompt reads them)."""
    command = [sys.executable, "-m", "launchpad", "--workspace", str(root), *args]
    if answers is None:
        return subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    controller, terminal = pty.openpty()
    try:
        os.write(controller, answers.encode())
        return subprocess.run(command, capture_output=True, text=True, timeout=120, stdin=terminal)
    finally:
        os.close(terminal)
        os.close(controller)


def accepting(*hosts: SshdHost) -> list[str]:
    return [arg for host in hosts for arg in ("--accept", host.fingerprint())]


def audit(root: Path, action: str) -> list[dict[str, Any]]:
    entries = json.loads(launchpad(root, "audit", "show", "--json").stdout)
    return [e for e in entries if e["action"] == action]


def order_of(output: str, names: Sequence[str]) -> list[int]:
    lines = output.splitlines()
    return [next(i for i, line in enumerate(lines) if line.split()[1:2] == [name]) for name in names]


# -- 7: the bastion's key is shown and trusted like any other host's ---------------------------


def test_trust_records_the_site_jump_host_first_then_the_hosts_behind_it(
    workspace: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], jump_host: SshdHost
) -> None:
    sshd_lab.write_user_ssh_config()
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts[:2], jump=jump_host), encoding="utf-8")
    refused = launchpad(workspace, "exec", "--env", "lab", "--", "true")
    assert refused.returncode == 1 and "not known" in refused.stdout

    trusted = launchpad(workspace, "hosts", "trust", "--env", "lab", *accepting(jump_host, *ssh_hosts[:2]))
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    bastion = f"jump:{jump_host.address}"
    assert f"{bastion} (jump host, [{jump_host.address}]:{jump_host.port})" in trusted.stdout
    assert trusted.stdout.count("recorded in") == 3
    first, *behind = order_of(trusted.stdout, [bastion, "app1", "app2"])
    assert all(first < line for line in behind)
    assert [e["target"] for e in audit(workspace, "host_key_trusted")] == [f"lab/{bastion}", "lab/app1", "lab/app2"]

    ran = launchpad(workspace, "exec", "--env", "lab", "--", "echo", "过堡垒机")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.count("过堡垒机") == 2
    again = launchpad(workspace, "hosts", "trust", "--env", "lab")
    assert again.returncode == 0 and again.stdout.count("known ") == 3


def test_trust_through_a_proxyjump_of_the_ssh_config_answered_at_a_terminal(
    workspace: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], jump_host: SshdHost
) -> None:
    write_ssh_config(
        sshd_lab,
        f"Host bastion\n  HostName {jump_host.address}\n  Port {jump_host.port}\n"
        f"Host *.lab\n  HostName 127.0.0.1\n  ProxyJump bastion\n",
    )
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts[:2], address=".lab"), encoding="utf-8")
    trusted = launchpad(workspace, "hosts", "trust", "--env", "lab", answers="y\ny\ny\n")
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    assert f"bastion (jump host, [{jump_host.address}]:{jump_host.port})  ssh-ed25519 {jump_host.fingerprint()}" in (
        trusted.stdout
    )
    assert trusted.stdout.count("recorded in") == 3
    shown = order_of(trusted.stdout, ["bastion", "app1", "app2"])
    assert shown == sorted(shown)
    ran = launchpad(workspace, "exec", "--env", "lab", "--", "uname", "-n")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert jump_host.log_path.read_text(errors="replace").count("Accepted publickey") >= 2


def test_a_chain_of_jump_hosts_is_trusted_hop_by_hop(
    workspace: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], jump_host: SshdHost
) -> None:
    app, inner = ssh_hosts[0], ssh_hosts[2]
    write_ssh_config(
        sshd_lab,
        f"Host bastion\n  HostName {jump_host.address}\n  Port {jump_host.port}\n"
        f"Host inner\n  HostName {inner.address}\n  Port {inner.port}\n"
        f"Host *.lab\n  HostName 127.0.0.1\n  ProxyJump bastion,inner\n",
    )
    (workspace / "site.yaml").write_text(site_yaml([app], address=".lab"), encoding="utf-8")
    trusted = launchpad(workspace, "hosts", "trust", "--env", "lab", *accepting(jump_host, inner, app))
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    shown = order_of(trusted.stdout, ["bastion", "inner", app.name])
    assert shown == sorted(shown) and trusted.stdout.count("recorded in") == 3
    assert launchpad(workspace, "exec", "--env", "lab", "--", "true").returncode == 0


def test_a_declined_bastion_leaves_the_hosts_behind_it_unread_and_exits_1(
    workspace: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], jump_host: SshdHost
) -> None:
    sshd_lab.write_user_ssh_config()
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts[:2], jump=jump_host), encoding="utf-8")
    declined = launchpad(workspace, "hosts", "trust", "--env", "lab", answers="n\n")
    assert declined.returncode == 1
    assert "recorded in" not in declined.stdout
    assert declined.stdout.count(f"behind jump host jump:{jump_host.address}, whose key is not trusted") == 2
    assert "3 host(s) not trusted" in declined.stderr
    assert not (workspace / ".launchpad" / "known_hosts").exists()
    refusals = audit(workspace, "host_key_refused")
    assert [(e["target"], e["detail"]["reason"]) for e in refusals] == [
        (f"lab/jump:{jump_host.address}", "declined")
    ]


# -- 8: the known_hosts files ssh_config names ----------------------------------------------


def hashed_line(host: SshdHost) -> str:
    return host.known_hosts_line(hashed=True)


def test_the_known_hosts_files_named_in_ssh_config_are_read_and_written(
    workspace: Path, sshd_lab: SshLab, fresh_sshd: Callable[[str], SshdHost]
) -> None:
    app1, app2, app3 = (fresh_sshd(name) for name in ("kh1", "kh2", "kh3"))
    files = home() / "lab files"
    files.mkdir()
    (files / "second").write_text(hashed_line(app1))
    (files / "global").write_text(hashed_line(app2))
    # The user's default file is replaced by the named ones, as in ssh: this entry is not read.
    (home() / ".ssh").mkdir(mode=0o700)
    (home() / ".ssh" / "known_hosts").write_text(app3.known_hosts_line())
    write_ssh_config(
        sshd_lab,
        'Host *.lab\n  HostName 127.0.0.1\n'
        '  UserKnownHostsFile ~/first_known_hosts "~/lab files/second"\n'
        '  GlobalKnownHostsFile "%d/lab files/global"\n',
    )
    (workspace / "site.yaml").write_text(site_yaml([app1, app2, app3], address=".lab"), encoding="utf-8")

    ran = launchpad(workspace, "exec", "--env", "lab", "--", "echo", "ok")
    assert ran.returncode == 1
    rows = {line.split()[1]: line for line in ran.stdout.splitlines() if line.startswith(("✓", "✗"))}
    assert rows["kh1"].startswith("✓") and rows["kh2"].startswith("✓")
    ours = workspace / ".launchpad" / "known_hosts"
    searched = [home() / "first_known_hosts", files / "second", files / "global", ours]
    assert "not known" in rows["kh3"] and all(str(path) in rows["kh3"] for path in searched)
    assert str(home() / ".ssh" / "known_hosts") not in rows["kh3"]

    trusted = launchpad(workspace, "hosts", "trust", "--env", "lab", *accepting(app3))
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    assert f"recorded in {home() / 'first_known_hosts'}" in trusted.stdout
    recorded = (home() / "first_known_hosts").read_text()
    assert recorded.startswith("|1|") and "127.0.0.1" not in recorded
    assert not (workspace / ".launchpad" / "known_hosts").exists()
    assert launchpad(workspace, "exec", "--env", "lab", "--", "true").returncode == 0


def test_known_hosts_none_in_ssh_config_leaves_launchpads_own_file(
    workspace: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost]
) -> None:
    (home() / ".ssh").mkdir(mode=0o700)
    (home() / ".ssh" / "known_hosts").write_text(ssh_hosts[0].known_hosts_line())
    write_ssh_config(sshd_lab, "Host *.lab\n  HostName 127.0.0.1\n  UserKnownHostsFile none\n")
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts[:1], address=".lab"), encoding="utf-8")
    assert launchpad(workspace, "exec", "--env", "lab", "--", "true").returncode == 1
    trusted = launchpad(workspace, "hosts", "trust", "--env", "lab", *accepting(ssh_hosts[0]))
    assert f"recorded in {workspace / '.launchpad' / 'known_hosts'}" in trusted.stdout
    assert launchpad(workspace, "exec", "--env", "lab", "--", "true").returncode == 0


# -- 9: exit codes, hints, audit --------------------------------------------------------------


def test_trust_exits_1_and_audits_every_key_it_did_not_record(
    workspace: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], fresh_sshd: Callable[[str], SshdHost]
) -> None:
    sshd_lab.write_user_ssh_config()
    rekeyed = fresh_sshd("rekeyed")
    (workspace / "site.yaml").write_text(site_yaml([ssh_hosts[0], rekeyed]), encoding="utf-8")

    unanswered = launchpad(workspace, "hosts", "trust", "--env", "lab")
    assert unanswered.returncode == 1 and "no terminal" in unanswered.stdout

    wrong = "SHA256:" + "A" * 43  # checked out of band against some other server
    mismatched = launchpad(workspace, "hosts", "trust", "--env", "lab", "--accept", wrong)
    assert mismatched.returncode == 1
    assert mismatched.stdout.count(f"the fingerprint did not match --accept {wrong}") == 2
    assert f"--accept {wrong} matched no host's key" in mismatched.stdout

    assert launchpad(workspace, "hosts", "trust", "--env", "lab", *accepting(ssh_hosts[0], rekeyed)).returncode == 0
    rekeyed.restart(new_host_key=True)
    changed = launchpad(workspace, "hosts", "trust", "--env", "lab", *accepting(rekeyed))
    assert changed.returncode == 1 and "CHANGED" in changed.stdout and "recorded in" not in changed.stdout
    assert "1 host(s) not trusted: rekeyed" in changed.stderr

    reasons = [(e["target"], e["detail"]["reason"]) for e in audit(workspace, "host_key_refused")]
    assert reasons == [
        ("lab/app1", "no_terminal"),
        ("lab/rekeyed", "no_terminal"),
        ("lab/app1", "fingerprint_mismatch"),
        ("lab/rekeyed", "fingerprint_mismatch"),
        ("lab/rekeyed", "changed"),
    ]


def test_trust_exits_1_when_a_host_cannot_be_read(workspace: Path, sshd_lab: SshLab) -> None:
    sshd_lab.write_user_ssh_config()
    gone = SshdHost(name="gone", port=1, directory=workspace, lab=sshd_lab)  # nothing listens on port 1
    (workspace / "site.yaml").write_text(site_yaml([gone]), encoding="utf-8")
    result = launchpad(workspace, "hosts", "trust", "--env", "lab")
    assert result.returncode == 1
    assert "ERROR    gone" in result.stdout and "→ check that sshd runs there" in result.stdout


def test_a_malformed_accept_is_bad_input(workspace: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost]) -> None:
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts[:1]), encoding="utf-8")
    result = launchpad(workspace, "hosts", "trust", "--env", "lab", "--accept", "aa:bb:cc")
    assert result.returncode == 2 and "not a SHA256 fingerprint" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_exec_and_run_show_what_to_do_about_an_unknown_key(
    workspace: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost]
) -> None:
    sshd_lab.write_user_ssh_config()
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts[:1]), encoding="utf-8")
    # Run with --workspace from another folder, the command names the workspace.
    trust = f"launchpad -w {workspace} hosts trust --env lab"
    hint = f"→ app1: compare the fingerprint with the server's, then run `{trust}`"

    checked = launchpad(workspace, "hosts", "check", "--env", "lab")
    assert checked.returncode == 1 and hint in checked.stdout
    assert "app1: the host key" not in checked.stdout  # the row already names the host
    as_json = json.loads(launchpad(workspace, "hosts", "check", "--env", "lab", "--json").stdout)
    assert "hosts trust" in as_json[0]["hint"]

    executed = launchpad(workspace, "exec", "--env", "lab", "--", "true")
    assert executed.returncode == 1 and hint in executed.stdout

    ran = launchpad(workspace, "run", "check", "--env", "lab", "--yes")
    assert ran.returncode != 0
    host_row = next(line for line in ran.stdout.splitlines() if "the host key is not known" in line and "→" in line)
    assert trust in host_row
    summary = next(line for line in ran.stdout.splitlines() if "1 of 1 host(s) failed" in line)
    assert "app1: the host key is not known" in summary
    assert "app1: app1:" not in summary and "→" not in summary


def test_keys_refused_while_connecting_are_audited(
    workspace: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], jump_host: SshdHost
) -> None:
    sshd_lab.write_user_ssh_config()
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts[:1]), encoding="utf-8")
    assert launchpad(workspace, "exec", "--env", "lab", "--", "true").returncode == 1
    # Behind a bastion whose key is not known, the bastion's refusal is the one recorded.
    (workspace / "site.yaml").write_text(site_yaml(ssh_hosts[:1], jump=jump_host), encoding="utf-8")
    (workspace / ".launchpad" / "known_hosts").write_text(ssh_hosts[0].known_hosts_line())
    assert launchpad(workspace, "hosts", "check", "--env", "lab").returncode == 1
    refusals = audit(workspace, "host_key_refused")
    assert [(e["target"], e["detail"]["reason"], e["detail"]["fingerprint"]) for e in refusals] == [
        ("lab/app1", "unknown", ssh_hosts[0].fingerprint()),
        (f"lab/jump:{jump_host.address}", "unknown", jump_host.fingerprint()),
    ]
