"""Initial passwords in each scheme a target may use, written into real MariaDB and PostgreSQL
RuoYi-shaped databases: the hand-out's password is the one the stored hash (and salt) was made
from, checked here with the standard library and gmssl rather than launchpad's own verify."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest
from gmssl import func, sm3

from launchpad.errors import UsageError
from launchpad.store.db import Store
from tests.core.users_sheets import GOOD
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, GOOD_SHEET, SHEET, apply, users_table
from tests.integration.test_users_import import lab as lab_fixture

lab = lab_fixture  # the user-import tests' workspace, shared as a fixture

pytestmark = pytest.mark.integration


def handed_out(handout: Path) -> dict[str, str]:
    from openpyxl import load_workbook

    return {row[1]: row[3] for row in load_workbook(handout).active.iter_rows(min_row=3, values_only=True)}


def stored(lab: RuoYiLab, env: str, login: str) -> tuple[str, str]:
    [[hashed, salt]] = lab.sql(env, f"SELECT password, salt FROM sys_user WHERE user_name = '{login}'")
    return hashed, salt


def test_ruoyi_shiro_edition_gets_md5_with_a_salt_and_a_site_rule(lab: RuoYiLab) -> None:
    mapping = FAST_HASH + "  scheme: shiro_md5\n  rule: 'Ry@{id_number[-6:]}'\n"
    mapping = mapping.replace("passwords: {cost: 4, length: 10}\n", "passwords:\n")
    outcome = apply(lab, "test", GOOD_SHEET, mapping)
    password = handed_out(outcome.handouts[0])["zhangsan"]
    assert password == "Ry@" + GOOD[0][2][-6:]
    hashed, salt = stored(lab, "test", "zhangsan")
    assert len(salt) == 6 and hashed == hashlib.md5(f"zhangsan{password}{salt}".encode()).hexdigest()


def test_sm3_with_a_salt_column_on_postgresql(lab: RuoYiLab) -> None:
    mapping = FAST_HASH.replace("passwords: {cost: 4, length: 10}", "passwords: {scheme: sm3, length: 10}")
    outcome = apply(lab, "test-pg", GOOD_SHEET, mapping)
    password = handed_out(outcome.handouts[0])["zhangsan"]
    hashed, salt = stored(lab, "test-pg", "zhangsan")
    assert salt and hashed == sm3.sm3_hash(func.bytes_to_list((password + salt).encode()))


def test_pbkdf2_in_djangos_format(lab: RuoYiLab) -> None:
    mapping = FAST_HASH.replace("passwords: {cost: 4, length: 10}",
                                "passwords: {scheme: pbkdf2, pbkdf2: {iterations: 1000}}")
    outcome = apply(lab, "test", GOOD_SHEET, mapping)
    password = handed_out(outcome.handouts[0])["zhangsan"]
    hashed, salt = stored(lab, "test", "zhangsan")
    algorithm, iterations, own_salt, digest = hashed.split("$")
    assert (algorithm, iterations, salt) == ("pbkdf2_sha256", "1000", "")  # the salt lives in the text
    expected = hashlib.pbkdf2_hmac("sha256", password.encode(), own_salt.encode(), 1000)
    assert base64.b64decode(digest) == expected


def test_a_rule_a_new_row_cannot_fill_writes_nothing(lab: RuoYiLab) -> None:
    mapping = FAST_HASH.replace("passwords: {cost: 4, length: 10}",
                                "passwords: {scheme: shiro_md5, rule: 'Ry@{id_number[-6:]}'}")
    before = users_table(lab, "test")
    no_id = ["zhaoliu", "赵六", "", "13600136000", "", "", "办公室", ""]
    with pytest.raises(UsageError, match="uses id_number, which user zhaoliu lacks; nothing was written"):
        apply(lab, "test", [*SHEET[:4], no_id], mapping)
    assert users_table(lab, "test") == before
    with Store.open(lab.workspace.store_path) as store:
        assert list(store.db.query("SELECT id FROM user_imports")) == []
