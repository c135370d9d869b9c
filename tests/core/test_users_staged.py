"""The bulk-loader batch as text: the sheet's values only in the loader's data, escaped by its
rules; the statements through the profile (the databases themselves: test_users_import_staged)."""

from __future__ import annotations

import pytest

from launchpad.users.plan import PlannedUser
from launchpad.users.profile import TargetProfile, bundled_profile
from launchpad.users.stage_rows import NULL, escaped
from launchpad.users.staged import INCOMPLETE, Staged, can_stage, stage_full, staged_batch
from launchpad.users.state import UNIT
from launchpad.users.target import SqlText, refused_local_load

RUOYI = bundled_profile("ruoyi")


def user(key: str, nick: str, **more: str) -> PlannedUser:
    return PlannedUser(key, "insert", "名单", 2, "某某局", {"user_name": key, "nick_name": nick, UNIT: "101", **more},
                       roles_added=["common"], posts_added=["kz"])


@pytest.mark.parametrize("engine", ["mariadb", "postgresql"])
def test_values_travel_only_as_escaped_data(engine: str) -> None:
    nasty = "x');DROP TABLE sys_user;--\t\\N\n\r"
    staged = staged_batch(SqlText(engine), [user("a1", nasty), user("b2", "乙", email="b@x.cn")],
                          {"a1": "$2a$04$h1", "b2": "$2a$04$h2"}, "import:7", RUOYI)
    statements = " ".join([*staged.before, staged.load, *staged.after])
    assert "DROP TABLE" not in statements and "a1" not in statements and "乙" not in statements
    rows = staged.data.decode().split("\n")
    # one row per user (its role and post travel as bits), then the closing row
    assert rows[-1] == "" and len(rows) == 1 + 2 + 1
    assert "x');DROP TABLE sys_user;--\\t\\\\N\\n\\r" in rows[0].split("\t")
    assert rows[0].split("\t").count(NULL) == 1  # the e-mail the first user has not
    assert loaded(staged)["rm0"] == ["1", "1"] and loaded(staged)["pm0"] == ["1", "1"]
    assert staged.after[-1] == "COMMIT;"
    # two sets of filled columns (with and without e-mail): two INSERT … SELECT (on PostgreSQL each
    # twice: read back or not, as the table has triggers); the role's links one statement from
    # the stage (PostgreSQL's stage holds the ids: no RETURNING to match by key)
    assert sum(s.count("INSERT INTO sys_user (") for s in staged.after) == (2 if engine == "mariadb" else 4)
    assert sum(s.count("INSERT INTO sys_user_role") for s in staged.after) == 1
    assert all(" JOIN sys_user u ON u.user_name = s.k" not in s for s in staged.after if "sys_user_role" in s)


def loaded(staged: Staged) -> dict[str, list[str]]:
    """The staged rows by the loader's column names."""
    names = staged.load[staged.load.index("(") + 1:staged.load.index(")")].split(", ")
    rows = [line.split("\t") for line in staged.data.decode().splitlines()][:-1]  # not the closing row
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


def test_roles_and_posts_are_bits_of_the_users_row_62_to_a_column() -> None:
    many = [f"r{i:02d}" for i in range(70)]
    first = PlannedUser("a1", "insert", "名单", 2, "某某局", {"user_name": "a1", UNIT: "101"},
                        roles_added=["r00", "r61", "r62"], posts_added=[])
    second = PlannedUser("b2", "insert", "名单", 3, "某某局", {"user_name": "b2", UNIT: "101"},
                         roles_added=many, posts_added=["kz"])
    staged = staged_batch(SqlText("mariadb"), [first, second], {"a1": "h", "b2": "h"}, "import:1", RUOYI)
    columns = loaded(staged)
    assert columns["rm0"] == [str(1 | 1 << 61), str((1 << 62) - 1)]
    assert columns["rm1"] == ["1", str(sum(1 << i for i in range(8)))]  # r62 … r69
    assert columns["pm0"] == [NULL, "1"]
    links = [s for s in staged.after if s.startswith("INSERT INTO sys_user_role")]
    assert len(links) == 70 and "(s.rm1 & 128) <> 0" in links[69] and "(s.rm0 & 1) <> 0" in links[0]


def test_rows_with_the_same_roles_share_their_bits_and_a_key_holding_the_separator_is_still_told_apart() -> None:
    def one(key: str, roles: list[str], posts: list[str]) -> PlannedUser:
        return PlannedUser(key, "insert", "名单", 2, "某某局", {"user_name": key, UNIT: "101"},
                           roles_added=roles, posts_added=posts)

    usual = staged_batch(SqlText("postgresql"), [one("a1", ["x", "y"], []), one("b2", ["y"], ["p"]),
                                                 one("c3", ["x", "y"], []), one("d4", [], ["p"])],
                         {k: "h" for k in ("a1", "b2", "c3", "d4")}, "import:1", RUOYI)
    assert loaded(usual)["rm0"] == ["3", "2", "3", NULL] and loaded(usual)["pm0"] == [NULL, "1", NULL, "1"]
    # "x\x1fy" is one role key; joined with that separator, ["x", "y"] would read the same
    odd = staged_batch(SqlText("postgresql"), [one("a1", ["x", "y"], []), one("b2", ["x\x1fy"], [])],
                       {"a1": "h", "b2": "h"}, "import:1", RUOYI)
    assert loaded(odd)["rm0"] == ["5", "2"]  # sorted x, x\x1fy, y: bits 0, 1 and 2


def test_a_value_that_reads_as_null_is_escaped_even_in_a_plain_batch() -> None:
    staged = staged_batch(SqlText("mariadb"), [user("a1", "\\N"), user("b2", "乙")], {"a1": "h", "b2": "h"},
                          "import:1", RUOYI)
    assert loaded(staged)["f1"] == ["\\\\N", "乙"]  # escaped: the loader reads a bare \\N as NULL


def test_a_batch_without_special_characters_is_sent_as_it_is_else_every_value_is_escaped() -> None:
    plain = staged_batch(SqlText("postgresql"), [user("a1", "甲"), user("b2", "乙")], {"a1": "h", "b2": "h"},
                         "import:1", RUOYI)
    assert loaded(plain)["f1"] == ["甲", "乙"]
    tricky = staged_batch(SqlText("postgresql"), [user("a1", "甲\\乙"), user("b2", "C:\\x")],
                          {"a1": "h", "b2": "h"}, "import:1", RUOYI)
    assert loaded(tricky)["f1"] == ["甲\\\\乙", "C:\\\\x"]
    hashed = staged_batch(SqlText("postgresql"), [user("a1", "甲")], {"a1": "h\\1"}, "import:1", RUOYI)
    assert loaded(hashed)["pw"] == ["h\\\\1"]


def test_escaping_is_the_loaders_text_format() -> None:
    assert escaped(None) == "\\N"
    assert escaped("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"
    assert escaped("\\N") == "\\\\N"  # a literal \N stays text, not NULL


def test_postgresql_analyses_the_stage_and_mariadb_types_the_key_as_the_users() -> None:
    pg = staged_batch(SqlText("postgresql"), [user("a1", "甲")], {"a1": "h"}, "import:1", RUOYI)
    assert "ANALYZE launchpad_stage (k, shape);" in pg.after and pg.load.startswith("COPY launchpad_stage (")
    # every batch of the import's one session asks for the same room, before its first temporary table
    assert pg.before[0] == "SET temp_buffers = '256MB';" and pg.before[1] == "BEGIN;"
    assert pg.load.endswith(" FROM STDIN;")
    assert not any(s.startswith("CREATE INDEX") for s in pg.after)  # the planner hashes the stage
    maria = staged_batch(SqlText("mariadb"), [user("a1", "甲")], {"a1": "h"}, "import:1", RUOYI)
    # k is the key column itself (its collation, so the join uses the stage's index), cut to the longest key
    assert any("SELECT LEFT(user_name, 2) AS k FROM sys_user WHERE 1 = 0" in s for s in maria.before)
    assert any("PRIMARY KEY USING BTREE (n)" in s for s in maria.before)  # read in the order the merge reads
    assert maria.load.startswith("LOAD DATA LOCAL INFILE 'launchpad-rows' INTO TABLE launchpad_stage")


def test_ids_by_the_profiles_rule() -> None:
    def profile(generate: str) -> TargetProfile:
        data = RUOYI.model_dump()
        data["users"]["id"] = {"column": "user_id", "generate": generate,
                               **({"sequence": "seq_user"} if generate == "sequence" else {})}
        return TargetProfile.model_validate(data)

    batch = [user("a1", "甲"), user("b2", "乙")]
    made = staged_batch(SqlText("postgresql"), batch, {"a1": "h", "b2": "h"}, "import:1", profile("uuid"))
    ids = loaded(made)["new_id"]
    assert len(set(ids)) == 2 and all(len(i) == 36 for i in ids)
    assert any("s.new_id" in s for s in made.after)
    made = staged_batch(SqlText("postgresql"), batch, {"a1": "h", "b2": "h"}, "import:1", profile("sequence"))
    # the stage takes each row's id from the sequence as it loads; the insert gives it
    assert "new_id BIGINT DEFAULT nextval('seq_user')" in " ".join(made.before)
    assert any(s.startswith("WITH launchpad_new AS (INSERT INTO sys_user (user_id, ") and "SELECT s.new_id, " in s
               for s in made.after)
    made = staged_batch(SqlText("postgresql"), batch, {"a1": "h", "b2": "h"}, "import:1", RUOYI)
    assert "pg_get_serial_sequence(" in " ".join(made.before)  # the identity's own sequence, found on the host
    assert any("OVERRIDING SYSTEM VALUE SELECT s.new_id, " in s for s in made.after)
    made = staged_batch(SqlText("mariadb"), batch, {"a1": "h", "b2": "h"}, "import:1", profile("max_plus_one"))
    assert any("@launchpad_id_base + s.n" in s for s in made.after)
    assert not can_stage(SqlText("mariadb"), profile("sequence"))
    assert not can_stage(SqlText("sqlite"), RUOYI) and can_stage(SqlText("postgresql"), RUOYI)
    assert not can_stage(SqlText("mysql"), RUOYI) and can_stage(SqlText("mariadb"), RUOYI)  # as the session's bulk


@pytest.mark.parametrize("engine", ["mariadb", "postgresql"])
def test_the_rows_end_with_a_closing_row_the_first_statement_after_the_load_checks(engine: str) -> None:
    staged = staged_batch(SqlText(engine), [user("a1", "甲"), user("b2", "乙")], {"a1": "h", "b2": "h"}, "import:1",
                          RUOYI)
    closing = staged.data.decode().splitlines()[-1].split("\t")
    assert closing[:3] == ["3", "-1", ""] and set(closing[3:]) == {NULL}  # numbered one past the rows
    assert staged.rows == 2
    check, stop = staged.after[:2]
    assert check.startswith("INSERT INTO launchpad_guard (k) SELECT ") and check.endswith(
        "FROM launchpad_stage HAVING COUNT(*) <> 3 OR MAX(n) <> 3;")
    assert stop.startswith("INSERT INTO launchpad_guard (k) VALUES (")
    assert SqlText(engine).text(INCOMPLETE) in check and SqlText(engine).text(INCOMPLETE) in stop
    assert all("shape = -1" not in s for s in staged.after)  # no statement writes the closing row
    assert any("AND s.shape >= 0" in s for s in staged.after if "JOIN launchpad_stage s" in s)  # nor guards it


def stage_of(batch: list[PlannedUser]) -> str:
    staged = staged_batch(SqlText("mariadb"), batch, {u.key: "$2a$04$" + "h" * 53 for u in batch}, "import:1", RUOYI)
    [create] = [s for s in staged.before if "CREATE TEMPORARY TABLE launchpad_stage" in s]
    return create


def test_mariadb_keeps_a_small_stage_in_memory_each_column_as_wide_as_its_longest_value() -> None:
    """Widths in characters, as MariaDB counts them (a CJK or astral character is one): the
    loader would cut a longer value with only a warning."""
    create = stage_of([user("a1", "甲"), user("b22", "𠮷野家🙂", email="b@x.cn")])
    assert "ENGINE=MEMORY" in create and "LONGTEXT" not in create
    assert "f1 VARCHAR(4) CHARACTER SET utf8mb4" in create  # nick_name: 𠮷野家🙂
    assert "f2 VARCHAR(6) CHARACTER SET utf8mb4" in create  # e-mail
    assert "f3 BIGINT" in create  # the unit, a number
    assert "pw VARCHAR(60) CHARACTER SET utf8mb4" in create
    assert "LEFT(user_name, 3)" in create
    assert "KEY USING HASH (k)" in create


@pytest.mark.parametrize(("rows", "remark"), [
    (1, 1025),  # one long value would make every row that wide
    (15_000, 1000),  # rows past the budget
], ids=["a long value", "a large batch"])
def test_mariadb_stages_a_wide_or_large_batch_in_innodb(rows: int, remark: int) -> None:
    create = stage_of([user(f"u{i}", "甲" * 30, remark="长" * remark) for i in range(rows)])
    assert "ENGINE=MEMORY" not in create and "max_heap_table_size" not in create
    assert "LONGTEXT CHARACTER SET utf8mb4" in create and "SELECT user_name AS k" in create


# What MariaDB's client prints for a failed load, as the stream says it: the statement it ran
# (always naming LOCAL INFILE), then the error.
ECHOED = ("app1: the bulk load failed: LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE launchpad_stage CHARACTER SET "
          "utf8mb4 (n, shape, k) / -------------- / ")


@pytest.mark.parametrize(("error", "refused", "full"), [
    ("ERROR 4166 (HY000) at line 1: Loading local data is disabled; this must be enabled on both the client and "
     "server sides", True, False),
    ("ERROR 1148 (42000) at line 1: The used command is not allowed with this MariaDB version", True, False),
    ("ERROR 3948 (42000) at line 1: 加载本地数据已禁用", True, False),
    ("ERROR 1114 (HY000) at line 1: The table 'launchpad_stage' is full", False, True),
    ("ERROR 1114 (HY000) at line 1: 表 'launchpad_stage' 已满", False, True),
    ("ERROR 1114 (HY000) at line 1: The table 'sys_user' is full", False, False),
    ("ERROR 1366 (22007) at line 1: Incorrect string value for column `f1` at row 2", False, False),
    ("ERROR 2013 (HY000) at line 1: Lost connection to server during query", False, False),
])
def test_a_failed_load_is_told_by_its_error_number_not_by_the_statement_the_client_repeats(
        error: str, refused: bool, full: bool) -> None:
    assert refused_local_load(ECHOED + error) is refused
    assert stage_full(ECHOED + error) is full


def test_mariadbs_guard_skips_the_span_of_the_imports_own_ids_which_only_ranked_shapes_give() -> None:
    def statements(engine: str, batch: list[PlannedUser]) -> list[str]:
        return staged_batch(SqlText(engine), batch, {u.key: "h" for u in batch}, "import:1", RUOYI).after

    one_shape = statements("mariadb", [user("a1", "甲"), user("b2", "乙")])
    [guard] = [s for s in one_shape if s.startswith("INSERT INTO launchpad_guard") and "JOIN launchpad_stage s" in s]
    assert guard.endswith("(@launchpad_ours_hi IS NULL OR u.user_id < @launchpad_ours_lo "
                          "OR u.user_id > @launchpad_ours_hi);")
    [span] = [s for s in one_shape if s.startswith("SET @launchpad_ours_lo")]
    assert "@launchpad_ranked0 AND @@auto_increment_increment = 1" in span and "@launchpad_first0 + 1, NULL);" in span
    # joined to the span before when no row lies between (InnoDB leaves reserved ids unused)
    assert ("@launchpad_ours_hi IS NOT NULL AND @launchpad_first0 > @launchpad_ours_hi AND (SELECT COUNT(*) FROM "
            "sys_user g WHERE g.user_id > @launchpad_ours_hi AND g.user_id < @launchpad_first0) = 0") in span
    two_shapes = statements("mariadb", [user("a1", "甲"), user("b2", "乙", email="b@x.cn")])
    [span] = [s for s in two_shapes if s.startswith("SET @launchpad_ours_lo")]
    # a span when no row lies between the first shape's ids and the second's
    assert "@launchpad_ranked0 AND @launchpad_ranked1 AND @@auto_increment_increment = 1 AND " \
           "(@launchpad_first1 > @launchpad_first0 + 0 AND (SELECT COUNT(*) FROM sys_user g WHERE " \
           "g.user_id > @launchpad_first0 + 0 AND g.user_id < @launchpad_first1) = 0)" in span
    assert span.endswith("@launchpad_first1 + 0, NULL);")
    assert not any("@launchpad_ours" in s for s in statements("postgresql", [user("a1", "甲")]))
