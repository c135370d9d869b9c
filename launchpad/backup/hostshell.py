"""Commands on the host that holds the data, as the backup drivers need them.

Every command is written to the audit log before it is sent. Inside `private_dir` each command
is wrapped in an `Envelope` (envelope.py): it makes and removes its own private directory, gets
the credentials on stdin (never on a command line, in the audit log or in a file that outlives
it) and dies with its channel. `feed` streams a local file into a command's stdin (restores)
without a temporary copy on either side.
"""

from __future__ import annotations

import contextlib
import shlex
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Protocol, cast

from launchpad.backup.envelope import Envelope
from launchpad.backup.errors import BackupFailed
from launchpad.errors import CommandTimeout
from launchpad.remote.base import CommandResult, StreamResult, Transport

AuditFn = Callable[[str, str, dict[str, Any]], None]


class Readable(Protocol):
    """What `feed` reads a restore's input from: a file, or a decompressing reader."""

    def read(self, size: int = -1, /) -> bytes: ...
SHORT_TIMEOUT = 120.0
READ_SIZE = 256 * 1024


class HostShell:
    def __init__(self, transport: Transport, audit: AuditFn, *, local: bool) -> None:
        self.transport = transport
        self.name = transport.host.name
        self.audit = audit
        self.local = local
        self.envelope: Envelope | None = None
        self._tmp_base: str | None = None

    def run(self, command: str, *, stdin: bytes | None = None, timeout: float = SHORT_TIMEOUT,
            quiet: bool = False) -> CommandResult:
        if not quiet:
            self._audit_command(command)
        if self.envelope is None:
            return self.transport.run(command, stdin=stdin, timeout=timeout)
        return self.transport.run(self.envelope.wrap(command), stdin=self.envelope.stdin_prefix() + (stdin or b""),
                                  timeout=timeout)

    def check(self, command: str, *, stdin: bytes | None = None, timeout: float = SHORT_TIMEOUT,
              what: str = "") -> CommandResult:
        """Run, and raise BackupFailed with the command's own words when it fails."""
        result = self.run(command, stdin=stdin, timeout=timeout)
        if not result.ok:
            raise BackupFailed(f"{self.name}: {what or 'a command'} failed: {tail(result.stderr or result.stdout)}")
        return result

    def stream(self, command: str, sink: Any, *, timeout: float) -> StreamResult:
        self._audit_command(command)
        if self.envelope is None:
            return self.transport.stream(command, sink, timeout=timeout)
        return self.transport.stream(self.envelope.wrap(command), sink, timeout=timeout,
                                     stdin=self.envelope.stdin_prefix() or None)

    def feed(self, command: str, source: Readable, *, timeout: float) -> CommandResult:
        """Run `command` with `source` streamed into its stdin."""
        self._audit_command(command)
        if self.envelope is None:
            return feed(self.transport, command, source, timeout=timeout)
        return feed(self.transport, self.envelope.wrap(command), _Prefixed(self.envelope.stdin_prefix(), source),
                    timeout=timeout)

    def _audit_command(self, command: str) -> None:
        detail = {"command": command}
        if self.envelope is not None:
            detail["private_dir"] = self.envelope.path
        self.audit("remote_command", self.name, detail)

    def tools(self, names: list[str]) -> set[str]:
        """Which of `names` the host has on its PATH."""
        probe = "; ".join(f"command -v {shlex.quote(n)} >/dev/null 2>&1 && echo {shlex.quote(n)}" for n in names)
        result = self.run(f"{probe}; true", quiet=True)
        return set(result.text().split())

    def versions(self, commands: dict[str, str]) -> dict[str, str]:
        """The first line each version command prints, by tool name (one round trip)."""
        if not commands:
            return {}
        marker = "launchpad-version:"
        probe = "; ".join(f"echo {shlex.quote(marker + tool)}; {{ {command}; }} 2>&1 | head -n 1"
                          for tool, command in commands.items())
        found: dict[str, str] = {}
        current = None
        for line in self.run(f"{probe}; true", quiet=True).text().splitlines():
            if line.startswith(marker):
                current = line[len(marker):]
            elif current is not None and current not in found and line.strip():
                found[current] = line.strip()
        return found

    @contextlib.contextmanager
    def private_dir(self, secret_files: dict[str, str] | None = None) -> Iterator[str]:
        """The path of a 0700 directory that exists on the host only while each command sent
        in this block runs, holding `secret_files` (name → content) for it."""
        if self.envelope is not None:
            raise RuntimeError("private directories do not nest")
        self.envelope = Envelope.under(self.tmp_base(), secret_files or {})
        try:
            yield self.envelope.path
        finally:
            self.envelope = None

    def tmp_base(self) -> str:
        """The host's temporary folder (its TMPDIR, else /tmp), asked once."""
        if self._tmp_base is None:
            path = self.check('printf %s "${TMPDIR:-/tmp}"', what="finding the temporary folder").text()
            if not path.startswith("/") or "\n" in path:
                raise BackupFailed(f"{self.name}: the temporary folder is {path!r}, not an absolute path",
                                   hint="set TMPDIR on the host to an absolute path, or unset it")
            self._tmp_base = path
        return self._tmp_base


class _Prefixed:
    """`prefix`, then everything `source` holds: the credentials before a restore's input."""

    def __init__(self, prefix: bytes, source: Readable) -> None:
        self.prefix, self.source = prefix, source

    def read(self, size: int = -1, /) -> bytes:
        if self.prefix:
            head, self.prefix = self.prefix, b""
            return head
        return self.source.read(size)


def tail(output: bytes | str, lines: int = 3) -> str:
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return " / ".join(kept)[:600] or "no message"


def feed(transport: Transport, command: str, source: Readable, *, timeout: float) -> CommandResult:
    """The Transport protocol has no streamed stdin yet; both transports can do it."""
    from launchpad.remote.local import LocalTransport

    if isinstance(transport, LocalTransport):
        return _feed_local(transport, command, source, timeout)
    if type(transport).__name__ == "SshTransport":
        return _feed_ssh(transport, command, source, timeout)
    raise BackupFailed(f"{transport.host.name}: this transport cannot stream into a command")


def _feed_ssh(transport: Any, command: str, source: Readable, timeout: float) -> CommandResult:
    from launchpad.remote.capture import OutputCapture
    from launchpad.remote.ssh_exec import run_command

    capture = OutputCapture(1024 * 1024)
    started = time.monotonic()
    connection = transport.connect()
    exit_code = run_command(connection, command, timeout=timeout, channel_timeout=transport.timeouts.channel,
                            on_stdout=lambda c: capture.feed("stdout", c),
                            on_stderr=lambda c: capture.feed("stderr", c), stdin=cast(BinaryIO, source))
    return capture.result(transport.host.name, command, exit_code, started)


def _feed_local(transport: Any, command: str, source: Readable, timeout: float) -> CommandResult:
    started = time.monotonic()
    process = subprocess.Popen(["/bin/sh", "-c", command], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=transport.cwd, start_new_session=True)
    failure: list[BaseException] = []
    outputs: dict[str, bytearray] = {"stdout": bytearray(), "stderr": bytearray()}

    def pump() -> None:
        assert process.stdin is not None
        try:
            while chunk := source.read(READ_SIZE):
                process.stdin.write(chunk)
        except BrokenPipeError:
            pass  # the command stopped reading: its exit status says why
        except BaseException as exc:  # a local read error must fail the restore, not hang it
            failure.append(exc)
            _kill_group(process, wait=False)
        finally:
            with contextlib.suppress(OSError):
                process.stdin.close()

    def drain(name: str, pipe: Any) -> None:
        while chunk := pipe.read(64 * 1024):
            kept = outputs[name]
            kept.extend(chunk)
            del kept[: max(0, len(kept) - 1024 * 1024)]  # the end, where the error is

    threads = [threading.Thread(target=pump, daemon=True),
               threading.Thread(target=drain, args=("stdout", process.stdout), daemon=True),
               threading.Thread(target=drain, args=("stderr", process.stderr), daemon=True)]
    for thread in threads:
        thread.start()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise CommandTimeout(transport.host.name, f"`{command[:60]}` did not finish within {timeout:g}s") from None
    for thread in threads:
        thread.join()
    if failure:
        raise BackupFailed(f"reading the backup failed: {failure[0]}")
    return CommandResult(transport.host.name, command, process.returncode, bytes(outputs["stdout"]),
                         bytes(outputs["stderr"]), time.monotonic() - started)


def _kill_group(process: subprocess.Popen[bytes], wait: bool = True) -> None:
    import os
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    if wait:
        process.wait()
