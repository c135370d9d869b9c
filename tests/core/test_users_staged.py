"""The bulk-loader batch as text: the sheet's values only in the loader's data, escaped by its
rules; the statements through the profile (the databases themselves: test_users_import_staged)."""

from __future__ import annotations

import pytest

from launchpad.users.plan import PlannedUser
from launchpad.users.profile import TargetProfile, bundled_profile
from launchpad.users.staged import NULL, can_stage, escaped, staged_batch
from launchpad.users.state import UNIT
from launchpad.users.target import SqlText

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
    assert rows[-1] == "" and len(rows) == 1 + 2 * 3  # each user: a row, a role link, a post link
    assert "x');DROP TABLE sys_user;--\\t\\\\N\\n\\r" in rows[0].split("\t")
    assert rows[0].split("\t").count(NULL) == 2  # the link column, and the e-mail the first user has not
    assert staged.after[-1] == "COMMIT;"
    # two sets of filled columns (with and without e-mail): two INSERT … SELECT
    assert sum(s.startswith("INSERT INTO sys_user (") for s in staged.after) == 2
    assert sum(s.startswith("INSERT INTO sys_user_role") for s in staged.after) == 1


def test_escaping_is_the_loaders_text_format() -> None:
    assert escaped(None) == "\\N"
    assert escaped("a\\b\tc\nd\re") == "a\\\\b\\tc\\nd\\re"
    assert escaped("\\N") == "\\\\N"  # a literal \N stays text, not NULL


def test_postgresql_analyses_the_stage_and_mariadb_types_the_key_as_the_users() -> None:
    pg = staged_batch(SqlText("postgresql"), [user("a1", "甲")], {"a1": "h"}, "import:1", RUOYI)
    assert "ANALYZE launchpad_stage;" in pg.after and pg.load.startswith("\\copy launchpad_stage (")
    maria = staged_batch(SqlText("mariadb"), [user("a1", "甲")], {"a1": "h"}, "import:1", RUOYI)
    assert any("SELECT user_name AS k FROM sys_user WHERE 1 = 0" in s for s in maria.before)
    assert maria.load.startswith("LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE launchpad_stage")


def test_ids_by_the_profiles_rule() -> None:
    def profile(generate: str) -> TargetProfile:
        data = RUOYI.model_dump()
        data["users"]["id"] = {"column": "user_id", "generate": generate,
                               **({"sequence": "seq_user"} if generate == "sequence" else {})}
        return TargetProfile.model_validate(data)

    batch = [user("a1", "甲"), user("b2", "乙")]
    made = staged_batch(SqlText("postgresql"), batch, {"a1": "h", "b2": "h"}, "import:1", profile("uuid"))
    ids = [line.split("\t")[-1] for line in made.data.decode().split("\n") if line.startswith("u\t")]
    assert len(set(ids)) == 2 and all(len(i) == 36 for i in ids)
    assert any("s.new_id" in s for s in made.after)
    made = staged_batch(SqlText("postgresql"), batch, {"a1": "h", "b2": "h"}, "import:1", profile("sequence"))
    assert any("nextval('seq_user')" in s for s in made.after)
    made = staged_batch(SqlText("mariadb"), batch, {"a1": "h", "b2": "h"}, "import:1", profile("max_plus_one"))
    assert any("@launchpad_id_base + s.n" in s for s in made.after)
    assert not can_stage(SqlText("mariadb"), profile("sequence"))
    assert not can_stage(SqlText("sqlite"), RUOYI) and can_stage(SqlText("postgresql"), RUOYI)
