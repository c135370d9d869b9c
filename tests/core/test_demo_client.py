"""The demo's client system is RuoYi-shaped: the same organisation, roles, menus and
dictionaries in test and prod, a few hundred users with bcrypt `$2a$` hashes, the differences
`demo/drift.py` names and no others, the same rows on every build; and its messy sheet holds
the mistakes `demo/sheet.py` plants."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import bcrypt
import pytest

from launchpad.demo import build_demo, drift
from launchpad.demo.clientdb import SEEDED_PASSWORD
from launchpad.demo.clientorg import DICTIONARIES, ROLES
from launchpad.demo.sheet import SHEET_FILE, build_rows

# These tests read the command line's English words.
pytestmark = pytest.mark.usefixtures("english_cli")

TABLES = {"sys_dept", "sys_user", "sys_post", "sys_role", "sys_menu", "sys_user_role", "sys_role_menu",
          "sys_role_dept", "sys_user_post", "sys_dict_type", "sys_dict_data", "sys_config", "about"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("client") / "demo")


def rows(demo: Path, env: str, query: str, *params: object) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(demo / "data" / f"{env}-users.db")) as connection:
        return list(connection.execute(query, params))


def dump(demo: Path, env: str) -> dict[str, list[tuple[object, ...]]]:
    return {table: rows(demo, env, f"SELECT * FROM {table} ORDER BY 1, 2") for table in sorted(TABLES)}


@pytest.mark.parametrize("env", ["test", "prod"])
def test_the_client_database_is_ruoyi_shaped(demo: Path, env: str) -> None:
    assert {r[0] for r in rows(demo, env, "SELECT name FROM sqlite_master WHERE type = 'table'")} >= TABLES
    parents = rows(demo, env, "SELECT d.dept_name, p.dept_name FROM sys_dept d LEFT JOIN sys_dept p "
                              "ON p.dept_id = d.parent_id WHERE d.dept_name IN ('某市大数据管理局', "
                              "'数据资源处', '数据共享科', '某市政务服务中心', '窗口管理科')")
    paths = {name: parent for name, parent in parents}
    assert paths == {"某市大数据管理局": None, "数据资源处": "某市大数据管理局", "数据共享科": "数据资源处",
                     "某市政务服务中心": "某市大数据管理局", "窗口管理科": "某市政务服务中心"}
    assert rows(demo, env, "SELECT d.ancestors = '0,100,' || d.parent_id FROM sys_dept d "
                           "WHERE d.dept_name = '数据共享科'") == [(1,)]
    [(live,)] = rows(demo, env, "SELECT COUNT(*) FROM sys_user WHERE del_flag = '0'")
    assert 250 <= live <= 400
    hashes = [str(r[0]) for r in rows(demo, env, "SELECT password FROM sys_user")]
    assert all(h.startswith("$2a$") for h in hashes) and len(set(hashes)) == len(hashes)
    [(zhoumin,)] = rows(demo, env, "SELECT password FROM sys_user WHERE user_name = 'zhoumin'")
    assert bcrypt.checkpw(SEEDED_PASSWORD.encode(), ("$2b$" + str(zhoumin)[4:]).encode())
    granted = {r[0] for r in rows(demo, env, "SELECT m.perms FROM sys_role_menu rm JOIN sys_role r USING (role_id) "
                                             "JOIN sys_menu m USING (menu_id) WHERE r.role_key = 'common'")}
    assert {"system:user:list", "system:user:query", ""} <= granted and "system:user:remove" not in granted
    assert {r[0] for r in rows(demo, env, "SELECT role_key FROM sys_role")} == {r.key for r in ROLES}
    types = {r[0] for r in rows(demo, env, "SELECT dict_type FROM sys_dict_type")}
    assert {"sys_user_sex", "sys_normal_disable", "gov_item_type", "gov_case_status", "gov_channel"} <= types
    assert rows(demo, env, "SELECT config_value FROM sys_config WHERE config_key = 'sys.user.initPassword'") == \
        [(SEEDED_PASSWORD,)]
    assert rows(demo, env, "SELECT COUNT(*) FROM sys_user_post")[0][0] >= live - 1  # everyone but admin has a post


def test_a_build_gives_the_same_rows_every_time(demo: Path, tmp_path: Path) -> None:
    again = build_demo(tmp_path / "again")
    for env in ("test", "prod"):
        assert dump(again, env) == dump(demo, env)


def test_prod_differs_from_test_exactly_where_drift_says(demo: Path) -> None:
    test, prod = dump(demo, "test"), dump(demo, "prod")
    for table in ("sys_dept", "sys_post", "sys_role", "sys_menu", "sys_dict_type", "sys_config"):
        assert test[table] == prod[table], table
    option, removed, edited = drift.PROD_DRIFT
    assert isinstance(option, drift.DictOptionAdded) and isinstance(removed, drift.PermissionRemoved)
    assert isinstance(edited, drift.LabelEdited)

    def dictionary(env: str) -> set[tuple[object, ...]]:
        return set(rows(demo, env, "SELECT dict_type, dict_value, dict_label FROM sys_dict_data"))

    assert dictionary("prod") - dictionary("test") == {(option.dict_type, option.value, option.label),
                                                       (edited.dict_type, edited.value, edited.after)}
    assert dictionary("test") - dictionary("prod") == {(edited.dict_type, edited.value, edited.before)}

    def grants(env: str) -> set[tuple[object, ...]]:
        return set(rows(demo, env, "SELECT r.role_key, m.perms FROM sys_role_menu JOIN sys_role r USING (role_id) "
                                   "JOIN sys_menu m USING (menu_id)"))

    assert grants("test") - grants("prod") == {(removed.role_key, removed.perms)}
    assert grants("prod") <= grants("test")
    wanted = {d.type for d in DICTIONARIES}
    assert {r[0] for r in rows(demo, "prod", "SELECT dict_type FROM sys_dict_data")} == wanted


def launchpad(demo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", *args], capture_output=True, text=True, cwd=demo,
                          timeout=300, stdin=subprocess.DEVNULL)


def test_users_compare_finds_the_users_drift_names(demo: Path) -> None:
    compared = launchpad(demo, "users", "compare", "--env", "test", "--env", "prod")
    assert compared.returncode == 1, compared.stderr
    lines = [line.strip() for line in compared.stdout.splitlines()]
    only_test = {line.split(":")[0] for line in lines if line.endswith("only in test")}
    only_prod = {line.split(":")[0] for line in lines if line.endswith("only in prod")}
    assert {login for login, *_ in drift.TEST_ACCOUNTS} < only_test and len(only_test) == 3 + 2  # + deleted in prod
    assert len(only_prod) == drift.PROD_ONLY_NEWEST
    login, phone = drift.PHONE_CHANGED_IN_PROD
    assert any(line.startswith(f"{login}: 手机号码:") and f"'{phone}' (prod)" in line for line in lines), lines
    assert len(lines) == 3 + 2 + drift.PROD_ONLY_NEWEST + 1


def test_the_messy_sheet_holds_the_planted_mistakes_and_no_others(demo: Path) -> None:
    _, planted = build_rows()
    checked = launchpad(demo, "users", "check", SHEET_FILE, "--env", "test", "--json", "--lang", "en")
    assert checked.returncode == 1, checked.stderr
    found = {(p["row"], p["header"]): p["reason"] for p in json.loads(checked.stdout)}
    duplicate = next(p for p in planted if p.what == "duplicate")
    expected = {(p.row, p.header) for p in planted} | {(duplicate.row - 1, duplicate.header)}
    assert set(found) == expected
    reasons = {p.what: found[(p.row, p.header)] for p in planted}
    assert "check digit" in reasons["check digit"]
    assert reasons["duplicate"] == f"also in row {duplicate.row - 1}"
    assert "no unit '数据资源科' in the target; closest: 某市大数据管理局/数据资源处" in reasons["unknown unit"]
    assert "names several units" in reasons["ambiguous unit"]
    assert "stored by Excel as a number" in reasons["stored as a number"]
    assert (demo / "imports" / "新员工名单.checked.xlsx").is_file()
