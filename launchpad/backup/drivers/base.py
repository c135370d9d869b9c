"""What a driver is: how to dump a target to stdout, restore it from stdin, check that a dump
is complete, take an inventory (tables and row counts, or files and hashes) and drill a
restore into a scratch database or directory."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from launchpad.backup.hostshell import HostShell
from launchpad.backup.sqlclient import DbAccess
from launchpad.backup.structure import CheckResult
from launchpad.backup.targets import ResolvedTarget
from launchpad.phrases import Said, phrase

OpenChunks = Callable[[], Iterator[bytes]]
# Feeds the stored backup (decompressed on the host) into a restore command; returns its result.
FeedBackup = Callable[[str], Any]


@dataclass(frozen=True)
class DrillOutcome:
    passed: bool
    summary: Said
    # Per table (or file): what the backup held when taken, what the scratch copy holds, and
    # what the source holds now (for information: it may have changed since).
    rows: list[dict[str, Any]] = field(default_factory=list)
    scratch: str = ""
    # False for targets that cannot be restored anywhere but in place (the command driver).
    supported: bool = True
    hint: Said = ""  # what to do, when the drill could not run (the error's hint)


@dataclass(frozen=True)
class DatabaseState:
    exists: bool | None  # None: not known, neither the database nor the server could be reached
    may_create: bool | None  # None: the server only tells when it is asked to create it
    said: Said = ""  # why it is not known: the server's words
    # False when "not there" may be "not shown": MariaDB/MySQL list to a user only the databases
    # it has rights on, unless it holds SHOW DATABASES.
    certain: bool = True


@dataclass(frozen=True)
class DatabaseDefaults:
    """What a database is created with: its character set (PostgreSQL: encoding) and, for
    engines that keep one per database, its default collation (None: the server's default)."""

    charset: str
    collation: str | None = None


@dataclass(frozen=True)
class CreateOutcome:
    created: bool
    denied: bool = False  # the user lacks the right to create a database
    said: Said = ""  # the server's words, when not created
    exists: bool = False  # the server says the database is there already


class Driver:
    name = ""
    extension = "dump"
    # Tools the host must have: each tuple lists alternatives (mariadb-dump or mysqldump).
    host_tools: tuple[tuple[str, ...], ...] = ()
    version_commands: dict[str, str] = {}
    # Databases count their rows just before the dump; the others learn their inventory from
    # the dump itself (the snapshot's counts, the archive's files and hashes).
    inventory_before_dump = False
    # The completeness check reads only the end of the dump (an uncompressed one is not re-read).
    tail_check = False

    def __init__(self, target: ResolvedTarget) -> None:
        self.target = target

    def local_prerequisites(self) -> None:
        """Raise when this machine lacks what checking this kind of dump needs."""

    def secret_files(self) -> dict[str, str]:
        """File name → content, written 0600 into the private directory before anything runs."""
        return {}

    def dump_command(self, tmp: str) -> str:
        raise NotImplementedError

    def restore_command(self, tmp: str) -> str:
        raise NotImplementedError

    def check(self, open_chunks: OpenChunks) -> CheckResult:
        raise NotImplementedError

    def dump_inventory(self, stderr: bytes) -> dict[str, Any] | None:
        """An inventory the dump command reported on stderr, if it does."""
        return None

    def inventory(self, shell: HostShell, tmp: str) -> dict[str, Any] | None:
        """The source as it is now, in the terms a drill compares; None when not available."""
        return None

    def drill(self, shell: HostShell, tmp: str, feed: FeedBackup, recorded: dict[str, Any] | None,
              open_chunks: OpenChunks) -> DrillOutcome:
        raise NotImplementedError

    # The character set a database is created with when the backup does not record one.
    default_charset = ""
    # Whether a database has a default collation of its own (MariaDB/MySQL), which a database
    # created without one takes from the server.
    has_collation = False

    def database_state(self, shell: HostShell, tmp: str) -> DatabaseState | None:
        """Whether the target's database exists on its server and whether its user may create
        it; None for targets that are no database, or when the server could not tell."""
        return None

    def recorded_defaults(self, inventory: dict[str, Any] | None) -> DatabaseDefaults | None:
        """The database's defaults as the backup's record (its inventory) keeps them."""
        return None

    def dump_defaults(self, dump: Iterator[bytes]) -> DatabaseDefaults | None:
        """The database's defaults as the dump (its start, decompressed) records them."""
        return None

    def create_database(self, shell: HostShell, tmp: str, defaults: DatabaseDefaults) -> CreateOutcome:
        """Create the target's database, empty, with `defaults`."""
        raise NotImplementedError

    def access(self) -> DbAccess:
        database = self.target.database
        assert database is not None
        return DbAccess(database.engine, database.name, database.host, database.port, database.user,
                        self.target.password)


def search_start(dump: Iterator[bytes], pattern: re.Pattern[bytes], within: int = 1 << 20) -> re.Match[bytes] | None:
    """`pattern` in the dump's first `within` bytes (what a dump says of its database comes first)."""
    start = b""
    for chunk in dump:
        start += chunk
        if (found := pattern.search(start)) is not None:
            return found
        if len(start) >= within:
            break
    return None


def scratch_name(backup_id: int | str) -> str:
    return f"lp_drill_{backup_id}_{secrets.token_hex(3)}"


def compare_tables(recorded: dict[str, Any] | None, restored: dict[str, int],
                   now: dict[str, int] | None) -> DrillOutcome:
    """Tables and row counts: the scratch copy must hold what the source held at backup time."""
    expected: dict[str, int] = (recorded or {}).get("tables", {}) if recorded else {}
    basis = expected if recorded else (now or {})
    names = sorted(set(basis) | set(restored))
    rows, differing = [], []
    for name in names:
        row = {"table": name, "at_backup": expected.get(name) if recorded else None,
               "restored": restored.get(name), "source_now": (now or {}).get(name)}
        rows.append(row)
        if basis.get(name) != restored.get(name):
            differing.append(name)
    total = sum(restored.values())
    against = phrase("drill.against_backup" if recorded else "drill.against_now")
    if differing:
        return DrillOutcome(False, phrase("drill.tables_differ", differing=len(differing), count=len(names),
                                          against=against, names=differing[:5]), rows)
    return DrillOutcome(True, phrase("drill.tables_ok", count=len(names), total=total, against=against), rows)
