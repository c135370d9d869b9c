"""A batch through the database's own bulk loader (MariaDB's `LOAD DATA LOCAL INFILE`,
PostgreSQL's `COPY … FROM STDIN`): the batch's new users travel as data in the loader's text format, escaped by the
loader's own rules (so no byte of a value is SQL or a delimiter), into a temporary table; then
a handful of set-wise statements write them, written through the target's profile exactly as
`writes.apply_script` writes them: the same "already in the target" guard, the same import
mark and constants, the role and post links one statement per role or post key (not one per
user), each new user taken by its id, never by joining the users table on its key, which
RuoYi does not index (such a join read the whole table once per key and batch, so the import
slowed as the table grew). The batch's updates follow in the same transaction, so
the whole batch is one run of the database's client on the host (`stream.py` sends them all
through one command).

The rows end with one more line, numbered one past the batch: the first statement after the
load counts the rows and finds that line whole, or stops the batch — so rows cut short on their
way (a stream that ended early) never reach a commit.

On PostgreSQL, a target that allows it takes no stage at all: the new users and their links go
by `COPY` straight into their tables under ids reserved for the import (direct.py).

SQLite has no such loader and keeps the script path; so does a server that refuses loading
from the client (`local_infile = OFF`): the caller falls back to the script for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.users.profile import TargetProfile
from launchpad.users.stage_rows import MASK_BITS, NULL, StageCells
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
    new_user_constants,
    update_statements,
)

STAGE_TABLE = "launchpad_stage"
# MariaDB's LOAD DATA reads a batch's rows from this named pipe, in the folder its client runs in
# (the import's command's private folder, stream.py).
ROWS_PIPE = "launchpad-rows"
# A batch's last statement (its mark aside): PostgreSQL's batches may be sent ahead of it (stream.py)
COMMIT = "COMMIT;"
# What the completeness check makes the guard table say when the rows arrived cut short.
INCOMPLETE = "the-rows-of-this-batch-arrived-incomplete"
# What MariaDB's merge makes it say when a new user's id could not be found to link its roles.
IDS_UNFOUND = "the-ids-of-new-users-of-this-batch-were-not-found"
# What PostgreSQL's stage raises when the users' id column has no default to take new ids from.
NO_ID_DEFAULT = "the-users-id-column-has-no-default-to-number-new-users"
# MariaDB's session variables for the span of ids that hold only this import's new users, given
# by its earlier batches in the session (the import's one session, stream.py): NULL until known.
SPAN_LO, SPAN_HI = "@launchpad_ours_lo", "@launchpad_ours_hi"
# The closing line's shape: no set of filled columns has it, so no statement writes it.
CLOSING_SHAPE = -1
# MariaDB keeps a batch's stage in memory up to this size (see _mysql_stage): 10,000 rows of a
# dozen short columns take ≈ 6 MiB.
MEMORY_STAGE_BYTES = 48 << 20
# Its cap is the rows' size this many times (room for the indexes besides), and never below
# the server's own default of 16 MiB.
MEMORY_ROOM = 2
MEMORY_FLOOR = 16 << 20
MEMORY_TEXT_CHARS = 1024  # a longer value would make every row of the stage that wide
PG_TEMP_BUFFERS = "256MB"  # room for the largest batch's stage (apply.BULK_MOST rows), taken as used


@dataclass(frozen=True)
class Staged:
    """One batch for the bulk loader: statements before the load, the load itself (MariaDB's
    reads the client's stdin; PostgreSQL's `COPY … FROM STDIN` the rows that follow it in the
    script), the rows it reads (with the closing line), and the statements after (the
    completeness check first, the commit last)."""

    before: list[str]
    load: str
    data: bytes
    after: list[str]
    rows: int = 0  # the batch's new users, without the closing line
    # PostgreSQL: more loads after the first, each a `COPY … FROM STDIN` and its rows (direct.py)
    more: tuple[tuple[str, bytes], ...] = ()


def can_stage(sql: SqlText, profile: TargetProfile) -> bool:
    """The engines whose loader the import drives, as the session's `bulk` says (MySQL 8
    refuses loading from the client by default, so MySQL gets the script); a sequence id on
    MariaDB is left to the script (NEXTVAL inside INSERT … SELECT reads one value per
    statement there)."""
    if sql.engine not in ("mariadb", "postgresql"):
        return False
    return not (sql.mysql and profile.users.id.generate == "sequence")


def stage_full(message: str) -> bool:
    """MariaDB's error for the stage past its cap in memory, in any language the server speaks
    (`ERROR 1114 (HY000) … The table 'launchpad_stage' is full`)."""
    # the number and the table on one of the client's lines, which the stream's message joins with " / "
    return re.search(rf"ERROR 1114 \(\w+\)[^/]*{STAGE_TABLE}", message) is not None


def staged_batch(sql: SqlText, batch: list[Any], hashes: dict[str, str], mark: str, profile: TargetProfile,
                 salts: dict[str, str] | None = None, salt_column: str | None = None) -> Staged:
    """The batch's inserts staged and merged; its updates and their links as in the script."""
    w = Writer(sql, profile)
    users = w.users
    inserts = [u for u in batch if u.action == "insert"]
    fields = [f for f in (*users.fields, UNIT) if any(f in u.values for u in inserts)]
    salted = bool(salts and salt_column)
    own_uuid = users.id.generate == "uuid"
    roles = sorted({r for u in inserts for r in u.roles_added})
    posts = sorted({p for u in inserts for p in u.posts_added})
    role_bit = {r: i for i, r in enumerate(roles)}
    post_bit = {p: i for i, p in enumerate(posts)}
    masks = [f"rm{g}" for g in range(-(-len(roles) // MASK_BITS))] + \
        [f"pm{g}" for g in range(-(-len(posts) // MASK_BITS))]
    shapes: dict[tuple[str, ...], int] = {}  # the fields a row fills: the others keep their DEFAULT
    # MariaDB gives an INSERT … SELECT's rows consecutive auto-increment ids in the order it
    # inserts them: a row's rank among its shape's rows finds its id (see _merge).
    ranked = sql.mysql and users.id.generate == "auto_increment"
    cells = StageCells(inserts, fields, hashes, salts if salted else None, own_uuid)
    numeric_unit = UNIT in fields and all(unit.lstrip("-").isdigit() for unit in cells.distinct(UNIT))
    row_shapes, row_ranks, ranks = cells.shapes(shapes, ranked)
    row_masks = cells.masks(role_bit, post_bit, len(roles), len(posts)) if masks else []
    # The rows are put together a column at a time, and each line by one join in C.
    by_column = [list(map(str, range(1, len(inserts) + 1))), row_shapes, *cells.texts(), *row_masks,
                 *([list(map(str, row_ranks))] if ranked else [])]
    lines = list(map("\t".join, zip(*by_column, strict=True)))
    value_columns = [f"f{i}" for i in range(len(fields))] + ["pw"] + (["salt"] if salted else []) + \
        (["new_id"] if own_uuid else [])
    columns = ["n", "shape", "k", *value_columns, *masks, *(["r"] if ranked else [])]
    unit_at = fields.index(UNIT) if UNIT in fields else -1
    key_column = w.column(users.key)
    begin = list(sql.begin)
    if sql.mysql:
        texts = dict(zip(value_columns, cells.widths(), strict=True))
        if unit_at >= 0 and numeric_unit:
            del texts[value_columns[unit_at]]
        # One session loads every batch of the import (stream.py): the batch before's tables go first.
        before = [f"DROP TEMPORARY TABLE IF EXISTS {GUARD_TABLE}, {STAGE_TABLE};", *begin,
                  f"CREATE TEMPORARY TABLE {GUARD_TABLE} (k VARCHAR(100) PRIMARY KEY);",
                  *_mysql_stage(w, value_columns, texts, masks, ranked,
                                max(map(len, cells.keys), default=0), len(lines) + 1)]
        load = (f"LOAD DATA LOCAL INFILE '{ROWS_PIPE}' INTO TABLE {STAGE_TABLE} CHARACTER SET utf8mb4 "
                f"FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ({', '.join(columns)});")
        prepare: list[str] = []
    else:
        typed = ", ".join([*(f"{c} BIGINT" if i == unit_at and numeric_unit else f"{c} TEXT"
                             for i, c in enumerate(value_columns)), *(f"{m} BIGINT" for m in masks)])
        # A stage past the session's temporary buffers (8 MB by default) is written out to disk
        # as it loads (bench/import: a batch of 40,000 loaded in 0.25 s instead of 0.05). The value
        # can be set only before the session's first temporary table, and then only to itself:
        # every batch of the import's one session sets the same.
        before = [f"SET temp_buffers = '{PG_TEMP_BUFFERS}';", *begin,
                  f"CREATE TEMP TABLE {GUARD_TABLE} (k VARCHAR(100) PRIMARY KEY) ON COMMIT DROP;",
                  _pg_stage(w, f"n INT, shape INT, k TEXT, {typed}")]
        load = f"COPY {STAGE_TABLE} ({', '.join(columns)}) FROM STDIN;"
        # A temporary table has no statistics until it is analysed: without them the planner
        # joins 10,000 staged keys against the users row by row. The key's statistics are enough
        # for it to hash the stage; an index on it, or the other columns' statistics, cost more
        # than they save (bench/import: 0.15 s a batch against 0.03 s).
        # A sample of 3,000 rows (statistics target 10) tells it as much as the default 30,000:
        # every key is distinct and there are a few shapes.
        prepare = [f"ALTER TABLE {STAGE_TABLE} ALTER COLUMN k SET STATISTICS 10, "
                   f"ALTER COLUMN shape SET STATISTICS 10;", f"ANALYZE {STAGE_TABLE} (k, shape);"]
    there = sql.text(ALREADY_THERE)
    closing = len(inserts) + 1
    # RuoYi does not index the key, so the guard reads the whole users table; on MariaDB not the
    # ids the import's earlier batches gave its own users in this session (_mysql_merge): read
    # again each batch, they made the guard grow with the import (0.12–0.17 s at 100,000 rows).
    not_ours = f" AND ({SPAN_HI} IS NULL OR u.{users.id.column} < {SPAN_LO} OR u.{users.id.column} > {SPAN_HI})" \
        if ranked else ""
    after = [*_complete(sql, closing), *prepare,
             f"INSERT INTO {GUARD_TABLE} (k) SELECT {there} FROM {users.table} u JOIN {STAGE_TABLE} s "
             f"ON u.{key_column} = s.k WHERE {w.user_live('u')} AND s.shape >= 0{not_ours};",
             f"INSERT INTO {GUARD_TABLE} (k) VALUES ({there});",
             *id_base(w)]
    links = _links(w, roles, posts)
    inserts_sql = _inserts(w, shapes, fields, salt_column if salted else None, mark)
    if sql.mysql:
        after += _mysql_merge(w, inserts_sql, links, mark,
                              {int(shape): count for shape, count in ranks.items()} if ranked else None)
    else:
        after += _pg_merge(w, inserts_sql, links)
    rest = [u for u in batch if u.action != "insert"]
    after += update_statements(w, rest, mark)
    after += links_by_key(w, rest)
    after.append(COMMIT)
    lines.append("\t".join([str(closing), str(CLOSING_SHAPE), "", *[NULL] * (len(columns) - 3)]))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    return Staged(before, load, data, after, len(inserts))


def _mysql_stage(w: Writer, value_columns: list[str], texts: dict[str, int], masks: list[str], ranked: bool,
                 key_width: int, rows: int) -> list[str]:
    """MariaDB's stage. In memory (the MEMORY engine: no pages, no undo) when its rows fit
    MEMORY_STAGE_BYTES; each text column then as wide as its longest value in this batch, so no
    value is cut (the loader would cut it with only a warning), and k as the key column itself,
    cut to the longest key, keeping the column's collation so comparing them uses the stage's
    index. Otherwise InnoDB with LONGTEXT columns. n is the key the rows are read in, so the
    merge's ORDER BY n does not sort (bench/import: 0.35 s a batch down to 0.09 s)."""
    key_column, table = w.column(w.users.key), w.users.table
    # A MEMORY row is fixed-width: four bytes a character, two of length, per column.
    row_bytes = 64 + 8 * len(masks) + 4 * (key_width + 1) + sum(4 * max(width, 1) + 2 for width in texts.values())
    in_memory = max([key_width, *texts.values()]) <= MEMORY_TEXT_CHARS and rows * row_bytes <= MEMORY_STAGE_BYTES

    def text(width: int) -> str:
        return f"VARCHAR({max(width, 1)}) CHARACTER SET utf8mb4" if in_memory else "LONGTEXT CHARACTER SET utf8mb4"

    typed = ", ".join([*(f"{c} {text(texts[c])}" if c in texts else f"{c} BIGINT" for c in value_columns),
                       *(f"{m} BIGINT" for m in masks), *(["r INT", "uid BIGINT NULL"] if ranked else [])])
    if not in_memory:
        return [f"CREATE TEMPORARY TABLE {STAGE_TABLE} (n INT NOT NULL DEFAULT 0, shape INT, {typed}, "
                f"PRIMARY KEY (n), KEY (k)) SELECT {key_column} AS k FROM {table} WHERE 1 = 0;"]
    # The session's cap on a MEMORY table raised to hold the rows and their indexes. Should it
    # ever fall short, the batch fails whole and the import goes on with scripts (stage_full).
    cap = max(MEMORY_FLOOR, MEMORY_ROOM * rows * row_bytes)
    return [f"SET SESSION max_heap_table_size = {int(cap)};",
            f"CREATE TEMPORARY TABLE {STAGE_TABLE} (n INT NOT NULL DEFAULT 0, shape INT, {typed}, "
            f"PRIMARY KEY USING BTREE (n), KEY USING HASH (k)) ENGINE=MEMORY "
            f"SELECT LEFT({key_column}, {max(key_width, 1)}) AS k FROM {table} WHERE 1 = 0;"]


def _complete(sql: SqlText, closing: int) -> list[str]:
    """Stop the batch unless every row arrived: as many lines as were sent, the last (numbered
    `closing`, one past the rows) among them. A number cut short is smaller, so a stream cut
    anywhere before the closing line's number ended fails here; a duplicate key in the guard
    table stops the script as the guard does."""
    cut = sql.text(INCOMPLETE)
    return [f"INSERT INTO {GUARD_TABLE} (k) SELECT {cut} FROM {STAGE_TABLE} "
            f"HAVING COUNT(*) <> {int(closing)} OR MAX(n) <> {int(closing)};",
            f"INSERT INTO {GUARD_TABLE} (k) VALUES ({cut});"]


@dataclass(frozen=True)
class _Link:
    """The links a role or post key gives the staged rows whose bit for it is set."""

    table: Any  # the profile's link table
    picked: str  # the role's or post's id, from `source` aliased r
    source: str
    has: str  # the staged row (s) has the bit
    wanted: str  # r is the key, live


def _links(w: Writer, roles: list[str], posts: list[str]) -> list[_Link]:
    found = []
    for mask, keys, table in (("rm", roles, w.profile.roles), ("pm", posts, w.profile.posts)):
        for number, key in enumerate(keys):
            if table is None:
                raise UsageError(phrase("users.target_no_posts", target=w.profile.name, post=key))
            wanted = f"r.{table.key} = {w.sql.text(key)}"
            if mask == "rm":
                wanted += f" AND {w.live(w.profile.roles.soft_delete, w.profile.roles.tenant, 'r')}"
            has = f"(s.{mask}{number // MASK_BITS} & {1 << number % MASK_BITS}) <> 0"
            found.append(_Link(table.link, f"r.{table.id}", f"{table.table} r", has, wanted))
    return found


def _link_insert(link: _Link, user_id: str, rows: str, lowest_new: str | None = None) -> str:
    """`INSERT … SELECT` of the links from `rows` (which name the staged row s), the new user's
    id being `user_id`: no statement joins the users table on its key, which RuoYi does not
    index (each such join read the whole table, once per role and post key and batch).

    A link the table already holds is not written twice (a stale row naming a new user's id:
    RuoYi's primary key would stop the batch, a custom table without one would get a copy).
    Finding them is an anti-join that reads the whole link table, every batch, so the import
    slowed as the client's table grew. With `lowest_new`, the batch's lowest new id, one probe
    first asks whether the table names any user at or above it — no is the usual answer: new
    ids are above every id given out so far — and only when it does are the links written by
    the anti-join. Exact either way: every new id is at or above the lowest. The probe is the
    table's largest user id, read once per statement (a one-time filter): on RuoYi's primary
    key the last entry of its index, on a table without one a single scan."""
    target = link.table
    pairs = f"SELECT {user_id}, {link.picked} FROM {rows}, {link.source} WHERE {link.has} AND {link.wanted}"
    absent = (f"NOT EXISTS (SELECT 1 FROM {target.table} x WHERE x.{target.user} = {user_id} "
              f"AND x.{target.to} = {link.picked})")
    into = f"INSERT INTO {target.table} ({target.user}, {target.to}) "
    if lowest_new is None:
        return f"{into}{pairs} AND {absent}"
    # the largest id the table names (a backward step on RuoYi's primary key), below the lowest new
    clear = f"COALESCE((SELECT MAX(x.{target.user}) FROM {target.table} x) < {lowest_new}, TRUE)"
    return f"{into}{pairs} AND {clear} UNION ALL {pairs} AND NOT {clear} AND {absent}"


def _pg_stage(w: Writer, columns: str) -> str:
    """PostgreSQL's stage. Each new user's id is taken as its row is loaded, by the id column's
    own default (its identity's or serial's sequence, or the expression the column defaults to,
    in the column's own type): exact whoever else takes ids meanwhile, as a sequence gives a
    value once. So the insert gives every user its id, and its links are written straight from
    the stage, with no RETURNING to match back to the staged rows by key (bench/import: 0.1–0.15 s
    less at 100,000 rows). A UUID is made in Python and travels with the row; max+1 is the base
    read under the lock plus the row's number."""
    users = w.users
    generate = users.id.generate
    if generate == "sequence":
        return (f"CREATE TEMP TABLE {STAGE_TABLE} ({columns}, new_id BIGINT DEFAULT "
                f"nextval('{users.id.sequence}')) ON COMMIT DROP;")
    if generate != "auto_increment":
        return f"CREATE TEMP TABLE {STAGE_TABLE} ({columns}) ON COMMIT DROP;"
    table, column = w.sql.text(users.table), w.sql.text(users.id.column)
    # the column's default as PostgreSQL states it; none at all stops the batch, named (NO_ID_DEFAULT)
    return (f"DO $launchpad$ DECLARE made TEXT; kind TEXT; BEGIN "
            f"SELECT COALESCE('nextval(' || quote_literal(pg_get_serial_sequence({table}, {column})) || '::regclass)', "
            f"pg_get_expr(d.adbin, d.adrelid)), format_type(c.atttypid, c.atttypmod) INTO made, kind "
            f"FROM pg_attribute c LEFT JOIN pg_attrdef d ON d.adrelid = c.attrelid AND d.adnum = c.attnum "
            f"WHERE c.attrelid = {table}::regclass AND c.attname = {column}; "
            f"IF made IS NULL THEN RAISE EXCEPTION '{NO_ID_DEFAULT} {users.table}.{users.id.column}'; END IF; "
            f"EXECUTE 'CREATE TEMP TABLE {STAGE_TABLE} ({columns}, new_id ' || kind || ' DEFAULT ' || made "
            f"|| ') ON COMMIT DROP'; END $launchpad$;")


def _pg_merge(w: Writer, inserts: list[tuple[str, int]], links: list[_Link]) -> list[str]:
    """PostgreSQL: each shape's users inserted with the ids their staged rows were given, then
    the links straight from the stage. Where the users table has a trigger or a rule of the
    site's own, what the insert wrote is checked against what was staged — as many rows, the
    same ids, the same keys (sums of their hashes, one pass each, no join) — so a trigger that
    rewrote a login name or an id, or dropped a row, stops the batch as on MariaDB, rather than
    leave a user the import cannot find again by its key. Without one, the insert writes what it
    is given, and reading it back would cost a tenth or more of the merge (bench/import): each shape has
    both statements, and which one writes is decided on the host as it runs (a one-time filter)."""
    users = w.users
    key_column = w.column(users.key)
    unfound = w.sql.text(IDS_UNFOUND)
    new_id = _pg_new_id(w)
    table = f"{w.sql.text(users.table)}::regclass"
    rewritable = (f"(EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = {table} AND NOT t.tgisinternal) "
                  f"OR EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.ev_class = {table}))")

    def sums(id_of: str, key_of: str) -> str:
        return f"(COUNT(*), SUM(hashtext(({id_of})::text)), SUM(hashtext({key_of})))"

    statements = []
    for statement, shape in inserts:
        statements += [
            f"{statement} AND NOT {rewritable};",
            f"WITH launchpad_new AS ({statement} AND {rewritable} RETURNING {users.id.column}, {key_column}) "
            f"INSERT INTO {GUARD_TABLE} (k) SELECT {unfound} WHERE "
            f"(SELECT {sums(users.id.column, key_column)} FROM launchpad_new) IS DISTINCT FROM "
            f"(SELECT {sums(new_id, 's.k')} FROM {STAGE_TABLE} s WHERE s.shape = {int(shape)} AND {rewritable});"]
    statements.append(f"INSERT INTO {GUARD_TABLE} (k) VALUES ({unfound});")
    if links:
        # the lowest new id read once for every link statement (a UUID's order says nothing)
        lowest = None if users.id.generate == "uuid" else "(SELECT lowest FROM launchpad_lowest)"
        if lowest:
            statements.append(f"CREATE TEMP TABLE launchpad_lowest ON COMMIT DROP AS "
                              f"SELECT MIN({new_id}) AS lowest FROM {STAGE_TABLE} s WHERE s.shape >= 0;")
        statements += [f"{_link_insert(link, new_id, f'{STAGE_TABLE} s', lowest)};" for link in links]
    return statements


def _pg_new_id(w: Writer) -> str:
    """A staged row's new id on PostgreSQL, as the stage holds it or (max+1) makes it."""
    if w.users.id.generate == "max_plus_one":
        return f"(SELECT n FROM {BASE_TABLE}) + s.n"
    return "s.new_id"


def _mysql_merge(w: Writer, inserts: list[tuple[str, int]], links: list[_Link], mark: str,
                 ranked: dict[int, int] | None) -> list[str]:
    """MariaDB: each shape's users inserted, then their links from the staged rows. With
    auto-increment ids (`ranked`: each shape's row count), a shape's rows took consecutive ids
    from the statement's LAST_INSERT_ID(), in steps of auto_increment_increment, in the order
    inserted: when the shape's slots of ids hold rows with the import's mark, as many as the
    shape has, and its first and last rank find their keys there, the links take the ids so. A
    shape whose rows are not found so (another writer's ids in between, innodb_autoinc_lock_mode = 2)
    has its rows' ids looked up by key instead; a row still without an id stops the batch
    rather than leave a user without the links it was given."""
    users = w.users
    statements: list[str] = []
    if ranked is None:  # the ids are known before the insert: a UUID made here, or max+1
        own_uuid = users.id.generate == "uuid"
        new_id = "s.new_id" if own_uuid else f"@{BASE_TABLE} + s.n"
        statements += [f"{statement};" for statement, _ in inserts]
        lowest = None if own_uuid else f"@{BASE_TABLE} + 1"
        return statements + [f"{_link_insert(link, new_id, f'{STAGE_TABLE} s', lowest)};" for link in links]
    key_column, id_column = w.column(users.key), users.id.column
    made_by = f"u.{users.mark.created_by} = {w.sql.text(mark)}"
    step = "(s.r - 1) * @@auto_increment_increment"
    for statement, shape in inserts:
        count = int(ranked[shape])
        last = f"@launchpad_first{shape} + {count - 1} * @@auto_increment_increment"
        ends = "1" if count == 1 else f"1, {count}"
        statements += [
            f"{statement};",
            f"SET @launchpad_first{shape} = LAST_INSERT_ID();",
            # Ranked when the shape's slots of ids hold its rows and no other (a range of the
            # primary key, not a lookup a row): ids are given in the order inserted, so the range
            # holding all of them holds them in rank order. InnoDB's lock modes 0 and 1 hold the
            # table's AUTO-INC lock for the whole of an INSERT … SELECT, so its ids are
            # consecutive and the range need not be read; mode 2 (interleaved, Galera's) reads it.
            # The first and last row are checked by key besides, against an order not the stage's.
            f"SET @launchpad_ranked{shape} = ((@@innodb_autoinc_lock_mode < 2 OR (SELECT COUNT(*) "
            f"FROM {users.table} u WHERE u.{id_column} "
            f"BETWEEN @launchpad_first{shape} AND {last} AND {made_by}) = {count}) "
            f"AND (SELECT COUNT(*) FROM {STAGE_TABLE} s JOIN {users.table} u "
            f"ON u.{id_column} = @launchpad_first{shape} + {step} WHERE s.shape = {int(shape)} AND s.r IN ({ends}) "
            f"AND u.{key_column} = s.k AND {made_by}) = {min(count, 2)});"]
    shapes = [shape for _, shape in inserts]
    by_rank = "CASE s.shape " + " ".join(f"WHEN {int(x)} THEN @launchpad_first{x}" for x in shapes) + f" END + {step}"
    unranked = "CASE s.shape " + " ".join(f"WHEN {int(x)} THEN @launchpad_ranked{x}" for x in shapes) + " END = 0"
    unfound = w.sql.text(IDS_UNFOUND)
    statements += [
        f"SET @launchpad_unranked = {len(shapes)}" + "".join(f" - @launchpad_ranked{x}" for x in shapes) + ";",
        f"UPDATE {STAGE_TABLE} s JOIN {users.table} u ON u.{key_column} = s.k SET s.uid = u.{id_column} "
        f"WHERE @launchpad_unranked > 0 AND s.shape >= 0 AND {unranked} AND {made_by} AND {w.user_live('u')};",
        f"INSERT INTO {GUARD_TABLE} (k) SELECT {unfound} FROM {STAGE_TABLE} s WHERE @launchpad_unranked > 0 "
        f"AND s.shape >= 0 AND {unranked} AND s.uid IS NULL LIMIT 1;",
        f"INSERT INTO {GUARD_TABLE} (k) VALUES ({unfound});"]
    # Every id an INSERT … SELECT made is at or above its LAST_INSERT_ID(), ranked or found by key.
    firsts = [f"@launchpad_first{x}" for x in shapes]
    lowest = firsts[0] if len(firsts) == 1 else f"LEAST({', '.join(firsts)})"
    statements += [f"{_link_insert(link, f'COALESCE(s.uid, {by_rank})', f'{STAGE_TABLE} s', lowest)};"
                   for link in links]
    return [*statements, _our_span(w, shapes, ranked)]


def _our_span(w: Writer, shapes: list[int], ranked: dict[int, int]) -> str:
    """The span of ids holding only this import's new users, for the next batch's guard: the
    batch's ids when every shape's are ranked (consecutive, its own) and nothing lies between
    one shape's and the next's, joined to the span before when nothing lies between them
    either; else unknown (the next guard reads every user). Between two statements InnoDB
    leaves ids it reserved for the first and did not use (its AUTO-INC lock modes 1 and 2), so
    the ids do not follow on: that nothing lies in such a gap is read (a range of the primary
    key: a few ids), and no other writer is given one. Ids in steps of more than one (other
    servers' ids in between, as in a Galera cluster) are never a span."""
    table, id_column = w.users.table, w.users.id.column

    def nothing_between(low: str, high: str) -> str:
        return (f"{high} > {low} AND (SELECT COUNT(*) FROM {table} g WHERE g.{id_column} > {low} "
                f"AND g.{id_column} < {high}) = 0")

    firsts = [f"@launchpad_first{x}" for x in shapes]
    lasts = [f"{first} + {int(ranked[x]) - 1}" for first, x in zip(firsts, shapes, strict=True)]
    gaps = [f"({nothing_between(last, first)})" for last, first in zip(lasts, firsts[1:], strict=False)]
    ours = " AND ".join([*(f"@launchpad_ranked{x}" for x in shapes), "@@auto_increment_increment = 1", *gaps])
    joined = f"{SPAN_HI} IS NOT NULL AND {nothing_between(SPAN_HI, firsts[0])}"
    return (f"SET {SPAN_LO} = IF({ours}, IF({joined}, {SPAN_LO}, {firsts[0]}), NULL), "
            f"{SPAN_HI} = IF({ours}, {lasts[-1]}, NULL);")


def _inserts(w: Writer, shapes: dict[tuple[str, ...], int], fields: list[str], salt_column: str | None,
             mark: str) -> list[tuple[str, int]]:
    """Each shape's INSERT … SELECT (without its semicolon), and the shape."""
    sql, users = w.sql, w.users
    constant = new_user_constants(users)
    stamp = [users.mark.created_at] if users.mark.created_at else []
    generate = users.id.generate
    # PostgreSQL's stage holds each new user's id (_pg_stage); MariaDB's auto-increment numbers them
    own_id = [users.id.column] if generate != "auto_increment" or not sql.mysql else []
    overriding = " OVERRIDING SYSTEM VALUE" if generate == "auto_increment" and not sql.mysql else ""
    if not sql.mysql:
        new_id = _pg_new_id(w)
    elif generate == "uuid":
        new_id = "s.new_id"
    else:  # max_plus_one (a sequence on MariaDB is never staged: can_stage): the base read under the lock, plus
        new_id = f"@{BASE_TABLE} + s.n"  # the row's number in the batch
    # MariaDB's ranked ids follow the order inserted (its stage is read in n's order without a
    # sort); PostgreSQL's staged rows hold their ids, and the sort spilled to disk (a batch of
    # 33,750: its statement 232 ms with it, 159 without, bench/import): its rows go in as the
    # stage holds them.
    ordered = " ORDER BY s.n" if sql.mysql else ""
    statements = []
    for filled, number in shapes.items():
        names = ", ".join([*own_id, *(w.column(f) for f in filled), users.password.column,
                           *([salt_column] if salt_column else []), *constant, users.mark.created_by, *stamp])
        picked = ", ".join([*([new_id] if own_id else []), *(f"s.f{fields.index(f)}" for f in filled), "s.pw",
                            *(["s.salt"] if salt_column else []), *(constant_sql(v) for v in constant.values()),
                            sql.text(mark), *(sql.now for _ in stamp)])
        statements.append((f"INSERT INTO {users.table} ({names}){overriding} SELECT {picked} FROM {STAGE_TABLE} s "
                           f"WHERE s.shape = {int(number)}{ordered}", number))
    return statements
