"""Strict host key checking: an unknown or changed key is refused, never silently accepted.

launchpad reads the files ssh reads (`~/.ssh/known_hosts`, `/etc/ssh/ssh_known_hosts`, or the
`UserKnownHostsFile` and `GlobalKnownHostsFile` that ssh_config names for the host) and a
known_hosts file of its own per workspace. `launchpad hosts trust` appends to its own file
after a person compared the fingerprint, or to the host's first `UserKnownHostsFile` when
ssh_config names one (where ssh would record it too); the user's default file is never written.
Entries are read as OpenSSH writes them: hashed names (`|1|salt|hash`), `[host]:port` for
ports other than 22, comma-separated patterns with `*`, `?` and `!`, and the `@revoked` marker.

Why not `paramiko.HostKeys`: it stops at the first `@cert-authority` or `@revoked` line with an
exception, knows no wildcards, and keeps one key per type and host, so a host listed in both
files with different keys would be reported as changed. We parse the lines ourselves and
compare key blobs, which also covers key types paramiko cannot load.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import shlex
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import paramiko

from launchpad.errors import ChangedHostKey, RevokedHostKey, UnknownHostKey, UsageError
from launchpad.oserrors import os_reason
from launchpad.phrases import phrase

if TYPE_CHECKING:
    from launchpad.hosts.sshconfig import SshTarget

DEFAULT_USER_KNOWN_HOSTS = "~/.ssh/known_hosts"
# ssh's default GlobalKnownHostsFile: keys an administrator recorded for every user.
DEFAULT_GLOBAL_KNOWN_HOSTS = ("/etc/ssh/ssh_known_hosts",)
# paramiko names RSA host key algorithms by signature; known_hosts names the key type.
_ALGORITHMS_FOR_TYPE = {"ssh-rsa": ("rsa-sha2-512", "rsa-sha2-256")}


def fingerprint_of_blob(blob: bytes) -> str:
    """The fingerprint exactly as `ssh-keygen -l` and ssh print it: SHA256, base64, unpadded."""
    digest = hashlib.sha256(blob).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def fingerprint(key: paramiko.PKey) -> str:
    return fingerprint_of_blob(key.asbytes())


def known_hosts_name(hostname: str, port: int) -> str:
    """The name OpenSSH files a host under: bare for port 22, `[host]:port` otherwise."""
    return hostname if port == 22 else f"[{hostname}]:{port}"


@dataclass(frozen=True)
class KnownKey:
    key_type: str
    blob: bytes
    # "file:line", so a person can find (and, when it changed, remove) the entry.
    source: str
    marker: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint_of_blob(self.blob)


@dataclass(frozen=True)
class HostKeyStatus:
    """`known`: the key is recorded; `unknown`: nothing is recorded for the host; `changed`:
    other keys are recorded (listed in `known_keys`); `revoked`: marked @revoked."""

    state: Literal["known", "unknown", "changed", "revoked"]
    known_keys: list[KnownKey]

    def recorded(self) -> str:
        """The recorded keys as a person can find them: type, fingerprint, file:line."""
        return "; ".join(f"{k.key_type} {k.fingerprint} ({k.source})" for k in self.known_keys)

    def removal(self, hostname: str, port: int) -> str:
        """The command that removes the recorded entries for the host from the files holding
        them, as a person types it ("" when none is recorded)."""
        files = dict.fromkeys(k.source.rsplit(":", 1)[0] for k in self.known_keys)
        name = shlex.quote(known_hosts_name(hostname, port))
        return "; ".join(f"ssh-keygen -f {shlex.quote(file)} -R {name}" for file in files)


@dataclass(frozen=True)
class _Entry:
    patterns: tuple[str, ...]
    key: KnownKey

    def matches(self, name: str) -> bool:
        matched = False
        for pattern in self.patterns:
            if pattern.startswith("|1|"):
                matched = matched or _hashed_name_matches(pattern, name)
                continue
            negated = pattern.startswith("!")
            if _glob_matches(pattern.lstrip("!"), name):
                if negated:
                    return False
                matched = True
        return matched


class KnownHosts:
    """The known_hosts files launchpad trusts: some read-only, at most one it appends to.

    `read_only` are the user's files and `global_files` the system's: a host's
    `UserKnownHostsFile` and `GlobalKnownHostsFile` replace them (`for_target`).
    """

    def __init__(
        self,
        read_only: Sequence[str | os.PathLike[str]] = (DEFAULT_USER_KNOWN_HOSTS,),
        writable: str | os.PathLike[str] | None = None,
        *,
        global_files: Sequence[str | os.PathLike[str]] = (),
        env: str | None = None,
        workspace_dir: str | None = None,
    ) -> None:
        """`env`: the environment whose hosts these files are checked for, and `workspace_dir`:
        its workspace's folder when a command typed here would not find it, named in the
        command a refusal tells a person to run."""
        self.env = env
        self.workspace_dir = workspace_dir
        self.read_only = [Path(os.path.expanduser(p)) for p in read_only]
        self.writable = Path(os.path.expanduser(writable)) if writable is not None else None
        self.global_files = [Path(os.path.expanduser(p)) for p in global_files]
        # Shared with every `for_target` view, so a key trusted through one (a bastion) is
        # seen at once by the others (the hosts behind it).
        self._cache = _ParsedFiles()

    @classmethod
    def for_workspace(cls, writable: str | os.PathLike[str], *, env: str | None = None,
                      workspace_dir: str | None = None) -> KnownHosts:
        """The user's and the system's known_hosts (read only), as ssh reads them, plus the
        workspace's own file (appended to), for the hosts of environment `env`."""
        return cls(
            read_only=(DEFAULT_USER_KNOWN_HOSTS,),
            writable=writable,
            global_files=DEFAULT_GLOBAL_KNOWN_HOSTS,
            env=env,
            workspace_dir=workspace_dir,
        )

    def for_target(self, target: SshTarget) -> KnownHosts:
        """The files for one host, as its ssh_config block names them.

        A `UserKnownHostsFile` replaces the user's default file and its first file is where
        `trust` writes, as ssh would; launchpad's own file is still read, so keys trusted
        there before keep working. A `GlobalKnownHostsFile` replaces the system's file.
        """
        users, globals_ = target.user_known_hosts, target.global_known_hosts
        if users is None and globals_ is None:
            return self
        read_only: list[str | os.PathLike[str]] = list(self.read_only)
        writable: str | os.PathLike[str] | None = self.writable
        if users is not None:
            read_only = list(users[1:]) + ([self.writable] if self.writable and users else [])
            writable = users[0] if users else self.writable
        view = KnownHosts(
            read_only=read_only,
            writable=writable,
            global_files=self.global_files if globals_ is None else globals_,
            env=self.env,
            workspace_dir=self.workspace_dir,
        )
        view._cache = self._cache
        return view

    @property
    def files(self) -> list[Path]:
        """Every file searched: a key in any of them is trusted."""
        return self.read_only + self.global_files + ([self.writable] if self.writable else [])

    def keys_for(self, hostname: str, port: int) -> list[KnownKey]:
        """The trusted keys recorded for a host (revoked and CA lines excluded)."""
        name = known_hosts_name(hostname, port)
        return [e.key for e in self._loaded() if not e.key.marker and e.matches(name)]

    def check(self, hostname: str, port: int, key: paramiko.PKey) -> HostKeyStatus:
        """What the files say about `key` for this host, without raising."""
        name = known_hosts_name(hostname, port)
        offered = key.asbytes()
        matching = [e.key for e in self._loaded() if e.matches(name)]
        if any(k.marker == "@revoked" and k.blob == offered for k in matching):
            return HostKeyStatus("revoked", [])
        trusted = [k for k in matching if not k.marker]
        if any(k.blob == offered for k in trusted):
            return HostKeyStatus("known", trusted)
        return HostKeyStatus("changed" if trusted else "unknown", trusted)

    def verify(self, host: str, hostname: str, port: int, key: paramiko.PKey) -> None:
        """Return when `key` is recorded for the host; raise when it is unknown or changed.

        `host` is the name people know the host by, used in the error.
        """
        status = self.check(hostname, port, key)
        if status.state == "known":
            return
        if status.state == "revoked":
            raise RevokedHostKey(host, key.get_name(), fingerprint(key))
        if status.state == "changed":
            raise ChangedHostKey(host, key.get_name(), fingerprint(key), status.recorded(),
                                 remove=status.removal(hostname, port), env=self.env,
                                 workspace_dir=self.workspace_dir)
        raise UnknownHostKey(host, key.get_name(), fingerprint(key), searched=self.searched(), env=self.env,
                             workspace_dir=self.workspace_dir)

    def searched(self) -> list[str]:
        """The files looked in, as a person can check them: absent ones say so."""
        return [str(p) if p.exists() else f"{p} (absent)" for p in self.files]

    def preferred_key_types(self, hostname: str, port: int) -> list[str]:
        """Host key algorithms to ask for first, so the server offers the key we know
        (as OpenSSH does) rather than another type we would then call unknown."""
        wanted: list[str] = []
        for known in self.keys_for(hostname, port):
            for algorithm in _ALGORITHMS_FOR_TYPE.get(known.key_type, (known.key_type,)):
                if algorithm not in wanted:
                    wanted.append(algorithm)
        return wanted

    def trust(self, hostname: str, port: int, key: paramiko.PKey) -> Path:
        """Record `key` for the host in the writable file (hashed, as `HashKnownHosts` does)."""
        if self.writable is None:
            raise UsageError(
                phrase("hostkeys.no_writable"), hint=phrase("hostkeys.no_writable_hint"),
            )
        path = self.writable
        hashed = _hash_name(known_hosts_name(hostname, port), os.urandom(20))
        line = f"{hashed} {key.get_name()} {key.get_base64()}\n"
        with self._cache.lock:
            try:
                line = _append_line(path, line)
            except OSError as exc:
                raise UsageError(
                    phrase("hostkeys.cannot_write", path=str(path), reason=os_reason(exc)),
                    hint=phrase("hostkeys.cannot_write_hint"),
                ) from None
            entry = _parse_line(line.strip(), f"{path}:new")
            self._cache.append(path, entry)
        return path

    def reload(self) -> None:
        self._cache.clear()

    def _loaded(self) -> list[_Entry]:
        return [entry for path in self.files for entry in self._cache.entries(path)]


class _ParsedFiles:
    """known_hosts files parsed once each, by path, until `clear`."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._by_path: dict[Path, list[_Entry]] = {}

    def entries(self, path: Path) -> list[_Entry]:
        with self.lock:
            if path not in self._by_path:
                self._by_path[path] = _read_file(path)
            return self._by_path[path]

    def append(self, path: Path, entry: _Entry | None) -> None:
        with self.lock:
            if entry is not None and path in self._by_path:
                self._by_path[path].append(entry)

    def clear(self) -> None:
        with self.lock:
            self._by_path.clear()


class StrictHostKeyPolicy(paramiko.MissingHostKeyPolicy):
    """Given to `SSHClient`, which then holds no keys of its own: every server key reaches
    this policy, which accepts only what `KnownHosts.verify` accepts."""

    def __init__(self, known_hosts: KnownHosts, host: str, hostname: str, port: int) -> None:
        self.known_hosts = known_hosts
        self.host = host
        self.hostname = hostname
        self.port = port

    def missing_host_key(
        self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey
    ) -> None:
        self.known_hosts.verify(self.host, self.hostname, self.port, key)


def _append_line(path: Path, line: str) -> str:
    """Append one entry to a private file; returns the line as written."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "r+b") as file:
        os.fchmod(file.fileno(), 0o600)
        size = file.seek(0, os.SEEK_END)
        # A hand-edited file may lack its final newline; do not glue onto its last line.
        if size and os.pread(file.fileno(), 1, size - 1) != b"\n":
            line = "\n" + line
        file.write(line.encode("ascii"))
    return line


def _read_file(path: Path) -> list[_Entry]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise UsageError(
            phrase("hostkeys.cannot_read", path=str(path), reason=os_reason(exc)),
            hint=phrase("hostkeys.cannot_read_hint"),
        ) from None
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        entry = _parse_line(line, f"{path}:{number}")
        if entry is not None:
            entries.append(entry)
    return entries


def _parse_line(line: str, source: str) -> _Entry | None:
    fields = line.strip().split()
    if not fields or fields[0].startswith("#"):
        return None
    marker = ""
    if fields[0].startswith("@"):
        marker, fields = fields[0], fields[1:]
    if len(fields) < 3:
        return None  # malformed lines are skipped, as OpenSSH does
    patterns, key_type, encoded = fields[:3]
    try:
        blob = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    return _Entry(tuple(patterns.split(",")), KnownKey(key_type, blob, source, marker))


def _name_digest(name: str, salt: bytes) -> bytes:
    return hmac.new(salt, name.encode("utf-8"), hashlib.sha1).digest()


def _hash_name(name: str, salt: bytes) -> str:
    digest = _name_digest(name, salt)
    return f"|1|{base64.b64encode(salt).decode()}|{base64.b64encode(digest).decode()}"


def _hashed_name_matches(hashed: str, name: str) -> bool:
    parts = hashed.split("|")
    if len(parts) != 4:
        return False
    try:
        salt = base64.b64decode(parts[2], validate=True)
        expected = base64.b64decode(parts[3], validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(_name_digest(name, salt), expected)


def _glob_matches(pattern: str, name: str) -> bool:
    # OpenSSH patterns know only `*` and `?`; `[` is literal (it starts `[host]:port`).
    regex = "".join(
        ".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern.lower()
    )
    return re.fullmatch(regex, name.lower()) is not None
