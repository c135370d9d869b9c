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
from collections.abc import Callable, Iterator
from typing import Any

from launchpad.backup.envelope import Envelope
from launchpad.backup.errors import BackupFailed
from launchpad.hosts.base import CommandResult, OutputCallback, Readable, StreamResult, Transport
from launchpad.phrases import Said, phrase

AuditFn = Callable[[str, str, dict[str, Any]], None]
SHORT_TIMEOUT = 120.0


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
              what: Said = "") -> CommandResult:
        """Run, and raise BackupFailed with the command's own words when it fails."""
        result = self.run(command, stdin=stdin, timeout=timeout)
        if not result.ok:
            raise BackupFailed(phrase("backup.host_failed", host=self.name, what=what or phrase("backup.a_command"),
                                      said=tail(result.stderr or result.stdout)))
        return result

    def stream(self, command: str, sink: Any, *, timeout: float) -> StreamResult:
        self._audit_command(command)
        if self.envelope is None:
            return self.transport.stream(command, sink, timeout=timeout)
        return self.transport.stream(self.envelope.wrap(command), sink, timeout=timeout,
                                     stdin=self.envelope.stdin_prefix() or None)

    def feed(self, command: str, source: Readable, *, timeout: float,
             on_output: OutputCallback | None = None) -> CommandResult:
        """Run `command` with `source` streamed into its stdin; `on_output` sees its output as
        it arrives."""
        self._audit_command(command)
        listening: dict[str, Any] = {"on_output": on_output} if on_output is not None else {}
        if self.envelope is None:
            return self.transport.feed(command, source, timeout=timeout, **listening)
        return self.transport.feed(self.envelope.wrap(command), _Prefixed(self.envelope.stdin_prefix(), source),
                                   timeout=timeout, **listening)

    def _audit_command(self, command: str) -> None:
        detail = {"command": command}
        if self.envelope is not None:
            detail["private_dir"] = self.envelope.path
        self.audit("remote_command", self.name, detail)

    def beside(self) -> HostShell:
        """Another shell on the same connection, for a command that runs while this shell's
        own commands come and go: it takes its own private directory (each command makes and
        removes the directory of its envelope, so two at once cannot share one)."""
        other = HostShell(self.transport, self.audit, local=self.local)
        other._tmp_base = self._tmp_base
        return other

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
            path = self.check('printf %s "${TMPDIR:-/tmp}"', what=phrase("backup.finding_tmp")).text()
            if not path.startswith("/") or "\n" in path:
                raise BackupFailed(phrase("backup.tmp_relative", host=self.name, path=path),
                                   hint=phrase("backup.tmp_relative_hint"))
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


def tail(output: bytes | str, lines: int = 3) -> Said:
    """A failed command's last lines of output, or that it printed none, in the reader's language."""
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return " / ".join(kept)[:600] or phrase("host.no_output")
