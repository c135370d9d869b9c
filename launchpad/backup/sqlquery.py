"""One parameterised query on a database of an environment, through the database's own client
on the host that reaches it (the `sql` step). Values are never spliced into the SQL text:

- the query's `:name` placeholders are found by a small lexer that skips string literals,
  quoted identifiers, comments, dollar quotes and `::` casts;
- MySQL/MariaDB: the query becomes a server-side prepared statement (`PREPARE … FROM @q`,
  `EXECUTE … USING @p1, …`); each value reaches its user variable as hex digits decoded by the
  server (`CONVERT(X'…' USING utf8mb4)`), so no value can end a string or start a statement;
- PostgreSQL: each value is set as a psql variable from hex the same way (`\\gset`) and used as
  `:'name'`, which psql quotes as a literal itself; NULL stays the keyword NULL;
- SQLite: Python's sqlite3 on the host binds the values (`:name` is SQLite's own syntax).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from launchpad.backup.errors import BackupFailed
from launchpad.backup.hostshell import HostShell
from launchpad.backup.sqlclient import DbAccess, MySqlClient, PostgresClient, ResultSet, SqliteClient, hex_literal
from launchpad.phrases import phrase

Param = str | int | float | bool | None
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Placeholder:
    start: int
    end: int
    name: str


def find_placeholders(sql: str, dialect: str) -> list[Placeholder]:
    """`:name` placeholders outside literals and comments; raises on a second statement."""
    found, i, n = [], 0, len(sql)
    while i < n:
        c = sql[i]
        if c in "'\"`":
            i = _skip_quoted(sql, i, backslash=dialect == "mysql" or (c == "'" and sql[i - 1:i] in ("E", "e")))
        elif sql.startswith("--", i) or (c == "#" and dialect == "mysql"):
            i = _after(sql, "\n", i)
        elif sql.startswith("/*", i):
            i = _after(sql, "*/", i + 2)
        elif c == "$" and dialect == "postgresql" and (tag := re.match(r"\$[A-Za-z_]*\$", sql[i:])):
            i = _after(sql, tag.group(0), i + len(tag.group(0)))
        elif sql.startswith("::", i):
            i += 2
        elif c == ":" and (name := _NAME.match(sql, i + 1)):
            found.append(Placeholder(i, name.end(), name.group(0)))
            i = name.end()
        elif c == ";":
            if sql[i + 1:].strip():
                raise BackupFailed(phrase("sql.two_statements"))
            i = n
        else:
            i += 1
    return found


def _skip_quoted(sql: str, i: int, backslash: bool) -> int:
    quote, j = sql[i], i + 1
    while j < len(sql):
        if backslash and sql[j] == "\\":
            j += 2
            continue
        if sql[j] == quote:
            if sql[j + 1:j + 2] == quote:  # a doubled quote stands for itself
                j += 2
                continue
            return j + 1
        j += 1
    raise BackupFailed(phrase("sql.unterminated"))


def _after(sql: str, token: str, start: int) -> int:
    """The index just past the next `token` (the end of the text when there is none)."""
    at = sql.find(token, start)
    return len(sql) if at < 0 else at + len(token)


def _check_params(placeholders: list[Placeholder], params: dict[str, Param]) -> None:
    missing = sorted({p.name for p in placeholders} - set(params))
    if missing:
        raise BackupFailed(phrase("sql.missing_params", names=[f":{name}" for name in missing]))
    for name, value in params.items():
        if isinstance(value, float) and not math.isfinite(value):
            raise BackupFailed(phrase("sql.not_finite", name=name, value=str(value)))


def mysql_script(query: str, params: dict[str, Param]) -> str:
    placeholders = find_placeholders(query, "mysql")
    _check_params(placeholders, params)
    text, last = [], 0
    for p in placeholders:
        text += [query[last:p.start], "?"]
        last = p.end
    text.append(query[last:])
    lines = [f"SET @lp_q = CONVERT(X'{hex_literal(''.join(text).rstrip().rstrip(';'))}' USING utf8mb4);"]
    for name, value in params.items():
        lines.append(f"SET @lp_p_{name} = {_mysql_value(value)};")
    using = ", ".join(f"@lp_p_{p.name}" for p in placeholders)
    lines += ["PREPARE lp_stmt FROM @lp_q;", f"EXECUTE lp_stmt{' USING ' + using if using else ''};",
              "DEALLOCATE PREPARE lp_stmt;"]
    return "\n".join(lines) + "\n"


def _mysql_value(value: Param) -> str:
    if value is None:
        return "NULL"
    text = f"CONVERT(X'{hex_literal(str(value if not isinstance(value, bool) else int(value)))}' USING utf8mb4)"
    if isinstance(value, bool | int):
        return f"CAST({text} AS SIGNED)"
    if isinstance(value, float):
        return f"({text} + 0e0)"
    return text


def psql_script(query: str, params: dict[str, Param]) -> str:
    placeholders = find_placeholders(query, "postgresql")
    _check_params(placeholders, params)
    lines = []
    for name, value in params.items():
        if value is not None:
            shown = str(value).lower() if isinstance(value, bool) else str(value)
            lines.append(f"SELECT convert_from(decode('{hex_literal(shown)}', 'hex'), 'UTF8') AS lp_p_{name} \\gset")
    parts, last = [], 0
    for p in placeholders:
        parts += [query[last:p.start], "NULL" if params[p.name] is None else f":'lp_p_{p.name}'"]
        last = p.end
    parts.append(query[last:])
    lines.append("".join(parts).rstrip().rstrip(";") + ";")
    return "\n".join(lines) + "\n"


def run_query(shell: HostShell, tmp: str, access: DbAccess, query: str, params: dict[str, Param]) -> ResultSet:
    if access.engine in ("mysql", "mariadb"):
        mysql = MySqlClient(access)
        sets = mysql.query(shell, tmp, mysql_script(query, params))
        return sets[-1] if sets else ResultSet((), ())
    if access.engine == "postgresql":
        return PostgresClient(access).query(shell, tmp, psql_script(query, params))
    if access.engine == "sqlite":
        find_placeholders(query, "sqlite")  # one statement only
        return SqliteClient(access).query(shell, tmp, query, dict(params))
    raise BackupFailed(phrase("sql.engine", engine=access.engine), hint=phrase("sql.engine_hint"))


def secret_files(access: DbAccess) -> dict[str, str]:
    if access.engine in ("mysql", "mariadb"):
        return MySqlClient(access).secret_files()
    if access.engine == "postgresql":
        return PostgresClient(access).secret_files()
    return {}
