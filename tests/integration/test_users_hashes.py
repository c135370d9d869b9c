"""Password hashes and salts never leave the target database and the import's hand-out folder:
not through the audit log, the store, a report, the command line's output or the error a
refusing database prints (which may quote the statement, or the row, that carried them).
A hash of a password made by a site's rule (a name's pinyin and 123) is cracked offline."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from typing import Any

import pytest

from launchpad.backup.sqlclient import hex_literal
from launchpad.store.db import Store
from launchpad.users import apply as apply_module
from launchpad.users import reset as reset_module
from launchpad.users.apply import ImportTarget, apply_plan
from launchpad.users.mapping import load_mapping
from launchpad.users.operations import file_sha256, plan_file
from launchpad.users.reset import reset_passwords
from launchpad.users.target import HIDDEN, TargetFailed
from tests.core.users_sheets import write_mapping, write_xlsx
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, GOOD_SHEET, lab, launchpad, session

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("english_cli")]
__all__ = ["lab"]


def forms(secrets: Iterable[str]) -> list[str]:
    """Each secret as sent (the statements carry it as hex digits) and as stored."""
    return [form for secret in secrets for form in (secret, hex_literal(secret))]


def held_anywhere(lab: RuoYiLab, secrets: list[str], texts: Iterable[str] = ()) -> list[str]:
    """Where any of `secrets` is found: an audit entry, a file of the workspace outside the
    hand-out folder (the store, its journal, reports), or one of `texts`."""
    found = []
    with Store.open(lab.workspace.store_path) as store:
        for entry in store.db.query("SELECT * FROM audit"):
            said = " ".join(str(value) for value in dict(entry).values())
            found += [f"audit {entry['action']}" for form in forms(secrets) if form in said]
    handouts = lab.root / "handouts"
    for path in lab.root.rglob("*"):
        if path.is_file() and handouts not in path.parents:
            content = path.read_bytes().decode("latin-1")
            found += [str(path) for form in forms(secrets) if form in content]
    for text in texts:
        found += [f"text {text[:80]!r}" for form in forms(secrets) if form in text]
    return found


def hashes_of(lab: RuoYiLab, env: str, login: str) -> list[str]:
    return [value for row in lab.sql(env, f"SELECT password FROM sys_user WHERE user_name = '{login}'")
            for value in row]


def said(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [result.stdout, result.stderr]


@pytest.mark.parametrize("env", ["test", "test-pg"])
def test_no_hash_is_audited_stored_or_printed_by_import_reset_listing_and_rollback(lab: RuoYiLab, env: str) -> None:
    write_mapping(lab.root, FAST_HASH)
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": GOOD_SHEET})
    outputs: list[str] = []
    for step in (("plan", str(sheet), "--env", env), ("import", str(sheet), "--env", env, "--yes")):
        done = launchpad(lab, "users", *step)
        assert done.returncode == 0, done.stderr
        outputs += said(done)
    first = hashes_of(lab, env, "zhangsan")
    reset = launchpad(lab, "users", "handout", "1", "--reset", "zhangsan", "--yes")
    assert reset.returncode == 0, reset.stderr
    second = hashes_of(lab, env, "zhangsan")
    assert len(first) == len(second) == 1 and first != second
    outputs += said(reset)
    listing: list[tuple[str, ...]] = [("imports",), ("imports", "--json"), ("plan", str(sheet), "--env", env),
                                      ("rollback", "1", "--yes")]
    for args in listing:
        done = launchpad(lab, "users", *args)
        assert done.returncode == 0, done.stderr
        outputs += said(done)
    assert hashes_of(lab, env, "zhangsan") == []  # rolled back: the new user is gone
    with Store.open(lab.workspace.store_path) as store:
        assert "remote_sql" in [e["action"] for e in store.db.query("SELECT action FROM audit")]

    assert held_anywhere(lab, first + second, outputs) == []


def _applying(lab: RuoYiLab, env: str, monkeypatch: pytest.MonkeyPatch, bulk: bool) -> tuple[list[str], Any]:
    """The hashes (and salts) the apply makes, and an apply of GOOD_SHEET with or without the bulk loader."""
    made: list[str] = []
    real = apply_module.hash_all

    def hash_all(*args: Any, **kwargs: Any) -> Any:
        issued = real(*args, **kwargs)
        made.extend(value for one in issued for value in (one.hashed, one.salt) if value)
        return issued

    monkeypatch.setattr(apply_module, "hash_all", hash_all)
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": GOOD_SHEET})

    def run() -> Any:
        with session(lab, env, FAST_HASH) as (store, target):
            planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)
            target.bulk = bulk
            return apply_plan(ImportTarget(store, target, lab.root, env, "app", "tester"), planned, file=sheet,
                              file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml")

    return made, run


@pytest.mark.parametrize("bulk", [True, False], ids=["loaded", "script"])
def test_a_row_postgresql_refuses_is_said_without_its_hash(lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch,
                                                          bulk: bool) -> None:
    """PostgreSQL quotes the whole refused row ("Failing row contains (…)"), hash and all."""
    lab.pg.sql("ALTER TABLE sys_user ADD CONSTRAINT site_rule CHECK (nick_name <> '张三');", lab.name)
    made, run = _applying(lab, "test-pg", monkeypatch, bulk)

    with pytest.raises(TargetFailed) as refused:
        run()

    shown = [refused.value.render("en"), refused.value.render("zh"), refused.value.message]
    assert "site_rule" in shown[0] and "Failing row contains" in shown[0], shown[0]
    assert HIDDEN in shown[0] and "zhangsan" in shown[0], shown[0]  # the row is still told, without its hash
    assert made and held_anywhere(lab, made, shown) == []


def test_a_row_mariadb_refuses_is_said_without_its_hash(lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:
    """MariaDB names the constraint, not the row: through the script (a server with LOCAL INFILE off)."""
    lab.maria.root_sql("ALTER TABLE sys_user ADD CONSTRAINT site_rule CHECK (nick_name <> '张三')", lab.name)
    made, run = _applying(lab, "test", monkeypatch, False)

    with pytest.raises(TargetFailed) as refused:
        run()

    shown = [refused.value.render("en"), refused.value.render("zh")]
    assert "site_rule" in shown[0], shown[0]
    assert made and held_anywhere(lab, made, shown) == []


def test_a_statement_mariadb_quotes_is_said_without_the_hash_it_carries(lab: RuoYiLab) -> None:
    """MariaDB's syntax error quotes the statement from where it stopped reading (`near '…'`),
    literals and all: a hash the session sends is hidden there, as sent (hex) or cut short."""
    hashed = "$2a$04$" + "Kq3f9ZbX1uYtR8wPzL2mNeOcVdJhGsA7iB5kC4lD6nE0oF.pQ/rS"
    with session(lab, "test", FAST_HASH) as (_, target):
        target.secrets.add([hashed])
        literal = target.sql.text(hashed)
        with pytest.raises(TargetFailed) as refused:
            target.script(f"SELECT SELECT {literal}, {literal};\n")

    shown = refused.value.render("en")
    assert "near 'SELECT CONVERT(X'" in shown and HIDDEN in shown, shown
    assert held_anywhere(lab, [hashed], [shown, refused.value.message]) == []


def test_a_reset_postgresql_refuses_is_audited_and_said_without_the_new_hash(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:
    made, run = _applying(lab, "test-pg", monkeypatch, True)
    run()
    # A site's rule on passwords, for rows written from now on: the reset's new hash breaks it.
    lab.pg.sql("ALTER TABLE sys_user ADD CONSTRAINT site_rule CHECK (length(password) > 100) NOT VALID;", lab.name)
    real = reset_module.issue

    def issue(*args: Any, **kwargs: Any) -> Any:
        issued = real(*args, **kwargs)
        made.extend(value for one in issued for value in (one.hashed, one.salt) if value)
        return issued

    monkeypatch.setattr(reset_module, "issue", issue)
    policy = load_mapping(lab.root / "imports" / "ruoyi.yaml").passwords

    with session(lab, "test-pg", FAST_HASH) as (store, target), pytest.raises(TargetFailed) as refused:
        reset_passwords(ImportTarget(store, target, lab.root, "test-pg", "app", "tester"), 1, ["zhangsan"], policy)

    shown = refused.value.render("en")
    assert "site_rule" in shown and "Failing row contains" in shown and HIDDEN in shown, shown
    with Store.open(lab.workspace.store_path) as store:
        assert "user_password_reset_failed" in [e["action"] for e in store.db.query("SELECT action FROM audit")]
    assert len(made) == 2 and held_anywhere(lab, made, [shown, refused.value.message]) == []
