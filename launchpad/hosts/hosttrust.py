"""Trusting a host: read the key it offers, let a person compare it, then record it.

`launchpad hosts trust` is the only way a key enters launchpad's known_hosts: the key is read
with the SSH handshake alone (nothing is authenticated, no credential is offered to a host we
do not know yet), its fingerprint is shown in OpenSSH's format, and only a yes from a person
(or `--accept FINGERPRINT` checked out of band) records it. Behind a bastion, the bastion's
own key comes first: the hosts behind it are read through it once it is trusted.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import paramiko

from launchpad.errors import ChangedHostKey, HostUnreachable, LaunchpadError, RemoteError, RevokedHostKey
from launchpad.hosts.base import HostSpec, Timeouts
from launchpad.hosts.hostkeys import HostKeyStatus, KnownHosts, fingerprint, known_hosts_name
from launchpad.hosts.ssh import SshTransport, spec_of
from launchpad.hosts.ssh_connect import open_socket, put_first
from launchpad.hosts.sshconfig import SshConfigResolver, SshTarget
from launchpad.phrases import phrase


@dataclass(frozen=True)
class OfferedHostKey:
    """The key a host offers, before anyone trusts it."""

    host: str
    hostname: str
    port: int
    key: paramiko.PKey
    # What the known_hosts files say about this key: known, unknown, changed or revoked.
    status: HostKeyStatus
    # Where the host was resolved to: its ssh_config may name the known_hosts files to use.
    target: SshTarget | None = None

    @property
    def key_type(self) -> str:
        return str(self.key.get_name())

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)

    @property
    def known_hosts_name(self) -> str:
        return known_hosts_name(self.hostname, self.port)


@dataclass(frozen=True)
class HostKeyScan:
    """One hop's turn in `scan_in_order`: the key it offers, or why it could not be read."""

    target: SshTarget
    # A jump host (bastion) that other hosts are reached through.
    is_jump: bool
    offer: OfferedHostKey | None = None
    error: LaunchpadError | None = None


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
    target = (ssh_config or SshConfigResolver()).resolve(host)
    return scan_target(target, known_hosts=known_hosts, timeouts=timeouts)


def scan_target(
    target: SshTarget,
    *,
    known_hosts: KnownHosts,
    timeouts: Timeouts | None = None,
    jump: SshTransport | None = None,
) -> OfferedHostKey:
    """Read the key an already resolved host offers; `jump` is an open transport to its jump
    host, else one is opened (and closed) for this scan alone."""
    timeouts = timeouts or Timeouts()
    own_jump = None
    if jump is None and target.jump is not None:
        jump = own_jump = SshTransport(
            spec_of(target.jump), target=target.jump, known_hosts=known_hosts, timeouts=timeouts
        )
    files = known_hosts.for_target(target)
    try:
        sock = (
            jump.open_channel_to(target.hostname, target.port)
            if jump is not None
            else open_socket(target, timeouts)
        )
        key_types = files.preferred_key_types(target.hostname, target.port)
        key = scan_host_key(target.name, sock, timeout=timeouts.banner, key_types=key_types)
    finally:
        if own_jump is not None:
            own_jump.close()
    status = files.check(target.hostname, target.port, key)
    return OfferedHostKey(target.name, target.hostname, target.port, key, status, target)


def scan_in_order(
    targets: Sequence[SshTarget], *, known_hosts: KnownHosts, timeouts: Timeouts | None = None
) -> Iterator[HostKeyScan]:
    """Every host's key, each jump host's first (once, however many hosts are behind it).

    A generator on purpose: the caller trusts a key (or not) before it asks for the next, so a
    bastion trusted a moment ago carries the scans of the hosts behind it. Hosts behind a jump
    host whose key is still not trusted are not scanned; their error says why.
    """
    timeouts = timeouts or Timeouts()
    opened: dict[SshTarget, SshTransport] = {}
    untrusted: dict[SshTarget, str] = {}  # jump host → the hop on its way that is not trusted
    seen: set[SshTarget] = set()
    try:
        for target in targets:
            for hop in _hops(target):
                if hop in seen:
                    continue
                seen.add(hop)
                is_jump = hop is not target
                blocked_by = untrusted.get(hop.jump) if hop.jump is not None else None
                if blocked_by is not None:
                    if is_jump:
                        untrusted[hop] = blocked_by
                    yield HostKeyScan(hop, is_jump, error=_behind_untrusted(hop, blocked_by))
                    continue
                try:
                    jump = _jump_transport(hop.jump, opened, known_hosts, timeouts)
                    offer = scan_target(hop, known_hosts=known_hosts, timeouts=timeouts, jump=jump)
                except LaunchpadError as exc:
                    if is_jump:
                        untrusted[hop] = hop.name
                    yield HostKeyScan(hop, is_jump, error=exc)
                    continue
                yield HostKeyScan(hop, is_jump, offer=offer)
                # The caller has had its say: only a jump host now trusted leads further.
                if is_jump and known_hosts.for_target(hop).check(
                    hop.hostname, hop.port, offer.key
                ).state != "known":
                    untrusted[hop] = hop.name
    finally:
        for transport in opened.values():
            transport.close()


def _hops(target: SshTarget) -> list[SshTarget]:
    """The jump hosts on the way to `target`, the first one reached first, then `target`."""
    chain = [target]
    while chain[0].jump is not None:
        chain.insert(0, chain[0].jump)
    return chain


def _jump_transport(
    target: SshTarget | None,
    opened: dict[SshTarget, SshTransport],
    known_hosts: KnownHosts,
    timeouts: Timeouts,
) -> SshTransport | None:
    """One connection per jump host for the whole scan, shared by the hosts behind it."""
    if target is None:
        return None
    if target not in opened:
        opened[target] = SshTransport(
            spec_of(target),
            target=target,
            known_hosts=known_hosts,
            timeouts=timeouts,
            jump=_jump_transport(target.jump, opened, known_hosts, timeouts),
        )
    return opened[target]


def _behind_untrusted(hop: SshTarget, jump_name: str) -> HostUnreachable:
    return HostUnreachable(
        hop.name,
        phrase("hosttrust.behind_untrusted", jump=jump_name),
        hint=phrase("hosttrust.behind_untrusted_hint", jump=jump_name),
    )


def trust_host_key(offer: OfferedHostKey, known_hosts: KnownHosts) -> Path:
    """Record an offered key as trusted; call only after a person compared the fingerprint.

    It goes where ssh would put it: the host's first `UserKnownHostsFile` when its ssh_config
    names one, launchpad's own file otherwise. A changed or revoked key is never recorded over
    the old entry: that needs a person to remove the old entry first (`ssh-keygen -R`), after
    talking to the host's administrator; a revoked key needs the host to get a new one.
    """
    if offer.status.state == "revoked":
        raise RevokedHostKey(offer.host, offer.key_type, offer.fingerprint)
    if offer.status.state == "changed":
        raise ChangedHostKey(
            offer.host, offer.key_type, offer.fingerprint, offer.status.recorded(),
            remove=offer.status.removal(offer.hostname, offer.port), env=known_hosts.env,
            workspace_dir=known_hosts.workspace_dir,
        )
    files = known_hosts.for_target(offer.target) if offer.target is not None else known_hosts
    return files.trust(offer.hostname, offer.port, offer.key)


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
            phrase("hosttrust.handshake_failed", error=str(exc) or type(exc).__name__),
            hint=phrase("hosttrust.handshake_failed_hint"),
        ) from None
    finally:
        transport.close()
