"""MySQL and MariaDB: a consistent online dump with mysqldump (or mariadb-dump).

`--single-transaction` reads InnoDB tables in one snapshot without locking them; routines,
triggers and events are included. The dump names no database (no CREATE DATABASE / USE), so it
restores into the target database or into a drill's scratch database alike; restoring replaces
every table it holds (DROP TABLE IF EXISTS first), and leaves tables created after the backup.
The credentials live in an option file in the private directory (`--defaults-extra-file`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from typing import Any

from launchpad.backup.drivers.base import (
    CreateOutcome,
    DatabaseDefaults,
    DatabaseState,
    DrillOutcome,
    Driver,
    FeedBackup,
    OpenChunks,
    compare_tables,
    scratch_name,
    search_start,
)
from launchpad.backup.errors import BackupFailed
from launchpad.backup.hostshell import HostShell, tail
from launchpad.backup.sqlclient import NO_DATABASE, MySqlClient, hex_literal
from launchpad.backup.structure import CheckResult, check_mysqldump
from launchpad.phrases import phrase

# The database's own defaults first (what tables and columns created later take), then the counts.
_COUNTS = """
SELECT DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation
  FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE();
SET SESSION group_concat_max_len = 16777216;
SELECT GROUP_CONCAT(CONCAT('SELECT ', QUOTE(table_name), ' AS t, COUNT(*) AS n FROM `',
       REPLACE(table_name, '`', '``'), '`') ORDER BY table_name SEPARATOR ' UNION ALL ')
  INTO @lp_q FROM information_schema.tables
 WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE';
SET @lp_q = IFNULL(@lp_q, 'SELECT NULL AS t, NULL AS n FROM DUAL WHERE FALSE');
PREPARE lp_s FROM @lp_q;
EXECUTE lp_s;
DEALLOCATE PREPARE lp_s;
"""

# The server refuses a CREATE DATABASE for want of the right: no access to that database
# (1044), or a privilege missing (1227). The number is the same in every server language.
_DENIED = ("ERROR 1044 ", "ERROR 1227 ")
_EXISTS = "ERROR 1007 "  # ER_DB_CREATE_EXISTS: there after all, though the user could not see it
# A dump taken with --databases (not launchpad's) creates its database first, saying its defaults.
_CREATE_DATABASE = re.compile(rb"^CREATE DATABASE [^\n]*?DEFAULT CHARACTER SET ([A-Za-z0-9_]{1,64})"
                              rb"(?: COLLATE ([A-Za-z0-9_]{1,64}))?", re.MULTILINE)
# Whether the user holds SHOW DATABASES, which alone lists the databases it has no rights on.
_SEES_ALL = ("SELECT COUNT(*) FROM information_schema.USER_PRIVILEGES WHERE PRIVILEGE_TYPE = 'SHOW DATABASES' "
             "AND GRANTEE = CONCAT('''', SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', "
             "SUBSTRING_INDEX(CURRENT_USER(), '@', -1), '''')")


class MySqlDriver(Driver):
    tail_check = True
    name = "mysql"
    inventory_before_dump = True
    extension = "sql"
    host_tools = (("mysqldump", "mariadb-dump"), ("mysql", "mariadb"))
    # The dump names no database, so not its defaults either: the backup's record (its inventory)
    # keeps them; a backup recorded without them is created with what the client writes with.
    default_charset = "utf8mb4"
    has_collation = True

    def __init__(self, target: Any) -> None:
        super().__init__(target)
        self.client = MySqlClient(self.access())
        mariadb = self.access().engine == "mariadb"
        order = ("mariadb-dump", "mysqldump") if mariadb else ("mysqldump", "mariadb-dump")
        self.dump_tool = f'"$(command -v {order[0]} || command -v {order[1]})"'
        self.version_commands = {"dump": f"{self.dump_tool} --version", "client": f"{self.client.tool} --version"}

    def secret_files(self) -> dict[str, str]:
        return self.client.secret_files()

    def dump_command(self, tmp: str) -> str:
        return (f"{self.dump_tool} {self.client.options(tmp)} --single-transaction --quick --routines --triggers "
                f"--events --hex-blob --no-tablespaces {shlex.quote(self.access().name)}")

    def restore_command(self, tmp: str, database: str | None = None) -> str:
        return self.client.command(tmp, database)

    def check(self, open_chunks: OpenChunks) -> CheckResult:
        return check_mysqldump(open_chunks())

    def database_state(self, shell: HostShell, tmp: str) -> DatabaseState | None:
        # Without choosing a database (it may be gone); the name travels as hex, compared as a value.
        # A database the user has no rights on is left out of SCHEMATA as if it were gone: only a
        # user holding SHOW DATABASES is shown every one, so only its "not there" is certain.
        script = (f"SELECT (SELECT COUNT(*) FROM information_schema.SCHEMATA "
                  f"WHERE SCHEMA_NAME = CONVERT(X'{hex_literal(self.access().name)}' USING utf8mb4)), "
                  f"({_SEES_ALL}) > 0;")
        result = shell.run(self.client.command(tmp, NO_DATABASE, "--batch --skip-column-names"),
                           stdin=script.encode("utf-8"))
        answer = result.stdout.split()
        if not result.ok or len(answer) != 2 or any(value not in (b"0", b"1") for value in answer):
            return None
        return DatabaseState(exists=answer[0] == b"1", may_create=None, certain=answer[1] == b"1")

    def recorded_defaults(self, inventory: dict[str, Any] | None) -> DatabaseDefaults | None:
        database = (inventory or {}).get("database")
        if not isinstance(database, dict) or not isinstance(database.get("charset"), str):
            return None
        collation = database.get("collation")
        return DatabaseDefaults(database["charset"], collation if isinstance(collation, str) else None)

    def dump_defaults(self, dump: Iterator[bytes]) -> DatabaseDefaults | None:
        found = search_start(dump, _CREATE_DATABASE)
        if found is None:
            return None
        collation = found.group(2)
        return DatabaseDefaults(found.group(1).decode("ascii"), collation.decode("ascii") if collation else None)

    def create_database(self, shell: HostShell, tmp: str, defaults: DatabaseDefaults) -> CreateOutcome:
        # The server quotes the name, character set and collation as identifiers itself
        # (backticks doubled), each from hex.
        collation = f"CONVERT(X'{hex_literal(defaults.collation)}' USING utf8mb4)" if defaults.collation else "NULL"
        script = (f"SET @lp_n = CONVERT(X'{hex_literal(self.access().name)}' USING utf8mb4);\n"
                  f"SET @lp_c = CONVERT(X'{hex_literal(defaults.charset)}' USING utf8mb4);\n"
                  f"SET @lp_o = {collation};\n"
                  "SET @lp_q = CONCAT('CREATE DATABASE `', REPLACE(@lp_n, '`', '``'), '` CHARACTER SET `', "
                  "REPLACE(@lp_c, '`', '``'), '`', IFNULL(CONCAT(' COLLATE `', REPLACE(@lp_o, '`', '``'), '`'), "
                  "''));\n"
                  "PREPARE lp_s FROM @lp_q;\nEXECUTE lp_s;\nDEALLOCATE PREPARE lp_s;\n")
        result = shell.run(self.client.command(tmp, NO_DATABASE, "--batch"), stdin=script.encode("utf-8"))
        if result.ok:
            return CreateOutcome(True)
        stderr = result.stderr.decode("utf-8", "replace")
        return CreateOutcome(False, denied=any(code in stderr for code in _DENIED), said=tail(result.stderr),
                             exists=_EXISTS in stderr)

    def inventory(self, shell: HostShell, tmp: str, database: str | None = None) -> dict[str, Any]:
        sets = self.client.query(shell, tmp, _COUNTS, database)
        counts = {row[0]: int(row[1]) for row in (sets[-1].rows if sets else ()) if row[0] is not None and row[1]}
        inventory: dict[str, Any] = {"tables": counts}
        if len(sets) > 1 and len(sets[0].rows) == 1 and sets[0].rows[0][0]:
            # Recorded so that a database gone by restore time is created with them (restore.py).
            charset, collation = sets[0].rows[0]
            inventory["database"] = {"charset": charset, "collation": collation}
        return inventory

    def drill(self, shell: HostShell, tmp: str, feed: FeedBackup, recorded: dict[str, Any] | None,
              open_chunks: OpenChunks) -> DrillOutcome:
        scratch = scratch_name(self.target.name)
        self.client.query(shell, tmp, f"CREATE DATABASE `{scratch}` CHARACTER SET utf8mb4;")
        try:
            result = feed(self.restore_command(tmp, scratch))
            if not result.ok:
                raise BackupFailed(phrase("backup.scratch_failed", scratch=scratch, said=tail(result.stderr)))
            restored = self.inventory(shell, tmp, scratch)["tables"]
            now = self.inventory(shell, tmp)["tables"]
        finally:
            self.client.query(shell, tmp, f"DROP DATABASE IF EXISTS `{scratch}`;")
        outcome = compare_tables(recorded, restored, now)
        return DrillOutcome(outcome.passed, outcome.summary, outcome.rows, scratch)
