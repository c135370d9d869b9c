"""The SQL that applies and undoes an import in a RuoYi database, one transaction per batch.

Every value from the sheet reaches the script as hex digits the server decodes (`SqlText`);
numbers are ones launchpad read from the target itself. A batch whose login names are already
live in the target (sent twice, or someone added the users after the plan) stops before it
writes anything, so nobody is inserted twice; an undo only touches rows that still carry the
import's mark, so a change someone made after the import is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from launchpad.users.ruoyi import USER_COLUMNS
from launchpad.users.target import SqlText


def _begin(sql: SqlText) -> list[str]:
    return sql.begin


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
        salted = [salt_column] if salts and salt_column else []
        # SQLite has no DEFAULT in VALUES: there, rows that leave different columns out are
        # inserted by one statement per set of columns.
        groups = _by_columns(inserts) if sql.sqlite else [inserts]
        for group in groups:
            columns = [c for c in (*USER_COLUMNS, "dept_id") if any(c in u.values for u in group)]
            names = ", ".join([*columns, "password", *salted, "status", "del_flag", "create_by", "create_time"])
            rows = ",\n  ".join(
                "(" + ", ".join([*(_value(sql, c, u.values[c]) if c in u.values else "DEFAULT" for c in columns),
                                 sql.text(hashes[u.key]), *(sql.text((salts or {})[u.key]) for _ in salted),
                                 "'0'", "'0'", sql.text(mark), sql.now]) + ")"
                for u in group)
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


def _by_columns(users: list[Any]) -> list[list[Any]]:
    groups: dict[tuple[str, ...], list[Any]] = {}
    for user in users:
        groups.setdefault(tuple(sorted(user.values)), []).append(user)
    return list(groups.values())


def _guard(sql: SqlText, keys: list[str]) -> list[str]:
    if sql.sqlite:
        # SQLite's duplicate-key error does not quote the key; a named CHECK is quoted instead.
        return [f'CREATE TEMP TABLE {GUARD_TABLE} (k TEXT, CONSTRAINT "{ALREADY_THERE}" CHECK (k IS NULL));',
                f"INSERT INTO {GUARD_TABLE} (k) SELECT 1 FROM sys_user WHERE del_flag = '0' AND user_name IN "
                f"({', '.join(sql.text(k) for k in keys)});"]
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


# sys_user columns whose RuoYi default is NULL: an empty value read before the import was NULL.
NULL_WHEN_EMPTY = ("dept_id", "remark")


def _restored(sql: SqlText, column: str, value: str) -> str:
    if value == "":
        return "NULL" if column in NULL_WHEN_EMPTY else "''"
    return _value(sql, column, value)
