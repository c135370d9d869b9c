"""Transports: how launchpad runs commands on a host, over SSH or on this machine.

Importing this package stays cheap: the SSH names (which need paramiko, ~0.1 s to import) are
loaded on first access, so `launchpad demo` on the local transport never pays for paramiko.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from launchpad.hosts.base import (
    CommandResult,
    HostSpec,
    OutputCallback,
    Stream,
    StreamResult,
    Timeouts,
    Transport,
)
from launchpad.hosts.capture import DEFAULT_CAPTURE_LIMIT
from launchpad.hosts.local import LocalTransport
from launchpad.hosts.pool import ConnectionPool, TransportKind, default_parallelism, fan_out
from launchpad.hosts.sshconfig import SshConfigResolver, SshTarget, parse_proxy_jump

if TYPE_CHECKING:
    from launchpad.hosts.hostkeys import KnownHosts, StrictHostKeyPolicy, fingerprint
    from launchpad.hosts.hosttrust import (
        OfferedHostKey,
        fetch_host_key,
        scan_host_key,
        trust_host_key,
    )
    from launchpad.hosts.ssh import SshTransport

# name → module that defines it, imported when the name is first used.
_LAZY = {
    "KnownHosts": "launchpad.hosts.hostkeys",
    "StrictHostKeyPolicy": "launchpad.hosts.hostkeys",
    "scan_host_key": "launchpad.hosts.hosttrust",
    "fingerprint": "launchpad.hosts.hostkeys",
    "SshTransport": "launchpad.hosts.ssh",
    "OfferedHostKey": "launchpad.hosts.hosttrust",
    "fetch_host_key": "launchpad.hosts.hosttrust",
    "trust_host_key": "launchpad.hosts.hosttrust",
}

__all__ = [
    "DEFAULT_CAPTURE_LIMIT",
    "CommandResult",
    "ConnectionPool",
    "HostSpec",
    "KnownHosts",
    "LocalTransport",
    "OfferedHostKey",
    "OutputCallback",
    "SshConfigResolver",
    "SshTarget",
    "SshTransport",
    "StrictHostKeyPolicy",
    "Stream",
    "StreamResult",
    "Timeouts",
    "Transport",
    "TransportKind",
    "default_parallelism",
    "fan_out",
    "fetch_host_key",
    "fingerprint",
    "parse_proxy_jump",
    "scan_host_key",
    "trust_host_key",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
