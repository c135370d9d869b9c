"""Where a host really is: the workspace's host entry completed by `~/.ssh/config`.

Field engineers already keep bastions, users and keys in `~/.ssh/config`; launchpad honours it
so that `ssh app1` and launchpad reach the same machine the same way. Precedence is the one
people expect: what the workspace says explicitly wins over the config file, and the config
file wins over the defaults (port 22, the current user). The host entry's `address` is looked
up as `ssh` would look up what you type after it, so an alias with a `HostName` works.
"""

from __future__ import annotations

import getpass
import os
import re
import shlex
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launchpad.errors import UsageError
from launchpad.hosts.base import HostSpec
from launchpad.oserrors import os_reason
from launchpad.phrases import phrase

if TYPE_CHECKING:
    import paramiko

DEFAULT_SSH_CONFIG = "~/.ssh/config"
# Deeper chains are a configuration loop (e.g. `Host *` with a ProxyJump), not a network.
MAX_JUMP_HOPS = 8
_JUMP_HOP = re.compile(
    r"^(?:ssh://)?(?:(?P<user>[^@\s]+)@)?(?:\[(?P<bracketed>[^\]]+)\]|(?P<host>[^:@/\s]+))"
    r"(?::(?P<port>\d+))?/?$"
)


@dataclass(frozen=True)
class SshTarget:
    """Everything needed to open one SSH connection, nothing left to look up."""

    name: str  # the host's name in the workspace, used in messages
    hostname: str
    port: int
    user: str
    identity_files: tuple[str, ...] = ()
    # `IdentitiesOnly yes`: use the listed key files only, not the agent's or the defaults.
    identities_only: bool = False
    jump: SshTarget | None = None
    # `UserKnownHostsFile` / `GlobalKnownHostsFile` when ssh_config names them for this host
    # (`~` and tokens expanded; empty for `none`); None: launchpad's defaults apply.
    user_known_hosts: tuple[str, ...] | None = None
    global_known_hosts: tuple[str, ...] | None = None

    @property
    def address(self) -> str:
        return f"{self.user}@{self.hostname}:{self.port}"


class SshConfigResolver:
    """Resolves host specs against one ssh_config file, read once and only when needed."""

    def __init__(self, path: str | os.PathLike[str] | None = DEFAULT_SSH_CONFIG) -> None:
        self.path = Path(os.path.expanduser(path)) if path is not None else None
        self._config: paramiko.SSHConfig | None = None
        self._lock = threading.Lock()

    def resolve(self, spec: HostSpec) -> SshTarget:
        return self._resolve(spec, hops=0)

    def _resolve(self, spec: HostSpec, *, hops: int) -> SshTarget:
        if hops > MAX_JUMP_HOPS:
            raise UsageError(
                phrase("sshconfig.jump_loop", host=spec.name, most=MAX_JUMP_HOPS),
                hint=phrase("sshconfig.jump_loop_hint", path=str(self.path)),
            )
        options = self._lookup(spec.address)
        identity_files = ((spec.identity_file,) if spec.identity_file else ()) + tuple(
            options.get("identityfile", [])
        )
        if spec.jump is not None:
            jump: SshTarget | None = self._resolve(spec.jump, hops=hops + 1)
        else:
            jump = self._configured_jump(spec, options, hops)
        hostname = options.get("hostname", spec.address)
        port = spec.port or self._port(spec, options)
        user = spec.user or options.get("user") or getpass.getuser()
        files = KnownHostsFiles(self.path, spec, hostname, port, user)
        return SshTarget(
            name=spec.name,
            hostname=hostname,
            port=port,
            user=user,
            identity_files=tuple(os.path.expanduser(p) for p in identity_files),
            identities_only=options.get("identitiesonly", "no").lower() == "yes",
            jump=jump,
            user_known_hosts=files.named(options.get("userknownhostsfile")),
            global_known_hosts=files.named(options.get("globalknownhostsfile")),
        )

    def _configured_jump(
        self, spec: HostSpec, options: dict[str, Any], hops: int
    ) -> SshTarget | None:
        value = options.get("proxyjump", "").strip()
        if value and value.lower() != "none":
            return self._resolve(parse_proxy_jump(value, where=str(self.path)), hops=hops + 1)
        if options.get("proxycommand", "none").lower() != "none":
            raise UsageError(
                phrase("sshconfig.proxy_command", host=spec.name, path=str(self.path), address=spec.address),
                hint=phrase("sshconfig.proxy_command_hint"),
            )
        return None

    def _port(self, spec: HostSpec, options: dict[str, Any]) -> int:
        try:
            return int(options.get("port", 22))
        except ValueError:
            raise UsageError(
                phrase("sshconfig.bad_port", host=spec.name, path=str(self.path), port=repr(options["port"]),
                       address=spec.address),
                hint=phrase("sshconfig.bad_port_hint"),
            ) from None

    def _lookup(self, alias: str) -> dict[str, Any]:
        config = self._load()
        return dict(config.lookup(alias)) if config is not None else {}

    def _load(self) -> paramiko.SSHConfig | None:
        if self.path is None:
            return None
        with self._lock:
            if self._config is None:
                self._config = _parse_file(self.path)
            return self._config


def parse_proxy_jump(value: str, *, where: str = "ProxyJump") -> HostSpec:
    """`[user@]host[:port]`, comma-separated for a chain, as a HostSpec whose `jump` is the
    previous hop (the first hop listed is the one reached first)."""
    previous: HostSpec | None = None
    for hop in value.split(","):
        match = _JUMP_HOP.match(hop.strip())
        if match is None:
            raise UsageError(
                phrase("sshconfig.bad_jump", hop=repr(hop.strip()), where=where),
                hint=phrase("sshconfig.bad_jump_hint"),
            )
        host = match["bracketed"] or match["host"]
        previous = HostSpec(
            name=host,
            address=host,
            port=int(match["port"]) if match["port"] else None,
            user=match["user"],
            jump=previous,
        )
    assert previous is not None  # str.split always yields at least one hop
    return previous


@dataclass(frozen=True)
class KnownHostsFiles:
    """Reads a `UserKnownHostsFile` or `GlobalKnownHostsFile` value as ssh does: several
    paths, quoted when they hold spaces, `~` and the %-tokens people use in them expanded."""

    config: Path | None
    spec: HostSpec
    hostname: str
    port: int
    user: str

    def named(self, value: str | None) -> tuple[str, ...] | None:
        if value is None:
            return None
        try:
            words = [value] if self._quoted_whole(value) else shlex.split(value)
        except ValueError:
            raise UsageError(
                phrase("sshconfig.unbalanced_quote", host=self.spec.name, path=str(self.config), value=repr(value)),
                hint=phrase("sshconfig.unbalanced_quote_hint"),
            ) from None
        if [w.lower() for w in words] == ["none"]:
            return ()
        return tuple(os.path.expanduser(self._tokens(word)) for word in words)

    def _quoted_whole(self, value: str) -> bool:
        """paramiko drops the quotes around a whole value, so `"~/my hosts"` reaches us as two
        words; the file itself tells whether it was one quoted path."""
        if " " not in value or self.config is None:
            return False
        try:
            text = self.config.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
        pattern = rf'(?im)^\s*(user|global)knownhostsfile(\s*=\s*|\s+)"{re.escape(value)}"\s*$'
        return re.search(pattern, text) is not None

    def _tokens(self, word: str) -> str:
        values = {
            "%": "%",
            "d": os.path.expanduser("~"),
            "u": getpass.getuser(),
            "h": self.hostname,
            "p": str(self.port),
            "r": self.user,
            "n": self.spec.address,
        }
        # An unknown token stays as written, so the file named in messages is recognisable.
        return re.sub(r"%(.)", lambda m: values.get(m[1], m[0]), word)


def _parse_file(path: Path) -> paramiko.SSHConfig:
    import paramiko  # lazily: paramiko costs ~0.1 s of start-up

    try:
        return paramiko.SSHConfig.from_path(str(path))
    except FileNotFoundError:
        return paramiko.SSHConfig()
    except (OSError, paramiko.SSHException) as exc:
        # Why the system refused the file in the reader's words; paramiko's own stay as they are.
        why = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        raise UsageError(
            phrase("sshconfig.unusable", path=str(path), error=why),
            hint=phrase("sshconfig.unusable_hint"),
        ) from None
