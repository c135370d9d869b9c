"""The RuoYi (若依) target profile: sys_user with sys_dept, sys_role, sys_user_role, sys_post
and sys_user_post, as in RuoYi-Vue's schema. Users are live while `del_flag = '0'`; a user's
login name (`user_name`) is what the natural key is matched against.

What the import writes into sys_user: the mapping's fields that are sys_user columns (below,
with their sizes), `dept_id` from the account's unit, `create_by`/`update_by` set to the
import's mark (`import:ID`), which is how a rollback after a kill -9 still finds exactly the
rows this import wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from launchpad.users.target import TargetSession
from launchpad.users.units import Department

# sys_user columns a mapping field may fill, with RuoYi's column sizes.
USER_COLUMNS: dict[str, int] = {"user_name": 30, "nick_name": 30, "email": 50, "phonenumber": 11, "sex": 1,
                                "remark": 500}
POST_FIELD = "post"


@dataclass
class ExistingUser:
    id: int
    values: dict[str, str]  # USER_COLUMNS and dept_id, '' for NULL
    roles: set[str] = field(default_factory=set)
    posts: set[str] = field(default_factory=set)  # post codes


@dataclass
class TargetState:
    departments: list[Department]
    users: dict[str, ExistingUser]  # by user_name, case-folded
    roles: dict[str, int]  # role_key → role_id
    posts: dict[str, str]  # post name and post code, case-folded → post code


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def read_state(session: TargetSession) -> TargetState:
    depts = session.query("SELECT dept_id, parent_id, dept_name FROM sys_dept WHERE del_flag = '0'")
    parents = {int(r[0] or 0): (int(r[1] or 0), _text(r[2])) for r in depts.rows}

    def path(dept_id: int) -> tuple[str, ...]:
        names: list[str] = []
        seen: set[int] = set()
        while dept_id in parents and dept_id not in seen:  # a cycle in a damaged tree ends the walk
            seen.add(dept_id)
            parent, name = parents[dept_id]
            names.insert(0, name)
            dept_id = parent
        return tuple(names)

    departments = [Department(d, parents[d][1], path(d)) for d in sorted(parents)]
    columns = ", ".join(USER_COLUMNS)
    users: dict[str, ExistingUser] = {}
    by_id: dict[int, ExistingUser] = {}
    for row in session.query(f"SELECT user_id, dept_id, {columns} FROM sys_user WHERE del_flag = '0'").rows:
        values = {"dept_id": _text(row[1])} | {c: _text(v) for c, v in zip(USER_COLUMNS, row[2:], strict=True)}
        user = ExistingUser(int(row[0] or 0), values)
        users[values["user_name"].casefold()] = user
        by_id[user.id] = user
    roles = {_text(r[1]): int(r[0] or 0) for r in
             session.query("SELECT role_id, role_key FROM sys_role WHERE del_flag = '0'").rows}
    for user_id, role_key in session.query("SELECT ur.user_id, r.role_key FROM sys_user_role ur "
                                           "JOIN sys_role r ON r.role_id = ur.role_id").rows:
        if int(user_id or 0) in by_id:
            by_id[int(user_id or 0)].roles.add(_text(role_key))
    posts: dict[str, str] = {}
    for code, name in session.query("SELECT post_code, post_name FROM sys_post WHERE status = '0'").rows:
        posts[_text(name).casefold()] = _text(code)
        posts[_text(code).casefold()] = _text(code)
    for user_id, code in session.query("SELECT up.user_id, p.post_code FROM sys_user_post up "
                                       "JOIN sys_post p ON p.post_id = up.post_id").rows:
        if int(user_id or 0) in by_id:
            by_id[int(user_id or 0)].posts.add(_text(code))
    return TargetState(departments, users, roles, posts)
