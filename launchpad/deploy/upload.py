"""One artifact to one host, whole and checked, or not at all.

The host is asked first for the sha256 of the file already at the destination: the same sum
means the release is there already (a re-run, a host deployed by hand), and nothing is sent.
Hashing 200 MB on the host would take a second, so a verified upload leaves its sum beside the
file (`.NAME.launchpad-sha256`, with the file's size, mtime and inode): while those still match,
the recorded sum answers at once; a file changed or copied in by hand is hashed again.
Otherwise one command receives the bytes on its stdin (`Transport.feed`: streamed over the
connection the run already holds, no round trip per chunk, no SFTP subsystem needed), writes
them to a private temporary name beside the destination, computes their sha256 on the host,
and renames the file into place only when that sum is the expected one. A mismatch, a full
disk or a broken connection leaves no partial file: the shell's exit trap removes it.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shlex
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from launchpad.errors import LaunchpadError, RemoteError
from launchpad.hosts.base import Readable, Transport
from launchpad.oserrors import os_reason
from launchpad.phrases import Said, phrase

SHA256 = re.compile(r"^[0-9a-f]{64}$")
# The exit code by which the receiving command says the bytes that arrived are not the artifact.
MISMATCH_EXIT = 97
MISMATCH_MARK = "launchpad-sha256-mismatch"
READ_SIZE = 1024 * 1024

Progress = Callable[[int, int], None]  # (bytes sent, total), from the sending thread


@dataclass(frozen=True)
class Artifact:
    """A local file and the sha256 every copy of it must have."""

    path: Path
    size: int
    sha256: str


def artifact_at(path: Path, sha256: str | None = None) -> Artifact:
    """The artifact at `path`; its sum is `sha256` when the build published one (the host then
    checks the bytes against the build's word, catching a corrupted local copy too), else
    computed here once for every host."""
    try:
        size = path.stat().st_size
        if sha256 is None:
            with path.open("rb") as source:
                sha256 = hashlib.file_digest(source, "sha256").hexdigest()
    except OSError as exc:
        raise LaunchpadError(phrase("upload.unreadable", path=str(path), reason=os_reason(exc)),
                             hint=phrase("upload.unreadable_hint")) from None
    return Artifact(path, size, sha256.lower())


@dataclass(frozen=True)
class Delivery:
    host: str
    state: Literal["sent", "already_there"]
    seconds: float
    bytes_sent: int


class ChecksumMismatch(RemoteError):
    """The bytes written on the host are not the artifact; nothing was left there."""


# What identifies the file a recorded sum was computed for: size, mtime to the nanosecond (%y, in
# every coreutils and busybox), inode.
_STAT = "stat -c '%s %y %i' --"


def _sidecar(path: str) -> str:
    directory, name = posixpath.split(path)
    return posixpath.join(directory, f".{name}.launchpad-sha256")


def remote_sha256(
    transport: Transport, path: str, *, timeout: float = 120.0, on_command: Callable[[str], None] | None = None
) -> str | None:
    """The sha256 of the file at `path` on the host, or None when there is none: the sum a
    verified upload recorded while the file is unchanged, else computed there."""
    q = shlex.quote
    command = (
        f"f={q(path)}; s={q(_sidecar(path))}; if [ -f \"$f\" ]; then "
        'if [ -f "$s" ] && read -r sum meta < "$s" && '
        f'[ "$meta" = "$({_STAT} "$f" 2>/dev/null)" ]; then echo "$sum"; '
        'else sha256sum -- "$f" 2>/dev/null; fi; fi'
    )
    if on_command is not None:
        on_command(command)
    result = transport.run(command, timeout=timeout)
    found = result.text().split(" ", 1)[0].strip()
    return found if result.ok and SHA256.match(found) else None


def deliver(
    transport: Transport,
    artifact: Artifact,
    destination: str,
    *,
    mode: int = 0o644,
    timeout: float = 3600.0,
    on_progress: Progress | None = None,
    on_command: Callable[[str], None] | None = None,
    source: Readable | None = None,
) -> Delivery:
    """Put `artifact` at `destination` on the host unless it is there already. `on_command`
    hears each command before it is sent (for the audit log); `source` replaces the artifact's
    file as what is sent (tests corrupt bytes in transit with it)."""
    started = time.monotonic()
    host = transport.host.name
    if remote_sha256(transport, destination, on_command=on_command) == artifact.sha256:
        return Delivery(host, "already_there", time.monotonic() - started, 0)
    receive = _receive_command(artifact.sha256, destination, mode)
    if on_command is not None:
        on_command(receive)
    counter = _Counting(source, artifact, on_progress)
    try:
        result = transport.feed(receive, counter, timeout=timeout)
    finally:
        counter.close()
    if result.exit_code == MISMATCH_EXIT and MISMATCH_MARK in result.text("stderr"):
        found = result.text("stderr").split(MISMATCH_MARK, 1)[1].split()[:1] or ["?"]
        raise ChecksumMismatch(
            host,
            phrase("upload.mismatch", destination=destination, found=found[0][:12], expected=artifact.sha256[:12]),
            hint=phrase("upload.mismatch_hint"),
        )
    if not result.ok:
        said = result.text("stderr").strip().splitlines()[-1:]
        reason: Said = said[0][:300] if said else phrase("ssh.exit_code", code=result.exit_code)
        raise RemoteError(host, phrase("ssh.cannot_write", path=destination, reason=reason),
                          hint=phrase("upload.cannot_write_hint"))
    return Delivery(host, "sent", time.monotonic() - started, counter.sent)


def _receive_command(sha256: str, destination: str, mode: int) -> str:
    """A POSIX shell command that takes the artifact on stdin and installs it only when its
    sum on the host is `sha256`. Private while partial (umask 077), given its mode before it is
    renamed into place, removed by the exit trap on any failure or hang-up."""
    directory, name = posixpath.split(destination)
    directory = directory or "."
    tmp = posixpath.join(directory, f".{name}.launchpad-upload")
    q = shlex.quote
    target, sidecar = q(destination), q(_sidecar(destination))
    return (
        f"umask 077 && mkdir -p -- {q(directory)} && tmp={q(tmp)}.$$ && "
        "trap 'rm -f -- \"$tmp\"' EXIT HUP INT TERM && "
        'cat > "$tmp" && sum=$(sha256sum -- "$tmp") && sum=${sum%% *} && '
        f'if [ "$sum" != {q(sha256)} ]; then echo "{MISMATCH_MARK} $sum" >&2; exit {MISMATCH_EXIT}; fi && '
        f'chmod {mode:o} "$tmp" && rm -f -- {sidecar} && mv -f -- "$tmp" {target} && '
        f'printf \'%s %s\\n\' "$sum" "$({_STAT} {target})" > {sidecar}'
    )


class _Counting:
    """The artifact's bytes as `feed` reads them, counted for progress."""

    def __init__(self, source: Readable | None, artifact: Artifact, on_progress: Progress | None) -> None:
        self._own = source is None
        self._source: Readable = artifact.path.open("rb") if source is None else source
        self._total = artifact.size
        self._on_progress = on_progress
        self._lock = threading.Lock()
        self.sent = 0

    def read(self, size: int = -1, /) -> bytes:
        chunk = self._source.read(READ_SIZE if size < 0 else size)
        with self._lock:
            self.sent += len(chunk)
        if self._on_progress is not None and chunk:
            self._on_progress(self.sent, self._total)
        return chunk

    def close(self) -> None:
        if self._own:
            close = getattr(self._source, "close", None)
            if close is not None:
                close()
