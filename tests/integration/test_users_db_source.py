"""User import whose rows come from a query on another system's database (`source: {kind:
database}`): PostgreSQL read through the real sshd, imported into RuoYi on MariaDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.store.db import Store
from tests.core.users_sheets import write_mapping
from tests.integration.databases import PASSWORD, MariaDbServer, PostgresServer
from tests.integration.ruoyi import RuoYiLab
from tests.integration.sshd import SshdHost, SshLab
from tests.integration.test_users_import import FAST_HASH, launchpad

pytestmark = pytest.mark.integration

HR = """
CREATE TABLE hr_people (login TEXT, name TEXT, phone TEXT, unit TEXT, status TEXT);
INSERT INTO hr_people VALUES ('zhaoliu', '赵六', '13600136000', '办公室', 'active'),
  ('qianqi', '钱七', '1360013', '办公室', 'active'),
  ('gone', '离职', '13500135000', '办公室', 'left');
"""
SOURCE = """\
source:
  kind: database
  environment: test-pg
  query: |
    SELECT login AS 账号, name AS 姓名, phone AS 手机号码, unit AS 单位
    FROM hr_people WHERE status = :status ORDER BY login DESC
  params: {status: active}
"""


@pytest.fixture
def lab(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], mariadb_server: MariaDbServer,
        postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> RuoYiLab:
    sshd_lab.write_user_ssh_config()
    monkeypatch.setenv("LP_TEST_DB_PW", PASSWORD)
    return RuoYiLab(tmp_path / "ws", ssh_hosts[0], mariadb_server, postgres_server)


def test_rows_of_a_query_are_checked_by_row_number_and_column_then_imported(lab: RuoYiLab, english_cli: None) -> None:
    lab.pg.sql(HR, lab.name)
    write_mapping(lab.root, FAST_HASH + SOURCE)

    checked = launchpad(lab, "users", "check", "--lang", "en")
    assert checked.returncode == 1, checked.stderr
    # The query's second row, named by its column, not by a sheet cell.
    assert "  app@test-pg row 2 column 手机号码 '1360013': " in checked.stdout
    assert "2 row(s): 1 with 1 problem(s); annotated copy:" in checked.stderr
    assert (lab.root / "imports" / "ruoyi-database.checked.xlsx").is_file()

    lab.pg.sql("UPDATE hr_people SET phone = '13600136001' WHERE login = 'qianqi'", lab.name)
    imported = launchpad(lab, "users", "import", "--env", "test", "--yes")
    assert imported.returncode == 0, imported.stderr
    assert "✓ import 1 applied: 2 inserted, 0 updated, 0 unchanged, 0 rejected" in imported.stdout
    assert lab.sql("test", "SELECT user_name, nick_name, phonenumber FROM sys_user WHERE create_by = 'import:1' "
                           "ORDER BY user_name") == [["qianqi", "钱七", "13600136001"],
                                                     ["zhaoliu", "赵六", "13600136000"]]
    listed = launchpad(lab, "users", "imports")
    assert "ruoyi-database" in listed.stdout
    again = launchpad(lab, "users", "import", "--env", "test", "--yes")
    assert again.returncode == 0 and "Nothing to write" in again.stdout
    with Store.open(lab.workspace.store_path) as store:
        reads = [row["target"] for row in store.db.query("SELECT target FROM audit WHERE action = 'user_source_read'")]
    assert reads == ["app@test-pg"] * 3  # check, import, import again


def test_a_query_the_database_refuses_is_bad_input_naming_the_source(lab: RuoYiLab, english_cli: None) -> None:
    write_mapping(lab.root, FAST_HASH + SOURCE)  # hr_people does not exist
    checked = launchpad(lab, "users", "check")
    assert checked.returncode == 2, checked.stderr
    assert "the users' query failed: app@test-pg:" in checked.stderr and "hr_people" in checked.stderr
    assert "Traceback" not in checked.stderr
    given = launchpad(lab, "users", "check", str(lab.root / "名单.xlsx"))
    assert given.returncode == 2 and "reads its users from its source (database)" in given.stderr
