"""One error hierarchy for everything a field engineer may need to read.

Each error carries a short title (what failed), a message (where, and why), and a hint (what
to do next). The CLI prints the three and exits with the error's exit code; the TUI shows them
in a notification or a dialog. A traceback reaching the user is a bug, never the design.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class LaunchpadError(Exception):
    """Base of every error launchpad expects and explains."""

    title = "launchpad error"
    exit_code = 2

    def __init__(self, message: str, *, hint: str = "", title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if title is not None:
            self.title = title

    def render(self) -> str:
        text = f"{self.title}: {self.message}"
        if self.hint:
            text += f"\n  → {self.hint}"
        return text

    def message_for(self, host: str) -> str:
        """The message for a line that already names `host` (a host's row in a table)."""
        return self.message


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as editors expect: file:line:col."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class InvalidInput(LaunchpadError):
    """A file (site.yaml, a playbook, an answers file) that cannot be used as written."""

    title = "invalid input"

    def __init__(self, problems: list[Problem], *, hint: str = "") -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems), hint=hint)

    def render(self) -> str:
        text = "\n".join(str(p) for p in self.problems)
        if self.hint:
            text += f"\n  → {self.hint}"
        return text


class UsageError(LaunchpadError):
    """The command was asked for something that does not exist or does not fit."""

    title = "usage"


class WorkspaceNotFound(LaunchpadError):
    title = "no workspace"


class SecretUnavailable(LaunchpadError):
    title = "secret unavailable"


class RemoteError(LaunchpadError):
    """Reaching or talking to a host failed. Always names the host."""

    title = "remote error"
    exit_code = 1

    def __init__(self, host: str, message: str, *, hint: str = "") -> None:
        self.host = host
        self.detail = message
        super().__init__(f"{host}: {message}", hint=hint)

    def message_for(self, host: str) -> str:
        # Said about another host (the jump host on the way), the name must stay.
        return self.detail if host == self.host else self.message


class HostUnreachable(RemoteError):
    title = "host unreachable"


class AuthenticationFailed(RemoteError):
    title = "authentication failed"


class UnknownHostKey(RemoteError):
    """The host offered a key that is not in known_hosts. Refused until a person trusts it."""

    title = "unknown host key"
    refusal = "unknown"  # the reason audited with the refusal

    def __init__(
        self, host: str, key_type: str, fingerprint: str, *, searched: Sequence[str] = ()
    ) -> None:
        self.key_type = key_type
        self.fingerprint = fingerprint
        self.searched = list(searched)
        looked_in = f"; searched {', '.join(self.searched)}" if self.searched else ""
        super().__init__(
            host,
            f"the host key is not known ({key_type} {fingerprint}){looked_in}",
            hint="compare the fingerprint with the server's, then run `launchpad hosts trust --env ENV` to record it",
        )


class ChangedHostKey(RemoteError):
    """The host offered a different key from the recorded one: possibly an attack. Never accepted."""

    title = "HOST KEY CHANGED"
    refusal = "changed"

    def __init__(self, host: str, key_type: str, fingerprint: str, known_fingerprint: str) -> None:
        self.key_type = key_type
        self.fingerprint = fingerprint
        self.known_fingerprint = known_fingerprint
        super().__init__(
            host,
            f"the host key has CHANGED: known_hosts has {known_fingerprint}, "
            f"the host now offers {key_type} {fingerprint}. Someone may be intercepting "
            "the connection, or the server was reinstalled",
            hint="do not continue; confirm with the client's administrator, then remove the "
            "old entry (ssh-keygen -R HOST) and trust the new key explicitly",
        )


class RevokedHostKey(RemoteError):
    """The host offered a key that known_hosts marks @revoked. Never accepted."""

    title = "host key revoked"
    refusal = "revoked"

    def __init__(self, host: str, key_type: str, fingerprint: str) -> None:
        self.key_type = key_type
        self.fingerprint = fingerprint
        super().__init__(
            host,
            f"the host offers {key_type} {fingerprint}, which known_hosts marks @revoked",
            hint="do not connect; ask the client's administrator for the host's new key",
        )


# What a host key check refuses; each refusal is audited where a store is at hand.
HostKeyRefused = UnknownHostKey | ChangedHostKey | RevokedHostKey


class CommandTimeout(RemoteError):
    title = "command timed out"


class ConnectionLost(RemoteError):
    title = "connection lost"


class StoreError(LaunchpadError):
    title = "store error"


class StoreDamaged(StoreError):
    """SQLite says the file is not a database or a page of it is malformed."""

    title = "store damaged"


class StoreGone(StoreError):
    """The store file was deleted or replaced while this process was writing to it."""

    title = "store gone"


class RunAborted(LaunchpadError):
    title = "run aborted"
    exit_code = 1
