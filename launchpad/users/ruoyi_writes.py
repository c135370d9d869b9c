"""The SQL that applies and undoes an import in a RuoYi database, one transaction per batch.

Every value from the sheet reaches the script as hex digits the server decodes (`SqlText`);
numbers are ones launchpad read from the target itself. An insert only happens when no live
user has the login name (`WHERE NOT EXISTS`), so a batch sent twice inserts nobody twice; an
undo only touches rows that still carry the import's mark, so a change someone made after the
import is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from launchpad.users.ruoyi import USER_COLUMNS
from launchpad.users.target import SqlText


def _begin(sql: SqlText) -> list[str]:
    return ["SET NAMES utf8mb4;", "START TRANSACTION;"] if sql.mysql else ["BEGIN;"]


def _value(sql: SqlText, column: str, value: str) -> str:
    return sql.number(int(value)) if column == "dept_id" else sql.text(value)


def _live_user(sql: SqlText, key: str) -> str:
    return f"user_name = {sql.text(key)} AND del_flag = '0'"


def apply_script(sql: SqlText, writes: Iterable[Any], hashes: dict[str, str], mark: str) -> str:
    """One batch of planned users (inserts with their password hashes, updates) as a transaction."""
    lines = _begin(sql)
    dual = " FROM DUAL" if sql.mysql else ""
    for user in writes:
        if user.action == "insert":
            columns = [c for c in (*USER_COLUMNS, "dept_id") if c in user.values]
            values = [_value(sql, c, user.values[c]) for c in columns]
            names = ", ".join([*columns, "password", "status", "del_flag", "create_by", "create_time"])
            selected = ", ".join([*values, sql.text(hashes[user.key]), "'0'", "'0'", sql.text(mark), sql.now])
            lines.append(f"INSERT INTO sys_user ({names}) SELECT {selected}{dual} WHERE NOT EXISTS "
                         f"(SELECT 1 FROM sys_user WHERE {_live_user(sql, user.key)});")
        elif user.values:
            sets = ", ".join(f"{c} = {_value(sql, c, v)}" for c, v in user.values.items())
            lines.append(f"UPDATE sys_user SET {sets}, update_by = {sql.text(mark)}, update_time = {sql.now} "
                         f"WHERE {_live_user(sql, user.key)};")
        for role in user.roles_added:
            lines.append(_link(sql, "sys_user_role", "role_id", "sys_role r", f"r.role_key = {sql.text(role)} "
                               "AND r.del_flag = '0'", "r.role_id", user.key))
        for post in user.posts_added:
            lines.append(_link(sql, "sys_user_post", "post_id", "sys_post r", f"r.post_code = {sql.text(post)}",
                               "r.post_id", user.key))
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def _link(sql: SqlText, table: str, column: str, source: str, condition: str, picked: str, key: str) -> str:
    return (f"INSERT INTO {table} (user_id, {column}) SELECT u.user_id, {picked} FROM sys_user u, {source} "
            f"WHERE u.{_live_user(sql, key).replace('del_flag', 'u.del_flag')} AND {condition} AND NOT EXISTS "
            f"(SELECT 1 FROM {table} x WHERE x.user_id = u.user_id AND x.{column} = {picked});")


def undo_script(sql: SqlText, rows: Iterable[dict[str, Any]], mark: str, undone_by: str) -> str:
    """Undo recorded rows: delete the users this import inserted (with their roles and posts),
    restore the fields it updated and remove the roles and posts it added."""
    lines = _begin(sql)
    marked = sql.text(mark)
    for row in rows:
        key = sql.text(row["key"])
        own = f"SELECT user_id FROM sys_user WHERE user_name = {key} AND create_by = {marked} AND del_flag = '0'"
        if row["action"] == "insert":
            lines += [f"DELETE FROM sys_user_role WHERE user_id IN ({own});",
                      f"DELETE FROM sys_user_post WHERE user_id IN ({own});"]
            if sql.mysql:  # MySQL cannot delete from a table its own subquery reads
                lines.append(f"DELETE FROM sys_user WHERE user_name = {key} AND create_by = {marked} "
                             "AND del_flag = '0';")
            else:
                lines.append(f"DELETE FROM sys_user WHERE user_id IN ({own});")
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
