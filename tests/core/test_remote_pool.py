"""The connection pool and fan-out, on the local transport and on fakes."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from launchpad.errors import CommandTimeout, LaunchpadError, RunAborted
from launchpad.hosts.base import HostSpec, Transport
from launchpad.hosts.local import LocalTransport
from launchpad.hosts.pool import ConnectionPool, default_parallelism, fan_out

HOSTS = [HostSpec(name=f"h{n}", address="localhost") for n in range(6)]


def test_one_transport_per_host_for_the_whole_run() -> None:
    with ConnectionPool("local") as pool:
        first = [pool.get(host) for host in HOSTS]
        again = [pool.get(host) for host in HOSTS]
        assert all(a is b for a, b in zip(first, again, strict=True))
        assert all(isinstance(t, LocalTransport) and t.host is h for t, h in zip(first, HOSTS, strict=True))
        assert pool.connections_opened == len(HOSTS)


def test_concurrent_gets_share_one_transport() -> None:
    pool = ConnectionPool("local")
    barrier = threading.Barrier(8)
    seen: list[Transport] = []

    def get() -> None:
        barrier.wait()
        seen.append(pool.get(HOSTS[0]))

    threads = [threading.Thread(target=get) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(t) for t in seen}) == 1 and pool.connections_opened == 1


def test_fan_out_keeps_host_order_and_captures_errors() -> None:
    def command(transport: Transport) -> bytes:
        number = int(transport.host.name[1:])
        if number == 2:
            transport.run("sleep 5", timeout=0.2)
        # Later hosts answer first: the order of the results must not follow the answers.
        return transport.run(f"sleep 0.0{9 - number}; echo {transport.host.name}").stdout

    with ConnectionPool("local") as pool:
        results = fan_out(pool, HOSTS, command, max_workers=6)
    assert [host for host, _ in results] == HOSTS
    assert isinstance(results[2][1], CommandTimeout) and results[2][1].host == "h2"
    assert [r for _, r in results if not isinstance(r, LaunchpadError)] == [
        f"h{n}\n".encode() for n in (0, 1, 3, 4, 5)
    ]


def test_a_bug_in_the_function_becomes_an_error_of_that_host() -> None:
    def buggy(transport: Transport) -> None:
        raise KeyError("oops")

    with ConnectionPool("local") as pool:
        (host, error), = fan_out(pool, HOSTS[:1], buggy)
    assert isinstance(error, LaunchpadError) and "KeyError" in error.message and host is HOSTS[0]


def test_cancel_stops_hosts_not_yet_started() -> None:
    cancel = threading.Event()

    def first_cancels(transport: Transport) -> str:
        cancel.set()
        return transport.host.name

    with ConnectionPool("local") as pool:
        results = fan_out(pool, HOSTS, first_cancels, max_workers=1, cancel=cancel)
    assert results[0][1] == "h0"
    assert all(isinstance(r, RunAborted) for _, r in results[1:])


def test_a_factory_replaces_the_transports() -> None:
    made: list[HostSpec] = []

    def factory(host: HostSpec) -> Transport:
        made.append(host)
        return LocalTransport(host)

    pool = ConnectionPool("ssh", factory=factory)
    pool.get(HOSTS[0])
    pool.get(HOSTS[0])
    assert made == [HOSTS[0]] and pool.connections_opened == 1
    pool.close_all()


@pytest.mark.parametrize(("hosts", "workers"), [(0, 1), (1, 1), (40, 40), (200, 40)])
def test_default_parallelism_is_bounded(hosts: int, workers: int) -> None:
    assert default_parallelism(hosts) == workers


def test_importing_the_transports_does_not_load_paramiko() -> None:
    probe = (
        "import sys, launchpad.hosts as remote\n"
        "from launchpad.hosts import ConnectionPool, LocalTransport, fan_out\n"
        "before = 'paramiko' in sys.modules\n"
        "remote.SshTransport\n"
        "print(before, 'paramiko' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "True"], result.stderr
