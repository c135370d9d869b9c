"""Host specs completed by ssh_config: explicit fields win, then the file, then defaults."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from launchpad.errors import UsageError
from launchpad.hosts.base import HostSpec
from launchpad.hosts.sshconfig import SshConfigResolver, parse_proxy_jump

CONFIG = """
Host app1
    HostName 10.0.0.11
    User deploy
    Port 2201
    IdentityFile ~/.ssh/app_key
    ProxyJump ops@bastion.example.com:2222

Host bastion
    HostName 192.0.2.10
    User ops

Host chain
    HostName 10.0.0.12
    ProxyJump bastion,inner:2200

Host legacy
    ProxyCommand nc %h %p

Host loop
    ProxyJump loop
"""


@pytest.fixture
def resolver(tmp_path: Path) -> SshConfigResolver:
    path = tmp_path / "config"
    path.write_text(CONFIG)
    return SshConfigResolver(path)


def test_the_config_fills_what_the_spec_leaves_open(resolver: SshConfigResolver) -> None:
    target = resolver.resolve(HostSpec(name="app", address="app1"))
    assert (target.name, target.hostname, target.port, target.user) == (
        "app", "10.0.0.11", 2201, "deploy"
    )
    assert target.identity_files == (str(Path.home() / ".ssh" / "app_key"),)
    assert target.jump is not None
    assert (target.jump.hostname, target.jump.port, target.jump.user) == (
        "bastion.example.com", 2222, "ops"
    )


def test_explicit_fields_win_over_the_config(resolver: SshConfigResolver) -> None:
    spec = HostSpec(
        name="app", address="app1", port=22, user="root", identity_file="/keys/k",
        jump=HostSpec(name="gw", address="gw.example.com"),
    )
    target = resolver.resolve(spec)
    assert (target.port, target.user) == (22, "root")
    assert target.identity_files[0] == "/keys/k"
    assert target.jump is not None and target.jump.hostname == "gw.example.com"


def test_defaults_apply_when_neither_says(resolver: SshConfigResolver) -> None:
    target = resolver.resolve(HostSpec(name="x", address="198.51.100.7"))
    assert (target.hostname, target.port, target.user, target.jump) == (
        "198.51.100.7", 22, getpass.getuser(), None
    )


def test_a_jump_alias_is_resolved_through_the_config(resolver: SshConfigResolver) -> None:
    target = resolver.resolve(HostSpec(name="c", address="chain"))
    # "bastion,inner:2200": bastion is reached first, inner through it, the target last.
    inner = target.jump
    assert inner is not None and (inner.hostname, inner.port) == ("inner", 2200)
    assert inner.jump is not None and (inner.jump.hostname, inner.jump.user) == ("192.0.2.10", "ops")


def test_proxy_command_is_refused_with_a_way_out(resolver: SshConfigResolver) -> None:
    with pytest.raises(UsageError, match="ProxyCommand") as caught:
        resolver.resolve(HostSpec(name="old", address="legacy"))
    assert "ProxyJump" in caught.value.hint


def test_a_jump_loop_is_reported(resolver: SshConfigResolver) -> None:
    with pytest.raises(UsageError, match="loop"):
        resolver.resolve(HostSpec(name="l", address="loop"))


def test_a_missing_config_file_is_no_config(tmp_path: Path) -> None:
    target = SshConfigResolver(tmp_path / "absent").resolve(HostSpec(name="a", address="app1"))
    assert (target.hostname, target.port) == ("app1", 22)
    assert SshConfigResolver(None).resolve(HostSpec(name="a", address="app1")).hostname == "app1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("bastion", (None, "bastion", None)),
        ("ops@bastion:2222", ("ops", "bastion", 2222)),
        ("ssh://ops@[2001:db8::1]:22", ("ops", "2001:db8::1", 22)),
    ],
)
def test_proxy_jump_values(value: str, expected: tuple[str | None, str, int | None]) -> None:
    hop = parse_proxy_jump(value)
    assert (hop.user, hop.address, hop.port) == expected


def test_a_malformed_proxy_jump_is_explained() -> None:
    with pytest.raises(UsageError, match="user@"):
        parse_proxy_jump("ops@@bastion:port")


KNOWN_HOSTS_CONFIG = """
Host two
    HostName 10.0.0.21
    Port 2202
    UserKnownHostsFile ~/first "~/my hosts/second" /etc/%h_%p
    GlobalKnownHostsFile = "/srv/ssh keys/global"

Host nowhere
    UserKnownHostsFile none
"""


def test_known_hosts_files_named_by_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text(KNOWN_HOSTS_CONFIG)
    resolver = SshConfigResolver(path)
    target = resolver.resolve(HostSpec(name="t", address="two"))
    home = Path.home()
    assert target.user_known_hosts == (
        str(home / "first"), str(home / "my hosts" / "second"), "/etc/10.0.0.21_2202"
    )
    # paramiko drops the quotes around a whole value; the path keeps its space all the same.
    assert target.global_known_hosts == ("/srv/ssh keys/global",)
    nowhere = resolver.resolve(HostSpec(name="n", address="nowhere"))
    assert (nowhere.user_known_hosts, nowhere.global_known_hosts) == ((), None)
    unnamed = resolver.resolve(HostSpec(name="x", address="198.51.100.7"))
    assert (unnamed.user_known_hosts, unnamed.global_known_hosts) == (None, None)


def test_an_unbalanced_quote_in_a_known_hosts_setting_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text('Host q\n    UserKnownHostsFile ~/a "~/b\n')
    with pytest.raises(UsageError, match="unbalanced quote") as caught:
        SshConfigResolver(path).resolve(HostSpec(name="q", address="q"))
    assert str(path) in caught.value.message


def test_an_ssh_config_that_is_a_folder_says_why_in_the_readers_language(tmp_path: Path) -> None:
    from launchpad.phrases import render

    with pytest.raises(UsageError) as refused:
        SshConfigResolver(tmp_path).resolve(HostSpec(name="app", address="app1"))
    said = refused.value.said
    assert render(said, "zh") == f"无法使用 ssh 配置文件 {tmp_path}：这是目录，不是文件"
    assert render(said, "en") == f"cannot use ssh config {tmp_path}: it is a folder, not a file"
