"""Connections to one environment's hosts for the length of a run or a command.

Turns site.yaml hosts into transport host specs (with the environment's jump host), opens one
connection per host on first use and reuses it, and closes them all at the end. Every host key
is checked against the known_hosts files ssh would read for the host and the workspace's own
trusted-keys file; a refused key is audited.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from launchpad.errors import HostKeyRefused
from launchpad.hosts.base import HostSpec, Timeouts, Transport
from launchpad.phrases import Said, phrase
from launchpad.workspace.folder import Workspace
from launchpad.workspace.site import Environment, Host

if TYPE_CHECKING:
    from launchpad.hosts.sshconfig import SshTarget


def host_spec(environment: Environment, host: Host) -> HostSpec:
    jump = None
    if environment.jump is not None:
        jump = HostSpec(
            name=f"jump:{environment.jump.address}",
            address=environment.jump.address,
            port=environment.jump.port,
            user=environment.jump.user,
        )
    return HostSpec(
        name=host.name,
        address=host.address,
        port=host.port,
        user=host.user,
        jump=jump,
        groups=tuple(host.groups),
    )


@dataclass(frozen=True)
class OfferedKey:
    """What `hosts trust` shows for one host: its key and how it compares with the record."""

    host: str
    address: str
    state: str  # known | unknown | changed | revoked | error
    key_type: str = ""
    fingerprint: str = ""
    known_fingerprint: str = ""
    error: Said = ""  # shown in the reader's language
    offer: Any = None
    hint: Said = ""
    error_kind: str = ""  # the error's kind, the same in every language
    # A jump host (bastion): the hosts behind it are read through it once it is trusted.
    is_jump: bool = False


class HostConnections:
    def __init__(
        self,
        workspace: Workspace,
        env_name: str,
        *,
        store: Any = None,
        actor: str = "",
        timeouts: Timeouts | None = None,
    ) -> None:
        self.workspace = workspace
        self.env_name = env_name
        self.environment = workspace.environment(env_name)
        self.store, self.actor = store, actor
        self.timeouts = timeouts or Timeouts()
        self._local: dict[str, Transport] = {}
        self._lock = threading.Lock()
        self._pool: Any = None
        self._known_hosts_files: Any = None

    def transport_for(self, host: Host) -> Transport:
        spec = host_spec(self.environment, host)
        if self.environment.transport == "local":
            with self._lock:
                if host.name not in self._local:
                    from launchpad.hosts.local import LocalTransport

                    self._local[host.name] = LocalTransport(spec, timeouts=self.timeouts, cwd=str(self.workspace.root))
                return self._local[host.name]
        return self._ssh_pool().get(spec)

    def _ssh_pool(self) -> Any:
        with self._lock:
            if self._pool is None:
                from launchpad.hosts.pool import ConnectionPool

                self._pool = ConnectionPool(
                    "ssh",
                    known_hosts=self._known_hosts(),
                    timeouts=self.timeouts,
                    on_host_key_refused=self._audit_refused_key,
                )
            return self._pool

    def _audit_refused_key(self, target: SshTarget, refused: HostKeyRefused) -> None:
        """A host key refused while connecting: a security decision, so it is audited (when
        the caller keeps a log: the dashboard's background probe does not)."""
        if self.store is None:
            return
        detail = {"fingerprint": refused.fingerprint, "key_type": refused.key_type, "reason": refused.refusal}
        self.store.audit(self.actor, "host_key_refused", f"{self.env_name}/{target.name}", detail)

    def _known_hosts(self) -> Any:
        # One instance for the command: a key `hosts trust` records is seen by the next scan.
        if self._known_hosts_files is None:
            from launchpad.hosts.hostkeys import KnownHosts

            self._known_hosts_files = KnownHosts.for_workspace(
                self.workspace.known_hosts, env=self.env_name,
                workspace_dir=None if self.workspace.found_here else str(self.workspace.root))
        return self._known_hosts_files

    # -- host keys ------------------------------------------------------------------------

    def offered_keys(self) -> Iterator[OfferedKey]:
        """The key each host offers now, compared with what is recorded (no login), jump hosts
        first. Trust a jump host's key before asking for the next: the hosts behind it are
        read through it."""
        if self.environment.transport == "local":
            return
        from launchpad.errors import LaunchpadError
        from launchpad.hosts.column import error_fields
        from launchpad.hosts.hostkeys import known_hosts_name
        from launchpad.hosts.hosttrust import scan_in_order
        from launchpad.hosts.sshconfig import SshConfigResolver

        resolver = SshConfigResolver()
        targets = []
        for host in self.environment.hosts:
            try:
                targets.append(resolver.resolve(host_spec(self.environment, host)))
            except LaunchpadError as exc:
                yield OfferedKey(host.name, host.address, "error", **error_fields(host.name, exc))
        scans = scan_in_order(targets, known_hosts=self._known_hosts(), timeouts=self.timeouts)
        for scan in scans:
            offer = scan.offer
            if offer is None:
                error = scan.error or LaunchpadError(phrase("hosttrust.no_key_read"))
                yield OfferedKey(
                    scan.target.name,
                    known_hosts_name(scan.target.hostname, scan.target.port),
                    "error",
                    **error_fields(scan.target.name, error),
                    is_jump=scan.is_jump,
                )
                continue
            yield OfferedKey(
                offer.host,
                offer.known_hosts_name,
                offer.status.state,
                key_type=offer.key_type,
                fingerprint=offer.fingerprint,
                known_fingerprint=offer.status.recorded(),
                offer=offer,
                is_jump=scan.is_jump,
            )

    def trust(self, offered: OfferedKey) -> Path:
        """Record a key a person has accepted; changed or revoked keys are refused."""
        from launchpad.hosts.hosttrust import trust_host_key

        return Path(trust_host_key(offered.offer, self._known_hosts()))

    @property
    def connections_opened(self) -> int:
        return len(self._local) + (self._pool.connections_opened if self._pool else 0)

    def close(self) -> None:
        for transport in self._local.values():
            transport.close()
        self._local.clear()
        if self._pool is not None:
            self._pool.close_all()
            self._pool = None

    def __enter__(self) -> HostConnections:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
