"""What an import needs to know of the live target, read through its profile: the units (with
their paths, from the parent or the path column), the live users (soft-deleted rows and other
tenants' rows left out) with their roles and posts, the roles by key and the posts by name and
code. Values the profile names (the live flag, the tenant) travel as query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from launchpad.users.profile import Flag, TargetProfile, Tenant, bundled_profile
from launchpad.users.target import TargetSession
from launchpad.users.units import Department

UNIT = "dept_id"  # the plan's name for the account's unit, whatever the profile's column is called
POST_FIELD = "post"


@dataclass
class ExistingUser:
    id: str
    values: dict[str, str]  # the profile's fields and UNIT, '' for NULL
    roles: set[str] = field(default_factory=set)
    posts: set[str] = field(default_factory=set)  # post codes


@dataclass
class TargetState:
    departments: list[Department]
    users: dict[str, ExistingUser]  # by the key field's value, case-folded
    roles: dict[str, str]  # role key → role id
    posts: dict[str, str]  # post name and post code, case-folded → post code
    profile: TargetProfile = field(default_factory=lambda: bundled_profile("ruoyi"))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def live(flag: Flag | None, tenant: Tenant | None, alias: str = "", prefix: str = "p") -> tuple[str, dict[str, Any]]:
    """The WHERE conditions (and their parameters) that keep a table's live rows of this tenant."""
    at = f"{alias}." if alias else ""
    conditions, params = ["1 = 1"], {}
    if flag is not None:
        conditions.append(f"{at}{flag.column} = :{prefix}_live")
        params[f"{prefix}_live"] = flag.live
    if tenant is not None:
        conditions.append(f"{at}{tenant.column} = :{prefix}_tenant")
        params[f"{prefix}_tenant"] = tenant.value
    return " AND ".join(conditions), params


def read_state(session: TargetSession, profile: TargetProfile) -> TargetState:
    departments = _departments(session, profile)
    users_t = profile.users
    where, params = live(users_t.soft_delete, users_t.tenant)
    fields = list(users_t.fields)
    columns = ", ".join(users_t.fields[f].column for f in fields)
    users: dict[str, ExistingUser] = {}
    by_id: dict[str, ExistingUser] = {}
    query = f"SELECT {users_t.id.column}, {users_t.unit.column}, {columns} FROM {users_t.table} WHERE {where}"
    for row in session.query(query, params).rows:
        values = {UNIT: _text(row[1])} | {f: _text(v) for f, v in zip(fields, row[2:], strict=True)}
        user = ExistingUser(_text(row[0]), values)
        users[values[users_t.key].casefold()] = user
        by_id[user.id] = user
    roles_t = profile.roles
    where, params = live(roles_t.soft_delete, roles_t.tenant)
    roles = {_text(r[1]): _text(r[0]) for r in
             session.query(f"SELECT {roles_t.id}, {roles_t.key} FROM {roles_t.table} WHERE {where}", params).rows}
    link = roles_t.link
    for user_id, key in session.query(f"SELECT l.{link.user}, r.{roles_t.key} FROM {link.table} l JOIN "
                                      f"{roles_t.table} r ON r.{roles_t.id} = l.{link.to}").rows:
        if _text(user_id) in by_id:
            by_id[_text(user_id)].roles.add(_text(key))
    posts: dict[str, str] = {}
    posts_t = profile.posts
    if posts_t is not None:
        where, params = ("1 = 1", {}) if posts_t.active is None else \
            (f"{posts_t.active.column} = :active", {"active": posts_t.active.value})
        for code, name in session.query(f"SELECT {posts_t.key}, {posts_t.name} FROM {posts_t.table} WHERE {where}",
                                        params).rows:
            posts[_text(name).casefold()] = _text(code)
            posts[_text(code).casefold()] = _text(code)
        link = posts_t.link
        for user_id, code in session.query(f"SELECT l.{link.user}, p.{posts_t.key} FROM {link.table} l JOIN "
                                           f"{posts_t.table} p ON p.{posts_t.id} = l.{link.to}").rows:
            if _text(user_id) in by_id:
                by_id[_text(user_id)].posts.add(_text(code))
    return TargetState(departments, users, roles, posts, profile)


def _departments(session: TargetSession, profile: TargetProfile) -> list[Department]:
    units = profile.units
    where, params = live(units.soft_delete, units.tenant)
    upward = units.parent or units.path
    rows = session.query(f"SELECT {units.id}, {upward}, {units.name} FROM {units.table} WHERE {where}", params).rows
    parents: dict[str, tuple[str, str]] = {}
    for unit_id, up, name in rows:
        if units.parent is None:  # a path of ids from the root: the parent is the one before this unit
            ids = [part for part in _text(up).split(units.path_separator) if part]
            if ids and ids[-1] == _text(unit_id):
                ids = ids[:-1]
            up = ids[-1] if ids else ""
        parents[_text(unit_id)] = (_text(up), _text(name))

    def path(unit_id: str) -> tuple[str, ...]:
        names: list[str] = []
        seen: set[str] = set()
        while unit_id in parents and unit_id not in seen:  # a cycle in a damaged tree ends the walk
            seen.add(unit_id)
            parent, name = parents[unit_id]
            names.insert(0, name)
            unit_id = parent
        return tuple(names)

    return [Department(_id(d), parents[d][1], path(d)) for d in sorted(parents, key=_order)]


def _id(text: str) -> Any:
    return int(text) if text.lstrip("-").isdigit() else text


def _order(text: str) -> tuple[int, Any]:
    return (0, int(text)) if text.lstrip("-").isdigit() else (1, text)
