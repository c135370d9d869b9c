"""A host's error column read on a `language: zh` site and in English, against real OpenSSH
servers: an unknown host key, a key the server refuses, a port nothing answers on, a command
past its timeout and a changed key, as `exec`, `hosts check`, `hosts trust` and a failed host
step in a run show them — and the `--json` field scripts read, the same in both languages."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.sshd import SshdHost, SshLab, free_port

pytestmark = pytest.mark.integration

FAILING_STEP = """\
name: slow
title: 慢命令
phases:
  - id: p
    name: 检查
    steps:
      - {id: wait, name: 等待, kind: shell, hosts: app, run: sleep 5, timeout: 0.5}
"""


def site_yaml(hosts: list[tuple[str, int, str | None]]) -> str:
    """A Chinese site whose `lab` environment has these (name, port, user) hosts on 127.0.0.1."""
    lines = ["site: {name: 集成测试, client: 测试客户}", "environments:", "  lab:", "    hosts:"]
    for name, port, user in hosts:
        login = f", user: {user}" if user else ""
        lines.append(f"      - {{name: {name}, address: 127.0.0.1, port: {port}{login}, groups: [app]}}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def workspace(tmp_path: Path, sshd_lab: SshLab) -> Path:
    sshd_lab.write_user_ssh_config()
    root = tmp_path / "ws"
    (root / "playbooks").mkdir(parents=True)
    (root / "playbooks" / "slow.yaml").write_text(FAILING_STEP, encoding="utf-8")
    return root


def launchpad(root: Path, *args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command line as a person runs it; `lang` as `--lang`, else the site's language."""
    chosen = ["--lang", lang] if lang else []
    return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), *chosen, *args],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def write_site(root: Path, *hosts: tuple[str, int, str | None]) -> None:
    (root / "site.yaml").write_text(site_yaml(list(hosts)), encoding="utf-8")


def trust(root: Path, *hosts: SshdHost) -> None:
    accepts = [arg for host in hosts for arg in ("--accept", host.fingerprint())]
    trusted = launchpad(root, "hosts", "trust", "--env", "lab", *accepts)
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr


def row_of(output: str, host: str) -> str:
    return next(line for line in output.splitlines() if f" {host} " in f" {line} ")


def in_both(root: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """The same command on the Chinese site, then with `--lang en`."""
    return launchpad(root, *args), launchpad(root, *args, lang="en")


def assert_json_kind(root: Path, command: tuple[str, ...], kind: str, chinese: str, english: str) -> None:
    """`--json` gives the error in the command line's language and its kind in every language."""
    at = command.index("--") if "--" in command else len(command)
    with_json = (*command[:at], "--json", *command[at:])
    zh, en = (json.loads(result.stdout)[0] for result in in_both(root, *with_json))
    assert zh["error_kind"] == en["error_kind"] == kind
    assert chinese in zh["error"] and english in en["error"], (zh, en)


def test_an_unknown_key_reads_in_the_sites_language(workspace: Path, ssh_hosts: list[SshdHost]) -> None:
    host = ssh_hosts[0]
    write_site(workspace, (host.name, host.port, None))
    zh, en = in_both(workspace, "exec", "--env", "lab", "--", "echo", "hi")
    assert zh.returncode == en.returncode == 1
    assert "主机密钥未知（ssh-ed25519 " + host.fingerprint() in row_of(zh.stdout, host.name), zh.stdout
    # Run with --workspace from another folder, the command names the workspace.
    hint = f"与服务器上的指纹核对后，运行 `launchpad -w {workspace} hosts trust --env lab` 记录 {host.name} 的密钥"
    assert f"→ {host.name}: {hint}" in zh.stdout
    assert "not known" not in zh.stdout and "compare the fingerprint" not in zh.stdout
    assert "the host key is not known (ssh-ed25519 " + host.fingerprint() in row_of(en.stdout, host.name)
    assert "→ " + host.name + ": compare the fingerprint" in en.stdout

    zh, en = in_both(workspace, "hosts", "check", "--env", "lab")
    assert zh.returncode == en.returncode == 1
    assert "不可达" in row_of(zh.stdout, host.name) and "主机密钥未知（" in row_of(zh.stdout, host.name), zh.stdout
    assert "the host key is not known (" in row_of(en.stdout, host.name), en.stdout
    for command in (("exec", "--env", "lab", "--", "true"), ("hosts", "check", "--env", "lab")):
        assert_json_kind(workspace, command, "unknown_host_key", "主机密钥未知", "the host key is not known")
    checked = json.loads(launchpad(workspace, "hosts", "check", "--env", "lab", "--json").stdout)[0]
    assert checked["problem_kinds"] == ["unknown_host_key"] and checked["problems"][0].startswith("主机密钥未知")
    assert checked["hint"].startswith("与服务器上的指纹核对后") and not checked["healthy"]


def test_a_key_the_server_refuses_reads_in_the_sites_language(workspace: Path, ssh_hosts: list[SshdHost]) -> None:
    host = ssh_hosts[0]
    write_site(workspace, (host.name, host.port, "nobody-here"))
    trust(workspace, host)
    for command in (("exec", "--env", "lab", "--", "true"), ("hosts", "check", "--env", "lab")):
        zh, en = in_both(workspace, *command)
        assert zh.returncode == en.returncode == 1
        assert f"nobody-here@127.0.0.1:{host.port} 拒绝了尝试过的所有密钥（" in row_of(zh.stdout, host.name), zh.stdout
        assert "请检查用户名和 IdentityFile" in zh.stdout and "refused every key" not in zh.stdout
        assert f"nobody-here@127.0.0.1:{host.port} refused every key tried (" in row_of(en.stdout, host.name)
        assert "check the user and IdentityFile" in en.stdout
    assert_json_kind(workspace, ("exec", "--env", "lab", "--", "true"), "authentication_failed",
                     "拒绝了尝试过的所有密钥", "refused every key tried")


def test_a_port_nothing_answers_on_reads_in_the_sites_language(workspace: Path) -> None:
    port = free_port()
    write_site(workspace, ("gone", port, None))
    for command in (("exec", "--env", "lab", "--", "true"), ("hosts", "check", "--env", "lab")):
        zh, en = in_both(workspace, *command)
        assert zh.returncode == en.returncode == 1
        assert f"无法连接 127.0.0.1:{port}：连接被拒绝" in row_of(zh.stdout, "gone"), zh.stdout
        assert "Connection refused" not in zh.stdout  # the system's English reason, said in Chinese
        assert "→ gone: 请确认该主机上 sshd 正在运行、端口正确" in zh.stdout
        assert f"cannot connect to 127.0.0.1:{port}: connection refused" in row_of(en.stdout, "gone"), en.stdout
        assert "→ gone: check that sshd runs there" in en.stdout
    zh, en = in_both(workspace, "hosts", "trust", "--env", "lab")
    assert zh.returncode == en.returncode == 1
    assert f"出错     gone（[127.0.0.1]:{port}）：无法连接 127.0.0.1:{port}：" in zh.stdout, zh.stdout
    assert "    → 请确认该主机上 sshd 正在运行、端口正确" in zh.stdout and "cannot connect" not in zh.stdout
    assert f"ERROR    gone ([127.0.0.1]:{port}): cannot connect to 127.0.0.1:{port}: " in en.stdout, en.stdout
    assert "    → check that sshd runs there and the port is right" in en.stdout
    assert_json_kind(workspace, ("hosts", "check", "--env", "lab"), "host_unreachable", "无法连接", "cannot connect")


def test_a_command_past_its_timeout_reads_in_the_sites_language(workspace: Path, ssh_hosts: list[SshdHost]) -> None:
    host = ssh_hosts[0]
    write_site(workspace, (host.name, host.port, None))
    trust(workspace, host)
    command = ("exec", "--env", "lab", "--timeout", "0.5", "--", "sleep", "5")
    zh, en = in_both(workspace, *command)
    assert zh.returncode == en.returncode == 1
    assert "`sleep 5` 在 0.5 秒内没有结束；launchpad 已关闭它的通道" in row_of(zh.stdout, host.name), zh.stdout
    assert "命令可能仍在主机上运行：再次执行前请先检查" in zh.stdout
    assert "`sleep 5` did not finish within 0.5s; launchpad closed its channel" in row_of(en.stdout, host.name)
    assert "the command may still be running on the host" in en.stdout
    assert_json_kind(workspace, command, "command_timed_out", "在 0.5 秒内没有结束", "did not finish within 0.5s")


def test_a_changed_key_reads_in_the_sites_language(workspace: Path, fresh_sshd: Callable[[str], SshdHost]) -> None:
    host = fresh_sshd("rekeyed")
    write_site(workspace, (host.name, host.port, None))
    trust(workspace, host)
    host.restart(new_host_key=True)
    for command in (("exec", "--env", "lab", "--", "true"), ("hosts", "check", "--env", "lab")):
        zh, en = in_both(workspace, *command)
        assert zh.returncode == en.returncode == 1
        assert "主机密钥已改变：known_hosts 中记录的是 " in row_of(zh.stdout, host.name), zh.stdout
        assert host.fingerprint() in row_of(zh.stdout, host.name) and "不要继续；先与客户的管理员确认" in zh.stdout
        assert "the host key has CHANGED: known_hosts has " in row_of(en.stdout, host.name), en.stdout
        assert "do not continue; confirm with the client's administrator" in en.stdout
    assert_json_kind(workspace, ("exec", "--env", "lab", "--", "true"), "host_key_changed", "主机密钥已改变",
                     "the host key has CHANGED")
    zh, en = in_both(workspace, "hosts", "trust", "--env", "lab")
    assert zh.returncode == en.returncode == 1
    assert f"已改变   {host.name}（" in zh.stdout and "已拒绝" in zh.stdout and "Refused" not in zh.stdout, zh.stdout
    assert f"CHANGED  {host.name} (" in en.stdout and "Refused" in en.stdout, en.stdout


def test_a_failed_host_step_reads_in_the_sites_language(workspace: Path, ssh_hosts: list[SshdHost]) -> None:
    host, stranger = ssh_hosts[0], ssh_hosts[1]
    write_site(workspace, (host.name, host.port, None))
    trust(workspace, host)
    port = free_port()  # nothing answers there
    write_site(workspace, (host.name, host.port, None), (stranger.name, stranger.port, None), ("gone", port, None))
    ran = launchpad(workspace, "run", "slow", "--env", "lab", "--yes")
    assert ran.returncode != 0
    assert "`sleep 5` 在 0.5 秒内没有结束" in ran.stdout + ran.stderr, ran.stdout + ran.stderr
    assert "主机密钥未知（" in ran.stdout + ran.stderr
    assert "did not finish" not in ran.stdout + ran.stderr and "not known" not in ran.stdout + ran.stderr
    for fmt in ("md", "html"):
        zh, en = in_both(workspace, "runs", "show", "1", "--format", fmt)
        assert "5` 在 0.5 秒内没有结束；launchpad 已关闭它的通道" in zh.stdout.replace("\\`", "`"), zh.stdout
        assert "建议：命令可能仍在主机上运行" in zh.stdout and "主机密钥未知（" in zh.stdout
        assert f"无法连接 127.0.0.1:{port}：" in zh.stdout and "建议：请确认该主机上 sshd 正在运行" in zh.stdout
        assert "did not finish" not in zh.stdout and "not known" not in zh.stdout
        assert "5` did not finish within 0.5s; launchpad closed its channel" in en.stdout.replace("\\`", "`"), en.stdout
        assert "the host key is not known (" in en.stdout and f"cannot connect to 127.0.0.1:{port}: " in en.stdout
