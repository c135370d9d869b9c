"""One driver per kind of target. `driver_for` picks it from the resolved target."""

from __future__ import annotations

from launchpad.backup.drivers.base import Driver
from launchpad.backup.targets import ResolvedTarget


def driver_for(target: ResolvedTarget) -> Driver:
    kind = target.driver_name
    if kind == "mysql":
        from launchpad.backup.drivers.mysql import MySqlDriver

        return MySqlDriver(target)
    if kind == "postgresql":
        from launchpad.backup.drivers.postgres import PostgresDriver

        return PostgresDriver(target)
    if kind == "sqlite":
        from launchpad.backup.drivers.sqlite import SqliteDriver

        return SqliteDriver(target)
    if kind == "files":
        from launchpad.backup.drivers.files import FilesDriver

        return FilesDriver(target)
    from launchpad.backup.drivers.command import CommandDriver

    return CommandDriver(target)
