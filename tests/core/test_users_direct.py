"""PostgreSQL's batch by COPY straight into the users and link tables, as text: the sheet's
values only in the data, escaped by the loader's rules, under the reserved ids; the reservation's
answer read back (the databases themselves: tests/integration/test_users_import_direct.py)."""

from __future__ import annotations

import json

import pytest

from launchpad.errors import UsageError
from launchpad.users.direct import SAID, Reserved, can_copy, direct_batch, prepare_script, reserved_from
from launchpad.users.plan import PlannedUser
from launchpad.users.profile import bundled_profile
from launchpad.users.state import UNIT
from launchpad.users.target import SqlText
from tests.core.test_users_staged import user

RUOYI = bundled_profile("ruoyi")
PG = SqlText("postgresql")


def reserved(first: int = 500, count: int = 10) -> Reserved:
    return Reserved(first, count, "2026-12-07 23:05:01.5+08", {"common": ["2"], "leader": ["3", "9"]},
                    {"kz": ["4"]})


def rows(data: bytes) -> list[list[str]]:
    return [line.split("\t") for line in data.decode().splitlines()]


def names(load: str) -> list[str]:
    return load[load.index("(") + 1:load.index(")")].split(", ")


def test_values_travel_only_as_escaped_data_under_the_reserved_ids() -> None:
    nasty = "x');DROP TABLE sys_user;--\t\\N\n\r"
    ids = reserved()
    ids.take(3)  # an earlier batch's
    staged = direct_batch(PG, [user("a1", nasty), user("b2", "乙", email="b@x.cn"), user("c3", "丙")],
                          {"a1": "$2a$04$h1", "b2": "$2a$04$h2", "c3": "$2a$04$h3"}, "import:7", RUOYI, ids)
    statements = " ".join([*staged.before, staged.load, *(load for load, _ in staged.more), *staged.after])
    assert "DROP TABLE" not in statements and "a1" not in statements and "乙" not in statements
    assert "$2a$" not in statements
    # two sets of filled columns (with and without e-mail): two COPYs into sys_user, then the links
    copies = [staged.load, *(load for load, _ in staged.more)]
    assert [c.split(" (")[0] for c in copies] == ["COPY sys_user"] * 2 + ["COPY sys_user_role", "COPY sys_user_post"]
    plain, mailed = (dict(zip(names(load), zip(*rows(data), strict=True), strict=True))
                     for load, data in [(staged.load, staged.data), staged.more[0]])
    assert plain["user_id"] == ("503", "505") and mailed["user_id"] == ("504",)
    assert plain["nick_name"] == ("x');DROP TABLE sys_user;--\\t\\\\N\\n\\r", "丙")
    assert plain["password"] == ("$2a$04$h1", "$2a$04$h3") and mailed["email"] == ("b@x.cn",)
    assert set(plain["create_by"]) == {"import:7"} and set(plain["create_time"]) == {"2026-12-07 23:05:01.5+08"}
    assert "email" not in plain  # left to its default, as the staged insert leaves it
    # every role id a key names (a key twice in the table: both), every user
    assert sorted(map(tuple, rows(staged.more[1][1]))) == sorted(
        (str(n), "2") for n in (503, 504, 505))
    assert sorted(map(tuple, rows(staged.more[2][1]))) == sorted((str(n), "4") for n in (503, 504, 505))
    # the checks name this batch's ids and the import's whole reservation
    assert any("BETWEEN 503 AND 505" in s and "HAVING COUNT(*) <> 3" in s for s in staged.after)
    assert any("u.user_id < 500 OR u.user_id > 509" in s for s in staged.after)
    assert staged.after[-1] == "COMMIT;" and ids.taken == 6


def test_a_role_the_target_does_not_have_gets_no_link_and_a_key_twice_gets_both() -> None:
    first = PlannedUser("a1", "insert", "名单", 2, "某某局", {"user_name": "a1", UNIT: "101"},
                        roles_added=["leader", "gone"], posts_added=[])
    staged = direct_batch(PG, [first], {"a1": "h"}, "import:1", RUOYI, reserved(1, 1))
    [(load, data)] = staged.more
    assert load.startswith("COPY sys_user_role") and sorted(map(tuple, rows(data))) == [("1", "3"), ("1", "9")]


def test_no_more_ids_than_reserved_are_handed_out() -> None:
    ids = reserved(10, 2)
    assert ids.take(1) == 10 and ids.take(1) == 11 and ids.last == 11
    with pytest.raises(ValueError):
        ids.take(1)


def test_a_post_on_a_target_without_posts_is_refused_as_the_stage_refuses_it() -> None:
    no_posts = RUOYI.model_copy(update={"posts": None})
    with pytest.raises(UsageError):
        direct_batch(PG, [user("a1", "甲")], {"a1": "h"}, "import:1", no_posts, reserved())


def test_the_answer_is_read_from_its_own_line_its_ids_escaped_as_data() -> None:
    answer = {"first": 42, "now": "2026-12-07 23:00:00.000000+08",
              "roles": [["common", "2"], ["leader", "3"], ["leader", "9"]], "posts": [["kz", "a\tb"]]}
    # as psql prints one row of one column: a header, the value set off by a space, a count
    got = reserved_from(f" ?column? \n----------\n {SAID} {json.dumps(answer, ensure_ascii=False)}\n(1 row)\n", 7)
    assert got is not None and (got.first, got.count, got.last) == (42, 7, 48)
    assert got.roles == {"common": ["2"], "leader": ["3", "9"]} and got.posts == {"kz": ["a\\tb"]}
    assert reserved_from(" ?column? \n----------\n(0 rows)\n", 7) is None  # not allowed: no answer, staged


def test_a_role_named_twice_links_once() -> None:
    twice = PlannedUser("a1", "insert", "名单", 2, "某某局", {"user_name": "a1", UNIT: "101"},
                        roles_added=["common", "common"], posts_added=[])
    staged = direct_batch(PG, [twice], {"a1": "h"}, "import:1", RUOYI, reserved(1, 1))
    [(_, data)] = staged.more
    assert rows(data) == [["1", "2"]]


def test_only_postgresql_with_ids_from_a_sequence_is_copied_directly() -> None:
    assert can_copy(PG, RUOYI) and not can_copy(SqlText("mariadb"), RUOYI)
    uuid_ids = RUOYI.model_copy(update={"users": RUOYI.users.model_copy(
        update={"id": RUOYI.users.id.model_copy(update={"generate": "uuid"})})})
    assert not can_copy(PG, uuid_ids)


def test_the_reservation_names_its_keys_only_as_literals() -> None:
    script = prepare_script(PG, RUOYI, 100, ["o'brien"], [])
    assert "o'brien" not in script and "6f27627269656e" in script  # its UTF-8, in hex
    assert "ALTER SEQUENCE %s INCREMENT BY 1" in script and "lock_timeout" in script
    assert "first + 99)" in script  # the sequence moved past the 100th id
    # one transaction: the answer is read before the COMMIT, where the ids were taken
    assert script.index("json_build_object") < script.rindex("COMMIT;")
