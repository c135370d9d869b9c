"""The shell around every command a backup, restore, drill or `sql` step sends to a host.

A killed launchpad must leave nothing of a dump or a credential on the host. The old way — a
private directory made by one command, credentials written into it by another, removed by a
third or by an EXIT trap — left both behind after a `kill -9`: the shell died of SIGPIPE
writing to the dead client (an untrapped signal runs no EXIT trap), or was never told at all,
since sshd closes a dead client's pipes but signals nothing when there is no terminal.

So each command is self-contained: it makes its private directory itself, under a name this
side chose (the drivers build paths in it), and removes it on every way out — normal exit,
HUP, INT, PIPE or TERM. A watchdog ends the command's process group once the process that
started it (the sshd session, or launchpad itself locally) is gone, so the command dies with
its channel. Credentials arrive on stdin, before any other input, one line of octal escapes
each; each is written, opened on a file descriptor and unlinked at once, and its name in the
directory becomes a symlink to `/dev/fd/N`: the tools open it as a file, and nothing of it is
on disk while they run. A leftover directory therefore never holds a credential; leftovers of
commands whose shell was killed outright (the `owner` pid gone) are removed by the next
command, as are those of older versions that had no `owner` file once older than any command
may run.
"""

from __future__ import annotations

import secrets
import shlex
from dataclasses import dataclass, field

PREFIX = "launchpad."
# Credentials go on descriptors 3..8, of the ones every POSIX shell lets a script open (3..9).
FIRST_FD, LAST_FD = 3, 8
# The last one is the command's own: a command that hands its stdin to a child it runs in the
# background keeps a copy there (see users/stream.py).
OWN_FD = 9
# Directories of versions before `owner` files: removed once older than the longest command.
OLD_LEFTOVER_MINUTES = 13 * 60


# What the envelope's EXIT trap does: the watcher ended, the private folder removed. A command
# that sets an EXIT trap of its own ends with this.
CLEANUP = 'kill "$lp_watch" 2>/dev/null; rm -rf -- "$lp_tmp"'


@dataclass(frozen=True)
class Envelope:
    """One private directory on a host, and the credentials each command gets in it."""

    path: str
    secret_files: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def under(cls, base: str, secret_files: dict[str, str]) -> Envelope:
        if len(secret_files) > LAST_FD - FIRST_FD + 1:
            raise ValueError("too many credential files for one command")
        return cls(f"{base.rstrip('/') or ''}/{PREFIX}{secrets.token_hex(4)}", dict(secret_files))

    def wrap(self, command: str) -> str:
        """`command`, run inside the envelope (it may use `$lp_tmp` as well as the path)."""
        return "\n".join([self._setup(), self._sweep(), *self._secret_lines(), command, ""])

    def stdin_prefix(self) -> bytes:
        """What goes on stdin before the command's own input: the credentials, one line each."""
        return b"".join(encode_line(content) for content in self.secret_files.values())

    def _setup(self) -> str:
        tmp = shlex.quote(self.path)
        return (f"umask 077; lp_tmp={tmp}; lp_watch=\n"
                f"mkdir -- \"$lp_tmp\" || exit 125\n"
                f"trap '{CLEANUP}' EXIT\n"
                "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM\n"
                "echo $$ > \"$lp_tmp/owner\"\n"
                # The parent is the sshd session (or launchpad): when it is gone, so is the
                # reader of everything this command says, and the whole group is ended.
                "( while [ -d \"/proc/$PPID\" ] || kill -0 \"$PPID\" 2>/dev/null; do sleep 1; done; "
                "kill -TERM 0 ) </dev/null >/dev/null 2>&1 &\n"
                "lp_watch=$!")

    def _sweep(self) -> str:
        base = shlex.quote(self.path.rsplit("/", 1)[0] or "/")
        return (f"for lp_old in {base}/{PREFIX}*; do\n"
                "  [ \"$lp_old\" != \"$lp_tmp\" ] && [ -d \"$lp_old\" ] && [ -O \"$lp_old\" ] || continue\n"
                "  if [ -f \"$lp_old/owner\" ]; then\n"
                "    lp_pid=$(cat \"$lp_old/owner\" 2>/dev/null)\n"
                "    case $lp_pid in ''|*[!0-9]*) continue;; esac\n"
                "    [ -d \"/proc/$lp_pid\" ] || kill -0 \"$lp_pid\" 2>/dev/null || rm -rf -- \"$lp_old\"\n"
                f"  elif [ -n \"$(find \"$lp_old\" -maxdepth 0 -mmin +{OLD_LEFTOVER_MINUTES} 2>/dev/null)\" ]; then\n"
                "    rm -rf -- \"$lp_old\"\n"
                "  fi\n"
                "done")

    def _secret_lines(self) -> list[str]:
        lines = []
        for fd, name in enumerate(self.secret_files, start=FIRST_FD):
            file = shlex.quote(f"{self.path}/{name}")
            lines.append(f"IFS= read -r lp_secret || exit 125; printf \"$lp_secret\" > {file} && "
                         f"exec {fd}< {file} && rm -f -- {file} && ln -s /dev/fd/{fd} {file} || exit 125; "
                         "lp_secret=")
        return lines


def encode_line(content: str) -> bytes:
    """`content` as one line that `printf` turns back into its bytes: octal escapes only, so no
    character of it (newline, `%`, backslash, quote) means anything to the shell or printf."""
    return ("".join(f"\\{byte:03o}" for byte in content.encode("utf-8")) + "\n").encode("ascii")
