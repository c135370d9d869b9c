"""PostgreSQL's stage takes each new user's id as its row is loaded, from the users' id column's
own default, and the insert gives every user that id; its roles and posts are linked straight
from the stage. Against a real PostgreSQL through a real sshd: an identity that refuses given
ids, a default from a sequence the column does not own, another writer's user taking an id in
the middle of the insert, and a column with no default at all (the batch stops, named)."""

from __future__ import annotations

import pytest

from launchpad.users.target import TargetFailed
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import lab
from tests.integration.test_users_import_links import NEW, new_links
from tests.integration.test_users_import_staged import SHEET, apply

__all__ = ["lab"]

pytestmark = pytest.mark.integration

PG = "test-pg"


def imported_ids(lab: RuoYiLab) -> list[int]:
    return [int(n) for [n] in lab.sql(PG, "SELECT user_id FROM sys_user WHERE create_by LIKE 'import:%' "
                                          "ORDER BY user_id")]


def expected_links(lab: RuoYiLab) -> list[list[str]]:
    """The same sheet's links as MariaDB's import gives them (its own way of finding the ids)."""
    apply(lab, "test", SHEET)
    return new_links(lab, "test")


def test_an_identity_generated_always_takes_the_ids_its_sequence_gave_the_stage(lab: RuoYiLab) -> None:
    expected = expected_links(lab)
    lab.sql(PG, "ALTER TABLE sys_user ALTER COLUMN user_id SET GENERATED ALWAYS")
    [[last]] = lab.sql(PG, "SELECT last_value FROM sys_user_user_id_seq")
    apply(lab, PG, SHEET)
    ids = imported_ids(lab)
    assert len(ids) == len(NEW) and min(ids) > int(last)
    [[now]] = lab.sql(PG, "SELECT last_value FROM sys_user_user_id_seq")
    assert max(ids) <= int(now)  # taken from the identity's sequence, not made up
    assert new_links(lab, PG) == expected


def test_a_default_from_a_sequence_the_column_does_not_own_numbers_the_new_users(lab: RuoYiLab) -> None:
    expected = expected_links(lab)
    lab.sql(PG, "ALTER TABLE sys_user ALTER COLUMN user_id DROP IDENTITY")
    lab.sql(PG, "CREATE SEQUENCE lp_user_ids START 70001")
    lab.sql(PG, "ALTER TABLE sys_user ALTER COLUMN user_id SET DEFAULT nextval('lp_user_ids')")
    apply(lab, PG, SHEET)
    ids = imported_ids(lab)
    assert len(ids) == len(NEW) and min(ids) >= 70001
    [[now]] = lab.sql(PG, "SELECT last_value FROM lp_user_ids")
    assert max(ids) <= int(now)
    assert new_links(lab, PG) == expected


def test_another_writers_user_made_during_the_insert_takes_no_id_of_the_import_and_gets_no_links(
        lab: RuoYiLab) -> None:
    expected = expected_links(lab)
    # another writer's user, numbered by the same identity while the import's rows go in
    lab.sql(PG, "CREATE FUNCTION lp_meanwhile() RETURNS trigger AS $$ BEGIN "
                "IF NEW.create_by LIKE 'import:%' "
                "AND NOT EXISTS (SELECT 1 FROM sys_user WHERE user_name = 'meanwhile') "
                "THEN INSERT INTO sys_user (user_name, nick_name, create_by) VALUES ('meanwhile', '别人', 'admin'); "
                "END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
    lab.sql(PG, "CREATE TRIGGER lp_meanwhile BEFORE INSERT ON sys_user FOR EACH ROW EXECUTE FUNCTION lp_meanwhile()")
    apply(lab, PG, SHEET)
    ids = imported_ids(lab)
    [[other]] = lab.sql(PG, "SELECT user_id FROM sys_user WHERE user_name = 'meanwhile'")
    assert len(ids) == len(NEW) and int(other) not in ids
    assert new_links(lab, PG) == expected
    assert lab.sql(PG, f"SELECT COUNT(*) FROM sys_user_role WHERE user_id = {int(other)}") == [["0"]]


def test_an_id_column_without_a_default_stops_the_batch_named_with_nothing_written(lab: RuoYiLab) -> None:
    lab.sql(PG, "ALTER TABLE sys_user ALTER COLUMN user_id DROP IDENTITY")
    with pytest.raises(TargetFailed) as failed:
        apply(lab, PG, SHEET)
    assert failed.value.render("zh").startswith(f"目标数据库出错：导入 1 的第 1 批：{PG} 的 sys_user.user_id "
                                                "没有为新用户编号的默认值")
    assert "id: {generate: sequence, sequence: NAME}" in failed.value.render("en")
    assert imported_ids(lab) == [] and new_links(lab, PG) == []
