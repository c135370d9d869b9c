"""The apply's SQL and the initial passwords, without a database: values from the sheet never
appear in a script as text, and passwords follow the policy and RuoYi's hash scheme."""

from __future__ import annotations

import re

import bcrypt
import pytest

from launchpad.users.passwords import CLASSES, PasswordPolicy, bcrypt_2a, generate, issue
from launchpad.users.plan import PlannedUser
from launchpad.users.ruoyi_writes import apply_script, undo_script
from launchpad.users.target import SqlText

HOSTILE = "张三'); DROP TABLE sys_user; -- \\ \" $$ x"


@pytest.mark.parametrize("engine", ["mariadb", "postgresql"])
def test_values_from_the_sheet_reach_the_script_only_as_hex(engine: str) -> None:
    sql = SqlText(engine)
    insert = PlannedUser(HOSTILE, "insert", "s", 2, "u", values={"user_name": HOSTILE, "nick_name": HOSTILE,
                                                                  "dept_id": "101"}, roles_added=[HOSTILE])
    update = PlannedUser("lisi", "update", "s", 3, "u", values={"remark": HOSTILE}, posts_added=[HOSTILE])
    script = apply_script(sql, [insert, update], {HOSTILE: "$2a$04$hash"}, "import:1")
    undo = undo_script(sql, [{"key": HOSTILE, "action": "insert", "before": None, "roles_added": [],
                              "posts_added": []},
                             {"key": "lisi", "action": "update", "before": {"remark": HOSTILE},
                              "roles_added": [HOSTILE], "posts_added": []}], "import:1", "rollback:1")
    for text in (script, undo):
        assert "DROP" not in text and "张三" not in text and "lisi" not in text
        assert HOSTILE.encode().hex() in text
        # Outside hex literals, the only quoted strings are launchpad's own constants.
        assert set(re.findall(r"'([^']*)'", text)) <= {"0", "hex", "UTF8", *re.findall(r"X'([0-9a-f]*)'", text),
                                                      *re.findall(r"decode\('([0-9a-f]*)'", text)}
    assert script.splitlines()[-1] == "COMMIT;" and undo.splitlines()[-1] == "COMMIT;"


def test_passwords_follow_the_policy() -> None:
    policy = PasswordPolicy(length=9, classes=["lower", "digit"], cost=4)
    for _ in range(50):
        password = generate(policy)
        assert len(password) == 9
        assert any(c in CLASSES["lower"] for c in password) and any(c in CLASSES["digit"] for c in password)
        assert set(password) <= set(CLASSES["lower"] + CLASSES["digit"])


def test_hashes_are_bcrypt_2a_with_the_configured_cost() -> None:
    hashed = bcrypt_2a("Init#2024pw", 5)
    assert hashed.startswith("$2a$05$") and len(hashed) == 60
    assert bcrypt.checkpw(b"Init#2024pw", ("$2b$" + hashed[4:]).encode())


def test_issue_gives_every_key_its_own_password_and_reports_progress() -> None:
    seen: list[int] = []
    issued = issue(["a", "b", "c"], PasswordPolicy(cost=4), on_done=seen.append)
    assert [i.key for i in issued] == ["a", "b", "c"] and seen == [1, 2, 3]
    assert len({i.password for i in issued}) == 3
    assert all(bcrypt.checkpw(i.password.encode(), ("$2b$" + i.hashed[4:]).encode()) for i in issued)
