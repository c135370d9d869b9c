"""SshTransport against real sshd: commands, output, input, exit codes, files and tunnels."""

from __future__ import annotations

import hashlib
import io
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest

from launchpad.errors import CommandTimeout, RemoteError
from launchpad.hosts.base import HostSpec, Stream
from launchpad.hosts.hostkeys import KnownHosts
from launchpad.hosts.pool import ConnectionPool, fan_out
from launchpad.hosts.ssh import SshTransport
from tests.integration.conftest import TEST_TIMEOUTS
from tests.integration.sshd import SshdHost, finish_within

pytestmark = pytest.mark.integration
TEN_MIB = 10 * 1024 * 1024
BOTH_STREAMS_10_MIB = (
    "head -c 10485760 /dev/zero | tr '\\0' a; head -c 10485760 /dev/zero | tr '\\0' b >&2"
)


def test_a_command_runs_on_several_hosts_in_host_order(
    ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]
) -> None:
    specs = [host.spec() for host in ssh_hosts]
    results = fan_out(ssh_pool, specs, lambda t: t.run("echo $SSH_CONNECTION"))
    assert [spec for spec, _ in results] == specs
    for (spec, result), host in zip(results, ssh_hosts, strict=True):
        assert not isinstance(result, Exception), result
        assert result.ok and result.host == spec.name
        # sshd reports the port it serves: each host answered for itself.
        assert result.text().split()[-1] == str(host.port)


def test_one_connection_per_host_is_reused_for_the_whole_run(
    ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]
) -> None:
    specs = [host.spec() for host in ssh_hosts]
    for _ in range(4):
        for _, result in fan_out(ssh_pool, specs, lambda t: t.run("echo again")):
            assert not isinstance(result, Exception), result
    assert ssh_pool.connections_opened == len(ssh_hosts)


def test_exit_codes_stdout_and_stderr_are_reported(ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]) -> None:
    transport = ssh_pool.get(ssh_hosts[0].spec())
    result = transport.run("echo out; echo err >&2; exit 3")
    assert (result.exit_code, result.stdout, result.stderr) == (3, b"out\n", b"err\n")
    assert not result.ok and not result.truncated
    assert transport.run("true").exit_code == 0


def test_a_command_killed_by_a_signal_is_a_failure_not_a_lost_connection(
    ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]
) -> None:
    transport = ssh_pool.get(ssh_hosts[0].spec())
    result = transport.run("echo before; kill -9 $$")
    assert (result.exit_code, result.stdout, result.ok) == (-1, b"before\n", False)
    assert transport.run("echo after").stdout == b"after\n"


def test_stdin_is_delivered_and_closed(ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]) -> None:
    transport = ssh_pool.get(ssh_hosts[0].spec())
    assert transport.run("tr a-z A-Z", stdin="héllo\n".encode()).stdout == "HéLLO\n".encode()
    # Without stdin a command reading its input sees EOF at once instead of hanging.
    assert finish_within(10, lambda: transport.run("cat; echo done")).stdout == b"done\n"


def test_feed_streams_a_reader_into_the_commands_stdin(ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]) -> None:
    data = bytes(range(256)) * (TEN_MIB // 256)
    transport = ssh_pool.get(ssh_hosts[0].spec())
    result = finish_within(60, lambda: transport.feed("sha256sum", io.BytesIO(data), timeout=60))
    assert result.ok and result.text().split()[0] == hashlib.sha256(data).hexdigest()


def test_large_stdin_and_stdout_flow_at_the_same_time(
    ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]
) -> None:
    data = bytes(range(256)) * (TEN_MIB // 256)
    echoed = hashlib.sha256()
    transport = ssh_pool.get(ssh_hosts[0].spec())
    result = finish_within(
        60, lambda: transport.run("cat", stdin=data, on_output=lambda _, chunk: echoed.update(chunk))
    )
    assert echoed.digest() == hashlib.sha256(data).digest()
    # 10 MiB is beyond the default capture limit: the start is kept, and flagged.
    assert result.truncated and data.startswith(result.stdout)


def test_ten_mib_on_both_streams_does_not_deadlock(
    known_hosts: KnownHosts, ssh_hosts: list[SshdHost]
) -> None:
    arrived: dict[Stream, int] = {"stdout": 0, "stderr": 0}

    def count(stream: Stream, chunk: bytes) -> None:
        arrived[stream] += len(chunk)

    roomy = SshTransport(
        ssh_hosts[0].spec(), known_hosts=known_hosts, timeouts=TEST_TIMEOUTS,
        capture_limit=16 * 1024 * 1024,
    )
    try:
        result = finish_within(60, lambda: roomy.run(BOTH_STREAMS_10_MIB, on_output=count))
    finally:
        roomy.close()
    assert (len(result.stdout), len(result.stderr)) == (TEN_MIB, TEN_MIB)
    assert set(result.stdout) == {ord("a")} and set(result.stderr) == {ord("b")}
    assert not result.truncated
    assert arrived == {"stdout": TEN_MIB, "stderr": TEN_MIB}


def test_output_beyond_the_capture_limit_is_cut_but_still_streamed(
    known_hosts: KnownHosts, ssh_hosts: list[SshdHost]
) -> None:
    arrived: dict[Stream, int] = {"stdout": 0, "stderr": 0}

    def count(stream: Stream, chunk: bytes) -> None:
        arrived[stream] += len(chunk)

    limit = 1024 * 1024
    small = SshTransport(
        ssh_hosts[0].spec(), known_hosts=known_hosts, timeouts=TEST_TIMEOUTS,
        capture_limit=limit,
    )
    try:
        result = finish_within(60, lambda: small.run(BOTH_STREAMS_10_MIB, on_output=count))
    finally:
        small.close()
    assert result.truncated and result.ok
    assert (len(result.stdout), len(result.stderr)) == (limit, limit)
    assert arrived == {"stdout": TEN_MIB, "stderr": TEN_MIB}


def test_a_slow_command_times_out(ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]) -> None:
    transport = ssh_pool.get(ssh_hosts[1].spec())
    with pytest.raises(CommandTimeout) as caught:
        finish_within(20, lambda: transport.run("echo started; sleep 30", timeout=1))
    assert caught.value.host == ssh_hosts[1].name and "1s" in caught.value.message
    # The connection survives a command's timeout.
    assert transport.run("echo still here").stdout == b"still here\n"
    assert ssh_pool.connections_opened == 1


def test_stream_writes_stdout_into_the_sink(ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost]) -> None:
    sink = io.BytesIO()
    transport = ssh_pool.get(ssh_hosts[0].spec())
    result = transport.stream("head -c 3000000 /dev/urandom | tee /tmp/launchpad-stream | cat; echo note >&2", sink)
    remote_sum = transport.run("sha256sum /tmp/launchpad-stream; rm -f /tmp/launchpad-stream").text().split()[0]
    assert result.exit_code == 0 and result.bytes_written == 3000000
    assert hashlib.sha256(sink.getvalue()).hexdigest() == remote_sum
    assert result.stderr == b"note\n"


def test_put_copies_a_file_with_its_mode(
    ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost], tmp_path: Path
) -> None:
    local = tmp_path / "release notes.txt"
    local.write_bytes("发布说明 $(not run)\n".encode() * 1000)
    remote = f"{tmp_path}/copied 'file'.txt"
    transport = ssh_pool.get(ssh_hosts[0].spec())
    transport.put(str(local), remote, mode=0o640)
    assert Path(remote).read_bytes() == local.read_bytes()
    assert Path(remote).stat().st_mode & 0o777 == 0o640
    with pytest.raises(RemoteError) as caught:
        transport.put(str(local), f"{tmp_path}/missing-dir/x")
    assert caught.value.host == ssh_hosts[0].name and "missing-dir" in caught.value.message


@pytest.fixture
def echo_server() -> Iterator[tuple[str, int]]:
    """A TCP echo server on loopback, as a database behind the app server would be."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                while data := conn.recv(65536):
                    conn.sendall(data)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[:2]
    stop.set()
    server.close()


def read_to_end(sock: socket.socket) -> bytes:
    received = bytearray()
    while chunk := sock.recv(65536):
        received += chunk
    return bytes(received)


def test_tunnel_forwards_to_an_address_the_host_reaches(
    ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost], echo_server: tuple[str, int]
) -> None:
    transport = ssh_pool.get(ssh_hosts[2].spec())
    with transport.tunnel(*echo_server) as (address, port):
        assert (address, port) != echo_server
        for attempt in range(2):  # each client connection gets its own channel
            with socket.create_connection((address, port), timeout=5) as client:
                payload = f"ping {attempt} ".encode() * 5000
                client.sendall(payload)
                client.shutdown(socket.SHUT_WR)
                received = read_to_end(client)
            assert received == payload
    with pytest.raises(OSError):
        socket.create_connection((address, port), timeout=2)


def test_proxy_jump_from_the_host_spec(
    ssh_pool: ConnectionPool, ssh_hosts: list[SshdHost], jump_host: SshdHost
) -> None:
    specs = [host.spec(jump=jump_host.spec()) for host in ssh_hosts]
    results = fan_out(ssh_pool, specs, lambda t: t.run("echo $SSH_CONNECTION"))
    for (_, result), host in zip(results, ssh_hosts, strict=True):
        assert not isinstance(result, Exception), result
        assert result.text().split()[-1] == str(host.port)
    # One connection per target plus one to the bastion, shared by all of them.
    assert ssh_pool.connections_opened == len(ssh_hosts) + 1
    transport = ssh_pool.get(specs[0])
    assert isinstance(transport, SshTransport)
    assert isinstance(transport.connect().transport.sock, paramiko.Channel)


def test_proxy_jump_from_ssh_config(
    known_hosts: KnownHosts, ssh_hosts: list[SshdHost], jump_host: SshdHost, tmp_path: Path
) -> None:
    lab = jump_host.lab
    config = tmp_path / "ssh_config"
    config.write_text(
        f"Host target\n  HostName 127.0.0.1\n  Port {ssh_hosts[0].port}\n  User {lab.user}\n"
        f"  IdentityFile {lab.client_key}\n  ProxyJump bastion\n"
        f"Host bastion\n  HostName 127.0.0.1\n  Port {jump_host.port}\n"
        f"  IdentityFile {lab.client_key}\n"
    )
    pool = ConnectionPool(
        "ssh", known_hosts=known_hosts, ssh_config=str(config), timeouts=TEST_TIMEOUTS
    )
    try:
        transport = pool.get(HostSpec(name="app", address="target"))
        assert transport.run("echo $SSH_CONNECTION").text().split()[-1] == str(ssh_hosts[0].port)
        assert isinstance(transport, SshTransport) and transport.jump is not None
        assert transport.jump.target.port == jump_host.port
        assert pool.connections_opened == 2
    finally:
        pool.close_all()
