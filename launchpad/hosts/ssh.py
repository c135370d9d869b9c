"""The SSH transport: one paramiko connection per host, reused for every command of a run.

`SshTransport` connects lazily (the first command pays for it, in whichever worker thread runs
it, so 40 hosts connect in parallel) and again after a connection was found dead. Commands
run in session channels on that one connection; a jump host is itself an `SshTransport`
whose direct-tcpip channels carry the connections of every host behind it. Errors are always
launchpad errors naming the host; paramiko's never escape.
"""

from __future__ import annotations

import contextlib
import posixpath
import shlex
import threading
import time
from collections.abc import Callable, Iterator

import paramiko

from launchpad.errors import (
    ChangedHostKey,
    ConnectionLost,
    HostKeyRefused,
    HostUnreachable,
    RemoteError,
    RevokedHostKey,
    UnknownHostKey,
)
from launchpad.hosts.base import (
    FEED_KEEPS,
    ByteSink,
    CommandResult,
    HostSpec,
    OutputCallback,
    Readable,
    StreamResult,
    Timeouts,
)
from launchpad.hosts.capture import DEFAULT_CAPTURE_LIMIT, OutputCapture, StreamCapture
from launchpad.hosts.hostkeys import KnownHosts
from launchpad.hosts.ssh_connect import Connection, connect
from launchpad.hosts.ssh_exec import ChunkSink, StdinSource, run_command
from launchpad.hosts.sshconfig import SshConfigResolver, SshTarget
from launchpad.hosts.tunnel import PortForward
from launchpad.oserrors import os_reason
from launchpad.phrases import Said, phrase

_CHANNEL_REFUSALS = {
    paramiko.common.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED: phrase("ssh.no_forwarding"),
    paramiko.common.OPEN_FAILED_CONNECT_FAILED: phrase("ssh.nothing_answers"),
}


class SshTransport:
    """A `Transport` over one SSH connection to `host` (through its jump host, if any)."""

    def __init__(
        self,
        host: HostSpec,
        *,
        known_hosts: KnownHosts | None = None,
        timeouts: Timeouts | None = None,
        ssh_config: SshConfigResolver | None = None,
        target: SshTarget | None = None,
        jump: SshTransport | None = None,
        capture_limit: int = DEFAULT_CAPTURE_LIMIT,
        on_connect: Callable[[SshTarget], None] | None = None,
        on_refused: Callable[[SshTarget, HostKeyRefused], None] | None = None,
    ) -> None:
        """`on_refused` hears of every host key this transport (or its jump host) refuses."""
        self.host = host
        self.timeouts = timeouts or Timeouts()
        self.known_hosts = known_hosts or KnownHosts()
        self.target = target or (ssh_config or SshConfigResolver()).resolve(host)
        self.capture_limit = capture_limit
        self._on_connect = on_connect
        self._on_refused = on_refused
        self._owned_jump: SshTransport | None = None
        if jump is None and self.target.jump is not None:
            jump = self._owned_jump = SshTransport(
                spec_of(self.target.jump),
                target=self.target.jump,
                known_hosts=self.known_hosts,
                timeouts=self.timeouts,
                on_connect=on_connect,
                on_refused=on_refused,
            )
        self.jump = jump
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    def connect(self) -> Connection:
        """The live connection, opened now if there is none or the last one died."""
        with self._lock:
            current = self._connection
            if current is not None and current.is_alive():
                return current
            if current is not None:
                current.close()
                self._connection = None
            via = self._through_jump if self.jump is not None else None
            try:
                fresh = connect(
                    self.target, known_hosts=self.known_hosts, timeouts=self.timeouts, via=via
                )
            except (UnknownHostKey, ChangedHostKey, RevokedHostKey) as refused:
                # A jump host's refusal passes through here too; its own transport reported it.
                if self._on_refused is not None and refused.host == self.target.name:
                    self._on_refused(self.target, refused)
                raise
            self._connection = fresh
        if self._on_connect is not None:
            self._on_connect(self.target)
        return fresh

    def run(
        self,
        command: str,
        *,
        timeout: float | None = None,
        stdin: bytes | None = None,
        on_output: OutputCallback | None = None,
    ) -> CommandResult:
        capture = OutputCapture(self.capture_limit, on_output)
        started = time.monotonic()
        exit_code = self._execute(
            command,
            timeout,
            stdin,
            lambda chunk: capture.feed("stdout", chunk),
            lambda chunk: capture.feed("stderr", chunk),
        )
        return capture.result(self.host.name, command, exit_code, started)

    def stream(
        self, command: str, sink: ByteSink, *, timeout: float | None = None, stdin: bytes | None = None
    ) -> StreamResult:
        capture = StreamCapture(sink)
        exit_code = self._execute(command, timeout, stdin, capture.stdout, capture.stderr)
        return capture.result(self.host.name, command, exit_code)

    def feed(self, command: str, source: Readable, *, timeout: float | None = None,
             on_output: OutputCallback | None = None) -> CommandResult:
        capture = OutputCapture(FEED_KEEPS, on_output)
        started = time.monotonic()
        exit_code = self._execute(command, timeout, source,
                                  lambda chunk: capture.feed("stdout", chunk),
                                  lambda chunk: capture.feed("stderr", chunk))
        return capture.result(self.host.name, command, exit_code, started)

    def put(self, local_path: str, remote_path: str, *, mode: int = 0o600) -> None:
        """Copy through `cat` in the remote shell: it needs no SFTP subsystem, which hardened
        servers often disable. The file is written private, given its mode, then renamed into
        place, so it is never half-written nor readable by others."""
        directory, name = posixpath.split(remote_path)
        partial = shlex.quote(posixpath.join(directory, f".{name}.launchpad-partial"))
        command = (
            f"umask 077 && cat > {partial} && chmod {mode:o} {partial} && "
            f"mv -f {partial} {shlex.quote(remote_path)}"
        )
        stderr = OutputCapture(64 * 1024)
        try:
            with open(local_path, "rb") as source:
                exit_code = self._execute(
                    command, None, source, lambda _: None, lambda c: stderr.feed("stderr", c)
                )
        except OSError as exc:
            raise RemoteError(
                self.host.name,
                phrase("ssh.cannot_read", path=local_path, reason=os_reason(exc)),
                hint=phrase("ssh.check_local_file"),
            ) from None
        if exit_code != 0:
            with contextlib.suppress(RemoteError):
                self.run(f"rm -f {partial}", timeout=self.timeouts.channel)
            reason = stderr.bytes_of("stderr").decode("utf-8", "replace").strip()
            raise RemoteError(
                self.host.name,
                phrase("ssh.cannot_write", path=remote_path,
                       reason=reason or phrase("ssh.exit_code", code=exit_code)),
                hint=phrase("ssh.cannot_write_hint"),
            )

    @contextlib.contextmanager
    def tunnel(self, remote_host: str, remote_port: int) -> Iterator[tuple[str, int]]:
        self.connect()  # fail here, with the host named, rather than in the first client

        def open_channel(peer: tuple[str, int]) -> paramiko.Channel:
            return self.open_channel_to(remote_host, remote_port, origin=peer)

        forward = PortForward(open_channel, self.host.name)
        try:
            yield forward.address
        finally:
            forward.close()

    def open_channel_to(
        self, hostname: str, port: int, *, origin: tuple[str, int] = ("127.0.0.1", 0)
    ) -> paramiko.Channel:
        """A direct-tcpip channel to hostname:port as this host sees it (`ssh -W`)."""
        connection = self.connect()
        try:
            return connection.transport.open_channel(
                "direct-tcpip", (hostname, port), origin, timeout=self.timeouts.channel
            )
        except paramiko.ChannelException as exc:
            reason: Said = _CHANNEL_REFUSALS.get(exc.code, exc.text)
            raise HostUnreachable(
                self.host.name,
                phrase("ssh.channel_unreachable", address=f"{hostname}:{port}", reason=reason),
                hint=phrase("ssh.channel_unreachable_hint"),
            ) from None
        except (paramiko.SSHException, EOFError, OSError) as exc:
            self._discard(connection)
            raise ConnectionLost(
                self.host.name,
                phrase("ssh.channel_lost", address=f"{hostname}:{port}", error=str(exc)),
                hint=phrase("ssh.channel_lost_hint"),
            ) from None

    def close(self) -> None:
        with self._lock:
            connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()
        if self._owned_jump is not None:
            self._owned_jump.close()

    def _execute(
        self,
        command: str,
        timeout: float | None,
        stdin: StdinSource,
        on_stdout: ChunkSink,
        on_stderr: ChunkSink,
    ) -> int:
        connection = self.connect()
        try:
            return run_command(
                connection,
                command,
                timeout=self.timeouts.command if timeout is None else timeout,
                channel_timeout=self.timeouts.channel,
                on_stdout=on_stdout,
                on_stderr=on_stderr,
                stdin=stdin,
            )
        except ConnectionLost:
            # The next command reconnects instead of waiting on a dead connection again.
            self._discard(connection)
            raise

    def _through_jump(self, hostname: str, port: int) -> paramiko.Channel:
        assert self.jump is not None
        return self.jump.open_channel_to(hostname, port)

    def _discard(self, connection: Connection) -> None:
        with self._lock:
            if self._connection is connection:
                self._connection = None
        connection.close()

    def __repr__(self) -> str:
        via = f" via {self.jump.target.address}" if self.jump is not None else ""
        return f"<SshTransport {self.host.name} {self.target.address}{via}>"


def spec_of(target: SshTarget) -> HostSpec:
    """A HostSpec for an already resolved target (jump hosts have no workspace entry)."""
    return HostSpec(name=target.name, address=target.hostname, port=target.port, user=target.user)
