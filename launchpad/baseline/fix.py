"""Chosen differences as SQL that makes the target match the reference: every value a
parameter (`:name`, bound by `launchpad.backup.sqlquery` — never spliced into the text), all of
them run as one transaction through the database's own client (SQLite: Python's sqlite3 on the
host, which binds them), so a fix is whole or nothing.

What each difference becomes (RuoYi):
- role missing: the role inserted, then its grants; extra: its grants removed and the role
  deleted the way RuoYi deletes (`del_flag = '2'`); changed: the fields updated;
- permission missing: a sys_role_menu row for each menu with that key; extra: those rows removed;
- dictionary missing: the type and all its items inserted; extra: items and type deleted;
- dict_item and post: inserted, deleted (a post with the users' links to it) or updated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from launchpad.backup.sqlquery import Param, mysql_script, psql_script
from launchpad.baseline.drift import Difference
from launchpad.baseline.model import Baseline, DictItem
from launchpad.errors import UsageError
from launchpad.phrases import parts, phrase

NOW = "CURRENT_TIMESTAMP"  # MySQL, PostgreSQL and SQLite all know it


@dataclass(frozen=True)
class Statement:
    difference: str  # the difference's id
    sql: str
    params: dict[str, Param]

    def shown(self) -> str:
        values = ", ".join(f":{k} = {v!r}" for k, v in self.params.items())
        return f"{self.sql};" + (f"\n    -- {values}" if values else "")


class Unfixable(UsageError):
    title = "cannot fix"


def statements_for(differences: list[Difference], reference: Baseline, target: Baseline,
                   menu_ids: dict[str, list[int]], actor: str) -> list[Statement]:
    """The SQL for `differences` (reference → target), in their order; raises Unfixable, before
    anything runs, for a difference no SQL can fix (a grant of a menu the target lacks)."""
    blocked = [d for d in differences if not d.fixable]
    if blocked:
        raise Unfixable(parts([phrase("error.fix_unfixable_item", id=d.id, note=d.note) for d in blocked]),
                        hint=phrase("error.fix_unfixable_hint"))
    by = actor[:64]
    out: list[Statement] = []
    for d in differences:
        out += _for(d, reference, target, menu_ids, by)
    return out


def _for(d: Difference, reference: Baseline, target: Baseline, menu_ids: dict[str, list[int]],
         by: str) -> list[Statement]:
    s = _Builder(d.id)
    if d.kind == "role":
        key = d.item
        if d.change == "missing":
            role = reference.roles[key]
            s.add("INSERT INTO sys_role (role_name, role_key, role_sort, data_scope, status, del_flag, create_by, "
                  f"create_time) VALUES (:name, :key, :sort, :scope, :status, '0', :by, {NOW})",
                  name=role.name, key=key, sort=role.sort, scope=role.data_scope, status=role.status, by=by)
            ids = sorted(i for perm in role.permissions for i in menu_ids.get(perm, ()))
            if ids:
                s.grant(key, ids)
        elif d.change == "extra":
            s.add("DELETE FROM sys_role_menu WHERE role_id IN "
                  "(SELECT role_id FROM sys_role WHERE role_key = :key AND del_flag = '0')", key=key)
            s.add(f"UPDATE sys_role SET del_flag = '2', update_by = :by, update_time = {NOW} "
                  "WHERE role_key = :key AND del_flag = '0'", by=by, key=key)
        else:
            role = reference.roles[key]
            s.add(f"UPDATE sys_role SET role_name = :name, status = :status, data_scope = :scope, role_sort = :sort, "
                  f"update_by = :by, update_time = {NOW} WHERE role_key = :key AND del_flag = '0'",
                  name=role.name, status=role.status, scope=role.data_scope, sort=role.sort, by=by, key=key)
    elif d.kind == "permission":
        key, perm = d.detail["role"], d.detail["permission"]
        ids = menu_ids.get(perm, [])
        if d.change == "missing":
            s.grant(key, ids)
        elif ids:
            marks = s.numbers("m", ids)
            s.add(f"DELETE FROM sys_role_menu WHERE menu_id IN ({marks}) AND role_id IN "
                  "(SELECT role_id FROM sys_role WHERE role_key = :key AND del_flag = '0')", key=key)
    elif d.kind == "dictionary":
        if d.change == "missing":
            dictionary = reference.dictionaries[d.item]
            s.add(f"INSERT INTO sys_dict_type (dict_name, dict_type, status, create_by, create_time) "
                  f"VALUES (:name, :type, :status, :by, {NOW})", name=dictionary.name, type=dictionary.type,
                  status=dictionary.status, by=by)
            for item in sorted(dictionary.items.values(), key=lambda i: (i.order, i.value)):
                s.insert_item(dictionary.type, item, by)
        elif d.change == "extra":
            s.add("DELETE FROM sys_dict_data WHERE dict_type = :type", type=d.item)
            s.add("DELETE FROM sys_dict_type WHERE dict_type = :type", type=d.item)
        else:
            dictionary = reference.dictionaries[d.item]
            s.add(f"UPDATE sys_dict_type SET dict_name = :name, status = :status, update_by = :by, "
                  f"update_time = {NOW} WHERE dict_type = :type", name=dictionary.name, status=dictionary.status,
                  by=by, type=dictionary.type)
    elif d.kind == "dict_item":
        kind, value = d.detail["type"], d.detail["value"]
        if d.change == "missing":
            s.insert_item(kind, reference.dictionaries[kind].items[value], by)
        elif d.change == "extra":
            s.add("DELETE FROM sys_dict_data WHERE dict_type = :type AND dict_value = :value", type=kind, value=value)
        else:
            item = reference.dictionaries[kind].items[value]
            s.add(f"UPDATE sys_dict_data SET dict_label = :label, dict_sort = :sort, is_default = :dflt, "
                  f"status = :status, css_class = :css, list_class = :list, update_by = :by, update_time = {NOW} "
                  "WHERE dict_type = :type AND dict_value = :value", label=item.label, sort=item.order,
                  dflt="Y" if item.default else "N", status=item.status, css=item.css_class, list=item.list_class,
                  by=by, type=kind, value=value)
    elif d.kind == "post":
        if d.change == "missing":
            post = reference.posts[d.item]
            s.add(f"INSERT INTO sys_post (post_code, post_name, post_sort, status, create_by, create_time) "
                  f"VALUES (:code, :name, :sort, :status, :by, {NOW})", code=post.code, name=post.name,
                  sort=post.sort, status=post.status, by=by)
        elif d.change == "extra":
            s.add("DELETE FROM sys_user_post WHERE post_id IN (SELECT post_id FROM sys_post WHERE post_code = :code)",
                  code=d.item)
            s.add("DELETE FROM sys_post WHERE post_code = :code", code=d.item)
        else:
            post = reference.posts[d.item]
            s.add(f"UPDATE sys_post SET post_name = :name, post_sort = :sort, status = :status, update_by = :by, "
                  f"update_time = {NOW} WHERE post_code = :code", name=post.name, sort=post.sort,
                  status=post.status, by=by, code=post.code)
    return s.out


class _Builder:
    def __init__(self, difference: str) -> None:
        self.difference = difference
        self.out: list[Statement] = []
        self._numbers: dict[str, Param] = {}

    def add(self, sql: str, **params: Param) -> None:
        self.out.append(Statement(self.difference, sql, {**self._numbers, **params}))
        self._numbers = {}

    def numbers(self, prefix: str, values: list[int]) -> str:
        """Placeholders for a list of ids, bound by the next `add`."""
        self._numbers = {f"{prefix}{i}": int(v) for i, v in enumerate(values)}
        return ", ".join(f":{name}" for name in self._numbers)

    def grant(self, role_key: str, menu_ids: list[int]) -> None:
        marks = self.numbers("m", menu_ids)
        self.add(f"INSERT INTO sys_role_menu (role_id, menu_id) SELECT r.role_id, m.menu_id FROM sys_role r, "
                 f"sys_menu m WHERE r.role_key = :key AND r.del_flag = '0' AND m.menu_id IN ({marks})", key=role_key)

    def insert_item(self, kind: str, item: DictItem, by: str) -> None:
        self.add("INSERT INTO sys_dict_data (dict_sort, dict_label, dict_value, dict_type, css_class, list_class, "
                 f"is_default, status, create_by, create_time) VALUES (:sort, :label, :value, :type, :css, :list, "
                 f":dflt, :status, :by, {NOW})", sort=item.order, label=item.label, value=item.value, type=kind,
                 css=item.css_class, list=item.list_class, dflt="Y" if item.default else "N", status=item.status,
                 by=by)


def transaction_script(engine: str, statements: list[Statement]) -> str:
    """All statements as one script for the database's own client: one transaction, stopped
    (and so rolled back) at the first error."""
    if engine in ("mysql", "mariadb"):
        return "START TRANSACTION;\n" + "".join(mysql_script(s.sql, s.params) for s in statements) + "COMMIT;\n"
    if engine == "postgresql":
        return "BEGIN;\n" + "".join(psql_script(s.sql, s.params) for s in statements) + "COMMIT;\n"
    raise UsageError(phrase("error.fix_engine", engine=engine), hint=phrase("error.fix_engine_hint"))


def describe(statements: list[Statement]) -> list[dict[str, Any]]:
    return [{"difference": s.difference, "sql": s.sql, "params": s.params} for s in statements]
