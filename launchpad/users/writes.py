"""The SQL that applies and undoes an import, one transaction per batch, written through the
target's profile (RuoYi's, or a custom system's): its tables and columns, how its ids are made,
its soft-delete flag, its tenant, the columns carrying the import's mark.

Every value reaches the script as hex digits the database decodes (`SqlText`); table and column
names come from the profile, which allows only identifiers. A batch whose login names are
already live in the target (sent twice, or someone added the users after the plan) stops
before it writes anything, so nobody is inserted twice; an undo only touches rows that still
carry the import's mark, so a change someone made after the import is left alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.users.profile import Flag, Link, TargetProfile, Tenant, UsersTable
from launchpad.users.state import UNIT
from launchpad.users.target import SqlText

# A batch's inserts are one multi-row INSERT. RuoYi has no index on user_name, so a NOT EXISTS
# per row would scan sys_user once per row; instead one query per batch counts the batch's
# login names already live, and a duplicate key in a temporary table stops the script — and
# with it the transaction — when there is any. The key's text is what the error message shows.
GUARD_TABLE = "launchpad_guard"
BASE_TABLE = "launchpad_id_base"
ALREADY_THERE = "users-of-this-batch-are-already-in-the-target"


class Writer:
    def __init__(self, sql: SqlText, profile: TargetProfile) -> None:
        self.sql, self.profile, self.users = sql, profile, profile.users

    def value(self, field: str, value: str) -> str:
        if field == UNIT:
            return self.sql.number(int(value)) if value.lstrip("-").isdigit() else self.sql.text(value)
        return self.sql.text(value)

    def column(self, field: str) -> str:
        return self.users.unit.column if field == UNIT else self.users.fields[field].column

    def live(self, flag: Flag | None, tenant: Tenant | None, alias: str = "") -> str:
        at = f"{alias}." if alias else ""
        conditions = []
        if flag is not None:
            conditions.append(f"{at}{flag.column} = {constant_sql(flag.live)}")
        if tenant is not None:
            conditions.append(f"{at}{tenant.column} = {constant_sql(tenant.value)}")
        return " AND ".join(conditions) or "1 = 1"

    def user_live(self, alias: str = "") -> str:
        return self.live(self.users.soft_delete, self.users.tenant, alias)

    def keyed(self, keys: list[str], alias: str = "") -> str:
        at = f"{alias}." if alias else ""
        return f"{at}{self.column(self.users.key)} IN ({', '.join(self.sql.text(k) for k in keys)})"

    def now(self) -> str:
        return self.sql.now


def apply_script(sql: SqlText, writes: Iterable[Any], hashes: dict[str, str], mark: str,
                 salts: dict[str, str] | None = None, salt_column: str | None = None,
                 profile: TargetProfile | None = None) -> str:
    """One batch of planned users (inserts with their password hashes and, for schemes that keep
    it apart, their salts in `salt_column`; updates) as a transaction."""
    from launchpad.users.profile import bundled_profile

    w = Writer(sql, profile or bundled_profile("ruoyi"))
    users = w.users
    batch = list(writes)
    lines = list(sql.begin)
    inserts = [u for u in batch if u.action == "insert"]
    if inserts:
        lines += _guard(w, [u.key for u in inserts])
        lines += id_base(w)
        salted = [salt_column] if salts and salt_column else []
        constant = new_user_constants(users)
        # SQLite has no DEFAULT in VALUES: there, rows that leave different columns out are
        # inserted by one statement per set of columns.
        groups = _by_columns(inserts) if sql.sqlite else [inserts]
        number = 0
        for group in groups:
            fields = [f for f in (*users.fields, UNIT) if any(f in u.values for u in group)]
            own_id = [users.id.column] if users.id.generate != "auto_increment" else []
            stamp = [users.mark.created_at] if users.mark.created_at else []
            names = ", ".join([*own_id, *(w.column(f) for f in fields), users.password.column, *salted, *constant,
                               users.mark.created_by, *stamp])
            rows = []
            for u in group:
                number += 1
                rows.append("(" + ", ".join(
                    [*(_new_id(w, number) for _ in own_id),
                     *(w.value(f, u.values[f]) if f in u.values else "DEFAULT" for f in fields),
                     sql.text(hashes[u.key]), *(sql.text((salts or {})[u.key]) for _ in salted),
                     *(constant_sql(v) for v in constant.values()), sql.text(mark), *(sql.now for _ in stamp)]) + ")")
            lines.append(f"INSERT INTO {users.table} ({names}) VALUES\n  " + ",\n  ".join(rows) + ";")
    lines += update_statements(w, batch, mark)
    lines += links_by_key(w, batch)
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def update_statements(w: Writer, batch: list[Any], mark: str) -> list[str]:
    """The batch's updates, each stamped with the import's mark."""
    sql, users = w.sql, w.users
    updated_at = f", {users.mark.updated_at} = {sql.now}" if users.mark.updated_at else ""
    lines = []
    for user in batch:
        if user.action == "update" and user.values:
            sets = ", ".join(f"{w.column(f)} = {w.value(f, v)}" for f, v in user.values.items())
            lines.append(f"UPDATE {users.table} SET {sets}, {users.mark.updated_by} = {sql.text(mark)}{updated_at} "
                         f"WHERE {w.keyed([user.key])} AND {w.user_live()};")
    return lines


def links_by_key(w: Writer, batch: list[Any]) -> list[str]:
    """The roles and posts the batch's users gain, one statement per role or post key."""
    sql, roles, posts = w.sql, w.profile.roles, w.profile.posts
    lines = []
    for role in sorted({r for u in batch for r in u.roles_added}):
        keys = [u.key for u in batch if role in u.roles_added]
        wanted = f"r.{roles.key} = {sql.text(role)} AND {w.live(roles.soft_delete, roles.tenant, 'r')}"
        lines.append(link_statement(w, roles.link, f"{roles.table} r", wanted, f"r.{roles.id}", keys))
    for post in sorted({p for u in batch for p in u.posts_added}):
        if posts is None:
            raise UsageError(phrase("users.target_no_posts", target=w.profile.name, post=post))
        keys = [u.key for u in batch if post in u.posts_added]
        lines.append(link_statement(w, posts.link, f"{posts.table} r", f"r.{posts.key} = {sql.text(post)}",
                                    f"r.{posts.id}", keys))
    return lines


def new_user_constants(users: UsersTable) -> dict[str, str]:
    """Column → value every new user gets whatever its row: the profile's `on_insert`, the
    force-change flag, live (soft delete) and the tenant."""
    constant = dict(users.on_insert) | dict(users.password.force_change or {})
    if users.soft_delete is not None:
        constant[users.soft_delete.column] = users.soft_delete.live
    if users.tenant is not None:
        constant[users.tenant.column] = users.tenant.value
    return constant


def constant_sql(value: str) -> str:
    """A profile's constant as an untyped literal (the profile allows no quote in it)."""
    return f"'{value}'"



def _by_columns(users: list[Any]) -> list[list[Any]]:
    groups: dict[tuple[str, ...], list[Any]] = {}
    for user in users:
        groups.setdefault(tuple(sorted(user.values)), []).append(user)
    return list(groups.values())


def id_base(w: Writer) -> list[str]:
    """max+1: the largest id, read once per batch under a lock no other writer gets past."""
    users = w.users
    if users.id.generate == "sequence" and w.sql.sqlite:
        raise UsageError(phrase("users.sqlite_sequences", target=w.profile.name),
                         hint=phrase("users.sqlite_sequences_hint"))
    if users.id.generate != "max_plus_one":
        return []
    largest = f"SELECT COALESCE(MAX({users.id.column}), 0) AS n FROM {users.table}"
    if w.sql.mysql:  # a user variable: MySQL cannot open one temporary table twice in a statement
        return [f"SELECT COALESCE(MAX({users.id.column}), 0) INTO @{BASE_TABLE} FROM {users.table} FOR UPDATE;"]
    if w.sql.sqlite:  # BEGIN IMMEDIATE already holds the write lock
        return [f"CREATE TEMP TABLE {BASE_TABLE} AS {largest};"]
    return [f"LOCK TABLE {users.table} IN EXCLUSIVE MODE;",
            f"CREATE TEMP TABLE {BASE_TABLE} ON COMMIT DROP AS {largest};"]


def _new_id(w: Writer, number: int) -> str:
    rule = w.users.id
    if rule.generate == "uuid":
        return w.sql.text(str(uuid.uuid4()))
    if rule.generate == "sequence":
        return f"NEXTVAL({rule.sequence})" if w.sql.mysql else f"nextval('{rule.sequence}')"
    if w.sql.mysql:
        return f"@{BASE_TABLE} + {int(number)}"
    return f"(SELECT n FROM {BASE_TABLE}) + {int(number)}"


def _guard(w: Writer, keys: list[str]) -> list[str]:
    users = w.users
    already = f"FROM {users.table} WHERE {w.user_live()} AND {w.keyed(keys)}"
    if w.sql.sqlite:
        # SQLite's duplicate-key error does not quote the key; a named CHECK is quoted instead.
        return [f'CREATE TEMP TABLE {GUARD_TABLE} (k TEXT, CONSTRAINT "{ALREADY_THERE}" CHECK (k IS NULL));',
                f"INSERT INTO {GUARD_TABLE} (k) SELECT 1 {already};"]
    create = "CREATE TEMPORARY TABLE" if w.sql.mysql else "CREATE TEMP TABLE"
    drop = "" if w.sql.mysql else " ON COMMIT DROP"
    mark = w.sql.text(ALREADY_THERE)
    return [f"{create} {GUARD_TABLE} (k VARCHAR(100) PRIMARY KEY){drop};",
            f"INSERT INTO {GUARD_TABLE} (k) SELECT {mark} {already};",
            f"INSERT INTO {GUARD_TABLE} (k) VALUES ({mark});"]


def link_statement(w: Writer, link: Link, source: str, condition: str, picked: str, keys: list[str]) -> str:
    users = w.users
    return (f"INSERT INTO {link.table} ({link.user}, {link.to}) SELECT u.{users.id.column}, {picked} "
            f"FROM {users.table} u, {source} WHERE {w.user_live('u')} AND {w.keyed(keys, 'u')} AND {condition} "
            f"AND NOT EXISTS (SELECT 1 FROM {link.table} x WHERE x.{link.user} = u.{users.id.column} "
            f"AND x.{link.to} = {picked});")


def undo_script(sql: SqlText, rows: Iterable[dict[str, Any]], mark: str, undone_by: str,
                profile: TargetProfile | None = None) -> str:
    """Undo recorded rows: delete the users this import inserted (with their roles and posts),
    restore the fields it updated and remove the roles and posts it added."""
    from launchpad.users.profile import bundled_profile

    w = Writer(sql, profile or bundled_profile("ruoyi"))
    users, roles, posts = w.users, w.profile.roles, w.profile.posts
    links = [roles.link, *([posts.link] if posts else [])]
    lines = list(sql.begin)
    marked = sql.text(mark)
    rows = list(rows)
    inserted = [row["key"] for row in rows if row["action"] == "insert"]
    if inserted:  # one statement per table for the whole batch, not a scan of the users per user
        own = f"{users.mark.created_by} = {marked} AND {w.user_live()} AND {w.keyed(inserted)}"
        lines += [f"DELETE FROM {link.table} WHERE {link.user} IN (SELECT {users.id.column} FROM {users.table} "
                  f"WHERE {own});" for link in links]
        lines.append(f"DELETE FROM {users.table} WHERE {own};")
    updated_at = f", {users.mark.updated_at} = {sql.now}" if users.mark.updated_at else ""
    for row in rows:
        if row["action"] == "insert":
            continue
        user = f"SELECT {users.id.column} FROM {users.table} WHERE {w.keyed([row['key']])} AND {w.user_live()}"
        for role in row["roles_added"] or ():
            lines.append(f"DELETE FROM {roles.link.table} WHERE {roles.link.user} IN ({user}) AND {roles.link.to} IN "
                         f"(SELECT {roles.id} FROM {roles.table} WHERE {roles.key} = {sql.text(role)});")
        for post in row["posts_added"] or ():
            if posts is None:
                break
            lines.append(f"DELETE FROM {posts.link.table} WHERE {posts.link.user} IN ({user}) AND {posts.link.to} IN "
                         f"(SELECT {posts.id} FROM {posts.table} WHERE {posts.key} = {sql.text(post)});")
        if row["before"]:
            sets = ", ".join(f"{w.column(f)} = {_restored(w, f, v)}" for f, v in row["before"].items())
            lines.append(f"UPDATE {users.table} SET {sets}, {users.mark.updated_by} = {sql.text(undone_by)}"
                         f"{updated_at} WHERE {w.keyed([row['key']])} AND {w.user_live()} "
                         f"AND {users.mark.updated_by} = {marked};")
    lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def _restored(w: Writer, field: str, value: str) -> str:
    # An empty value read before the import was NULL in a column whose empty is NULL.
    if value == "":
        nullable = field == UNIT or (field in w.users.fields and w.users.fields[field].empty_is_null)
        return "NULL" if nullable else "''"
    return w.value(field, value)
