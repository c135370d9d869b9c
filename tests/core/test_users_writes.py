"""The apply's SQL and the initial passwords, without a database: values from the sheet never
appear in a script as text, and passwords follow the policy and RuoYi's hash scheme."""

from __future__ import annotations

import re
from pathlib import Path

import bcrypt
import pytest

from launchpad.users.passwords import CLASSES, ForUser, PasswordPolicy, bcrypt_2a, generate, issue
from launchpad.users.plan import PlannedUser
from launchpad.users.target import SqlText
from launchpad.users.writes import apply_script, undo_script

HOSTILE = "张三'); DROP TABLE sys_user; -- \\ \" $$ x"


@pytest.mark.parametrize("engine", ["mariadb", "postgresql", "sqlite"])
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
        assert "DROP TABLE" not in text and "张三" not in text and "lisi" not in text
        assert HOSTILE.encode().hex() in text
        # Outside hex literals, the only quoted strings are launchpad's own constants.
        own = {"0", "hex", "UTF8", "now", "localtime"}
        assert set(re.findall(r"'([^']*)'", text)) <= {*own, *re.findall(r"X'([0-9a-f]*)'", text),
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


@pytest.mark.parametrize("engine", ["mariadb", "postgresql"])
def test_a_salt_goes_into_its_column_beside_the_hash(engine: str) -> None:
    sql = SqlText(engine)
    insert = PlannedUser("zs", "insert", "s", 2, "u", values={"user_name": "zs", "nick_name": "张三"})
    plain = apply_script(sql, [insert], {"zs": "h"}, "import:1")
    salted = apply_script(sql, [insert], {"zs": "h"}, "import:1", {"zs": "a1b2c3"}, "salt")
    assert "salt" not in plain.split("VALUES")[0]
    assert "(user_name, nick_name, password, salt, status" in salted and sql.text("a1b2c3") in salted


def test_issue_gives_every_key_its_own_password_and_reports_progress() -> None:
    seen: list[int] = []
    issued = issue([ForUser(k, k) for k in "abc"], PasswordPolicy(cost=4), on_done=seen.append)
    assert [i.key for i in issued] == ["a", "b", "c"] and seen == [1, 2, 3]
    assert len({i.password for i in issued}) == 3
    assert all(bcrypt.checkpw(i.password.encode(), ("$2b$" + i.hashed[4:]).encode()) for i in issued)


def test_handouts_are_private_audited_and_removed_with_their_reset_folders(tmp_path: Path) -> None:
    import os
    import stat

    from openpyxl import load_workbook

    from launchpad.users.handout import remove_handouts, write_handouts

    said: list[tuple[str, str, dict[str, object]]] = []
    folder = tmp_path / "handouts" / "import-1"
    people = [{"unit": "某某局/办公室", "key": "a", "name": "=HYPERLINK(\"x\")", "password": "=Secret#1"},
              {"unit": "某某局/信息中心", "key": "b", "name": "乙", "password": "Secret#2"}]
    files = write_handouts(folder, people, lambda *entry: said.append(entry))
    files += write_handouts(folder / "reset-1", people[:1], lambda *entry: said.append(entry))
    assert [f.name for f in files] == ["某某局_信息中心.xlsx", "某某局_办公室.xlsx", "某某局_办公室.xlsx"]
    assert all(stat.S_IMODE(os.stat(f).st_mode) == 0o600 for f in files)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    rows = list(load_workbook(files[1]).active.iter_rows(values_only=True))
    assert rows[2:] == [("某某局/办公室", "a", "=HYPERLINK(\"x\")", "=Secret#1")]  # text, not formulas
    assert load_workbook(files[1]).active["D3"].data_type == "s"
    assert "Secret" not in repr(said)
    removed = remove_handouts(folder, lambda *entry: said.append(entry))
    assert len(removed) == 3 and not folder.exists()
    assert said[-1][0] == "user_handout_removed"


def test_a_new_workspace_keeps_handouts_out_of_git(tmp_path: Path) -> None:
    from launchpad.workspace.scaffold import init_workspace

    init_workspace(tmp_path)
    assert "handouts/" in (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("engine", ["mariadb", "postgresql"])
def test_a_batch_is_one_insert_with_one_guard_and_one_link_statement_per_role(engine: str) -> None:
    users = [PlannedUser(f"u{i}", "insert", "s", i, "u", values={"user_name": f"u{i}", "nick_name": "名"},
                         roles_added=["common", "leader"] if i % 2 else ["common"]) for i in range(50)]
    script = apply_script(SqlText(engine), users, {u.key: "$2a$04$h" for u in users}, "import:1")
    assert script.count("INSERT INTO sys_user (") == 1
    assert script.count("INSERT INTO launchpad_guard") == 2
    assert script.count("INSERT INTO sys_user_role") == 2 and "sys_user_post" not in script


def test_an_annotated_copy_that_cannot_be_written_is_a_clear_error(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from launchpad.users.annotate import CannotWrite, save_private

    with pytest.raises(CannotWrite, match="no such file or folder") as caught:
        save_private(Workbook(write_only=True), tmp_path / "missing" / "u.checked.xlsx")
    assert caught.value.exit_code == 2 and "u.checked.xlsx" in caught.value.message


def test_an_undone_update_gives_ruoyis_null_columns_their_null_back() -> None:
    undo = undo_script(SqlText("sqlite"), [{"key": "lisi", "action": "update", "roles_added": [], "posts_added": [],
                                            "before": {"remark": "", "email": "", "dept_id": ""}}],
                       "import:1", "rollback:1")
    assert "SET remark = NULL, email = '', dept_id = NULL," in undo


def test_an_errors_text_keeps_no_hash_or_salt_the_session_sent_and_keeps_every_other_word() -> None:
    from launchpad.backup.sqlclient import hex_literal
    from launchpad.phrases import phrase
    from launchpad.users.target import HIDDEN, Secrets
    from launchpad.users.writes import ALREADY_THERE

    hashed, salt = "$2a$10$7EqJtq98hPqEX7fNZaFWoOa7p1eY3v9rDZl0bYz6bZm1nR4xk2fQa", "a1b2c3"
    secrets = Secrets()
    secrets.add([hashed, salt, None])
    hexed = hex_literal(hashed)
    said = (f"ERROR 1064 (42000) at line 6: near 'CONVERT(X'{hexed}' USING utf8mb4), CONVERT(X'{hexed[:40]}' "
            f"/ DETAIL: Failing row contains (1001, zhangsan, {hashed}, {salt}, 100103) / {ALREADY_THERE} "
            f"/ cut short: {hashed[:30]}")
    hidden = secrets.hide(said)
    assert hidden == (f"ERROR 1064 (42000) at line 6: near 'CONVERT(X'{HIDDEN}' USING utf8mb4), CONVERT(X'{HIDDEN}' "
                      f"/ DETAIL: Failing row contains (1001, zhangsan, {HIDDEN}, {HIDDEN}, 100103) / {ALREADY_THERE} "
                      f"/ cut short: {HIDDEN}")
    told = secrets.said(phrase("host.said", host="db1", message=said))
    assert hashed not in str(told) and hexed[:40] not in str(told) and "zhangsan" in str(told)
    assert Secrets().hide(said) == said  # a session that sent no hash changes no word


def test_a_hash_postgresql_cut_and_marked_with_dots_is_hidden_too() -> None:
    """PostgreSQL cuts a long value of a refused row (and a long line it quotes) and puts "..."
    right against what is left."""
    from launchpad.users.target import HIDDEN, Secrets

    hashed = "pbkdf2_sha256$260000$Ab3dEf6hIj9k$LXEWQrcmsEQBYnyp+6wy9chTD7GQPMa7p1eY3v9rDZl0bYz6bZm1nR4xk2fQa="
    secrets = Secrets()
    secrets.add([hashed])
    said = (f"DETAIL: Failing row contains (101, zhang3, {hashed[:60]}..., null, 0).\n"
            f"LINE 1: ...{hashed[20:70]}… / {hashed[:5]}...")
    assert secrets.hide(said) == (f"DETAIL: Failing row contains (101, zhang3, {HIDDEN}, null, 0).\n"
                                  f"LINE 1: {HIDDEN} / {hashed[:5]}...")  # five characters say nothing
