"""PostgreSQL: a batch's new users loaded straight into the users table by `COPY`, and their role
and post links too, instead of staged and merged by `INSERT … SELECT`.

`COPY` writes a table's rows many at a time (one WAL record and one buffer lock per page, not
per row); `INSERT … SELECT` a row at a time. For a batch of 33,750 the merge's statement took
159 ms of the host's 240 (bench/import). Loading straight needs what the merge worked out on the
host known here before the rows are sent, so the import reads it once, before its first batch
(`prepare`), in one round trip beside the opening of its command:

- the new users' ids: as many values of the id column's sequence as the import has new users
  (`nextval`: no other writer is ever given one, whatever it inserts meanwhile; a value taken
  and not used is a gap in the ids, as after any rolled-back insert);
- each role's and post's id by its key, as the merge's join read them;
- the server's clock (`LOCALTIMESTAMP`): `COPY` computes no column, so a new user's creation
  time is that reading plus the time passed here since;
- whether a link table already names a user at or above the lowest id taken (links left behind
  by users deleted by hand, at ids given out again): then the import stages and merges as
  before, whose links skip those rows.

Each batch then checks, inside its transaction, what the merge's statements ensured: that every
row arrived and went in as sent — as many rows with the import's mark in the batch's ids as were
sent, their login names in id order the same as sent (a trigger that renamed a user, or dropped
a row, stops the batch as the merge's lookup by name did); that no live user other than the new
one has a new user's login name (the guard); that the roles and posts still have the ids read;
and that no link row has appeared at the batch's ids. Any that fails stops the batch, so it
commits nothing.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import repeat
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.users.profile import TargetProfile
from launchpad.users.stage_rows import StageCells, escaped
from launchpad.users.staged import IDS_UNFOUND, INCOMPLETE, Staged, staged_batch
from launchpad.users.state import UNIT
from launchpad.users.target import SqlText, TargetSession
from launchpad.users.writes import ALREADY_THERE, GUARD_TABLE, Writer, links_by_key, update_statements

_CLOCK = "%Y-%m-%d %H:%M:%S.%f"  # LOCALTIMESTAMP as `prepare` reads it, and each batch's creation time
# Each check has its own word in the guard table (a word may go in once per batch); the "target
# changed" ones all carry ALREADY_THERE, which is how the import tells the person.
_LINKS_APPEARED = f"{ALREADY_THERE}:links"
_KEYS_CHANGED = f"{ALREADY_THERE}:roles-posts"


@dataclass(frozen=True)
class DirectLoad:
    """What the import read before its first batch, for loading its new users straight."""

    ids: list[int]  # the id sequence's values taken for the import's new users, in their order
    roles: dict[str, list[int]]  # a role key → the ids of the live roles with it
    posts: dict[str, list[int]]
    clock: datetime  # the server's LOCALTIMESTAMP when read
    read_at: float  # time.monotonic() then

    def now(self) -> str:
        """The server's local time now, as `now()` would write it into a timestamp column."""
        return (self.clock + timedelta(seconds=time.monotonic() - self.read_at)).strftime(_CLOCK)


def can_load_direct(sql: SqlText, profile: TargetProfile) -> bool:
    """PostgreSQL, with ids from a sequence (serial, identity or a named one)."""
    return sql.engine == "postgresql" and profile.users.id.generate in ("auto_increment", "sequence")


def prepare(session: TargetSession, profile: TargetProfile, inserts: list[Any]) -> DirectLoad | None:
    """The ids, role and post ids and clock for loading `inserts` straight; None when the import
    must stage instead (no sequence behind the id column, or a link table already naming ids
    at or above those taken)."""
    sql, users = session.sql, profile.users
    w = Writer(sql, profile)
    if users.id.generate == "sequence":
        sequence = sql.text(users.id.sequence)
    else:
        sequence = f"pg_get_serial_sequence({sql.text(users.table)}, {sql.text(users.id.column)})"
    roles = sorted({r for u in inserts for r in u.roles_added})
    posts = sorted({p for u in inserts for p in u.posts_added})
    if posts and profile.posts is None:
        raise UsageError(phrase("users.target_no_posts", target=profile.name, post=posts[0]))
    queries = [f"SELECT COALESCE(string_agg(v::text, ',' ORDER BY g), '') FROM (SELECT g, "
               f"nextval({sequence}::regclass) AS v FROM generate_series(1, {len(inserts)}) g) taken",
               "SELECT to_char(LOCALTIMESTAMP, 'YYYY-MM-DD HH24:MI:SS.US')"]
    links = [t for t, keys in ((profile.roles, roles), (profile.posts, posts)) if keys and t is not None]
    queries += [f"SELECT COALESCE(MAX(x.{t.link.user}), -1) FROM {t.link.table} x" for t in links]
    queries += [_ids_query(w, "roles", roles), _ids_query(w, "posts", posts)]
    taken, clock, *rest = session.query_all(queries)
    read_at = time.monotonic()
    text = str(taken.rows[0][0] or "")
    if not text:  # no sequence behind the column
        return None
    ids = [int(v) for v in text.split(",")]
    named = rest[len(links):]
    if any(int(str(found.rows[0][0])) >= ids[0] for found in rest[:len(links)]):
        return None
    return DirectLoad(ids, _by_key(named[0].rows), _by_key(named[1].rows),
                      datetime.strptime(str(clock.rows[0][0]), _CLOCK), read_at)


def _ids_query(w: Writer, kind: str, keys: list[str]) -> str:
    table = getattr(w.profile, kind)
    if not keys or table is None:
        return "SELECT '', 0 WHERE FALSE"
    return f"SELECT r.{table.key}, r.{table.id} FROM {table.table} r WHERE {_wanted(w, kind, keys)}"


def _wanted(w: Writer, kind: str, keys: list[str]) -> str:
    """The roles (live, as the merge's links took them) or posts with one of `keys`."""
    table = getattr(w.profile, kind)
    wanted = f"r.{table.key} IN ({', '.join(w.sql.text(k) for k in keys)})"
    if kind == "roles":
        wanted += f" AND {w.live(table.soft_delete, table.tenant, 'r')}"
    return wanted


def _by_key(rows: Any) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for key, number in rows:
        found.setdefault(str(key), []).append(int(str(number)))
    return found


def direct_batch(sql: SqlText, batch: list[Any], hashes: dict[str, str], mark: str, profile: TargetProfile,
                 load: DirectLoad, ids: list[int], salts: dict[str, str] | None = None,
                 salt_column: str | None = None) -> Staged:
    """The batch's new users (`ids`, in their order) and links by `COPY`, its checks, then its
    updates as in the script; one transaction."""
    w = Writer(sql, profile)
    users = w.users
    inserts = [u for u in batch if u.action == "insert"]
    assert len(ids) == len(inserts)
    fields = [f for f in (*users.fields, UNIT) if any(f in u.values for u in inserts)]
    salted = bool(salts and salt_column)
    cells = StageCells(inserts, fields, hashes, salts if salted else None, False)
    shapes: dict[tuple[str, ...], int] = {}
    row_shapes, _, _ = cells.shapes(shapes, False)
    keys, *values = cells.texts()  # values: each field's, the hash's, the salt's
    constant = dict(users.on_insert) | dict(users.password.force_change or {})
    if users.soft_delete is not None:
        constant[users.soft_delete.column] = users.soft_delete.live
    if users.tenant is not None:
        constant[users.tenant.column] = users.tenant.value
    constant[users.mark.created_by] = mark
    if users.mark.created_at:
        constant[users.mark.created_at] = load.now()
    tail = "".join("\t" + escaped(str(v)) for v in constant.values())
    id_texts = list(map(str, ids))
    loads = []
    for filled, number in shapes.items():
        picked = [values[fields.index(f)] for f in filled] + values[len(fields):]
        rows = [i for i, shape in enumerate(row_shapes) if shape == str(number)] if len(shapes) > 1 else None
        columns = [id_texts, *picked]
        if rows is not None:
            columns = [[column[i] for i in rows] for column in columns]
        names = ", ".join([users.id.column, *(w.column(f) for f in filled), users.password.column,
                           *([salt_column] if salted and salt_column else []), *constant])
        rows_text = map(str.__add__, map("\t".join, zip(*columns, strict=True)), repeat(tail))
        loads.append((f"COPY {users.table} ({names}) FROM STDIN;", ("\n".join(rows_text) + "\n").encode("utf-8")))
    lo, hi = ids[0], ids[-1]
    link_tables = []
    for kind, held, by_key in (("roles", "roles_added", load.roles), ("posts", "posts_added", load.posts)):
        table = getattr(profile, kind)
        if table is None or not any(getattr(u, held) for u in inserts):
            continue
        link = table.link
        lines = [f"{user_id}\t{to}" for user_id, u in zip(id_texts, inserts, strict=True)
                 for key in getattr(u, held) for to in by_key.get(key, ())]
        link_tables.append((kind, table, sorted({k for u in inserts for k in getattr(u, held)}), by_key))
        if lines:
            loads.append((f"COPY {link.table} ({link.user}, {link.to}) FROM STDIN;",
                          ("\n".join(lines) + "\n").encode("utf-8")))
    there, appeared = sql.text(ALREADY_THERE), sql.text(_LINKS_APPEARED)
    # Links at the batch's ids before its own: read before they are loaded.
    before = [*sql.begin, f"CREATE TEMP TABLE {GUARD_TABLE} (k VARCHAR(100) PRIMARY KEY) ON COMMIT DROP;",
              *(f"INSERT INTO {GUARD_TABLE} (k) SELECT {appeared} WHERE (SELECT MAX(x.{t.link.user}) "
                f"FROM {t.link.table} x) >= {int(lo)};" for _, t, _, _ in link_tables),
              f"INSERT INTO {GUARD_TABLE} (k) VALUES ({appeared});"]
    key_column, id_column = w.column(users.key), users.id.column
    ours = f"n.{id_column} BETWEEN {int(lo)} AND {int(hi)} AND n.{users.mark.created_by} = {sql.text(mark)}"
    digest = hashlib.md5("\n".join(cells.keys).encode("utf-8")).hexdigest()  # a checksum, not a secret's
    cut, unfound = sql.text(INCOMPLETE), sql.text(IDS_UNFOUND)
    after = [
        f"INSERT INTO {GUARD_TABLE} (k) SELECT CASE WHEN COUNT(*) <> {len(inserts)} THEN {cut} ELSE {unfound} END "
        f"FROM {users.table} n WHERE {ours} HAVING COUNT(*) <> {len(inserts)} OR md5(convert_to(string_agg("
        f"n.{key_column}, E'\\n' ORDER BY n.{id_column}), 'UTF8')) <> '{digest}';",
        f"INSERT INTO {GUARD_TABLE} (k) VALUES ({cut}), ({unfound});",
        # The planner has no statistics for the rows just loaded and might take them for a
        # handful, then read every user once per new one: a hash join, or none.
        "SET LOCAL enable_nestloop = off;",
        f"INSERT INTO {GUARD_TABLE} (k) SELECT {there} FROM {users.table} u JOIN {users.table} n "
        f"ON u.{key_column} = n.{key_column} WHERE {ours} AND u.{id_column} <> n.{id_column} "
        f"AND {w.user_live('u')} LIMIT 1;",
        f"INSERT INTO {GUARD_TABLE} (k) VALUES ({there});",
        "SET LOCAL enable_nestloop = on;",
        *_keys_unchanged(w, link_tables)]
    rest = [u for u in batch if u.action != "insert"]
    after += update_statements(w, rest, mark)
    after += links_by_key(w, rest)
    after.append("COMMIT;")
    (first, data), *more = loads
    return Staged(before, first, data, after, len(inserts), tuple(more))


def _keys_unchanged(w: Writer, link_tables: list[tuple[str, Any, list[str], dict[str, list[int]]]]) -> list[str]:
    """Stop the batch unless the roles and posts its links name still have the ids read."""
    if not link_tables:
        return []
    changed = w.sql.text(_KEYS_CHANGED)
    checks = []
    for kind, table, keys, by_key in link_tables:
        pairs = [(key, number) for key in keys for number in by_key.get(key, ())]
        read = " OR ".join(f"(r.{table.key} = {w.sql.text(key)} AND r.{table.id} = {int(number)})"
                           for key, number in pairs) or "FALSE"
        checks.append(f"(SELECT COUNT(*) <> {len(pairs)} OR COUNT(*) FILTER (WHERE {read}) <> {len(pairs)} "
                      f"FROM {table.table} r WHERE {_wanted(w, kind, keys)})")
    return [f"INSERT INTO {GUARD_TABLE} (k) SELECT {changed} WHERE {' OR '.join(checks)};",
            f"INSERT INTO {GUARD_TABLE} (k) VALUES ({changed});"]


@dataclass
class BatchLoader:
    """Each batch of an import for the bulk loader: loaded straight, with the ids taken for the
    import given out in their order, or staged and merged (staged.py)."""

    sql: SqlText
    hashes: dict[str, str]
    mark: str
    profile: TargetProfile
    salts: dict[str, str]
    salt_column: str | None
    direct: DirectLoad | None
    taken: int = 0  # the direct load's ids given to the batches so far

    def batch(self, batch: list[Any]) -> Staged:
        if self.direct is None:
            return staged_batch(self.sql, batch, self.hashes, self.mark, self.profile, self.salts, self.salt_column)
        count = sum(u.action == "insert" for u in batch)
        ids = self.direct.ids[self.taken:self.taken + count]
        self.taken += count
        return direct_batch(self.sql, batch, self.hashes, self.mark, self.profile, self.direct, ids, self.salts,
                            self.salt_column)
