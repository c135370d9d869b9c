"""A batch (or a reset) the target database itself refuses — a CHECK constraint, a trigger, a
value too long — is told as such: the database refused the data, nothing of it was written, fix
the rows or the mapping (or ask the DBA) and run again. Never the hint for a database that could
not be reached, which a wrong password still gets."""

from __future__ import annotations

import dataclasses

import pytest

from launchpad.backup.sqlquery import secret_files
from launchpad.users.target import TargetFailed, TargetSession
from tests.core.users_sheets import write_mapping, write_xlsx
from tests.integration.databases import PASSWORD
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_hashes import _applying
from tests.integration.test_users_import import FAST_HASH, GOOD_SHEET, lab, launchpad, session

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("english_cli")]
__all__ = ["lab"]

REFUSED_EN = "the database refused this batch's data"
REFUSED_ZH = "数据库拒绝了这一批的数据"
NOT_WRITTEN_EN = "nothing of it was written"
NOT_WRITTEN_ZH = "这一批什么都没有写入"
CONNECT_EN = "check the database's name, address, port, user and password"
CONNECT_ZH = "请核对 site.yaml 中 databases: 下该数据库的库名、地址、端口、用户名和密码"
TABLES = ("sys_user", "sys_user_role", "sys_user_post")


def refuse_zhangsan(lab: RuoYiLab, env: str) -> None:
    """A site's rule the sheet's new user 张三 breaks."""
    if env == "test":
        lab.maria.root_sql("ALTER TABLE sys_user ADD CONSTRAINT site_rule CHECK (nick_name <> '张三')", lab.name)
    else:
        lab.pg.sql("ALTER TABLE sys_user ADD CONSTRAINT site_rule CHECK (nick_name <> '张三');", lab.name)


def contents(lab: RuoYiLab, env: str) -> dict[str, list[list[str]]]:
    return {table: sorted(lab.sql(env, f"SELECT * FROM {table}")) for table in TABLES}


@pytest.mark.parametrize("bulk", [True, False], ids=["loaded", "script"])
@pytest.mark.parametrize("env", ["test", "test-pg"])
def test_a_batch_the_database_refuses_says_so_and_that_nothing_of_it_was_written(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch, env: str, bulk: bool) -> None:
    refuse_zhangsan(lab, env)
    before = contents(lab, env)
    _, run = _applying(lab, env, monkeypatch, bulk)

    with pytest.raises(TargetFailed) as refused:
        run()

    english, chinese = refused.value.render("en"), refused.value.render("zh")
    assert "site_rule" in english and REFUSED_EN in english and NOT_WRITTEN_EN in english, english
    assert "run the same command again" in english, english
    assert REFUSED_ZH in chinese and NOT_WRITTEN_ZH in chinese and "再次运行同一命令" in chinese, chinese
    assert CONNECT_EN not in english and CONNECT_ZH not in chinese
    assert refused.value.exit_code == 1
    assert contents(lab, env) == before  # the batch was one transaction: none of its rows is there


@pytest.mark.parametrize("env", ["test", "test-pg"])
def test_the_command_line_says_the_database_refused_the_batch(lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch,
                                                             env: str) -> None:
    monkeypatch.delenv("LAUNCHPAD_LANG")  # the site's own language: Chinese
    write_mapping(lab.root, FAST_HASH)
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": GOOD_SHEET})
    planned = launchpad(lab, "users", "plan", str(sheet), "--env", env)
    assert planned.returncode == 0, planned.stderr
    refuse_zhangsan(lab, env)
    before = contents(lab, env)

    done = launchpad(lab, "users", "import", str(sheet), "--env", env, "--yes")

    assert done.returncode == 1, (done.stdout, done.stderr)  # a failed batch: exit 1 (docs/commands.md)
    said = done.stdout + done.stderr
    assert "site_rule" in said and REFUSED_ZH in said and NOT_WRITTEN_ZH in said, said
    assert CONNECT_ZH not in said, said
    assert "Traceback" not in said
    assert contents(lab, env) == before


def test_a_reset_the_database_refuses_says_no_password_changed(lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    _, run = _applying(lab, "test-pg", monkeypatch, True)
    run()
    lab.pg.sql("ALTER TABLE sys_user ADD CONSTRAINT site_rule CHECK (length(password) > 100) NOT VALID;", lab.name)
    before = contents(lab, "test-pg")

    done = launchpad(lab, "users", "handout", "1", "--reset", "zhangsan", "--yes")

    assert done.returncode == 1, (done.stdout, done.stderr)
    said = done.stdout + done.stderr
    assert "site_rule" in said and "the database refused the new passwords" in said, said
    assert "no password was changed" in said and CONNECT_EN not in said, said
    assert contents(lab, "test-pg") == before


@pytest.mark.parametrize("env", ["test", "test-pg"])
def test_a_batch_sent_with_a_wrong_password_still_gets_the_connection_hint(lab: RuoYiLab, env: str) -> None:
    with session(lab, env, FAST_HASH) as (_, target):
        wrong = dataclasses.replace(target.access, password="not-" + PASSWORD)
        shell = target.shell.beside()  # its own private folder, holding the wrong password
        with shell.private_dir(secret_files(wrong)) as tmp:
            stranger = TargetSession(shell, tmp, wrong)
            script = [*stranger.sql.begin, "UPDATE sys_user SET nick_name = nick_name WHERE 1 = 0;", "COMMIT;"]
            with pytest.raises(TargetFailed) as failed:
                stranger.script("\n".join(script) + "\n")

    english, chinese = failed.value.render("en"), failed.value.render("zh")
    assert CONNECT_EN in english and REFUSED_EN not in english, english
    assert CONNECT_ZH in chinese and REFUSED_ZH not in chinese, chinese


def test_the_command_line_with_a_wrong_password_gets_the_connection_hint(lab: RuoYiLab,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    write_mapping(lab.root, FAST_HASH)
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": GOOD_SHEET})
    monkeypatch.setenv("LP_TEST_DB_PW", "not-" + PASSWORD)

    done = launchpad(lab, "users", "import", str(sheet), "--env", "test", "--yes")

    said = done.stdout + done.stderr
    assert done.returncode == 1 and CONNECT_EN in said and REFUSED_EN not in said, said


def test_a_rollback_a_trigger_refuses_says_so_and_that_nothing_of_it_was_written(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:
    _, run = _applying(lab, "test-pg", monkeypatch, True)
    run()
    lab.pg.sql("CREATE FUNCTION site_rule() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "RAISE EXCEPTION 'site_rule: users are never deleted'; END $$; "
               "CREATE TRIGGER site_rule BEFORE DELETE ON sys_user FOR EACH ROW EXECUTE FUNCTION site_rule();",
               lab.name)
    before = contents(lab, "test-pg")

    done = launchpad(lab, "users", "rollback", "1", "--yes")

    assert done.returncode == 1, (done.stdout, done.stderr)
    said = done.stdout + done.stderr
    assert "site_rule: users are never deleted" in said and "the database refused this change" in said, said
    assert "nothing of it was written" in said and CONNECT_EN not in said, said
    assert contents(lab, "test-pg") == before
