"""The command a host-key refusal tells a person to run names the environment the host is in, and
runs as written: against real OpenSSH servers, from every command that connects (exec, hosts
check, a backup, a playbook's host step) and for a changed key as for an unknown one."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.sshd import SshdHost, SshLab

pytestmark = pytest.mark.integration

# Not `lab`, not `ENV`: a name only the site gives.
ENV = "onsite-2"
# The command runs in the workspace's folder; this checkout's launchpad is the one run there.
CHECKOUT = str(Path(__file__).resolve().parents[2])
CHECK = """\
name: check
title: 检查
phases:
  - id: p
    name: 检查
    steps:
      - {id: name, name: 主机名, kind: shell, hosts: app, run: uname -n}
"""


def write_workspace(root: Path, host: SshdHost) -> Path:
    (root / "playbooks").mkdir(parents=True)
    (root / "playbooks" / "check.yaml").write_text(CHECK, encoding="utf-8")
    (root / "site.yaml").write_text(
        "site: {name: 集成测试, client: 测试客户}\n"
        "environments:\n"
        f"  {ENV}:\n"
        f"    hosts: [{{name: {host.name}, address: 127.0.0.1, port: {host.port}, groups: [app]}}]\n"
        "    backups:\n"
        "      notes: {compression: none, command: {dump: 'echo hi', restore: 'cat > /dev/null', extension: txt}}\n",
        encoding="utf-8")
    return root


def launchpad(root: Path, *args: str, lang: str = "zh",
              environ: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """As a person types it in the folder `root` (the workspace's, unless another is named)."""
    environ = {**os.environ, "PYTHONPATH": CHECKOUT, **(environ or {})}
    return subprocess.run([sys.executable, "-m", "launchpad", "--lang", lang, *args], cwd=root, env=environ,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def trust_commands(output: str) -> list[str]:
    return re.findall(r"`(launchpad [^`]*hosts trust[^`]*)`", output)


COMMANDS = [
    ("exec", "--env", ENV, "--", "true"),
    ("hosts", "check", "--env", ENV),
    ("backup", "--env", ENV, "notes"),
    ("run", "check", "--env", ENV, "--yes"),
]


@pytest.fixture
def workspace(tmp_path: Path, sshd_lab: SshLab) -> Callable[[SshdHost], Path]:
    sshd_lab.write_user_ssh_config()
    return lambda host: write_workspace(tmp_path / "ws", host)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_unknown_keys_hint_runs_as_written(workspace: Callable[[SshdHost], Path], ssh_hosts: list[SshdHost],
                                              command: tuple[str, ...]) -> None:
    host = ssh_hosts[0]
    root = workspace(host)
    for lang in ("zh", "en"):
        refused = launchpad(root, *command, lang=lang)
        said = refused.stdout + refused.stderr
        assert refused.returncode != 0 and "ENV" not in said, said
        assert trust_commands(said) == [f"launchpad hosts trust --env {ENV}"] * len(trust_commands(said)), said
        assert trust_commands(said), said
    hinted = shlex.split(trust_commands(said)[0])[1:]
    trusted = launchpad(root, *hinted, "--accept", host.fingerprint())
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    again = launchpad(root, *command)
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_changed_keys_hint_names_the_environment(workspace: Callable[[SshdHost], Path],
                                                   fresh_sshd: Callable[[str], SshdHost]) -> None:
    host = fresh_sshd("rekeyed")
    root = workspace(host)
    assert launchpad(root, "hosts", "trust", "--env", ENV, "--accept", host.fingerprint()).returncode == 0
    host.restart(new_host_key=True)
    for command in COMMANDS:
        refused = launchpad(root, *command)
        said = refused.stdout + refused.stderr
        assert refused.returncode != 0 and "ENV" not in said and "已改变" in said, said
        assert set(trust_commands(said)) == {f"launchpad hosts trust --env {ENV}"}, said
    # The removal it names goes first, then the trust it names records the new key.
    removal = re.search(r"`(ssh-keygen -f [^`]*)`", said)
    assert removal is not None, said
    subprocess.run(shlex.split(removal.group(1)), check=True, capture_output=True)
    trusted = launchpad(root, *shlex.split(trust_commands(said)[0])[1:], "--accept", host.fingerprint())
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr


# How the workspace was named, and what the hint then names: `-w`, `--workspace` and
# LAUNCHPAD_WORKSPACE all leave a command typed in another folder without it.
NAMED = [("-w",), ("--workspace",), ()]


@pytest.mark.parametrize("named", NAMED, ids=["w", "workspace", "LAUNCHPAD_WORKSPACE"])
@pytest.mark.parametrize("here_is", ["another workspace", "no workspace"])
def test_a_hint_for_a_workspace_named_elsewhere_runs_as_written_from_there(
        tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], named: tuple[str, ...], here_is: str) -> None:
    host = ssh_hosts[1]
    sshd_lab.write_user_ssh_config()
    root = write_workspace(tmp_path / "客户 A" / "ws", host)  # a space: the folder is quoted
    if here_is == "another workspace":  # the same environment and host, found from here
        here = write_workspace(tmp_path / "other", host) / "playbooks"
    else:
        here = tmp_path / "elsewhere"
        here.mkdir()
    option = (*named, str(root)) if named else ()
    environ = {} if named else {"LAUNCHPAD_WORKSPACE": str(root)}
    refused = launchpad(here, *option, "exec", "--env", ENV, "--", "true", environ=environ)
    said = refused.stdout + refused.stderr
    expected = f"launchpad -w {shlex.quote(str(root))} hosts trust --env {ENV}"
    assert refused.returncode != 0 and trust_commands(said) == [expected], said
    # As written, in the same folder, without the variable the first command had.
    trusted = launchpad(here, *shlex.split(expected)[1:], "--accept", host.fingerprint())
    assert trusted.returncode == 0, trusted.stdout + trusted.stderr
    assert host.public_key_line().split()[1] in (root / ".launchpad" / "known_hosts").read_text()
    again = launchpad(here, *option, "exec", "--env", ENV, "--", "true", environ=environ)
    assert again.returncode == 0, again.stdout + again.stderr
    if here_is == "another workspace":  # its own key record is untouched
        assert not (tmp_path / "other" / ".launchpad" / "known_hosts").exists()
        still = launchpad(here, "exec", "--env", ENV, "--", "true")
        assert still.returncode != 0 and trust_commands(still.stdout + still.stderr) == [
            f"launchpad hosts trust --env {ENV}"], still.stdout + still.stderr


def test_a_workspace_found_from_here_is_not_named_though_given(workspace: Callable[[SshdHost], Path],
                                                              ssh_hosts: list[SshdHost]) -> None:
    """`-w` naming the workspace the folder is in: the hint typed there needs no `-w`."""
    root = workspace(ssh_hosts[2])
    refused = launchpad(root / "playbooks", "-w", str(root), "hosts", "check", "--env", ENV)
    said = refused.stdout + refused.stderr
    assert refused.returncode != 0 and trust_commands(said) == [f"launchpad hosts trust --env {ENV}"], said


def test_hosts_trust_on_a_revoked_key_names_no_bare_removal(workspace: Callable[[SshdHost], Path],
                                                            ssh_hosts: list[SshdHost]) -> None:
    """`ssh-keygen -R` leaves @revoked lines in place: a revoked key is told as revoked, with
    what to do, not with a removal naming no host."""
    host = ssh_hosts[0]
    root = workspace(host)
    (root / ".launchpad").mkdir()
    (root / ".launchpad" / "known_hosts").write_text(f"@revoked * {host.public_key_line()}\n")
    for lang, words in (("zh", "请向客户的管理员索取这台主机的新密钥"), ("en", "ask the client's administrator")):
        refused = launchpad(root, "hosts", "trust", "--env", ENV, "--accept", host.fingerprint(), lang=lang)
        said = refused.stdout + refused.stderr
        assert refused.returncode == 1 and "@revoked" in said and words in said, said
        assert "ssh-keygen" not in said and "HOST" not in said, said
