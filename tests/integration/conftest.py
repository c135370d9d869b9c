"""Fixtures that start real OpenSSH servers on 127.0.0.1 (see sshd.py).

Session-scoped servers are shared and must not be broken by a test; a test that kills,
freezes or re-keys a server starts its own with `fresh_sshd`. Every test gets its own
known_hosts file (listing all the lab's servers) and its own connection pool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from launchpad.hosts.base import Timeouts
from launchpad.hosts.hostkeys import KnownHosts
from launchpad.hosts.pool import ConnectionPool

# The database servers are registered here, once, so every module shares the same two
# session servers (a fixture imported into each test module would start its own per module).
from tests.integration.databases import mariadb_server_fixture, postgres_server_fixture  # noqa: F401
from tests.integration.sshd import SshdHost, SshdUnavailable, SshLab
from tests.servers import missing

# Short bounds so a broken connection fails a test in seconds, not minutes.
TEST_TIMEOUTS = Timeouts(
    connect=5, banner=5, auth=5, channel=5, command=30, keepalive_interval=1,
    keepalive_dead_after=3,
)


@pytest.fixture(autouse=True)
def _private_ssh_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's ~/.ssh (keys, config, known_hosts) and agent are never read or written."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("ssh-home")))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)


@pytest.fixture(scope="session")
def sshd_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshLab]:
    """The lab: client key, user, and a factory for servers (`start_host(name)`)."""
    try:
        lab = SshLab(tmp_path_factory.mktemp("sshd-lab"))
    except SshdUnavailable as exc:
        missing("OpenSSH's sshd", str(exc))
    yield lab
    lab.close()


@pytest.fixture(scope="session")
def ssh_hosts(sshd_lab: SshLab) -> list[SshdHost]:
    """Three shared servers, app1..app3. Do not kill, freeze or re-key them."""
    return [sshd_lab.start_host(f"app{n}") for n in (1, 2, 3)]


@pytest.fixture(scope="session")
def jump_host(sshd_lab: SshLab) -> SshdHost:
    """A shared server used as the bastion (forwarding allowed)."""
    return sshd_lab.start_host("bastion")


@pytest.fixture
def fresh_sshd(sshd_lab: SshLab) -> Iterator[Callable[[str], SshdHost]]:
    """Start servers of this test's own, stopped when it ends: `fresh_sshd("db1")`."""
    started: list[SshdHost] = []

    def start(name: str) -> SshdHost:
        host = sshd_lab.start_host(name)
        started.append(host)
        return host

    yield start
    for host in started:
        sshd_lab.stop_host(host)


@pytest.fixture
def known_hosts_path(
    tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], jump_host: SshdHost
) -> Path:
    """A known_hosts file listing every server started so far: the shared ones, and fresh
    ones the test started before asking for it. Plain `[127.0.0.1]:PORT` entries."""
    path = tmp_path / "known_hosts"
    path.write_text("".join(host.known_hosts_line() for host in sshd_lab.hosts))
    path.chmod(0o600)
    return path


@pytest.fixture
def known_hosts(known_hosts_path: Path) -> KnownHosts:
    """`KnownHosts` over `known_hosts_path` only (writable; no user file)."""
    return KnownHosts(read_only=(), writable=known_hosts_path)


@pytest.fixture
def ssh_pool(known_hosts: KnownHosts) -> Iterator[ConnectionPool]:
    """A pool of SSH transports trusting the lab's servers, with short timeouts."""
    pool = ConnectionPool("ssh", known_hosts=known_hosts, ssh_config=None, timeouts=TEST_TIMEOUTS)
    yield pool
    pool.close_all()
