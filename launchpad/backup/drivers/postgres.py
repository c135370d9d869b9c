"""PostgreSQL: `pg_dump -Fc` (the custom format), restored with `pg_restore --clean --if-exists`
stopping at the first error, in one transaction: a failed restore changes nothing.

`-Z0` leaves compression to the host's zstd, which is several times faster than pg_dump's own
gzip. The password is in a passfile (PGPASSFILE) in the private directory. Checking an archive
needs `pg_restore` on this machine, of the server's major version or newer.
"""

from __future__ import annotations

import re
import shutil
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
from launchpad.backup.sqlclient import PostgresClient, hex_literal
from launchpad.backup.structure import CheckResult, check_pg_custom
from launchpad.phrases import phrase

_COUNTS = """
SELECT format('%I.%I', n.nspname, c.relname) AS t,
       (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname),
                                            false, true, '')))[1]::text AS n
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
 ORDER BY 1;
"""

# pg_dump writes in the database's encoding and says so near the start of the archive, in its
# ENCODING entry (the table of contents is never compressed).
_ENCODING = re.compile(rb"SET client_encoding = '([A-Za-z0-9_]{1,32})'")
# The maintenance databases every cluster has: where a missing database is looked for and
# created; template1 when postgres is closed to the user (its CONNECT revoked).
_MAINTENANCE = ("postgres", "template1")


def _psql_value(name: str, value: str) -> str:
    """A psql variable set from hex: used as :'name' (a literal) or :"name" (an identifier),
    quoted by psql itself."""
    return f"SELECT convert_from(decode('{hex_literal(value)}', 'hex'), 'UTF8') AS {name} \\gset\n"


class PostgresDriver(Driver):
    name = "postgresql"
    inventory_before_dump = True
    extension = "pgdump"
    host_tools = (("pg_dump",), ("pg_restore",), ("psql",))
    version_commands = {"pg_dump": "pg_dump --version", "pg_restore": "pg_restore --version"}
    default_charset = "UTF8"

    def __init__(self, target: Any) -> None:
        super().__init__(target)
        self.client = PostgresClient(self.access())

    def local_prerequisites(self) -> None:
        if shutil.which("pg_restore") is None:
            raise BackupFailed(phrase("backup.no_pg_restore"), hint=phrase("backup.no_pg_restore_hint"))

    def secret_files(self) -> dict[str, str]:
        return self.client.secret_files()

    def dump_command(self, tmp: str) -> str:
        return f"{self.client.env(tmp)}pg_dump -Fc -Z0 {self.client.connection()}"

    def restore_command(self, tmp: str) -> str:
        return (f"{self.client.env(tmp)}pg_restore --clean --if-exists --exit-on-error --single-transaction "
                f"{self.client.connection()}")

    def check(self, open_chunks: OpenChunks) -> CheckResult:
        return check_pg_custom(open_chunks)

    def database_state(self, shell: HostShell, tmp: str) -> DatabaseState | None:
        script = (_psql_value("lp_n", self.access().name)
                  + "SELECT (SELECT count(*) FROM pg_database WHERE datname = :'lp_n') AS present, "
                    "(SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user) AS may_create;\n")
        for maintenance in _MAINTENANCE:
            result, rows = self.client.attempt(shell, tmp, script, maintenance)
            if result.exit_code != self.client.NO_CONNECTION:
                break
        else:
            # Neither lets this user in: connecting to the database itself tells that it is there,
            # and when that fails too, what the server said is all there is to tell.
            reached, _ = self.client.attempt(shell, tmp, "SELECT 1;\n")
            if reached.ok:
                return DatabaseState(exists=True, may_create=None)
            return DatabaseState(exists=None, may_create=None, said=tail(reached.stderr))
        if rows is None or len(rows.rows) != 1 or len(rows.rows[0]) != 2:
            return None
        present, may_create = rows.rows[0]
        return DatabaseState(exists=present != "0", may_create=may_create == "t")

    def dump_defaults(self, dump: Iterator[bytes]) -> DatabaseDefaults | None:
        found = search_start(dump, _ENCODING)
        return DatabaseDefaults(found.group(1).decode("ascii")) if found is not None else None

    def create_database(self, shell: HostShell, tmp: str, defaults: DatabaseDefaults) -> CreateOutcome:
        # template0: a dump restores into a database without the local additions of template1.
        script = ("\\set VERBOSITY verbose\n" + _psql_value("lp_n", self.access().name)
                  + _psql_value("lp_e", defaults.charset)
                  + "CREATE DATABASE :\"lp_n\" WITH TEMPLATE template0 ENCODING :'lp_e';\n")
        for maintenance in _MAINTENANCE:
            command = (f"{self.client.env(tmp)}psql -X -q -v ON_ERROR_STOP=1 {self.client.connection(maintenance)} "
                       "-f -")
            result = shell.run(command, stdin=script.encode("utf-8"))
            if result.exit_code != self.client.NO_CONNECTION:
                break
        if result.ok:
            return CreateOutcome(True)
        # 42501, insufficient_privilege: the same in every server language (VERBOSITY verbose shows it).
        return CreateOutcome(False, denied=b"42501" in result.stderr, said=tail(result.stderr))

    def inventory(self, shell: HostShell, tmp: str, database: str | None = None) -> dict[str, Any]:
        result = self.client.query(shell, tmp, _COUNTS, database)
        return {"tables": {row[0]: int(row[1]) for row in result.rows if row[0] is not None and row[1] is not None}}

    def drill(self, shell: HostShell, tmp: str, feed: FeedBackup, recorded: dict[str, Any] | None,
              open_chunks: OpenChunks) -> DrillOutcome:
        scratch = scratch_name(self.target.name)
        self.client.query(shell, tmp, f'CREATE DATABASE "{scratch}";')
        try:
            command = (f"{self.client.env(tmp)}pg_restore --exit-on-error --single-transaction --no-owner "
                       f"--no-privileges {self.client.connection(scratch)}")
            result = feed(command)
            if not result.ok:
                raise BackupFailed(phrase("backup.scratch_failed", scratch=scratch, said=tail(result.stderr)))
            restored = self.inventory(shell, tmp, scratch)["tables"]
            now = self.inventory(shell, tmp)["tables"]
        finally:
            self.client.query(shell, tmp, f'DROP DATABASE IF EXISTS "{scratch}";')
        outcome = compare_tables(recorded, restored, now)
        return DrillOutcome(outcome.passed, outcome.summary, outcome.rows, scratch)
