"""Strict host key checking against real sshd: unknown and changed keys are refused."""

from __future__ import annotations

import re
import shlex
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from launchpad.errors import ChangedHostKey, RemoteError, UnknownHostKey
from launchpad.hosts.hostkeys import KnownHosts
from launchpad.hosts.hosttrust import fetch_host_key, trust_host_key
from launchpad.hosts.ssh import SshTransport
from launchpad.hosts.sshconfig import SshConfigResolver
from tests.integration.conftest import TEST_TIMEOUTS
from tests.integration.sshd import SshdHost, SshLab

pytestmark = pytest.mark.integration


def transport_for(host: SshdHost, known_hosts: KnownHosts, **spec: object) -> SshTransport:
    return SshTransport(
        host.spec(**spec),
        known_hosts=known_hosts,
        timeouts=TEST_TIMEOUTS,
        ssh_config=SshConfigResolver(None),
    )


def test_unknown_key_is_refused_then_trusted_explicitly(
    fresh_sshd: Callable[[str], SshdHost], tmp_path: Path
) -> None:
    host = fresh_sshd("newhost")
    known_hosts = KnownHosts(read_only=(), writable=tmp_path / "workspace" / "known_hosts")
    transport = transport_for(host, known_hosts)
    with pytest.raises(UnknownHostKey) as caught:
        transport.run("true")
    refused = caught.value
    assert refused.host == "newhost" and refused.key_type == "ssh-ed25519"
    assert refused.fingerprint == host.fingerprint()  # exactly what ssh-keygen -lf prints
    assert "newhost" in refused.render() and host.fingerprint() in refused.render()

    offer = fetch_host_key(
        host.spec(), known_hosts=known_hosts, timeouts=TEST_TIMEOUTS, ssh_config=SshConfigResolver(None)
    )
    assert offer.fingerprint == host.fingerprint() and offer.status.state == "unknown"
    assert offer.known_hosts_name == f"[127.0.0.1]:{host.port}"
    path = trust_host_key(offer, known_hosts)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    line = path.read_text()
    assert line.startswith("|1|") and "127.0.0.1" not in line  # hashed, like HashKnownHosts
    assert transport.run("echo trusted").stdout == b"trusted\n"
    # A new process reading the file trusts the host too.
    fresh = transport_for(host, KnownHosts(read_only=(path,)))
    try:
        assert fresh.run("true").ok
    finally:
        fresh.close()
        transport.close()


@pytest.mark.parametrize("hashed", [False, True], ids=["plain", "hashed"])
def test_bracketed_port_entries_are_accepted(
    fresh_sshd: Callable[[str], SshdHost], tmp_path: Path, hashed: bool
) -> None:
    host = fresh_sshd("entry")
    users_file = tmp_path / "users_known_hosts"
    users_file.write_text("# the user's own file\n" + host.known_hosts_line(hashed=hashed))
    transport = transport_for(host, KnownHosts(read_only=(users_file,)))
    try:
        assert transport.run("echo ok").stdout == b"ok\n"
    finally:
        transport.close()


def test_a_bare_entry_does_not_cover_another_port(
    fresh_sshd: Callable[[str], SshdHost], tmp_path: Path
) -> None:
    host = fresh_sshd("bare")
    file = tmp_path / "known_hosts"
    file.write_text(f"127.0.0.1 {host.public_key_line()}\n")  # port 22 only, as in OpenSSH
    with pytest.raises(UnknownHostKey):
        transport_for(host, KnownHosts(read_only=(file,))).run("true")


def test_changed_key_is_refused(
    fresh_sshd: Callable[[str], SshdHost], tmp_path: Path
) -> None:
    host = fresh_sshd("reinstalled")
    file = tmp_path / "known_hosts"
    file.write_text(host.known_hosts_line(hashed=True))
    old_fingerprint = host.fingerprint()
    host.restart(new_host_key=True)
    transport = transport_for(host, KnownHosts(read_only=(file,)))
    with pytest.raises(ChangedHostKey) as caught:
        transport.run("true")
    changed = caught.value
    assert changed.host == "reinstalled" and changed.fingerprint == host.fingerprint()
    assert old_fingerprint in changed.known_fingerprint and f"{file}:1" in changed.known_fingerprint
    assert "CHANGED" in changed.render()
    # `hosts trust` sees the change too, and will not record the new key over the old one.
    known_hosts = KnownHosts(read_only=(), writable=file)
    offer = fetch_host_key(host.spec(), known_hosts=known_hosts, ssh_config=SshConfigResolver(None))
    assert offer.status.state == "changed" and offer.fingerprint == host.fingerprint()
    with pytest.raises(ChangedHostKey):
        trust_host_key(offer, known_hosts)


def test_a_changed_key_names_the_command_that_removes_the_old_entry(
    fresh_sshd: Callable[[str], SshdHost], tmp_path: Path
) -> None:
    host = fresh_sshd("rebuilt")
    file = tmp_path / "known_hosts"
    file.write_text(host.known_hosts_line(hashed=True))
    host.restart(new_host_key=True)
    with pytest.raises(ChangedHostKey) as caught:
        transport_for(host, KnownHosts(read_only=(file,))).run("true")
    # The hint's command, run as a person would copy it, removes the entry from the file that
    # holds it (not ~/.ssh/known_hosts), under the name it is filed by ([address]:port).
    found = re.search(r"`(ssh-keygen [^`]+)`", caught.value.hint)
    assert found is not None, caught.value.hint
    subprocess.run(shlex.split(found.group(1)), check=True, capture_output=True)
    known_hosts = KnownHosts(read_only=(), writable=file)
    offer = fetch_host_key(host.spec(), known_hosts=known_hosts, ssh_config=SshConfigResolver(None))
    assert offer.status.state == "unknown"


def test_hosts_trust_on_a_changed_key_names_the_command_that_removes_the_old_entry(
    fresh_sshd: Callable[[str], SshdHost], sshd_lab: SshLab, tmp_path: Path
) -> None:
    from tests.commandline import launch

    host = fresh_sshd("rebuilt")
    root = sshd_lab.workspace_trusting(tmp_path / "ws", host)
    (root / "site.yaml").write_text("site: {name: 换钥, client: 客户}\nenvironments:\n  lab:\n    hosts: "
                                    f"[{{name: rebuilt, address: {host.address}, port: {host.port}}}]\n",
                                    encoding="utf-8")
    host.restart(new_host_key=True)
    code, output = launch(root, "--lang", "zh", "hosts", "trust", "--env", "lab")
    assert code == 1
    command = f"ssh-keygen -f {root / '.launchpad' / 'known_hosts'} -R '[{host.address}]:{host.port}'"
    assert f"`{command}`" in output, output


def test_a_revoked_key_is_refused(
    fresh_sshd: Callable[[str], SshdHost], tmp_path: Path
) -> None:
    host = fresh_sshd("revoked")
    file = tmp_path / "known_hosts"
    file.write_text(host.known_hosts_line() + f"@revoked * {host.public_key_line()}\n")
    with pytest.raises(RemoteError, match="revoked"):
        transport_for(host, KnownHosts(read_only=(file,))).run("true")


def test_the_jump_host_key_is_checked_too(
    ssh_hosts: list[SshdHost], jump_host: SshdHost, tmp_path: Path
) -> None:
    file = tmp_path / "known_hosts"
    file.write_text(ssh_hosts[0].known_hosts_line())  # the target is known, the bastion not
    transport = transport_for(ssh_hosts[0], KnownHosts(read_only=(file,)), jump=jump_host.spec())
    with pytest.raises(UnknownHostKey) as caught:
        transport.run("true")
    assert caught.value.host == jump_host.name
    assert caught.value.fingerprint == jump_host.fingerprint()


def test_a_key_behind_a_jump_host_can_be_fetched(
    fresh_sshd: Callable[[str], SshdHost], jump_host: SshdHost, tmp_path: Path
) -> None:
    host = fresh_sshd("behind")
    known_hosts = KnownHosts(read_only=(), writable=tmp_path / "known_hosts")
    (tmp_path / "known_hosts").write_text(jump_host.known_hosts_line())
    offer = fetch_host_key(
        host.spec(jump=jump_host.spec()),
        known_hosts=known_hosts,
        timeouts=TEST_TIMEOUTS,
        ssh_config=SshConfigResolver(None),
    )
    assert offer.fingerprint == host.fingerprint()
    trust_host_key(offer, known_hosts)
    transport = transport_for(host, known_hosts, jump=jump_host.spec())
    try:
        assert transport.run("echo via bastion").stdout == b"via bastion\n"
    finally:
        transport.close()
