"""The SQL that applies and undoes an import in a RuoYi database, one transaction per batch.

Every value from the sheet reaches the script as hex digits the server decodes (`SqlText`);
numbers are ones launchpad read from the target itself. A batch whose login names are already
live in the target (sent twice, or someone added the users after the plan) stops before it
writes anything, so nobody is inserted twice; an undo only touches rows that still carry the
import's mark, so a change someone made after the import is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from launchpad.users.ruoyi import USER_COLUMNS
from launchpad.users.target import SqlText


def _begin(sql: SqlText) -> list[str]:
    return ["SET NAMES utf8mb4;", "START TRANSACTION;"] if sql.mysql else ["BEGIN;"]


def _value(sql: SqlText, column: str, value: str) -> str:
    return sql.number(int(value)) if column == "dept_id" else sql.text(value)


def _live_user(sql: SqlText, key: str) -> str:
    return f"user_name = {sql.text(key)} AND del_flag = '0'"


# A batch's inserts are one multi-row INSERT. RuoYi has no index on user_name, so a NOT EXISTS
# per row would scan sys_user once per row; instead one query per batch counts the batch's
# login names already live, and a duplicate key in a temporary table stops the script — and
# with it the transaction — when there is any. The key's text is what the error message shows.
GUARD_TABLE = "launchpad_guard"
ALREADY_THERE = "users-of-this-batch-are-already-in-the-target"


def apply_script(sql: SqlText, writes: Iterable[Any], hashes: dict[str, str], mark: str,
                 salts: dict[str, str] | None = None, salt_column: str | None = None) -> str:
    """One batch of planned users (inserts with their password hashes and, for schemes that keep
    it apart, their salts in `salt_column`; updates) as a transaction."""
    batch = list(writes)
    lines = _begin(sql)
    inserts = [u for u in batch if u.action == "insert"]
    if inserts:
        lines += _guard(sql, [u.key for u in inserts])
        columns = [c for c in (*USER_COLUMNS, "dept_id") if any(c in u.values for u in inserts)]
        salted = [salt_column] if salts and salt_column else []
        names = ", ".join([*columns, "password", *salted, "status", "del_flag", "create_by", "create_time"])
        rows = ",\n  ".join(
            "(" + ", ".join([*(_value(sql, c, u.values[c]) if c in u.values else "DEFAULT" for c in columns),
                             sql.text(hashes[u.key]), *(sql.text((salts or {})[u.key]) for _ in salted),
                             "'0'", "'0'", sql.text(mark), sql.now]) + ")"
            for u in inserts)
        lines.append(f"INSERT INTO sys_user ({names}) VALUES\n  {rows};")
    for user in batch:
        if user.action == "update" and user.values:
            sets = ", ".join(f"{c} = {_value(sql, c, v)}" for c, v in user.values.items())
            lines.append(f"UPDATE sys_user SET {sets}, update_by = {sql.text(mark)}, update_time = {sql.now} "
                         f"WHERE {_live_user(sql, user.key)};")
    for role in sorted({r for u in batch for r in u.roles_added}):
        keys = [u.key for u in batch if role in u.roles_added]
        lines.append(_link(sql, "sys_user_role", "role_id", "sys_role r",
                           f"r.role_key = {sql.text(role)} AND r.del_flag = '0'", "r.role_id", keys))
    for post in sorted({p for u in batch for p in u.posts_added}):
        keys = [u.key for u in batch if post in u.posts_added]
        lines.append(_link(sql, "sys_user_post", "post_id", "sys_post r", f"r.post_code = {sql.text(post)}",
                           "r.post_id", keys))
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def _guard(sql: SqlText, keys: list[str]) -> list[str]:
    create = "CREATE TEMPORARY TABLE" if sql.mysql else "CREATE TEMP TABLE"
    drop = "" if sql.mysql else " ON COMMIT DROP"
    mark = sql.text(ALREADY_THERE)
    return [f"{create} {GUARD_TABLE} (k VARCHAR(100) PRIMARY KEY){drop};",
            f"INSERT INTO {GUARD_TABLE} (k) SELECT {mark} FROM sys_user WHERE del_flag = '0' AND user_name IN "
            f"({', '.join(sql.text(k) for k in keys)});",
            f"INSERT INTO {GUARD_TABLE} (k) VALUES ({mark});"]


def _link(sql: SqlText, table: str, column: str, source: str, condition: str, picked: str, keys: list[str]) -> str:
    names = ", ".join(sql.text(k) for k in keys)
    return (f"INSERT INTO {table} (user_id, {column}) SELECT u.user_id, {picked} FROM sys_user u, {source} "
            f"WHERE u.del_flag = '0' AND u.user_name IN ({names}) AND {condition} AND NOT EXISTS "
            f"(SELECT 1 FROM {table} x WHERE x.user_id = u.user_id AND x.{column} = {picked});")


def undo_script(sql: SqlText, rows: Iterable[dict[str, Any]], mark: str, undone_by: str) -> str:
    """Undo recorded rows: delete the users this import inserted (with their roles and posts),
    restore the fields it updated and remove the roles and posts it added."""
    lines = _begin(sql)
    marked = sql.text(mark)
    rows = list(rows)
    inserted = [row["key"] for row in rows if row["action"] == "insert"]
    if inserted:  # one statement per table for the whole batch, not a scan of sys_user per user
        names = ", ".join(sql.text(k) for k in inserted)
        own = f"SELECT user_id FROM sys_user WHERE create_by = {marked} AND del_flag = '0' AND user_name IN ({names})"
        lines += [f"DELETE FROM sys_user_role WHERE user_id IN ({own});",
                  f"DELETE FROM sys_user_post WHERE user_id IN ({own});",
                  f"DELETE FROM sys_user WHERE create_by = {marked} AND del_flag = '0' AND user_name IN ({names});"]
    for row in rows:
        if row["action"] == "insert":
            continue
        user = f"SELECT user_id FROM sys_user WHERE {_live_user(sql, row['key'])}"
        for role in row["roles_added"] or ():
            lines.append(f"DELETE FROM sys_user_role WHERE user_id IN ({user}) AND role_id IN "
                         f"(SELECT role_id FROM sys_role WHERE role_key = {sql.text(role)});")
        for post in row["posts_added"] or ():
            lines.append(f"DELETE FROM sys_user_post WHERE user_id IN ({user}) AND post_id IN "
                         f"(SELECT post_id FROM sys_post WHERE post_code = {sql.text(post)});")
        if row["before"]:
            sets = ", ".join(f"{c} = {_restored(sql, c, v)}" for c, v in row["before"].items())
            lines.append(f"UPDATE sys_user SET {sets}, update_by = {sql.text(undone_by)}, update_time = {sql.now} "
                         f"WHERE {_live_user(sql, row['key'])} AND update_by = {marked};")
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def _restored(sql: SqlText, column: str, value: str) -> str:
    if value == "":
        return "NULL" if column == "dept_id" else "''"
    return _value(sql, column, value)


# A batch of new users through the database's own bulk loader: the rows travel as data (every
# value hex, so no byte of them is SQL or a delimiter), the client's loader puts them in a
# temporary table, and one INSERT … SELECT per set of filled columns writes them — a few
# statements per batch instead of 1,000 values to parse. The guard, the mark and the role and
# post links are those of `apply_script`; the statements carry no value from the sheet.
STAGE_TABLE = "launchpad_stage"
NULL = "\\N"  # how both loaders' text format writes NULL


@dataclass(frozen=True)
class Staged:
    """One batch for the bulk loader: statements before the load, the load (MariaDB's LOAD DATA
    or psql's \\copy, reading the client's stdin), the rows it reads, and statements after."""

    before: list[str]
    load: str
    data: bytes
    after: list[str]


def staged_inserts(sql: SqlText, inserts: list[Any], hashes: dict[str, str], mark: str,
                   salts: dict[str, str] | None = None, salt_column: str | None = None) -> Staged:
    columns = [c for c in (*USER_COLUMNS, "dept_id") if any(c in u.values for u in inserts)]
    salted = [salt_column] if salts and salt_column else []
    loaded = [*columns, "password", *salted]
    at = loaded.index("user_name") if "user_name" in loaded else 0
    roles = sorted({r for u in inserts for r in u.roles_added})
    posts = sorted({p for u in inserts for p in u.posts_added})
    shapes: dict[tuple[str, ...], int] = {}  # the columns a row fills: the others keep their DEFAULT
    lines = []
    for user in inserts:
        shape = shapes.setdefault(tuple(c for c in columns if c in user.values), len(shapes))
        cells = [_staged(c, user.values.get(c)) for c in columns]
        cells += [hashes[user.key].encode().hex(), *((salts or {})[user.key].encode().hex() for _ in salted)]
        lines.append("\t".join(["u", str(shape), NULL, *cells]))
        link = [NULL] * len(loaded)
        link[at] = user.key.encode().hex()
        lines += ["\t".join(["r", "-1", str(roles.index(r)), *link]) for r in user.roles_added]
        lines += ["\t".join(["p", "-1", str(posts.index(p)), *link]) for p in user.posts_added]
    fixed = ["kind", "shape", "link"]
    if sql.mysql:
        # user_name typed as sys_user's own (the same collation, so the join uses the index);
        # the loader decodes the hex on the way in.
        typed = ", ".join(f"{c} BIGINT" if c == "dept_id" else f"{c} TEXT CHARACTER SET utf8mb4"
                          for c in loaded if c != "user_name")
        before = ["SET NAMES utf8mb4;", "START TRANSACTION;",
                  f"CREATE TEMPORARY TABLE {GUARD_TABLE} (k VARCHAR(100) PRIMARY KEY);",
                  f"CREATE TEMPORARY TABLE {STAGE_TABLE} (kind CHAR(1), shape INT, link INT, {typed}, "
                  "KEY (user_name)) SELECT user_name FROM sys_user WHERE 1 = 0;"]
        fields = [*fixed, *(c if c == "dept_id" else f"@{c}" for c in loaded)]
        decode = ", ".join(f"{c} = CONVERT(UNHEX(@{c}) USING utf8mb4)" for c in loaded if c != "dept_id")
        load = (f"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE {STAGE_TABLE} CHARACTER SET binary "
                f"FIELDS TERMINATED BY '\\t' ({', '.join(fields)}) SET {decode};")
    else:
        before = [f"CREATE TEMP TABLE {GUARD_TABLE} (k VARCHAR(100) PRIMARY KEY) ON COMMIT DROP;",
                  f"CREATE TEMP TABLE {STAGE_TABLE} ({', '.join(f'{c} TEXT' for c in [*fixed, *loaded])}) "
                  "ON COMMIT DROP;"]
        load = f"\\copy {STAGE_TABLE} FROM pstdin"
    user = _decoded(sql, "s.user_name")
    there = sql.text(ALREADY_THERE)
    # PostgreSQL knows nothing of a fresh temporary table's rows until told; without that it
    # joins it to sys_user row by row.
    after = [] if sql.mysql else [f"ANALYZE {STAGE_TABLE};"]
    after += [f"INSERT INTO {GUARD_TABLE} (k) SELECT {there} FROM sys_user u JOIN {STAGE_TABLE} s "
             f"ON u.user_name = {user} WHERE s.kind = 'u' AND u.del_flag = '0';",
             f"INSERT INTO {GUARD_TABLE} (k) VALUES ({there});"]
    for filled, number in shapes.items():
        picked = [_decoded(sql, f"s.{c}", c == "dept_id") for c in (*filled, "password", *salted)]
        names = ", ".join([*filled, "password", *salted, "status", "del_flag", "create_by", "create_time"])
        after.append(f"INSERT INTO sys_user ({names}) SELECT {', '.join(picked)}, '0', '0', {sql.text(mark)}, "
                     f"{sql.now} FROM {STAGE_TABLE} s WHERE s.kind = 'u' AND s.shape = {_int(sql, number)};")
    for kind, keys, table, column, source, key_column in (
            ("r", roles, "sys_user_role", "role_id", "sys_role", "role_key"),
            ("p", posts, "sys_user_post", "post_id", "sys_post", "post_code")):
        live = " AND r.del_flag = '0'" if kind == "r" else ""
        for number, key in enumerate(keys):
            after.append(
                f"INSERT INTO {table} (user_id, {column}) SELECT u.user_id, r.{column} FROM sys_user u JOIN "
                f"{STAGE_TABLE} s ON u.user_name = {user}, {source} r WHERE s.kind = '{kind}' AND s.link = "
                f"{_int(sql, number)} AND u.del_flag = '0' AND r.{key_column} = {sql.text(key)}{live} AND NOT "
                f"EXISTS (SELECT 1 FROM {table} x WHERE x.user_id = u.user_id AND x.{column} = r.{column});")
    if sql.mysql:
        after.append("COMMIT;")
    return Staged(before, load, ("\n".join(lines) + "\n").encode("ascii"), after)


def _staged(column: str, value: str | None) -> str:
    if value is None:
        return NULL
    return str(int(value)) if column == "dept_id" else value.encode().hex()


def _decoded(sql: SqlText, column: str, number: bool = False) -> str:
    """A staged column as its value: MariaDB's loader decoded it already; PostgreSQL's rows are
    text, decoded here."""
    if sql.mysql:
        return column
    if number:
        return f"CAST({column} AS BIGINT)"
    return f"convert_from(decode({column}, 'hex'), 'UTF8')"


def _int(sql: SqlText, number: int) -> str:
    return str(number) if sql.mysql else f"'{number}'"
