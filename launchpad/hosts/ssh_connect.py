"""Opening one SSH connection.

Every wait is bounded (TCP connect, banner, key exchange, authentication, channel open), the
host key is checked strictly before any credential is sent, and paramiko's exceptions become
launchpad errors that name the host and say what to do. Each connection gets a `Heartbeat`,
which closes it when the host stops answering.

paramiko is imported here at module level; this module is only imported once SSH is used.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import paramiko

from launchpad.errors import (
    AuthenticationFailed,
    ChangedHostKey,
    HostUnreachable,
    LaunchpadError,
    RemoteError,
)
from launchpad.hosts.base import Timeouts
from launchpad.hosts.heartbeat import Heartbeat
from launchpad.hosts.hostkeys import KnownHosts, StrictHostKeyPolicy, fingerprint, known_hosts_name
from launchpad.hosts.ssh_inbox import ChannelInbox, channel_handlers, routed_handlers
from launchpad.hosts.sshconfig import SshTarget
from launchpad.oserrors import os_reason
from launchpad.phrases import Said, phrase

# paramiko logs connection failures (with tracebacks) at ERROR; with no logging configured
# Python would print them on the terminal. launchpad reports those failures itself.
logging.getLogger("paramiko").addHandler(logging.NullHandler())

# AES-GCM moves bulk data (backups) ~45% faster than paramiko's default aes128-ctr + HMAC
# on this class of machine; the CTR modes follow for servers without GCM.
PREFERRED_CIPHERS = ("aes128-gcm@openssh.com", "aes128-ctr", "aes256-gcm@openssh.com", "aes256-ctr")
# Opens a direct-tcpip channel to (host, port) through an already connected jump host.
ChannelOpener = Callable[[str, int], paramiko.Channel]


@dataclass
class Connection:
    """One authenticated SSH connection to one host."""

    target: SshTarget
    client: paramiko.SSHClient
    transport: RekeySafeTransport
    heartbeat: Heartbeat

    def is_alive(self) -> bool:
        return self.transport.is_active() and not self.heartbeat.silent_too_long()

    def why_dead(self) -> Said:
        if self.heartbeat.silent_too_long():
            return phrase("ssh.silent", seconds=f"{self.heartbeat.silent_for():.0f}")
        return phrase("ssh.closed")

    def close(self) -> None:
        self.heartbeat.stop()
        self.client.close()


def connect(
    target: SshTarget,
    *,
    known_hosts: KnownHosts,
    timeouts: Timeouts,
    via: ChannelOpener | None = None,
) -> Connection:
    """Connect and authenticate, raising a launchpad error for every way that can fail."""
    known_hosts = known_hosts.for_target(target)  # the files ssh_config names for this host
    client = paramiko.SSHClient()
    # The client holds no host keys, so every server key goes through the strict policy.
    client.set_missing_host_key_policy(
        StrictHostKeyPolicy(known_hosts, target.name, target.hostname, target.port)
    )
    key_files = _identity_files(target)
    try:
        sock = via(target.hostname, target.port) if via else open_socket(target, timeouts)
        client.connect(
            target.hostname,
            port=target.port,
            username=target.user,
            sock=sock,
            timeout=timeouts.connect,
            banner_timeout=timeouts.banner,
            auth_timeout=timeouts.auth,
            channel_timeout=timeouts.channel,
            # paramiko takes a list here too; its type stub says str only.
            key_filename=key_files or None,  # type: ignore[arg-type]
            allow_agent=not target.identities_only,
            look_for_keys=not target.identities_only,
            transport_factory=_transport_factory(known_hosts, target),
        )
    except LaunchpadError:
        client.close()
        raise
    except Exception as exc:  # paramiko raises many types; each becomes a launchpad error
        client.close()
        raise connect_error(target, exc) from None
    transport = client.get_transport()
    # connect() returned, so the transport exists, made by `_transport_factory`.
    assert isinstance(transport, RekeySafeTransport)
    heartbeat = Heartbeat(
        transport,
        interval=timeouts.keepalive_interval,
        dead_after=timeouts.keepalive_dead_after,
        name=target.name,
    )
    return Connection(target, client, transport, heartbeat)


def open_socket(target: SshTarget, timeouts: Timeouts) -> socket.socket:
    try:
        sock = socket.create_connection((target.hostname, target.port), timeout=timeouts.connect)
    except socket.gaierror as exc:
        raise HostUnreachable(
            target.name, phrase("error.cannot_resolve", host=target.hostname, reason=os_reason(exc)),
            hint=phrase("error.cannot_resolve_hint"),
        ) from None
    except TimeoutError:
        raise HostUnreachable(
            target.name,
            phrase("error.no_answer", address=f"{target.hostname}:{target.port}", seconds=timeouts.connect),
            hint=phrase("error.no_answer_hint"),
        ) from None
    except OSError as exc:
        raise HostUnreachable(
            target.name,
            phrase("error.cannot_connect", address=f"{target.hostname}:{target.port}",
                   reason=os_reason(exc)),
            hint=phrase("error.cannot_connect_hint"),
        ) from None
    # Small command exchanges should not wait for Nagle's algorithm.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def connect_error(target: SshTarget, exc: BaseException) -> RemoteError:
    """The launchpad error for an exception raised while connecting to `target`."""
    if isinstance(exc, paramiko.BadHostKeyException):
        # paramiko's own record: which file holds it is not known, its entry's name is.
        return ChangedHostKey(
            target.name, exc.key.get_name(), fingerprint(exc.key), fingerprint(exc.expected_key),
            entry=known_hosts_name(target.hostname, target.port),
        )
    if isinstance(exc, paramiko.PasswordRequiredException):
        return AuthenticationFailed(
            target.name,
            phrase("ssh.passphrase", address=target.address),
            hint=phrase("ssh.passphrase_hint"),
        )
    if isinstance(exc, paramiko.AuthenticationException):
        keys: list[Said] = [
            path if os.path.isfile(path) else phrase("ssh.key_missing", path=path) for path in target.identity_files
        ]
        if not target.identities_only:
            keys.append(phrase("ssh.agent_keys"))
        return AuthenticationFailed(
            target.name, phrase("ssh.keys_refused", address=target.address, keys=keys),
            hint=phrase("ssh.keys_refused_hint"),
        )
    if isinstance(exc, TimeoutError | socket.timeout):
        return HostUnreachable(
            target.name,
            phrase("ssh.handshake_slow", address=target.address),
            hint=phrase("ssh.handshake_slow_hint"),
        )
    if isinstance(exc, paramiko.SSHException | EOFError | OSError):
        detail = str(exc) or type(exc).__name__
        return HostUnreachable(
            target.name,
            phrase("ssh.failed", address=target.address, detail=detail),
            hint=phrase("ssh.failed_hint"),
        )
    return RemoteError(target.name, phrase("ssh.failed", address=target.address, detail=repr(exc)))


def _identity_files(target: SshTarget) -> list[str]:
    # paramiko aborts on a listed key file that does not exist; OpenSSH skips it, and so
    # do we, unless it is the only key the workspace asked for.
    present = [path for path in target.identity_files if os.path.isfile(path)]
    if target.identity_files and not present and target.identities_only:
        raise AuthenticationFailed(
            target.name,
            phrase("ssh.no_key_file", files=list(target.identity_files)),
            hint=phrase("ssh.no_key_file_hint"),
        )
    return present


def _transport_factory(
    known_hosts: KnownHosts, target: SshTarget
) -> Callable[..., paramiko.Transport]:
    def make_transport(sock: Any, disabled_algorithms: Any = None) -> paramiko.Transport:
        # The default window and packet sizes are kept: larger windows made bulk transfers
        # several times slower here (paramiko's reader cannot keep up with them).
        transport = RekeySafeTransport(sock, disabled_algorithms=disabled_algorithms)
        options = transport.get_security_options()
        options.ciphers = put_first(PREFERRED_CIPHERS, options.ciphers)
        known_types = known_hosts.preferred_key_types(target.hostname, target.port)
        options.key_types = put_first(known_types, options.key_types)
        return transport

    return make_transport


class RekeySafeTransport(paramiko.Transport):
    """paramiko's transport, minus a deadlock when keys are renegotiated (every 512 MiB).

    While a key exchange runs, `_send_user_message` waits for it to finish (30 s at most,
    then "Key-exchange timed out"). paramiko's own transport thread also sends through it: the
    reply to a channel's CLOSE, and to a channel request that wants one (OpenSSH's
    ClientAlive). But only that thread can finish the exchange, so when a channel ends during
    a re-key, the connection hangs until it dies. Here the transport thread queues those
    replies and sends them once the new keys are in use, before any other thread may send.

    It also delivers the data of a channel given an inbox (`attach_inbox`) there, instead of
    to the channel's buffered pipe (see `ssh_inbox`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Reentrant, so the deferred replies go out under the lock `_parse_newkeys` takes.
        self.clear_to_send_lock = threading.RLock()  # type: ignore[assignment]
        self._deferred: list[paramiko.Message] = []
        self._inboxes: dict[int, ChannelInbox] = {}
        # An instance attribute shadowing paramiko's class table: this transport's alone.
        self._channel_handler_table = routed_handlers(channel_handlers(self), self._inboxes)

    def attach_inbox(self, channel: paramiko.Channel, inbox: ChannelInbox) -> None:
        """From now on (before the command starts), `channel`'s output goes to `inbox`."""
        self._inboxes[channel.get_id()] = inbox

    def detach_inbox(self, channel: paramiko.Channel) -> None:
        self._inboxes.pop(channel.get_id(), None)

    def _send_user_message(self, data: paramiko.Message) -> None:
        # Only this thread clears and sets clear_to_send, so the check cannot race.
        if threading.current_thread() is self and not self.clear_to_send.is_set():
            self._deferred.append(data)
            return
        super()._send_user_message(data)  # type: ignore[misc]  # private: not in the stubs

    def _parse_newkeys(self, m: paramiko.Message) -> None:
        with self.clear_to_send_lock:
            super()._parse_newkeys(m)  # type: ignore[misc]
            deferred, self._deferred = self._deferred, []
            for message in deferred:
                self._send_message(message)  # type: ignore[attr-defined]


def put_first(preferred: Sequence[str], available: Sequence[str]) -> tuple[str, ...]:
    """`available` reordered so the names in `preferred` (that it has) come first."""
    first = tuple(name for name in preferred if name in available)
    return first + tuple(name for name in available if name not in first)
