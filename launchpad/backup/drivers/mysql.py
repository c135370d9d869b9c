"""MySQL and MariaDB: a consistent online dump with mysqldump (or mariadb-dump).

`--single-transaction` reads InnoDB tables in one snapshot without locking them; routines,
triggers and events are included. The dump names no database (no CREATE DATABASE / USE), so it
restores into the target database or into a drill's scratch database alike; restoring replaces
every table it holds (DROP TABLE IF EXISTS first), and leaves tables created after the backup.
The credentials live in an option file in the private directory (`--defaults-extra-file`).
"""

from __future__ import annotations

import shlex
from typing import Any

from launchpad.backup.drivers.base import (
    CreateOutcome,
    DatabaseState,
    DrillOutcome,
    Driver,
    FeedBackup,
    OpenChunks,
    compare_tables,
    scratch_name,
)
from launchpad.backup.errors import BackupFailed
from launchpad.backup.hostshell import HostShell, tail
from launchpad.backup.sqlclient import NO_DATABASE, MySqlClient, hex_literal
from launchpad.backup.structure import CheckResult, check_mysqldump
from launchpad.phrases import phrase

_COUNTS = """
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


class MySqlDriver(Driver):
    tail_check = True
    name = "mysql"
    inventory_before_dump = True
    extension = "sql"
    host_tools = (("mysqldump", "mariadb-dump"), ("mysql", "mariadb"))
    # The dump names no database, so not its character set either: what the client writes with.
    default_charset = "utf8mb4"

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
        script = (f"SELECT COUNT(*) AS n FROM information_schema.SCHEMATA "
                  f"WHERE SCHEMA_NAME = CONVERT(X'{hex_literal(self.access().name)}' USING utf8mb4);")
        result = shell.run(self.client.command(tmp, NO_DATABASE, "--batch --skip-column-names"),
                           stdin=script.encode("utf-8"))
        if not result.ok or result.stdout.strip() not in (b"0", b"1"):
            return None
        return DatabaseState(exists=result.stdout.strip() == b"1", may_create=None)

    def create_database(self, shell: HostShell, tmp: str, charset: str) -> CreateOutcome:
        # The server quotes the name as an identifier itself (backticks doubled), from hex.
        script = (f"SET @lp_n = CONVERT(X'{hex_literal(self.access().name)}' USING utf8mb4);\n"
                  f"SET @lp_c = CONVERT(X'{hex_literal(charset)}' USING utf8mb4);\n"
                  "SET @lp_q = CONCAT('CREATE DATABASE `', REPLACE(@lp_n, '`', '``'), '` CHARACTER SET `', "
                  "REPLACE(@lp_c, '`', '``'), '`');\n"
                  "PREPARE lp_s FROM @lp_q;\nEXECUTE lp_s;\nDEALLOCATE PREPARE lp_s;\n")
        result = shell.run(self.client.command(tmp, NO_DATABASE, "--batch"), stdin=script.encode("utf-8"))
        if result.ok:
            return CreateOutcome(True)
        stderr = result.stderr.decode("utf-8", "replace")
        return CreateOutcome(False, denied=any(code in stderr for code in _DENIED), said=tail(result.stderr))

    def inventory(self, shell: HostShell, tmp: str, database: str | None = None) -> dict[str, Any]:
        sets = self.client.query(shell, tmp, _COUNTS, database)
        counts = {row[0]: int(row[1]) for row in (sets[-1].rows if sets else ()) if row[0] is not None and row[1]}
        return {"tables": counts}

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
