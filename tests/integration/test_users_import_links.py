"""How a bulk-loaded batch links its new users to their roles and posts, against real MariaDB
and PostgreSQL through a real sshd: no statement joins sys_user on its unindexed user_name;
MariaDB finds each new user's id by its rank among the rows its INSERT … SELECT wrote (the
shape's first and last rank checked against their keys and the import's mark), and by key when
the rank does not give it; a stale link row at a new user's id is neither written twice nor
stops the batch; a user whose id cannot be found (on either database) stops the batch instead
of going in without its links."""

from __future__ import annotations

from dataclasses import replace

import pytest

from launchpad.users.staged import IDS_UNFOUND, Staged
from launchpad.users.stream import BatchStream
from launchpad.users.target import TargetFailed
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, lab, links, session
from tests.integration.test_users_import_staged import SHEET, apply
from tests.integration.test_users_import_stream import batches, marked

__all__ = ["lab"]

pytestmark = pytest.mark.integration

NEW = ("zhaoliu", "sunqi", "zhouba", "wujiu", "zhengshi")


def new_links(lab: RuoYiLab, env: str) -> list[list[str]]:
    return [row for row in links(lab, env) if row[0] in NEW]


def _ranks_reversed(staged: Staged) -> Staged:
    """The same batch with each row's rank among its shape's rows turned around: the rank then
    points at another new user (or none), as when another writer's rows took ids in between."""
    lines = staged.data.rstrip(b"\n").split(b"\n")
    rows, closing = lines[:-1], lines[-1]
    by_shape: dict[bytes, list[int]] = {}
    for i, line in enumerate(rows):
        by_shape.setdefault(line.split(b"\t")[1], []).append(i)
    turned = list(rows)
    for positions in by_shape.values():
        for i, j in zip(positions, reversed(positions), strict=True):
            turned[i] = b"\t".join([*rows[i].split(b"\t")[:-1], rows[j].split(b"\t")[-1]])
    assert turned != rows
    return replace(staged, data=b"\n".join([*turned, closing]) + b"\n")


@pytest.mark.parametrize("env", ["test", "test-pg"])
def test_every_new_user_gets_exactly_the_roles_and_posts_the_plan_gave_it(lab: RuoYiLab, env: str) -> None:
    with session(lab, env, FAST_HASH) as (_, target):
        planned = [u for batch, _ in batches(lab, target, env, 10) for u in batch]
    expected = sorted([u.key, key] for u in planned for key in (*u.roles_added, *u.posts_added))
    assert {key for key, _ in expected} >= {"zhaoliu", "zhouba", "zhengshi"}  # the three with a post, at least
    apply(lab, env, SHEET, batch_size=2)  # three batches, each finding its own users' ids
    assert sorted(new_links(lab, env)) == expected


def test_mariadb_finds_by_key_the_users_whose_rank_does_not_give_their_id(lab: RuoYiLab) -> None:
    env = "test"
    apply(lab, "test-pg", SHEET)
    expected = new_links(lab, "test-pg")  # the same sheet, linked through RETURNING
    with session(lab, env, FAST_HASH) as (_, target):
        [(_batch, staged)] = batches(lab, target, env, 10)
        assert "LAST_INSERT_ID()" in " ".join(staged.after)
        stream = BatchStream(target, 1).open()
        try:
            stream.run(1, _ranks_reversed(staged))
        finally:
            stream.close()
    assert marked(lab, env) == sorted([key] for key in NEW)
    assert new_links(lab, env) == expected


# A site's trigger that rewrites the login name: the new rows no longer carry the staged key.
RENAME = {
    "test": ["CREATE TRIGGER lp_rename BEFORE INSERT ON sys_user FOR EACH ROW "
             "SET NEW.user_name = CONCAT(NEW.user_name, '_x')"],
    "test-pg": ["CREATE FUNCTION lp_rename() RETURNS trigger AS $$ BEGIN NEW.user_name := NEW.user_name || '_x'; "
                "RETURN NEW; END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER lp_rename BEFORE INSERT ON sys_user FOR EACH ROW EXECUTE FUNCTION lp_rename()"],
}
UNRENAME = {"test": ["DROP TRIGGER lp_rename"],
            "test-pg": ["DROP TRIGGER lp_rename ON sys_user", "DROP FUNCTION lp_rename()"]}


@pytest.mark.parametrize("env", ["test", "test-pg"])
def test_a_new_user_whose_id_cannot_be_found_stops_the_batch_with_nothing_written(lab: RuoYiLab, env: str) -> None:
    for statement in RENAME[env]:
        lab.sql(env, statement)
    try:
        with session(lab, env, FAST_HASH) as (_, target):
            [(_batch, staged)] = batches(lab, target, env, 10)
            stream = BatchStream(target, 1).open()
            try:
                with pytest.raises(TargetFailed, match=IDS_UNFOUND):
                    stream.run(1, staged)
            finally:
                stream.close()
        with pytest.raises(TargetFailed) as failed:  # through the import, said in the person's words
            apply(lab, env, SHEET)
    finally:
        for statement in UNRENAME[env]:
            lab.sql(env, statement)
    assert failed.value.render("zh").startswith(f"目标数据库出错：导入 1 的第 1 批：新用户写入 {env} 后"
                                                "无法按登录名找回，因而无法关联其角色和岗位；这一批什么都没有写入\n"
                                                "  → 用户表上是否有触发器")
    assert f"could not be found again by their login names once written in {env}" in failed.value.render("en")
    assert lab.sql(env, "SELECT COUNT(*) FROM sys_user WHERE create_by LIKE 'import:%'") == [["0"]]
    assert new_links(lab, env) == []


# The id the engine gives next, or one below it: the new users' ids are the next ones.
NEXT_ID = {"test": "SELECT MAX(user_id) + 1 FROM sys_user",
           "test-pg": "SELECT nextval(pg_get_serial_sequence('sys_user', 'user_id'))"}


@pytest.mark.parametrize("env", ["test", "test-pg"])
def test_a_stale_link_row_at_a_new_users_id_is_not_written_twice_nor_stops_the_batch(lab: RuoYiLab,
                                                                                       env: str) -> None:
    # Links left behind by users deleted by hand name ids the import is about to give out: then
    # the links go in through the check for each (the usual case skips it: no row at or above
    # the batch's lowest new id), and RuoYi's primary key never sees a second copy.
    with session(lab, env, FAST_HASH) as (_, target):
        planned = [u for batch, _ in batches(lab, target, env, 10) for u in batch]
    expected = sorted([u.key, key] for u in planned for key in (*u.roles_added, *u.posts_added))
    [[given]] = lab.sql(env, NEXT_ID[env])
    stale = range(int(given), int(given) + 200)
    lab.sql(env, "INSERT INTO sys_user_role (user_id, role_id) VALUES "
                 + ", ".join(f"({n}, 2)" for n in stale))  # 2: common, which every new user here gets
    apply(lab, env, SHEET)
    ids = [int(n) for [n] in lab.sql(env, "SELECT user_id FROM sys_user WHERE create_by LIKE 'import:%'")]
    assert len(ids) == len(NEW) and all(n in stale for n in ids)  # every new user met a stale row
    assert sorted(new_links(lab, env)) == expected
    assert lab.sql(env, "SELECT COUNT(*) FROM sys_user_role ur JOIN sys_user u ON u.user_id = ur.user_id "
                        "WHERE u.create_by LIKE 'import:%'") == [[str(sum(len(u.roles_added) for u in planned))]]
