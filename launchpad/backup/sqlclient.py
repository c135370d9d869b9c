"""The database's own client tools on the host (`mysql`/`mariadb`, `psql`, Python's `sqlite3`),
driven through stdin.

Used by the drivers (inventories, scratch databases in drills) and by the `sql` step. The SQL
text always travels on stdin and credentials in a MySQL option file or a PostgreSQL passfile
that exists for the command alone (envelope.py: a symlink to a descriptor of an unlinked file
in its private directory): neither is ever on a command line, where
`ps` on the host would show it. Results come back in unambiguous formats: XML from `mysql
--xml` (NULL is `xsi:nil`), CSV from `psql --csv` with NULL printed as a random sentinel.
Text travels as UTF-8 both ways, and the clients are told so (utf8mb4; PGCLIENTENCODING=UTF8),
whatever the database's own encoding.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import shlex
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field

from launchpad.backup.errors import BackupFailed
from launchpad.backup.hostshell import HostShell, tail
from launchpad.hosts.base import CommandResult
from launchpad.phrases import Said, phrase

NO_DATABASE = ""  # MySqlClient: connect to the server without choosing a database
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
Value = str | None


@dataclass(frozen=True)
class DbAccess:
    """Where a database is and who logs in; the password already resolved (never stored)."""

    engine: str
    name: str
    host: str | None = None
    port: int | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class ResultSet:
    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]


class MySqlClient:
    """`mysql` (or `mariadb`) with an option file holding user, password, host and port."""

    option_file = "my.cnf"

    def __init__(self, access: DbAccess) -> None:
        self.access = access
        first = "mariadb" if access.engine == "mariadb" else "mysql"
        second = "mysql" if first == "mariadb" else "mariadb"
        self.tool = f'"$(command -v {first} || command -v {second})"'

    def secret_files(self) -> dict[str, str]:
        lines = ["[client]"]
        for key, value in (("user", self.access.user), ("password", self.access.password),
                           ("host", self.access.host)):
            if value is not None:
                lines.append(f"{key}={option_value(value)}")
        if self.access.port is not None:
            lines.append(f"port={self.access.port}")
        return {self.option_file: "\n".join(lines) + "\n"}

    def options(self, tmp: str) -> str:
        # --defaults-extra-file must come first; utf8mb4 keeps Chinese text intact both ways.
        return f"--defaults-extra-file={shlex.quote(tmp + '/' + self.option_file)} --default-character-set=utf8mb4"

    def command(self, tmp: str, database: str | None = None, extra: str = "") -> str:
        """`database`: None for the target's own; NO_DATABASE for none (the server alone)."""
        db = "" if database == NO_DATABASE else shlex.quote(database or self.access.name)
        # The client, unlike the dump tool, takes a connect timeout: a dead server fails fast.
        return " ".join(part for part in (self.tool, self.options(tmp), "--connect-timeout=10", extra, db) if part)

    def query(self, shell: HostShell, tmp: str, script: str, database: str | None = None) -> list[ResultSet]:
        result = shell.run(self.command(tmp, database, "--xml --batch"), stdin=script.encode("utf-8"))
        if not result.ok:
            raise BackupFailed(phrase("error.client_failed", host=shell.name, client="mysql", tail=tail(result.stderr)),
                               hint=phrase("error.client_failed_hint", host=shell.name))
        return parse_mysql_xml(result.stdout)

    def query_text(self, shell: HostShell, tmp: str, queries: list[str], prelude: str = "") -> list[ResultSet]:
        """Several SELECTs whose columns are never NULL, as `--batch` text: tab-separated, a
        few times cheaper to parse than `--xml` at tens of thousands of rows. The client
        escapes tabs, line breaks and backslashes in values; NULL would print as the text
        NULL, hence no NULLs (COALESCE them). A marker row follows each result."""
        mark = f"LP-NEXT-{secrets.token_hex(12)}"
        script = "".join(f"{q};\nSELECT '{mark}' AS lp_mark;\n" for q in queries)
        text = f"{prelude};\n{script}" if prelude else script
        result = shell.run(self.command(tmp, extra="--batch"), stdin=text.encode())
        if not result.ok:
            raise BackupFailed(phrase("error.client_failed", host=shell.name, client="mysql", tail=tail(result.stderr)),
                               hint=phrase("error.client_failed_hint", host=shell.name))
        sets: list[ResultSet] = []
        lines: list[str] = []
        for line in result.stdout.decode("utf-8").split("\n"):
            if line == "lp_mark":
                continue
            if line == mark:
                header = lines[0].split("\t") if lines else []
                rows = tuple(tuple(_unescape(v) for v in row.split("\t")) for row in lines[1:])
                sets.append(ResultSet(tuple(header), rows))
                lines = []
            elif line:
                lines.append(line)
        return sets


_ESCAPES = {"0": "\0", "t": "\t", "n": "\n", "\\": "\\", "b": "\b", "r": "\r", "Z": "\x1a"}
_ESCAPED = re.compile(r"\\(.)")


def _unescape(value: str) -> str:
    if "\\" not in value:
        return value
    return _ESCAPED.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), value)


class PostgresClient:
    """`psql` with a passfile (PGPASSFILE) and, for scripts, ON_ERROR_STOP."""

    passfile = "pgpass"
    NO_CONNECTION = 2  # psql's exit when it could not connect (an SQL error under ON_ERROR_STOP is 3)

    def __init__(self, access: DbAccess) -> None:
        self.access = access

    def secret_files(self) -> dict[str, str]:
        if self.access.password is None:
            return {}
        user = pgpass_field(self.access.user or "*")
        return {self.passfile: f"*:*:*:{user}:{pgpass_field(self.access.password)}\n"}

    def env(self, tmp: str) -> str:
        passfile = f"PGPASSFILE={shlex.quote(tmp + '/' + self.passfile)} " if self.access.password else ""
        return f"{passfile}PGCONNECT_TIMEOUT=10 "

    def text_env(self, tmp: str) -> str:
        """env() for a psql that is sent UTF-8 (scripts, COPY rows) or whose output is read as
        UTF-8: its client encoding UTF8, whatever the database's own (psql without a terminal
        takes the database's). The server converts both ways; a character the database's
        encoding cannot hold is refused as an error of the statement. pg_dump and pg_restore
        keep env(): a dump is in the database's own encoding."""
        return f"{self.env(tmp)}PGCLIENTENCODING=UTF8 "

    def connection(self, database: str | None = None) -> str:
        parts = []
        if self.access.host:
            parts += ["-h", self.access.host]
        if self.access.port:
            parts += ["-p", str(self.access.port)]
        if self.access.user:
            parts += ["-U", self.access.user]
        parts += ["-d", database or self.access.name]
        return "-w " + " ".join(shlex.quote(p) for p in parts)

    def query(self, shell: HostShell, tmp: str, script: str, database: str | None = None) -> ResultSet:
        result, rows = self.attempt(shell, tmp, script, database)
        if rows is None:
            raise BackupFailed(phrase("error.client_failed", host=shell.name, client="psql", tail=tail(result.stderr)),
                               hint=phrase("error.client_failed_hint", host=shell.name))
        return rows

    def attempt(self, shell: HostShell, tmp: str, script: str, database: str | None = None
                ) -> tuple[CommandResult, ResultSet | None]:
        """psql's result, and its rows when it succeeded (its exit is NO_CONNECTION when it
        could not connect, 3 when the script failed)."""
        sentinel = f"NULL-{secrets.token_hex(12)}"
        command = (f"{self.text_env(tmp)}psql -X -q --csv -v ON_ERROR_STOP=1 -P null={sentinel} -P footer=off "
                   f"{self.connection(database)} -f -")
        result = shell.run(command, stdin=script.encode("utf-8"))
        return result, parse_psql_csv(result.stdout.decode("utf-8"), sentinel) if result.ok else None

    def query_all(self, shell: HostShell, tmp: str, queries: list[str], database: str | None = None
                  ) -> list[ResultSet]:
        """Several SELECTs in one invocation (one round trip): psql prints their CSV one after
        the other, so a random line is echoed after each to tell them apart."""
        mark = f"LP-NEXT-{secrets.token_hex(12)}"
        script = "".join(f"{q.rstrip().rstrip(';')};\n\\echo {mark}\n" for q in queries)
        sentinel = f"NULL-{secrets.token_hex(12)}"
        command = (f"{self.text_env(tmp)}psql -X -q --csv -v ON_ERROR_STOP=1 -P null={sentinel} -P footer=off "
                   f"{self.connection(database)} -f -")
        result = shell.run(command, stdin=script.encode("utf-8"))
        if not result.ok:
            raise BackupFailed(phrase("error.client_failed", host=shell.name, client="psql", tail=tail(result.stderr)),
                               hint=phrase("error.client_failed_hint", host=shell.name))
        parts = result.stdout.decode("utf-8").split(f"{mark}\n")
        return [parse_psql_csv(part, sentinel) for part in parts[:len(queries)]]


def option_value(value: str) -> str:
    """A value for a MySQL option file: double-quoted, backslash escapes."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def pgpass_field(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def parse_mysql_xml(output: bytes) -> list[ResultSet]:
    """`mysql --xml` prints one XML document per result set, one after the other."""
    sets = []
    for document in re.split(rb"<\?xml[^>]*\?>", output):
        if not document.strip():
            continue
        try:
            root = ElementTree.fromstring(document)
        except ElementTree.ParseError as exc:
            raise BackupFailed(phrase("backup.mysql_answer", error=str(exc))) from None
        columns: tuple[str, ...] = ()
        rows = []
        for row in root.iter("row"):
            fields = row.findall("field")
            columns = tuple(f.get("name", "") for f in fields)
            rows.append(tuple(None if f.get(XSI_NIL) == "true" else (f.text or "") for f in fields))
        sets.append(ResultSet(columns, tuple(rows)))
    return sets


def parse_psql_csv(text: str, sentinel: str) -> ResultSet:
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records:
        return ResultSet((), ())
    header, body = records[0], records[1:]
    rows = tuple(tuple(None if value == sentinel else value for value in record) for record in body)
    return ResultSet(tuple(header), rows)


def hex_literal(text: str) -> str:
    """Text as hex digits: nothing in it can end a string or start a statement."""
    return text.encode("utf-8").hex()


# SQLite has no server and often no `sqlite3` shell on the host, but Python's sqlite3 module is
# nearly always there. The request travels on stdin as JSON — a script, or one statement with
# its parameters, or several statements with theirs run as one transaction, bound by SQLite
# itself — and the answer comes back as JSON (null is NULL).
# A missing file is an error, never a new empty database; a script that fails is rolled back.
_NO_FILE = "no database file "  # how the runner says the file is not there
_SQLITE_RUNNER = """
import json, os, sqlite3, sys
path = sys.argv[1]
if not os.path.isfile(path):
    sys.exit("no database file " + path)
request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
c = sqlite3.connect(path, timeout=30, isolation_level=None)
try:
    if "script" in request:
        c.executescript(request["script"])
        answer = {"columns": [], "rows": []}
    elif "statements" in request:
        c.execute("BEGIN IMMEDIATE")
        for query, params in request["statements"]:
            c.execute(query, params)
        c.execute("COMMIT")
        answer = {"columns": [], "rows": []}
    else:
        cursor = c.execute(request["query"], request["params"])
        columns = [d[0] for d in cursor.description or ()]
        rows = [[v.hex() if isinstance(v, bytes) else v for v in row] for row in cursor.fetchall()]
        answer = {"columns": columns, "rows": rows}
except sqlite3.Error as exc:
    if c.in_transaction:
        c.execute("ROLLBACK")
    sys.exit("sqlite: " + str(exc))
finally:
    c.close()
sys.stdout.write(json.dumps(answer))
"""


class SqliteClient:
    """Python's sqlite3 on the host that holds the database file (`python3 -c`)."""

    def __init__(self, access: DbAccess) -> None:
        self.access = access

    def command(self) -> str:
        return f"python3 -c {shlex.quote(_SQLITE_RUNNER)} {shlex.quote(self.access.name)}"

    def _run(self, shell: HostShell, request: dict[str, object]) -> ResultSet:
        payload = json.dumps(request, ensure_ascii=False).encode("utf-8")
        result = shell.run(self.command(), stdin=payload)
        if not result.ok:
            said: Said = tail(result.stderr)
            if said == _NO_FILE + self.access.name:  # the runner's own words, said again in the reader's
                said = phrase("backup.no_database_file", path=self.access.name)
            raise BackupFailed(phrase("host.said", host=shell.name, message=said))
        try:
            answer = json.loads(result.stdout.decode("utf-8"))
            rows = tuple(tuple(row) for row in answer["rows"])
            return ResultSet(tuple(answer["columns"]), rows)
        except (ValueError, KeyError, TypeError) as exc:
            raise BackupFailed(phrase("host.said", host=shell.name,
                                      message=phrase("backup.sqlite_answer", error=str(exc)))) from None

    def query(self, shell: HostShell, tmp: str, query: str, params: dict[str, object]) -> ResultSet:
        """One statement, its `:name` parameters bound by SQLite."""
        return self._run(shell, {"query": query, "params": params})

    def script(self, shell: HostShell, tmp: str, script: str) -> list[ResultSet]:
        """Statements one after the other (their own BEGIN … COMMIT); an error stops and rolls back."""
        self._run(shell, {"script": script})
        return []

    def transaction(self, shell: HostShell, statements: list[tuple[str, dict[str, object]]]) -> None:
        """Statements with their `:name` parameters (bound by SQLite) in one transaction, taken
        with the write lock at once; an error stops and rolls all of them back."""
        self._run(shell, {"statements": [[query, params] for query, params in statements]})
