"""The RuoYi (若依) profile of baselines: sys_role, sys_menu and sys_role_menu (a role's
permissions), sys_dict_type and sys_dict_data, sys_post, read into a `Baseline`, and the SQL
that makes one difference right. Roles are live while `del_flag = '0'`.

A menu's natural key is its permission code (`perms`), else its path of names from the top
(`/系统管理/日志管理`). Two menus may share a code (RuoYi ships 缓存监控 and 缓存列表 both as
`monitor:cache:list`): a role holds the code when it holds any of them, and a grant of the
code grants every menu that has it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from launchpad.backup.sqlclient import ResultSet
from launchpad.baseline.model import Baseline, Dictionary, DictItem, Post, Role

# RuoYi's super administrator role: its services refuse to change or delete it
# (SysRole.isAdmin: role_id 1), and its users hold every permission whatever sys_role_menu says.
SUPER_ADMIN_ID = 1
# One query per table, so each engine's client (and SQLite's) answers it the same way. A role's
# grants come as one row of menu ids joined by commas: 50 roles × 800 grants are 50 rows, not
# 40,000, which the client prints (as XML for MySQL) and launchpad parses several times faster.
# No column is ever NULL (COALESCE), so MySQL's text output can carry them (see query_all).
QUERIES = {
    "roles": "SELECT role_id, role_key, COALESCE(role_name, ''), COALESCE(status, ''), COALESCE(data_scope, ''), "
             "COALESCE(role_sort, 0) FROM sys_role WHERE del_flag = '0'",
    "menus": "SELECT menu_id, COALESCE(parent_id, 0), COALESCE(menu_name, ''), COALESCE(perms, '') FROM sys_menu",
    "grants": "SELECT role_id, {joined} FROM sys_role_menu GROUP BY role_id",
    "dictionaries": "SELECT COALESCE(dict_type, ''), COALESCE(dict_name, ''), COALESCE(status, '') FROM sys_dict_type",
    "items": ("SELECT COALESCE(dict_type, ''), COALESCE(dict_value, ''), COALESCE(dict_label, ''), "
              "COALESCE(dict_sort, 0), COALESCE(is_default, ''), COALESCE(status, ''), COALESCE(css_class, ''), "
              "COALESCE(list_class, '') FROM sys_dict_data"),
    "posts": "SELECT post_code, COALESCE(post_name, ''), COALESCE(post_sort, 0), COALESCE(status, '') FROM sys_post",
}


@dataclass
class LiveState:
    """A live database as a baseline, and the ids a fix needs (never written to a file)."""

    baseline: Baseline
    menu_ids: dict[str, list[int]] = field(default_factory=dict)  # permission key → menu ids


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _int(value: Any) -> int:
    try:
        return int(str(value).strip() or 0)
    except ValueError:
        return 0


JOINED = {"mysql": "GROUP_CONCAT(menu_id SEPARATOR ',')", "postgresql": "string_agg(CAST(menu_id AS TEXT), ',')",
          "sqlite": "group_concat(menu_id, ',')"}
# GROUP_CONCAT stops at 1,024 bytes by default: a role with a thousand grants needs more.
MYSQL_PRELUDE = "SET SESSION group_concat_max_len = 67108864"


def queries(engine: str) -> list[str]:
    dialect = "mysql" if engine in ("mysql", "mariadb") else engine
    joined = JOINED.get(dialect, JOINED["sqlite"])
    return [sql.replace("{joined}", joined) for sql in QUERIES.values()]


def read_live(session: Any, version: str, source: str) -> LiveState:
    """Six SELECTs through `session.query_all` (TargetSession: one round trip where it can)."""
    engine = session.access.engine
    prelude = MYSQL_PRELUDE if engine in ("mysql", "mariadb") else ""
    sets = session.query_all(queries(engine), prelude=prelude, no_nulls=True)
    return state_from(dict(zip(QUERIES, sets, strict=True)), version, source)


def state_from(results: dict[str, ResultSet], version: str, source: str) -> LiveState:
    menus = {_int(r[0]): (_int(r[1]), _text(r[2]), _text(r[3]).strip()) for r in results["menus"].rows}

    def path(menu_id: int) -> str:
        names: list[str] = []
        seen: set[int] = set()
        while menu_id in menus and menu_id not in seen:  # a cycle in a damaged tree ends the walk
            seen.add(menu_id)
            parent, name, _ = menus[menu_id]
            names.insert(0, name.replace("/", "／"))
            menu_id = parent
        return "/" + "/".join(names)

    key_of = {menu_id: perms or path(menu_id) for menu_id, (_, _, perms) in menus.items()}
    menu_ids: dict[str, list[int]] = defaultdict(list)
    for menu_id in sorted(key_of):
        menu_ids[key_of[menu_id]].append(menu_id)
    # Ids as the client printed them: tens of thousands of grants are looked up as text.
    key_of_text = {str(menu_id): key for menu_id, key in key_of.items()}
    granted: dict[int, set[str]] = defaultdict(set)
    for grant in results["grants"].rows:
        ids = _text(grant[1]).replace(" ", "").split(",")
        granted[_int(grant[0])].update(key_of_text[i] for i in ids if i in key_of_text)
    roles, super_admin = {}, None
    for row in results["roles"].rows:
        role_id, key = _int(row[0]), _text(row[1])
        if role_id == SUPER_ADMIN_ID:
            super_admin = key
        roles[key] = Role(key, _text(row[2]), _text(row[3]), _text(row[4]), _int(row[5]),
                          frozenset(granted.get(role_id, ())))
    items: dict[str, dict[str, DictItem]] = defaultdict(dict)
    for row in results["items"].rows:
        item = DictItem(_text(row[1]), _text(row[2]), _int(row[3]), _text(row[4]).upper() == "Y", _text(row[5]),
                        _text(row[6]), _text(row[7]))
        items[_text(row[0])][item.value] = item
    dictionaries = {_text(r[0]): Dictionary(_text(r[0]), _text(r[1]), _text(r[2]), items.get(_text(r[0]), {}))
                    for r in results["dictionaries"].rows}
    posts = {_text(r[0]): Post(_text(r[0]), _text(r[1]), _int(r[2]), _text(r[3])) for r in results["posts"].rows}
    baseline = Baseline(version, source, roles, dictionaries, posts, frozenset(menu_ids), super_admin=super_admin)
    return LiveState(baseline, dict(menu_ids))
