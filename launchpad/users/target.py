"""The live target database, reached as the `sql` step reaches it: the database's own client
on the host named by `via`, credentials in 0600 files in a private folder on that host, every
command audited (SQLite: Python's sqlite3 on the host that holds the file). Queries with
parameters go through `launchpad.backup.sqlquery`; the apply's scripts carry their values as hex
literals the database decodes (`SqlText`), so no value from the client's sheet can end a string
or start a statement."""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from launchpad.backup.sqlclient import DbAccess, MySqlClient, PostgresClient, ResultSet, SqliteClient, hex_literal
from launchpad.errors import LaunchpadError, UsageError
from launchpad.phrases import Phrase, Said, phrase
from launchpad.workspace.secrets import AskSecret
from launchpad.workspace.site import Database, Environment

# How long one batch may take on the host: a batch of up to 40,000 rows (apply.BULK_MOST) takes
# seconds; a loaded host or a slow link may take minutes. The import's one command gets this per batch.
LOAD_TIMEOUT = 600.0

AuditFn = Callable[[str, str, dict[str, Any]], None]
SUPPORTED = ("mysql", "mariadb", "postgresql", "sqlite")
# What to do when the database itself refused a write (refused_by_server): an import's batch,
# or any other write (a rollback's, the role links', a baseline fix).
BATCH_REFUSED, WRITE_REFUSED = "users.batch_refused_hint", "users.write_refused_hint"


@dataclass(frozen=True)
class SqlText:
    """How one dialect writes a value from the sheet into a script without splicing it."""

    engine: str

    @property
    def mysql(self) -> bool:
        return self.engine in ("mysql", "mariadb")

    @property
    def sqlite(self) -> bool:
        return self.engine == "sqlite"

    def text(self, value: str | None) -> str:
        if value is None:
            return "NULL"
        if self.mysql:
            return f"CONVERT(X'{hex_literal(value)}' USING utf8mb4)"
        if self.sqlite:  # a blob cast to text is read as the database's encoding (UTF-8)
            return f"CAST(X'{hex_literal(value)}' AS TEXT)"
        return f"convert_from(decode('{hex_literal(value)}', 'hex'), 'UTF8')"

    def number(self, value: int) -> str:
        return str(int(value))

    @property
    def now(self) -> str:
        if self.sqlite:
            return "datetime('now', 'localtime')"  # RuoYi keeps local time, as NOW() does
        return "NOW()" if self.mysql else "now()"

    @property
    def begin(self) -> list[str]:
        """A transaction's first lines. SQLite takes the write lock at once (IMMEDIATE), so a
        reader that started first cannot make the batch fail half-way with 'database is locked'."""
        if self.mysql:
            return ["SET NAMES utf8mb4;", "START TRANSACTION;"]
        return ["BEGIN IMMEDIATE;"] if self.sqlite else ["BEGIN;"]


HIDDEN = "<hash>"  # what an error shows instead of a password hash or salt it quoted
# A word of an error's text: what a quoted statement (`X'…'`, `decode('…', 'hex')`) or a
# refused row (PostgreSQL's "Failing row contains (…, …)") sets a value apart by.
_WORD = re.compile(r"[^\s'\"`,;()]+")
_PIECE = 8  # a word this long found inside a hash (or its hex) is taken for part of it


class Secrets:
    """The password hashes and salts a session sends, kept out of every error text it raises:
    a database that refuses a statement may quote it (MariaDB: `near '…'`, PostgreSQL: `LINE 3:
    …`) or the row it refused (`Failing row contains (…)`), and that text is shown, stored and
    audited. A hash of a password made by a site's rule can be cracked offline."""

    def __init__(self) -> None:
        self._given: list[str] = []
        self._whole: set[str] = set()
        self._joined = ""
        self._lock = threading.Lock()  # an error may be hidden on the thread waiting for a batch

    def add(self, values: Iterable[str | None]) -> None:
        # Kept as given: their hex forms and the text searched for pieces are made when an error
        # is first hidden. Made here, 100,000 hashes cost 0.24 s before an import's first batch
        # could go (bench/import), and most imports raise no error at all.
        with self._lock:
            self._given.extend(value for value in values if value)

    def _known(self) -> None:
        with self._lock:
            given, self._given = self._given, []
            fresh = {form for value in given for form in (value, hex_literal(value))} - self._whole
            if fresh:
                self._whole |= fresh
                self._joined += "\n" + "\n".join(sorted(fresh))

    def hide(self, text: str) -> str:
        """`text` with every hash or salt (as sent or as hex, whole or cut short) replaced by HIDDEN."""
        self._known()
        if not self._whole:
            return text

        def secret(said: str) -> bool:
            return said in self._whole or (len(said) >= _PIECE and (said in self._joined
                                                                   or said.lower() in self._joined))

        def word(found: re.Match[str]) -> str:
            said = found.group(0)
            # PostgreSQL cuts a long value or line and marks the cut with "..." against it
            # (`Failing row contains (…, pbkdf2_sha256$…$LXEW...)`, `LINE 1: ...Q/x9`)
            return HIDDEN if secret(said) or secret(said.strip(".…")) else said

        return _WORD.sub(word, text)

    def said(self, said: Any) -> Any:
        """A phrase (or words) with `hide` applied to every text in it."""
        if isinstance(said, Phrase):
            return Phrase(said.key, {name: self.said(value) for name, value in said.params.items()})
        if isinstance(said, str):
            return self.hide(said)
        if isinstance(said, list | tuple):
            return type(said)(self.said(item) for item in said)
        return said


# Who names the database, for the hint of a wrong or missing name: an import's mapping file, a
# command's --database, the role rules' `database:`, a playbook step's `database:`.
NamedBy = Literal["mapping", "option", "rules", "step"]


def choose_database(environment: Environment, env_name: str, wanted: str | None,
                    named_by: NamedBy = "mapping") -> tuple[str, Database]:
    """The environment's database to work on: the one `wanted` (named by `named_by`), or the only one."""
    names = list(environment.databases)
    said_names = names or phrase("sweep.none")
    suffix = "" if named_by == "mapping" else f"_{named_by}"
    if wanted is None:
        if len(names) != 1:
            raise UsageError(phrase("users.databases_many", env=env_name, count=len(names), names=said_names),
                             hint=phrase("users.databases_many_hint" + suffix, names=said_names))
        wanted = names[0]
    database = environment.databases.get(wanted)
    if database is None:
        raise UsageError(phrase("users.no_database", env=env_name, name=wanted, names=said_names),
                         hint=phrase("users.no_database_hint" + suffix, env=env_name, names=said_names))
    if database.engine not in SUPPORTED:
        raise UsageError(phrase("users.engine_unsupported", name=wanted, env=env_name, engine=database.engine,
                                supported=list(SUPPORTED)))
    return wanted, database


class TargetSession:
    """One private folder on the database's host, holding the credentials while the import
    talks to the database."""

    def __init__(self, shell: Any, tmp: str, access: DbAccess, key: str = "") -> None:
        self.shell, self.tmp, self.access = shell, tmp, access
        self.key = key  # the environment's name for this database (site.yaml)
        self.sql = SqlText(access.engine)
        self.secrets = Secrets()  # hashes and salts its statements carry: never in an error's text
        # New users go through the bulk loader where the client's loader can be counted on:
        # MariaDB's allows LOCAL INFILE unless a site turned it off (then this turns False),
        # MySQL 8's refuses it by default.
        self.bulk = access.engine in ("mariadb", "postgresql")

    def query(self, query: str, params: dict[str, Any] | None = None) -> ResultSet:
        from launchpad.backup.sqlquery import run_query

        with _as_target_error(_READ, self.secrets):
            return run_query(self.shell, self.tmp, self.access, query, params or {})

    def query_all(self, queries: list[str], prelude: str = "", no_nulls: bool = False) -> list[ResultSet]:
        """Several SELECTs without parameters, in one invocation of the client where it can;
        `prelude`, a MySQL session setting that prints nothing, runs first. `no_nulls`: no
        column can be NULL, so MySQL's cheaper text output can carry them."""
        with _as_target_error(_READ, self.secrets):
            if self.sql.mysql and no_nulls:
                return MySqlClient(self.access).query_text(self.shell, self.tmp, queries, prelude)
            if self.sql.mysql:
                script = "".join(f"{q};\n" for q in [prelude, *queries] if q)
                sets = MySqlClient(self.access).query(self.shell, self.tmp, script)
                if len(sets) == len(queries):
                    return sets
            elif self.access.engine == "postgresql":
                return PostgresClient(self.access).query_all(self.shell, self.tmp, queries)
        return [self.query(q) for q in queries]

    def script(self, text: str, refused: str = WRITE_REFUSED) -> list[ResultSet]:
        """A whole script (a transaction); it stops at the first error, which rolls it back.
        `refused`: the hint's key for when the database itself refuses it."""
        with _as_target_error(secrets=self.secrets, refused=refused):
            if self.sql.mysql:
                return MySqlClient(self.access).query(self.shell, self.tmp, text)
            if self.sql.sqlite:
                return SqliteClient(self.access).script(self.shell, self.tmp, text)
            return [PostgresClient(self.access).query(self.shell, self.tmp, text)]

    def transaction(self, statements: list[tuple[str, dict[str, Any]]]) -> None:
        """SQLite: parameterised statements in one transaction, bound by SQLite itself (its
        runner takes no script with parameters)."""
        with _as_target_error(secrets=self.secrets):
            SqliteClient(self.access).transaction(self.shell, statements)


_LOCAL_REFUSED = re.compile(r"ERROR (1148|2068|3948|4166) ")


def refused_local_load(message: str) -> bool:
    """The server (or its client) will not load from the client's side: MariaDB's `local_infile
    = OFF` (errors 1148 and 4166), MySQL 8's default (3948), a client that refuses (2068). Told
    by the error's number, in any language the server speaks, and never by the words: the
    client repeats the statement that failed, and a failed load's statement always says LOCAL
    INFILE."""
    return _LOCAL_REFUSED.search(message) is not None


class TargetFailed(LaunchpadError):
    """The target database refused a query or a batch (which it then rolled back)."""

    title = "target database error"
    exit_code = 1


_READ, _WRITE = "users.read_failed_hint", "users.batch_not_written_hint"

# The server answered a statement of a script with an error of its own (a constraint, a trigger,
# a NOT NULL, a value too long): the client names the script's line it stopped at, as it never
# does when it could not connect or log in. MariaDB's client: `ERROR 4025 (23000) at line 5: …`;
# psql reading its script from stdin: `psql:<stdin>:5: ERROR:  …` (the server's own words may
# be in its language, the client's prefix is not).
_AT_LINE = re.compile(r"ERROR \d+ \([0-9A-Z]{5}\) at line \d+|psql:[^:\s]*:\d+: ")
# …unless what it said at that line is that the link to the server broke (MariaDB 2006, 2013;
# psql's "server closed the connection", "connection to server was lost"), or that it could not
# connect or log in at all.
_NO_LINK = re.compile(r"ERROR (1044|1045|2002|2003|2005|2006|2013) |could not connect|connection to server|"
                      r"server closed the connection|password authentication failed|FATAL: ")


def refused_by_server(message: str) -> bool:
    """Whether the database itself refused a statement, as opposed to never being reached."""
    return _AT_LINE.search(message) is not None and _NO_LINK.search(message) is None


@contextlib.contextmanager
def _as_target_error(hint: str = _WRITE, secrets: Secrets | None = None, refused: str = WRITE_REFUSED
                     ) -> Iterator[None]:
    # The sql layer speaks of backups, where it was born; here its errors are the import's.
    # `hint`: what to do, by whether a read (nothing written) or a batch (rolled back) failed.
    # `refused`: a write's hint when the server refused it (its client's own hint is about connecting).
    # `secrets`: the hashes and salts the statements carry, hidden from what the server quoted.
    from launchpad.backup.errors import BackupFailed

    hidden = secrets or Secrets()
    try:
        yield
    except BackupFailed as exc:
        said = hidden.said(exc.said)
        if hint == _WRITE and refused_by_server(exc.message):
            raise TargetFailed(said, hint=phrase(refused)) from None
        raise TargetFailed(said, hint=hidden.said(exc.said_hint) or phrase(hint)) from None


@contextlib.contextmanager
def open_target(environment: Environment, database: Database, transport_for: Any, root: Path, audit: AuditFn,
                ask_secret: AskSecret | None = None, label: Said = "", key: str = ""
                ) -> Iterator[TargetSession]:
    from launchpad.backup.hostshell import HostShell
    from launchpad.backup.sqlquery import secret_files
    from launchpad.backup.targets import transport_for_host
    from launchpad.workspace.secrets import resolve_secret

    password = None
    if database.password is not None:
        password = resolve_secret(database.password, ask=ask_secret,
                                  label=phrase("secret.password_of", name=label or database.name))
    access = DbAccess(database.engine, database.name, database.host, database.port, database.user, password)
    transport, local = transport_for_host(environment, database.via, transport_for, root)
    shell = HostShell(transport, audit, local=local)
    with shell.private_dir(secret_files(access)) as tmp:
        yield TargetSession(shell, tmp, access, key)
