"""Long streams through a real sshd survive paramiko's key re-exchanges.

paramiko re-keys every 512 MiB. Its transport thread answers a channel's CLOSE (and requests
that want a reply) through a call that waits for the key exchange to end — which only that
same thread can finish: a channel ending during a re-key hung the connection for 30 s, then
failed it ("Key-exchange timed out"). Streams of about 1 GiB ended right at the second re-key
and stalled in 7 of 16 runs. `RekeySafeTransport` defers those replies until the new keys are
in use. The first test makes a re-key coincide with channel ends dozens of times in a few
seconds; the second streams 1.5 GiB three times over one connection, as the issue asks.
"""

from __future__ import annotations

import hashlib
import textwrap
from functools import partial
from pathlib import Path

import pytest

from launchpad.backup.session import BackupSession
from launchpad.backup.take import take_backup
from launchpad.backup.verify import verify_backup
from launchpad.hosts.base import Timeouts
from launchpad.hosts.connect import HostConnections
from launchpad.hosts.pool import ConnectionPool
from launchpad.hosts.ssh import SshTransport
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.integration.sshd import SshdHost, SshLab, finish_within

pytestmark = pytest.mark.integration
SIZE = 1536 * 1024 * 1024  # 1.5 GiB
STREAM_BOUND = 180.0  # seconds; a healthy stream takes ~5–15 s here, a stalled one never ends


def test_re_keys_that_coincide_with_channel_ends_do_not_stall(ssh_pool: ConnectionPool,
                                                              ssh_hosts: list[SshdHost]) -> None:
    transport = ssh_pool.get(ssh_hosts[0].spec())
    assert isinstance(transport, SshTransport)
    connection = transport.connect()
    # A re-key after every 48 KiB: each command's 64 KiB of output triggers one, and its end
    # (EOF, exit status, CLOSE) often lands while it runs. Before the fix: stalled by command 3.
    connection.transport.packetizer.REKEY_BYTES = 48 * 1024
    for number in range(30):
        result = finish_within(20, lambda: transport.run("head -c 65536 /dev/zero", timeout=15))
        assert result.ok and len(result.stdout) == 65536, f"command {number}: {result}"
    assert ssh_pool.connections_opened == 1  # never reconnected


class _Hashing:
    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> int:
        self.digest.update(chunk)
        self.size += len(chunk)
        return len(chunk)


def test_three_streams_of_1_5_gib_over_one_connection(tmp_path: Path, sshd_lab: SshLab,
                                                     ssh_hosts: list[SshdHost]) -> None:
    host = ssh_hosts[0]
    root = sshd_lab.workspace_trusting(tmp_path / "ws", host)
    (root / "site.yaml").write_text(textwrap.dedent(f"""\
        site: {{name: 大流量, client: 客户}}
        environments:
          lab:
            hosts: [{{name: app1, address: {host.address}, port: {host.port}}}]
            backups:
              big:
                compression: none
                command: {{dump: "head -c {SIZE} /dev/zero", restore: "cat > /dev/null", extension: bin}}
        """), encoding="utf-8")
    workspace = load_workspace(root)
    store = Store.open(workspace.store_path)
    timeouts = Timeouts(keepalive_interval=2, keepalive_dead_after=10)
    with HostConnections(workspace, "lab", timeouts=timeouts) as connections:
        session = BackupSession(workspace, store, connections.transport_for, "tester")
        # 1: a whole backup: streamed, hashed, written, synced, checked, recorded.
        record = finish_within(STREAM_BOUND, lambda: take_backup(session, "lab", "big"))
        assert record.size == SIZE and verify_backup(session, record.id).ok
        record.path(workspace.backups_dir).unlink()  # 1.5 GiB: not kept longer than needed
        # 2, 3: the same stream into a hashing sink, on the same connection.
        transport = connections.transport_for(workspace.site.environments["lab"].hosts[0])
        for _ in range(2):
            sink = _Hashing()
            result = finish_within(STREAM_BOUND,
                                   partial(transport.stream, f"head -c {SIZE} /dev/zero", sink, timeout=600))
            assert result.exit_code == 0 and sink.size == SIZE
            assert sink.digest.hexdigest() == record.sha256
        assert connections.connections_opened == 1
    store.close()
