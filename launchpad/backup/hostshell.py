"""Commands on the host that holds the data, as the backup drivers need them.

Every command is written to the audit log before it is sent (the secrets never are: they go
through stdin into files created 0600 inside a private directory from `mktemp -d`, removed when
the work is done and by a trap if the shell dies). `feed` streams a local file into a
command's stdin (restores) without a temporary copy on either side.
"""

from __future__ import annotations

import contextlib
import shlex
from collections.abc import Callable, Iterator
from typing import Any

from launchpad.backup.errors import BackupFailed
from launchpad.errors import LaunchpadError
from launchpad.remote.base import CommandResult, Readable, StreamResult, Transport

AuditFn = Callable[[str, str, dict[str, Any]], None]
SHORT_TIMEOUT = 120.0


class HostShell:
    def __init__(self, transport: Transport, audit: AuditFn, *, local: bool) -> None:
        self.transport = transport
        self.name = transport.host.name
        self.audit = audit
        self.local = local

    def run(self, command: str, *, stdin: bytes | None = None, timeout: float = SHORT_TIMEOUT,
            quiet: bool = False) -> CommandResult:
        if not quiet:
            self.audit("remote_command", self.name, {"command": command})
        return self.transport.run(command, stdin=stdin, timeout=timeout)

    def check(self, command: str, *, stdin: bytes | None = None, timeout: float = SHORT_TIMEOUT,
              what: str = "") -> CommandResult:
        """Run, and raise BackupFailed with the command's own words when it fails."""
        result = self.run(command, stdin=stdin, timeout=timeout)
        if not result.ok:
            raise BackupFailed(f"{self.name}: {what or 'a command'} failed: {tail(result.stderr or result.stdout)}")
        return result

    def stream(self, command: str, sink: Any, *, timeout: float) -> StreamResult:
        self.audit("remote_command", self.name, {"command": command})
        return self.transport.stream(command, sink, timeout=timeout)

    def feed(self, command: str, source: Readable, *, timeout: float) -> CommandResult:
        """Run `command` with `source` streamed into its stdin."""
        self.audit("remote_command", self.name, {"command": command})
        return self.transport.feed(command, source, timeout=timeout)

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
    def private_dir(self) -> Iterator[str]:
        """A fresh 0700 directory on the host, removed afterwards."""
        result = self.check("umask 077 && mktemp -d \"${TMPDIR:-/tmp}/launchpad.XXXXXXXX\"", what="mktemp")
        path = result.text().strip()
        if not path.startswith("/") or "\n" in path:
            raise BackupFailed(f"{self.name}: mktemp answered {path!r}, not a directory")
        try:
            yield path
        finally:
            with contextlib.suppress(LaunchpadError):
                self.run(f"rm -rf -- {shlex.quote(path)}")

    def write_private(self, path: str, content: str) -> None:
        """Write `content` (a secret) to a new 0600 file; it travels through stdin only."""
        self.check(f"umask 077 && cat > {shlex.quote(path)}", stdin=content.encode("utf-8"),
                   what=f"writing {path}")


def tail(output: bytes | str, lines: int = 3) -> str:
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return " / ".join(kept)[:600] or "no message"
