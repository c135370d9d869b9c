"""PostgreSQL: a batch's new users loaded by `COPY` straight into the users table, and their
role and post links by `COPY` straight into the link tables — no stage to load first and merge
from after, which was most of the host's work (bench/import: the stage's load and its
`INSERT … SELECT` 0.46 s of 0.78 at 100,000 rows).

That needs each new user's id before its rows leave launchpad, so the import reserves them
once, before its first batch is built (`prepare_script`, through the import's one psql
session): under `ALTER SEQUENCE` on the id column's sequence, which holds every other
session's `nextval` until it commits, it takes the sequence's next value and moves the
sequence past as many ids as the import inserts. Nobody else is given one of them, whatever
the application does meanwhile; an id left unused (a stopped import) is a gap, as a
rolled-back insert leaves. The same answer gives the server's `now()` for the new users'
creation time (one for the import, in the server's clock and time zone, as `now()` itself
would be written) and the ids of the roles and posts the import links, as the staged
statements would find them (a live role by its key).

Taken only where it writes exactly what the staged path writes (staged.py), else the
import stages as before:

- the ids come from a sequence (an identity, a serial, a column default that is exactly
  `nextval` of one, or the profile's `sequence`) whose step is 1, that the import's user owns
  (`ALTER SEQUENCE` needs it), with room for the ids; PostgreSQL 10 or later;
- the users table has no trigger of the site's own, which could rename a login or renumber a
  row on its way in (the staged path checks what such an insert wrote), and no unique index but
  its primary key (the staged guard names a login taken since the plan before anything is
  written); neither it nor a link table has a rule (COPY ignores rules) or row-level security
  (COPY refuses it);
- no link table names a user among the reserved ids (a stale row the staged path would leave
  out by an anti-join; `COPY` would stop at RuoYi's primary key);
- nothing refused the reservation (a lock held longer than a second, an event trigger against
  DDL, a right taken away).

The roles' and posts' ids are read once, with the reservation (the staged statements find them
in each batch): a role deleted during the import still gets the later batches' links.

Each batch then checks, before its commit, that its rows are all in the users table under
their ids, and that no live user outside the import's ids has one of the batch's keys (the
same guard as the stage's: the target changed since the plan)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.users.profile import TargetProfile
from launchpad.users.stage_rows import StageCells, escaped
from launchpad.users.staged import COMMIT, INCOMPLETE, PG_TEMP_BUFFERS, Staged
from launchpad.users.state import UNIT
from launchpad.users.target import SqlText
from launchpad.users.writes import (
    ALREADY_THERE,
    GUARD_TABLE,
    Writer,
    links_by_key,
    new_user_constants,
    update_statements,
)

# The line the prepare prints its answer on (JSON follows).
SAID = "launchpad-direct"


@dataclass
class Reserved:
    """The ids reserved for the import's new users, handed out batch by batch in order, and
    what the server said besides."""

    first: int
    count: int
    now: str  # the server's now(), as text, for the creation time
    roles: dict[str, list[str]] = field(default_factory=dict)  # key → ids (a key is not unique everywhere)
    posts: dict[str, list[str]] = field(default_factory=dict)
    taken: int = 0

    @property
    def last(self) -> int:
        return self.first + self.count - 1

    def take(self, count: int) -> int:
        """The first of `count` ids of the next batch."""
        if self.taken + count > self.count:
            raise ValueError(f"{count} more ids than the {self.count} reserved")
        start = self.first + self.taken
        self.taken += count
        return start


def can_copy(sql: SqlText, profile: TargetProfile) -> bool:
    """The engines and id rules the direct load may serve; the host decides the rest."""
    return sql.engine == "postgresql" and profile.users.id.generate in ("auto_increment", "sequence")


def prepare_script(sql: SqlText, profile: TargetProfile, count: int, roles: list[str], posts: list[str]) -> str:
    """SQL for the import's psql session: reserve `count` ids when the target allows the direct
    load, and print the answer on a line of its own (`SAID` and JSON), or no such line when it
    does not. Plain SQL, no psql meta-command: a host's psql may be older than the server. One
    transaction, so the answer is read where the ids were taken, even through a pooler."""
    w = Writer(sql, profile)
    users = w.users
    links = [t.link for t, wanted in ((profile.roles, roles), (profile.posts, posts)) if wanted and t]
    table = f"{sql.text(users.table)}::regclass"
    tables = ", ".join(f"{sql.text(name)}::regclass" for name in (users.table, *(t.table for t in links)))
    if users.id.generate == "auto_increment":
        # The identity's or serial's sequence, else the one the column's default takes exactly
        # `nextval` of (RuoYi's PostgreSQL editions make the sequence apart and name it so).
        column = sql.text(users.id.column)
        sequence = (f"COALESCE(pg_get_serial_sequence({sql.text(users.table)}, {column}), "
                    f"(SELECT d.refobjid::regclass::text FROM pg_attrdef a "
                    f"JOIN pg_attribute c ON c.attrelid = a.adrelid AND c.attnum = a.adnum "
                    f"JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = a.oid "
                    f"AND d.refclassid = 'pg_class'::regclass "
                    f"JOIN pg_class q ON q.oid = d.refobjid AND q.relkind = 'S' "
                    f"WHERE a.adrelid = {table} AND c.attname = {column} "
                    f"AND pg_get_expr(a.adbin, a.adrelid) = "
                    f"format('nextval(%L::regclass)', d.refobjid::regclass::text)))")
    else:
        sequence = sql.text(users.id.sequence or "")
    first = "current_setting('launchpad.first', true)"
    # pg_sequence and pg_sequence_last_value are PostgreSQL 10's: read by EXECUTE, after the version
    found = ("SELECT c.oid::regclass FROM pg_class c JOIN pg_sequence q ON q.seqrelid = c.oid "
             "WHERE c.oid = to_regclass($1) AND q.seqincrement = 1 AND pg_has_role(c.relowner, ''USAGE'') "
             "AND q.seqmax - $2 > COALESCE(pg_sequence_last_value(c.oid), q.seqstart)")
    last = f"first + {int(count) - 1}"
    stale = " OR ".join(f"EXISTS (SELECT 1 FROM {t.table} x WHERE x.{t.user} BETWEEN first AND {last})"
                        for t in links) or "FALSE"
    reserve = (
        "DO $launchpad$ DECLARE seq regclass; first bigint; BEGIN "
        "PERFORM set_config('launchpad.first', '', true); "
        # COPY would write past what the staged statements honour: a trigger of the site's own
        # (which may rename or renumber a row), a rule, row-level security (COPY refuses it), a
        # unique index besides the primary key (the guard must say so before anything is written)
        "IF current_setting('server_version_num')::int < 100000 "
        f"OR EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = {table} AND NOT t.tgisinternal) "
        f"OR EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_class IN ({tables})) "
        f"OR EXISTS (SELECT 1 FROM pg_class r WHERE r.oid IN ({tables}) AND r.relrowsecurity) "
        f"OR EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = {table} AND i.indisunique AND NOT i.indisprimary) "
        "THEN RETURN; END IF; "
        f"EXECUTE '{found}' INTO seq USING {sequence}::text, {int(count)}::bigint; "
        "IF seq IS NULL THEN RETURN; END IF; "
        # ALTER SEQUENCE holds every other nextval until the COMMIT, so the ids between the
        # nextval and the setval are the import's alone. It waits for sessions that took ids in a
        # transaction still open, and the application's new users would queue behind it: a second
        # at most. That, or anything else refused here (an event trigger against DDL, a right
        # taken away), and the import stages instead.
        "PERFORM set_config('lock_timeout', '1s', true); "
        "BEGIN "
        "EXECUTE format('ALTER SEQUENCE %s INCREMENT BY 1', seq); "
        "first := nextval(seq); "
        f"PERFORM setval(seq, first + {int(count) - 1}); "
        # a link row left at one of the ids (a user deleted by hand): the stage leaves it out
        f"IF {stale} THEN RETURN; END IF; "
        "PERFORM set_config('launchpad.first', first::text, true); "
        "EXCEPTION WHEN OTHERS THEN RETURN; END; "
        "END $launchpad$;")
    # the creation time in ISO form, which every DateStyle reads back as written
    answer = (f"SELECT {sql.text(SAID + ' ')} || json_build_object('first', {first}::bigint, "
              f"'now', to_char(now(), 'YYYY-MM-DD HH24:MI:SS.USOF'), "
              f"'roles', {_ids(w, 'roles', roles)}, 'posts', {_ids(w, 'posts', posts)})::text "
              f"WHERE {first} <> '';")
    return "\n".join(["BEGIN;", reserve, answer, "COMMIT;"]) + "\n"


def _ids(w: Writer, kind: str, keys: list[str]) -> str:
    """JSON pairs [key, id] of the roles (live ones) or posts the keys name, as the staged links find them."""
    table = w.profile.roles if kind == "roles" else w.profile.posts
    if not keys or table is None:
        return "'[]'::json"
    wanted = f"r.{table.key} IN ({', '.join(w.sql.text(k) for k in keys)})"
    if kind == "roles":
        wanted += f" AND {w.live(w.profile.roles.soft_delete, w.profile.roles.tenant, 'r')}"
    return (f"COALESCE((SELECT json_agg(json_build_array(r.{table.key}::text, r.{table.id}::text)) "
            f"FROM {table.table} r WHERE {wanted}), '[]'::json)")


def reserved_from(said: str, count: int) -> Reserved | None:
    """The reservation the prepare printed, or None: the import stages its batches."""
    for line in map(str.strip, said.splitlines()):  # psql's aligned output sets it off by a space
        if line.startswith(SAID + " "):
            answer = json.loads(line[len(SAID) + 1:])
            by_key: dict[str, dict[str, list[str]]] = {"roles": {}, "posts": {}}
            for kind, found in by_key.items():
                for key, number in answer[kind]:  # an id is data in the COPY's rows: escaped as data
                    found.setdefault(key, []).append(escaped(number))
            return Reserved(int(answer["first"]), count, str(answer["now"]), by_key["roles"], by_key["posts"])
    return None


def direct_batch(sql: SqlText, batch: list[Any], hashes: dict[str, str], mark: str, profile: TargetProfile,
                 reserved: Reserved, salts: dict[str, str] | None = None,
                 salt_column: str | None = None) -> Staged:
    """The batch's inserts by COPY under their reserved ids; its updates and their links as in the script."""
    w = Writer(sql, profile)
    users = w.users
    inserts = [u for u in batch if u.action == "insert"]
    fields = [f for f in (*users.fields, UNIT) if any(f in u.values for u in inserts)]
    salted = bool(salts and salt_column)
    # each user's role and post keys; most sheets give every user the same
    wanted = {"roles": list(map(tuple, map(attrgetter("roles_added"), inserts))),
              "posts": list(map(tuple, map(attrgetter("posts_added"), inserts)))}
    roles, posts = (sorted(set().union(*set(wanted[kind]))) for kind in ("roles", "posts"))
    for keys, table in ((roles, profile.roles), (posts, profile.posts)):
        if keys and table is None:  # refused as the staged path refuses it
            raise UsageError(phrase("users.target_no_posts", target=profile.name, post=keys[0]))
    first = reserved.take(len(inserts))
    ids = list(map(str, range(first, first + len(inserts))))
    cells = StageCells(inserts, fields, hashes, salts if salted else None, False)
    texts = cells.texts()  # the key, each field, the hash, the salt
    secret = texts[1 + len(fields):]
    constant = new_user_constants(users)
    stamp = [users.mark.created_at] if users.mark.created_at else []
    fixed = [*constant, users.mark.created_by, *stamp]
    tail = "\t".join([*map(escaped, map(str, constant.values())), escaped(mark),
                      *(escaped(reserved.now) for _ in stamp)])
    secret_names = [users.password.column, *([salt_column] if salted and salt_column else [])]
    shapes: dict[tuple[str, ...], int] = {}
    row_shapes: list[str] = []
    if any(None in column for column in cells.raw[1:1 + len(fields)]):
        row_shapes, _, _ = cells.shapes(shapes, False)
    else:  # every row fills every field: one shape, found without a look at each row
        shapes[tuple(fields)] = 0
    loads: list[tuple[str, bytes]] = []
    for filled, number in shapes.items():
        at = [i for i, s in enumerate(row_shapes) if s == str(number)] if len(shapes) > 1 else None
        columns = [ids, *(texts[1 + fields.index(f)] for f in filled), *secret]
        if at is not None:
            columns = [[column[i] for i in at] for column in columns]
        lines = map("\t".join, zip(*columns, repeat(tail, len(columns[0])), strict=True))
        names = [users.id.column, *(w.column(f) for f in filled), *secret_names, *fixed]
        loads.append((f"COPY {users.table} ({', '.join(names)}) FROM STDIN;", _text(lines)))
    for kind, keys, table in (("roles", roles, profile.roles), ("posts", posts, profile.posts)):
        if not keys or table is None:
            continue
        pairs = _links(ids, wanted[kind], reserved.roles if kind == "roles" else reserved.posts)
        if pairs:
            link = table.link
            loads.append((f"COPY {link.table} ({link.user}, {link.to}) FROM STDIN;", pairs.encode()))
    id_column, key_column = users.id.column, w.column(users.key)
    low, high = first, first + len(inserts) - 1
    cut, there = sql.text(INCOMPLETE), sql.text(ALREADY_THERE)
    after = [
        # Both checks read by the primary key: the batch's own range, and the rows outside the
        # import's ids. The planner's statistics do not know yet of the rows the import just
        # wrote, so it took them for few and scanned the whole table for the rows outside,
        # the import's own too, once a batch (bench/import: 0.11 s of a 100,000-row import).
        "SET LOCAL enable_seqscan = off;",
        # every row in, under its id (rows cut short never reach the COMMIT below them either)
        f"INSERT INTO {GUARD_TABLE} (k) SELECT {cut} FROM {users.table} WHERE {id_column} BETWEEN {low} AND {high} "
        f"HAVING COUNT(*) <> {len(inserts)};",
        f"INSERT INTO {GUARD_TABLE} (k) VALUES ({cut});",
        # no live user but the import's own has a key of the batch (the target changed since the plan)
        f"INSERT INTO {GUARD_TABLE} (k) SELECT {there} FROM {users.table} u WHERE (u.{id_column} < {reserved.first} "
        f"OR u.{id_column} > {reserved.last}) AND {w.user_live('u')} AND u.{key_column} IN "
        f"(SELECT n.{key_column} FROM {users.table} n WHERE n.{id_column} BETWEEN {low} AND {high});",
        f"INSERT INTO {GUARD_TABLE} (k) VALUES ({there});",
        "SET LOCAL enable_seqscan = DEFAULT;"]
    rest = [u for u in batch if u.action != "insert"]
    after += update_statements(w, rest, mark)
    after += links_by_key(w, rest)
    after.append(COMMIT)
    before = [f"SET temp_buffers = '{PG_TEMP_BUFFERS}';", *sql.begin,
              f"CREATE TEMP TABLE {GUARD_TABLE} (k VARCHAR(100) PRIMARY KEY) ON COMMIT DROP;"]
    (load, data), *more = loads
    return Staged(before, load, data, after, len(inserts), tuple(more))


def _links(ids: list[str], wanted: list[tuple[str, ...]], found: dict[str, list[str]]) -> str:
    """COPY's rows of the links of the users `ids` to what their keys in `wanted` name (`found`:
    key → ids), made for all the users wanting the same keys at once: a line at a time, the
    links of 100,000 users took 0.1 s (bench/import)."""
    if len(set(wanted)) == 1:
        groups = {wanted[0]: ids}
    else:
        groups = {}
        for user, keys in zip(ids, wanted, strict=True):
            groups.setdefault(keys, []).append(user)
    lines = []
    for keys, users in groups.items():
        # a key named twice (a mapping's default and a rule) links once, as the stage's bit does
        for number in dict.fromkeys(number for key in keys for number in found.get(key, ())):
            lines.append("".join(map(str.__add__, users, repeat(f"\t{number}\n", len(users)))))
    return "".join(lines)


def _text(lines: Any) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")
