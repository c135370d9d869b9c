"""Trusting a host: read the key it offers, let a person compare it, then record it.

`launchpad hosts trust` is the only way a key enters launchpad's known_hosts: the key is read
with the SSH handshake alone (nothing is authenticated, no credential is offered to a host we
do not know yet), its fingerprint is shown in OpenSSH's format, and only a yes from a person
(or `--accept FINGERPRINT` checked out of band) records it.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import paramiko

from launchpad.errors import ChangedHostKey, RemoteError
from launchpad.remote.base import HostSpec, Timeouts
from launchpad.remote.hostkeys import HostKeyStatus, KnownHosts, fingerprint, known_hosts_name
from launchpad.remote.ssh import SshTransport, spec_of
from launchpad.remote.ssh_connect import open_socket, put_first
from launchpad.remote.sshconfig import SshConfigResolver


@dataclass(frozen=True)
class OfferedHostKey:
    """The key a host offers, before anyone trusts it."""

    host: str
    hostname: str
    port: int
    key: paramiko.PKey
    # What the known_hosts files say about this key: known, unknown, changed or revoked.
    status: HostKeyStatus

    @property
    def key_type(self) -> str:
        return str(self.key.get_name())

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)

    @property
    def known_hosts_name(self) -> str:
        return known_hosts_name(self.hostname, self.port)


def fetch_host_key(
    host: HostSpec,
    *,
    known_hosts: KnownHosts,
    timeouts: Timeouts | None = None,
    ssh_config: SshConfigResolver | None = None,
) -> OfferedHostKey:
    """Read the key `host` offers, without logging in (for `launchpad hosts trust`).

    A jump host on the way must already be trusted: its key is checked strictly.
    """
    timeouts = timeouts or Timeouts()
    target = (ssh_config or SshConfigResolver()).resolve(host)
    jump = None
    if target.jump is not None:
        jump = SshTransport(
            spec_of(target.jump), target=target.jump, known_hosts=known_hosts, timeouts=timeouts
        )
    try:
        sock = (
            jump.open_channel_to(target.hostname, target.port)
            if jump is not None
            else open_socket(target, timeouts)
        )
        key_types = known_hosts.preferred_key_types(target.hostname, target.port)
        key = scan_host_key(target.name, sock, timeout=timeouts.banner, key_types=key_types)
    finally:
        if jump is not None:
            jump.close()
    status = known_hosts.check(target.hostname, target.port, key)
    return OfferedHostKey(target.name, target.hostname, target.port, key, status)


def trust_host_key(offer: OfferedHostKey, known_hosts: KnownHosts) -> Path:
    """Record an offered key as trusted; call only after a person compared the fingerprint.

    A changed or revoked key is never recorded over the old entry: that needs a person to
    remove the old entry first (`ssh-keygen -R`), after talking to the host's administrator.
    """
    if offer.status.state in ("changed", "revoked"):
        raise ChangedHostKey(
            offer.host, offer.key_type, offer.fingerprint, offer.status.recorded() or "@revoked"
        )
    return known_hosts.trust(offer.hostname, offer.port, offer.key)


def scan_host_key(
    host: str,
    sock: socket.socket | paramiko.Channel,
    *,
    timeout: float,
    key_types: Sequence[str] = (),
) -> paramiko.PKey:
    """The key a server offers, read with the handshake alone: nothing is authenticated or
    trusted. `hosts trust` shows its fingerprint to a person before recording it."""
    transport = paramiko.Transport(sock)
    try:
        transport.banner_timeout = timeout
        options = transport.get_security_options()
        options.key_types = put_first(key_types, options.key_types)
        transport.start_client(timeout=timeout)
        return transport.get_remote_server_key()
    except (paramiko.SSHException, EOFError, OSError) as exc:
        raise RemoteError(
            host,
            f"the SSH handshake failed: {exc or type(exc).__name__}",
            hint="check that the address and port belong to an SSH server",
        ) from None
    finally:
        transport.close()
