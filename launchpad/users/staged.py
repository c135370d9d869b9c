"""A batch through the database's own bulk loader (MariaDB's `LOAD DATA LOCAL INFILE`, psql's
`\\copy`): the batch's new users travel as data in the loader's text format, escaped by the
loader's own rules (so no byte of a value is SQL or a delimiter), into a temporary table; then
a handful of set-wise statements write them, written through the target's profile exactly as
`writes.apply_script` writes them: the same "already in the target" guard, the same import
mark and constants, the role and post links joined on the staged keys (one statement per
role or post key, not one per user). The batch's updates follow in the same transaction, so
the whole batch is one command on the host.

SQLite has no such loader and keeps the script path; so does a server that refuses loading
from the client (`local_infile = OFF`): the caller falls back to the script for the rest.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from launchpad.errors import UsageError
from launchpad.users.profile import TargetProfile
from launchpad.users.state import UNIT
from launchpad.users.target import SqlText
from launchpad.users.writes import (
    ALREADY_THERE,
    BASE_TABLE,
    GUARD_TABLE,
    Writer,
    constant_sql,
    id_base,
    links_by_key,
    update_statements,
)

STAGE_TABLE = "launchpad_stage"
NULL = "\\N"  # how both loaders' text format writes NULL
# Both loaders read a backslash as an escape: these four are all a value needs.
_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@dataclass(frozen=True)
class Staged:
    """One batch for the bulk loader: statements before the load, the load itself (reading the
    client's stdin), the rows it reads, and the statements after (ending with the commit)."""

    before: list[str]
    load: str
    data: bytes
    after: list[str]


def can_stage(sql: SqlText, profile: TargetProfile) -> bool:
    """The engines with a loader the client drives; a sequence id on MariaDB is left to the
    script (NEXTVAL inside INSERT … SELECT reads one value per statement there)."""
    if sql.sqlite or sql.engine not in ("mariadb", "mysql", "postgresql"):
        return False
    return not (sql.mysql and profile.users.id.generate == "sequence")


def escaped(value: str | None) -> str:
    return NULL if value is None else value.translate(_ESCAPE)


def staged_batch(sql: SqlText, batch: list[Any], hashes: dict[str, str], mark: str, profile: TargetProfile,
                 salts: dict[str, str] | None = None, salt_column: str | None = None) -> Staged:
    """The batch's inserts staged and merged; its updates and their links as in the script."""
    w = Writer(sql, profile)
    users = w.users
    inserts = [u for u in batch if u.action == "insert"]
    fields = [f for f in (*users.fields, UNIT) if any(f in u.values for u in inserts)]
    numeric_unit = all(u.values[UNIT].lstrip("-").isdigit() for u in inserts if UNIT in u.values)
    salted = bool(salts and salt_column)
    own_uuid = users.id.generate == "uuid"
    roles = sorted({r for u in inserts for r in u.roles_added})
    posts = sorted({p for u in inserts for p in u.posts_added})
    shapes: dict[tuple[str, ...], int] = {}  # the fields a row fills: the others keep their DEFAULT
    lines = []
    for n, user in enumerate(inserts, 1):
        shape = shapes.setdefault(tuple(f for f in fields if f in user.values), len(shapes))
        cells = ["u", str(n), str(shape), NULL, escaped(user.key), *(escaped(user.values.get(f)) for f in fields),
                 escaped(hashes[user.key])]
        cells += [escaped((salts or {})[user.key])] if salted else []
        cells += [str(uuid.uuid4())] if own_uuid else []
        lines.append("\t".join(cells))
        blank = [NULL] * (len(cells) - 5)
        lines += ["\t".join(["r", str(n), "-1", str(roles.index(r)), escaped(user.key), *blank])
                  for r in user.roles_added]
        lines += ["\t".join(["p", str(n), "-1", str(posts.index(p)), escaped(user.key), *blank])
                  for p in user.posts_added]
    value_columns = [f"f{i}" for i in range(len(fields))] + ["pw"] + (["salt"] if salted else []) + \
        (["new_id"] if own_uuid else [])
    columns = ["kind", "n", "shape", "link", "k", *value_columns]
    unit_at = fields.index(UNIT) if UNIT in fields else -1
    key_column = w.column(users.key)
    begin = list(sql.begin)
    if sql.mysql:
        # k takes the key column's own type and collation (so comparing them is allowed and the
        # stage's index serves the join); the loader reads the rows as utf8mb4.
        typed = ", ".join(f"{c} BIGINT" if i == unit_at and numeric_unit else f"{c} LONGTEXT CHARACTER SET utf8mb4"
                          for i, c in enumerate(value_columns))
        before = [*begin, f"CREATE TEMPORARY TABLE {GUARD_TABLE} (k VARCHAR(100) PRIMARY KEY);",
                  f"CREATE TEMPORARY TABLE {STAGE_TABLE} (kind CHAR(1), n INT, shape INT, link INT, {typed}, "
                  f"KEY (k)) SELECT {key_column} AS k FROM {users.table} WHERE 1 = 0;"]
        load = (f"LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE {STAGE_TABLE} CHARACTER SET utf8mb4 "
                f"FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ({', '.join(columns)});")
        prepare: list[str] = []
    else:
        typed = ", ".join(f"{c} BIGINT" if i == unit_at and numeric_unit else f"{c} TEXT"
                          for i, c in enumerate(value_columns))
        before = [*begin, f"CREATE TEMP TABLE {GUARD_TABLE} (k VARCHAR(100) PRIMARY KEY) ON COMMIT DROP;",
                  f"CREATE TEMP TABLE {STAGE_TABLE} (kind CHAR(1), n INT, shape INT, link INT, k TEXT, {typed}) "
                  "ON COMMIT DROP;"]
        load = f"\\copy {STAGE_TABLE} ({', '.join(columns)}) FROM pstdin"
        # A temporary table has no statistics until it is analysed: without them the planner
        # joins 10,000 staged keys against the users row by row.
        prepare = [f"CREATE INDEX ON {STAGE_TABLE} (k);", f"ANALYZE {STAGE_TABLE};"]
    there = sql.text(ALREADY_THERE)
    after = [*prepare,
             f"INSERT INTO {GUARD_TABLE} (k) SELECT {there} FROM {users.table} u JOIN {STAGE_TABLE} s "
             f"ON u.{key_column} = s.k WHERE s.kind = 'u' AND {w.user_live('u')};",
             f"INSERT INTO {GUARD_TABLE} (k) VALUES ({there});",
             *id_base(w)]
    after += _inserts(w, shapes, fields, salt_column if salted else None, mark)
    for kind, keys, table in (("r", roles, w.profile.roles), ("p", posts, w.profile.posts)):
        for number, key in enumerate(keys):
            if table is None:
                raise UsageError(f"target {w.profile.name} has no posts, yet the plan adds post {key}")
            wanted = f"r.{table.key} = {sql.text(key)}"
            if kind == "r":
                wanted += f" AND {w.live(w.profile.roles.soft_delete, w.profile.roles.tenant, 'r')}"
            after.append(_staged_link(w, table.link, f"{table.table} r", f"r.{table.id}", kind, number, wanted))
    rest = [u for u in batch if u.action != "insert"]
    after += update_statements(w, rest, mark)
    after += links_by_key(w, rest)
    after.append("COMMIT;")
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    return Staged(before, load, data, after)


def _inserts(w: Writer, shapes: dict[tuple[str, ...], int], fields: list[str], salt_column: str | None,
             mark: str) -> list[str]:
    sql, users = w.sql, w.users
    constant = dict(users.on_insert) | dict(users.password.force_change or {})
    if users.soft_delete is not None:
        constant[users.soft_delete.column] = users.soft_delete.live
    if users.tenant is not None:
        constant[users.tenant.column] = users.tenant.value
    stamp = [users.mark.created_at] if users.mark.created_at else []
    generate = users.id.generate
    own_id = [users.id.column] if generate != "auto_increment" else []
    if generate == "uuid":
        new_id = "s.new_id"
    elif generate == "sequence":
        new_id = f"nextval('{users.id.sequence}')"
    else:  # max_plus_one: the base read under the lock, plus the row's number in the batch
        new_id = f"@{BASE_TABLE} + s.n" if sql.mysql else f"(SELECT n FROM {BASE_TABLE}) + s.n"
    statements = []
    for filled, number in shapes.items():
        names = ", ".join([*own_id, *(w.column(f) for f in filled), users.password.column,
                           *([salt_column] if salt_column else []), *constant, users.mark.created_by, *stamp])
        picked = ", ".join([*([new_id] if own_id else []), *(f"s.f{fields.index(f)}" for f in filled), "s.pw",
                            *(["s.salt"] if salt_column else []), *(constant_sql(v) for v in constant.values()),
                            sql.text(mark), *(sql.now for _ in stamp)])
        statements.append(f"INSERT INTO {users.table} ({names}) SELECT {picked} FROM {STAGE_TABLE} s "
                          f"WHERE s.kind = 'u' AND s.shape = {int(number)} ORDER BY s.n;")
    return statements


def _staged_link(w: Writer, link: Any, source: str, picked: str, kind: str, number: int, wanted: str) -> str:
    users = w.users
    key_column = w.column(users.key)
    return (f"INSERT INTO {link.table} ({link.user}, {link.to}) SELECT u.{users.id.column}, {picked} "
            f"FROM {STAGE_TABLE} s JOIN {users.table} u ON u.{key_column} = s.k, {source} "
            f"WHERE s.kind = '{kind}' AND s.link = {int(number)} AND {w.user_live('u')} AND {wanted} "
            f"AND NOT EXISTS (SELECT 1 FROM {link.table} x WHERE x.{link.user} = u.{users.id.column} "
            f"AND x.{link.to} = {picked});")
