"""From a target in site.yaml to what runs where: the host whose shell runs the dump (the
database's `via`, the target's `host`, or this machine), and the database's credentials,
resolved from their secret reference only now, when they are about to be used."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from launchpad.errors import UsageError
from launchpad.hosts.base import HostSpec, Transport
from launchpad.phrases import phrase
from launchpad.workspace.secrets import AskSecret, resolve_secret
from launchpad.workspace.site import BackupTarget, Database, Environment, Host

TransportFor = Callable[[Host], Transport]


@dataclass
class ResolvedTarget:
    env_name: str
    environment: Environment
    name: str
    spec: BackupTarget
    transport: Transport
    # True when the commands run on this machine (a local environment, or a database that
    # this machine reaches directly): relative paths are then the workspace's.
    local: bool
    database_key: str | None = None
    database: Database | None = None
    password: str | None = field(default=None, repr=False)

    @property
    def host_name(self) -> str:
        return self.transport.host.name

    @property
    def driver_name(self) -> str:
        if self.spec.command is not None:
            return "command"
        if self.spec.paths is not None:
            return "files"
        assert self.database is not None
        return {"mariadb": "mysql"}.get(self.database.engine, self.database.engine)


# The engines whose drivers create a database gone from its server before restoring into it
# (Driver.default_charset); a file (SQLite, a files or command target) is restored as it is.
SERVER_ENGINES = ("mysql", "mariadb", "postgresql")


def creates_missing_database(environment: Environment, name: str) -> bool:
    """Whether restoring target `name` creates its database when its server says it is gone."""
    spec = environment.backups.get(name)
    if spec is None or spec.command is not None or spec.database is None:
        return False
    database = environment.databases.get(spec.database)
    return database is not None and database.engine in SERVER_ENGINES


def target_names(environment: Environment) -> list[str]:
    return list(environment.backups)


def resolve_target(
    environment: Environment,
    env_name: str,
    name: str,
    transport_for: TransportFor,
    workspace_root: Path,
    *,
    ask_secret: AskSecret | None = None,
) -> ResolvedTarget:
    spec = environment.backups.get(name)
    if spec is None:
        known = list(environment.backups) or phrase("error.no_envs")
        raise UsageError(phrase("error.no_backup_target", name=name, env=env_name),
                         hint=phrase("error.no_backup_target_hint", known=known))
    database = environment.databases.get(spec.database) if spec.database else None
    host_name = spec.host or (database.via if database else None)
    if host_name is None and database is None and environment.hosts:
        host_name = environment.hosts[0].name
    transport, local = transport_for_host(environment, host_name, transport_for, workspace_root)
    password = None
    if database is not None and database.password is not None:
        password = resolve_secret(database.password, ask=ask_secret,
                                  label=phrase("secret.database_password", name=spec.database, env=env_name))
    return ResolvedTarget(env_name, environment, name, spec, transport, local, spec.database, database, password)


def transport_for_host(environment: Environment, host_name: str | None, transport_for: TransportFor,
               workspace_root: Path) -> tuple[Transport, bool]:
    from launchpad.hosts.local import LocalTransport

    if host_name is None:
        # The database is reachable from this machine: its tools run here.
        return LocalTransport(HostSpec(name="local", address="localhost"), cwd=str(workspace_root)), True
    host = next((h for h in environment.hosts if h.name == host_name), None)
    if host is None:
        raise UsageError(phrase("error.host_not_here", host=host_name))
    return transport_for(host), environment.transport == "local"
