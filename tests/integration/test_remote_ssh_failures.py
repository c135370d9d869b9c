"""What happens when the network or the server fails: an error naming the host, in bounded
time, and never a command reported as successful."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from launchpad.errors import (
    AuthenticationFailed,
    ConnectionLost,
    HostUnreachable,
    LaunchpadError,
)
from launchpad.hosts.base import HostSpec, Stream, Transport
from launchpad.hosts.hostkeys import KnownHosts
from launchpad.hosts.pool import ConnectionPool, fan_out
from tests.integration.conftest import TEST_TIMEOUTS
from tests.integration.sshd import SshdHost, finish_within, free_port, generate_key

pytestmark = pytest.mark.integration
# Far above the 3 s the test timeouts allow a silent connection, far below "it hangs".
DOES_NOT_HANG = 20.0


@pytest.fixture
def doomed(fresh_sshd: Callable[[str], SshdHost]) -> SshdHost:
    return fresh_sshd("doomed")


@pytest.fixture
def pool_with_doomed(doomed: SshdHost, known_hosts_path: Path) -> Iterator[ConnectionPool]:
    known_hosts_path.write_text(known_hosts_path.read_text() + doomed.known_hosts_line())
    pool = ConnectionPool(
        "ssh",
        known_hosts=KnownHosts(read_only=(known_hosts_path,)),
        ssh_config=None,
        timeouts=TEST_TIMEOUTS,
    )
    yield pool
    pool.close_all()


def when_output_starts(action: Callable[[], None]) -> Callable[[Stream, bytes], None]:
    """An output callback that runs `action` (in another thread) on the first chunk."""
    started = threading.Event()

    def on_output(stream: Stream, chunk: bytes) -> None:
        if not started.is_set():
            started.set()
            threading.Thread(target=action, daemon=True).start()

    return on_output


def test_a_server_killed_mid_command_fails_the_command(
    pool_with_doomed: ConnectionPool, doomed: SshdHost
) -> None:
    transport = pool_with_doomed.get(doomed.spec())
    on_output = when_output_starts(doomed.kill_sessions)
    with pytest.raises(ConnectionLost) as caught:
        finish_within(
            DOES_NOT_HANG,
            lambda: transport.run("echo started; sleep 30; echo finished", on_output=on_output),
        )
    assert caught.value.host == "doomed" and "outcome on the host is unknown" in caught.value.hint
    # The next command opens a new connection instead of waiting on the dead one.
    assert transport.run("echo again").stdout == b"again\n"
    assert pool_with_doomed.connections_opened == 2


def test_a_dump_cut_off_mid_stream_is_not_a_success(
    pool_with_doomed: ConnectionPool, doomed: SshdHost
) -> None:
    transport = pool_with_doomed.get(doomed.spec())

    class Sink:
        written = 0

        def write(self, chunk: bytes) -> int:
            if not self.written:
                threading.Thread(target=doomed.kill_sessions, daemon=True).start()
            self.written += len(chunk)
            return len(chunk)

    sink = Sink()
    with pytest.raises(ConnectionLost):
        finish_within(
            DOES_NOT_HANG,
            lambda: transport.stream("head -c 2000000000 /dev/zero", sink),
        )
    assert 0 < sink.written < 2_000_000_000


def test_a_silent_connection_is_declared_dead_within_the_bound(
    pool_with_doomed: ConnectionPool, doomed: SshdHost
) -> None:
    """The server's processes are stopped: TCP stays open, nothing answers (a cut network)."""
    transport = pool_with_doomed.get(doomed.spec())
    on_output = when_output_starts(doomed.freeze_sessions)
    started = time.monotonic()
    with pytest.raises(ConnectionLost) as caught:
        finish_within(DOES_NOT_HANG, lambda: transport.run("echo started; sleep 60", on_output=on_output))
    assert "no answer" in caught.value.message
    assert time.monotonic() - started < DOES_NOT_HANG
    # New connections are served by new processes, which are not frozen.
    assert finish_within(DOES_NOT_HANG, lambda: transport.run("echo fresh")).stdout == b"fresh\n"


def test_a_connection_that_went_silent_while_idle_is_not_waited_on(
    pool_with_doomed: ConnectionPool, doomed: SshdHost
) -> None:
    """Frozen between two commands: the next one blocks inside paramiko (opening a session),
    where only the heartbeat's watchdog can end the wait."""
    transport = pool_with_doomed.get(doomed.spec())
    transport.run("true")
    doomed.freeze_sessions()
    with pytest.raises(ConnectionLost) as caught:
        finish_within(DOES_NOT_HANG, lambda: transport.run("echo never"))
    assert "no answer" in caught.value.message


def test_a_closed_port_is_unreachable(ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]) -> None:
    spec = ssh_hosts[0].spec(name="nowhere", port=free_port())
    with pytest.raises(HostUnreachable) as caught:
        finish_within(DOES_NOT_HANG, lambda: ssh_pool.get(spec).run("true"))
    assert caught.value.host == "nowhere" and "refused" in caught.value.message.lower()


def test_a_port_that_never_speaks_ssh_times_out(known_hosts: KnownHosts) -> None:
    silent = socket.create_server(("127.0.0.1", 0))  # accepts (backlog) and never answers
    pool = ConnectionPool(
        "ssh", known_hosts=known_hosts, ssh_config=None, timeouts=replace(TEST_TIMEOUTS, banner=1)
    )
    try:
        spec = HostSpec(name="mute", address="127.0.0.1", port=silent.getsockname()[1])
        with pytest.raises(HostUnreachable) as caught:
            finish_within(DOES_NOT_HANG, lambda: pool.get(spec).run("true"))
        assert caught.value.host == "mute"
    finally:
        pool.close_all()
        silent.close()


def test_a_key_the_server_does_not_know_fails_authentication(
    ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost], tmp_path: Path
) -> None:
    stranger = generate_key(tmp_path / "stranger_key")
    spec = ssh_hosts[0].spec(identity_file=str(stranger))
    with pytest.raises(AuthenticationFailed) as caught:
        ssh_pool.get(spec).run("true")
    assert caught.value.host == ssh_hosts[0].name and str(stranger) in caught.value.message


def test_one_bad_host_does_not_spoil_the_others(
    ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]
) -> None:
    specs = [host.spec() for host in ssh_hosts]
    specs.insert(1, ssh_hosts[0].spec(name="down", port=free_port()))

    def hostname(transport: Transport) -> str:
        return transport.run("echo ok").text().strip()

    results = fan_out(ssh_pool, specs, hostname)
    assert [spec.name for spec, _ in results] == [s.name for s in specs]
    assert isinstance(results[1][1], HostUnreachable)
    assert [r for _, r in results if not isinstance(r, LaunchpadError)] == ["ok"] * len(ssh_hosts)
