"""One error hierarchy for everything a field engineer may need to read.

Each error carries a short title (what failed), a message (where, and why), and a hint (what
to do next). The CLI prints the three and exits with the error's exit code; the TUI shows them
in a notification or a dialog. A traceback reaching the user is a bug, never the design.

The title, message and hint a person reads come from the word-book (launchpad/phrases.py):
the title by the class's English title (`error.<title>`), the message and hint when given as
phrases. `str(error)`, `.message` and `.hint` stay English for logs and the audit trail;
`render(lang)` is what the command line prints in its language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from launchpad.phrases import CATALOG, Said, phrase, render, word
from launchpad.safetext import shell_word


class LaunchpadError(Exception):
    """Base of every error launchpad expects and explains."""

    title = "launchpad error"
    exit_code = 2

    def __init__(self, message: Said, *, hint: Said = "", title: str | None = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.hint = str(hint)
        self.said, self.said_hint = message, hint
        if title is not None:
            self.title = title

    @property
    def kind(self) -> str:
        """What failed as a name that stays the same in every language (`unknown_host_key`),
        for scripts reading `--json`."""
        return self.title.lower().replace(" ", "_")

    def title_in(self, lang: str) -> str:
        """The title in `lang`; a title the word-book does not know (one given at the raise)
        stays as written."""
        key = "error." + self.kind
        return word(key, lang) if key in CATALOG else self.title

    def render(self, lang: str = "en") -> str:
        text = word("error.says", lang, title=self.title_in(lang), message=render(self.said, lang))
        if self.hint:
            text += f"\n  → {render(self.said_hint, lang)}"
        return text

    def said_for(self, host: str) -> Said:
        """What was said, for a line that already names `host` (a host's row in a table),
        to be rendered in the reader's language where it is shown."""
        return self.said

    def message_for(self, host: str) -> str:
        """`said_for` in English, as logs and the audit trail keep it."""
        return str(self.said_for(host))


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file, located as editors expect: file:line:col."""

    file: str
    line: int
    col: int
    said: Said  # a phrase reads in the reader's language

    @property
    def message(self) -> str:
        """The English text, as logs and the audit trail keep it."""
        return str(self.said)

    def __str__(self) -> str:
        return self.render("en")

    def __hash__(self) -> int:  # a phrase's values are a dict: the English text stands for it
        return hash((self.file, self.line, self.col, self.message))

    def render(self, lang: str) -> str:
        """`file:line:col: message`, the location as editors read it in every language."""
        return f"{self.file}:{self.line}:{self.col}: {render(self.said, lang)}"


# A gate refused: a condition in the world was not met (no fresh backup, no approval, a window
# not open yet, a record whose state does not allow the move) and nothing went wrong. A script
# that calls launchpad tells it from a failure (1) and from its own mistake (2) by the code alone,
# and may try again once the condition holds. A run a gate stopped exits with it too (run/engine.py).
REFUSED_EXIT = 4


class Refusal(LaunchpadError):
    """A gate refused what was asked: a condition was not met, nothing was changed and nothing
    went wrong. Never an ordinary failure (exit 1), nor the person's own input (exit 2): what
    a person can put right by asking again (not confirmed, a name typed wrong) subclasses it
    back to exit 2."""

    exit_code = REFUSED_EXIT


class InvalidInput(LaunchpadError):
    """A file (site.yaml, a playbook, an answers file) that cannot be used as written."""

    title = "invalid input"

    def __init__(self, problems: list[Problem], *, hint: Said = "") -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems), hint=hint)

    def render(self, lang: str = "en") -> str:
        text = "\n".join(p.render(lang) for p in self.problems)
        if self.hint:
            text += f"\n  → {render(self.said_hint, lang)}"
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

    def __init__(self, host: str, message: Said, *, hint: Said = "") -> None:
        self.host = host
        self.detail = str(message)
        self.said_detail = message
        super().__init__(phrase("host.said", host=host, message=message), hint=hint)

    def said_for(self, host: str) -> Said:
        # Said about another host (the jump host on the way), the name must stay.
        return self.said_detail if host == self.host else self.said


class HostUnreachable(RemoteError):
    title = "host unreachable"


class AuthenticationFailed(RemoteError):
    title = "authentication failed"


def trust_command(env: str, workspace_dir: str | None = None) -> str:
    """`launchpad hosts trust` for the environment a host is in, as a person types it where
    they are: `workspace_dir` is the workspace's folder when a command typed there would not
    find it (named with the root option `-w`, which goes before the command)."""
    named = f"-w {shell_word(workspace_dir)} " if workspace_dir is not None else ""
    return f"launchpad {named}hosts trust --env {shell_word(env)}"


class UnknownHostKey(RemoteError):
    """The host offered a key that is not in known_hosts. Refused until a person trusts it."""

    title = "unknown host key"
    refusal = "unknown"  # the reason audited with the refusal

    def __init__(
        self, host: str, key_type: str, fingerprint: str, *, searched: Sequence[str] = (),
        env: str | None = None, workspace_dir: str | None = None,
    ) -> None:
        """`env`: the environment the host is in, so the hint's command runs as written
        (without it the hint says what to run in words, never with a placeholder);
        `workspace_dir`: the workspace's folder, when the command must name it."""
        self.key_type = key_type
        self.fingerprint = fingerprint
        self.searched = list(searched)
        looked_in = phrase("error.key_unknown_searched", files=self.searched) if self.searched else ""
        super().__init__(
            host, phrase("error.key_unknown", key_type=key_type, fingerprint=fingerprint, looked_in=looked_in),
            hint=phrase("error.key_unknown_hint", command=trust_command(env, workspace_dir), host=host)
            if env is not None
            else phrase("error.key_unknown_hint_no_env", host=host),
        )


class ChangedHostKey(RemoteError):
    """The host offered a different key from the recorded one: possibly an attack. Never accepted."""

    title = "HOST KEY CHANGED"
    refusal = "changed"

    def __init__(self, host: str, key_type: str, fingerprint: str, known_fingerprint: str, *,
                 remove: str = "", entry: str = "", env: str | None = None,
                 workspace_dir: str | None = None) -> None:
        """`remove`: the command that removes the old entry from the file that holds it, when
        that file is known (`ssh-keygen -R` alone edits ~/.ssh/known_hosts only); else `entry`:
        the name known_hosts files the host under (`[address]:port`), said in words; `env`
        and `workspace_dir`: the environment the host is in and the workspace's folder when
        it must be named, for the command that trusts the new key."""
        self.key_type = key_type
        self.fingerprint = fingerprint
        self.known_fingerprint = known_fingerprint
        if remove and env is not None:
            hint = phrase("error.key_changed_remove_hint", command=remove, trust=trust_command(env, workspace_dir))
        elif remove:
            hint = phrase("error.key_changed_remove_hint_no_env", command=remove)
        else:
            hint = phrase("error.key_changed_hint", entry=entry or host)
        super().__init__(
            host, phrase("error.key_changed", known=known_fingerprint, key_type=key_type, fingerprint=fingerprint),
            hint=hint,
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
            phrase("hostkeys.revoked", key_type=key_type, fingerprint=fingerprint),
            hint=phrase("hostkeys.revoked_hint"),
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
