"""A PostgreSQL database whose own encoding is not UTF8 (EUC_CN, as older Chinese sites made
theirs), reached through a real sshd: what launchpad sends psql (scripts, parameters, an
import's COPY rows) and what it reads back is UTF-8, and psql is told so, so the server
converts both ways — Chinese text is stored as the characters it is and read back as such. A
character the database's encoding cannot hold is refused by the database, said as a refusal."""

from __future__ import annotations

import json

import pytest

from launchpad.hosts.connect import HostConnections
from launchpad.run.engine import Engine
from launchpad.run.playbook import load_playbook
from launchpad.store.db import Store
from launchpad.users.target import TargetFailed
from tests.integration.ruoyi import DDL, PG_SEQUENCES, RuoYiLab
from tests.integration.ruoyi import PG as PG_TYPES
from tests.integration.test_backup_databases import SQL_PLAYBOOK
from tests.integration.test_users_import import lab, session
from tests.integration.test_users_import_links import NEW, new_links
from tests.integration.test_users_import_staged import SHEET, apply, nick_name
from tests.integration.test_users_refused_hint import NOT_WRITTEN_EN, REFUSED_EN
from tests.scripted import ScriptedPrompter

__all__ = ["lab"]

pytestmark = pytest.mark.integration

PG = "test-pg"


def remade(lab: RuoYiLab, encoding: str) -> RuoYiLab:
    """The lab with its PostgreSQL database made again in `encoding`, the same schema and rows
    (written by the test's own psql with its client encoding UTF8)."""
    name = lab.name
    lab.pg.sql(f"DROP DATABASE {name};")
    lab.pg.sql(f"CREATE DATABASE {name} ENCODING '{encoding}' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;")
    lab.pg.sql("SET client_encoding = 'UTF8';\n" + DDL.format(**PG_TYPES) + PG_SEQUENCES, name)
    [[made]] = lab.sql(PG, f"SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = '{name}'")
    assert made == encoding
    return lab


@pytest.fixture
def euc_lab(lab: RuoYiLab) -> RuoYiLab:
    return remade(lab, "EUC_CN")


def stored(lab: RuoYiLab, query: str) -> list[list[str]]:
    """Rows as the test's own psql reads them, as UTF-8."""
    return lab.sql(PG, "SET client_encoding = 'UTF8';\n" + query)


# SQL_ASCII: the server converts nothing, whatever the client's encoding; the bytes are UTF-8's
@pytest.mark.parametrize(("encoding", "octets"), [("EUC_CN", 6), ("SQL_ASCII", 9)])
def test_chinese_text_written_and_read_through_the_sql_layer_is_what_was_sent(lab: RuoYiLab, encoding: str,
                                                                               octets: int) -> None:
    remade(lab, encoding)
    with session(lab, PG) as (_, target):
        target.script("INSERT INTO sys_dept (dept_id, parent_id, dept_name) VALUES (900, 100, '张三科');")
        by_param = target.query("SELECT dept_id, dept_name FROM sys_dept WHERE dept_name = :name", {"name": "张三科"})
        both = target.query_all(["SELECT dept_name FROM sys_dept WHERE dept_id = 900",
                                 "SELECT nick_name FROM sys_user WHERE user_id = 2"])
    assert by_param.rows == (("900", "张三科"),)
    assert [s.rows for s in both] == [(("张三科",),), (("李四",),)]
    # stored as the same characters: two bytes each in EUC_CN
    assert stored(lab, "SELECT octet_length(dept_name), encode(convert_to(dept_name, 'UTF8'), 'hex') "
                       "FROM sys_dept WHERE dept_id = 900") == [[str(octets), "张三科".encode().hex()]]
    if encoding == "EUC_CN":
        assert stored(lab, "SELECT length(dept_name) FROM sys_dept WHERE dept_id = 900") == [["3"]]


def test_an_import_stores_its_chinese_names_as_they_are(euc_lab: RuoYiLab) -> None:
    apply(euc_lab, "test", SHEET)  # MariaDB (utf8mb4): the same import's links, to compare with
    expected = new_links(euc_lab, "test")
    apply(euc_lab, PG, SHEET, batch_size=2)
    assert {login: nick_name(euc_lab, PG, login) for login in NEW} == \
        {login: nick_name(euc_lab, "test", login) for login in NEW}
    assert new_links(euc_lab, PG) == expected  # units and posts found by their Chinese names
    depts = "SELECT u.user_name, d.dept_name FROM sys_user u JOIN sys_dept d ON d.dept_id = u.dept_id"
    assert sorted(stored(euc_lab, depts)) == sorted(euc_lab.sql("test", depts))


def test_a_name_the_database_encoding_cannot_hold_is_refused_and_nothing_written(euc_lab: RuoYiLab) -> None:
    # 張, the traditional form of 张, is not in EUC_CN (GB 2312)
    sheet = [SHEET[0], ["zhangsan", "張三", "", "13800138000", "", "男", "办公室", "科长"]]
    with pytest.raises(TargetFailed) as refused:
        apply(euc_lab, PG, sheet)
    english = refused.value.render("en")
    assert "EUC_CN" in english and REFUSED_EN in english and NOT_WRITTEN_EN in english, english
    assert refused.value.exit_code == 1
    assert stored(euc_lab, "SELECT count(*) FROM sys_user WHERE user_name = 'zhangsan'") == [["0"]]


def test_a_sql_step_whose_parameter_the_database_cannot_hold_fails_saying_why(euc_lab: RuoYiLab) -> None:
    step = {"name": "by_name", "id": "by_name", "kind": "sql", "database": "app",
            "query": "SELECT count(*) FROM sys_user WHERE nick_name = :name", "params": {"name": "張三"}}
    (euc_lab.root / "playbooks").mkdir()
    playbook = euc_lab.root / "playbooks" / "q.yaml"
    playbook.write_text(SQL_PLAYBOOK + f"      - {json.dumps(step, ensure_ascii=False)}\n", encoding="utf-8")
    with Store.open(euc_lab.workspace.store_path) as store, HostConnections(euc_lab.workspace, PG) as connections:
        result = Engine(euc_lab.workspace, store, ScriptedPrompter(), connections.transport_for).start(
            load_playbook(playbook), PG, {})
        state = store.latest_step_states(result.run_id)["by_name"]
    assert state["status"] == "failed" and "EUC_CN" in state["summary"], state
