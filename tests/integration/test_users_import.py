"""User import against real MariaDB and PostgreSQL holding a RuoYi-shaped schema, reached
through a real sshd: the plan is computed from the live target."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from launchpad.connect import HostConnections
from launchpad.errors import UsageError
from launchpad.store import Store
from launchpad.users.mapping import load_mapping
from launchpad.users.operations import Planned, plan_file, target_session
from tests.core.users_sheets import GOOD, HEADER, MAPPING, write_mapping, write_xlsx
from tests.integration.databases import (  # noqa: F401 - the two fixtures
    PASSWORD,
    MariaDbServer,
    PostgresServer,
    mariadb_server_fixture,
    postgres_server_fixture,
)
from tests.integration.ruoyi import RuoYiLab
from tests.integration.sshd import SshdHost, SshLab

pytestmark = pytest.mark.integration

SHEET = [
    HEADER,
    GOOD[0],  # zhangsan: new, post 科长 → roles common + leader
    GOOD[1],  # lisi: exists in 办公室; the sheet moves him to 信息中心 and adds his e-mail
    ["other", "别人", "", "13700137000", "", "", "办公室", ""],  # exactly as in the target
    ["wangwu", "王五", "", "15888888888", "", "", "信息中", "处长"],  # taken phone, unknown unit and post
]


@pytest.fixture
def lab(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], mariadb_server: MariaDbServer,
        postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> RuoYiLab:
    sshd_lab.write_user_ssh_config()
    monkeypatch.setenv("LP_TEST_DB_PW", PASSWORD)
    return RuoYiLab(tmp_path / "ws", ssh_hosts[0], mariadb_server, postgres_server)


@contextlib.contextmanager
def session(lab: RuoYiLab, env: str, mapping_text: str = MAPPING) -> Iterator[tuple[Store, object]]:
    mapping = load_mapping(write_mapping(lab.root, mapping_text))
    with Store.open(lab.workspace.store_path) as store, HostConnections(lab.workspace, env) as connections, \
            target_session(lab.workspace, env, mapping, connections.transport_for,
                           lambda action, target, detail: store.audit("tester", action, target, detail)) as target:
        yield store, target


def plan(lab: RuoYiLab, env: str, rows: list[list[object]] | None = None) -> Planned:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": rows or SHEET})
    with session(lab, env) as (_, target):
        return plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)  # type: ignore[arg-type]


@pytest.mark.parametrize("env", ["test", "prod"])
def test_the_plan_is_computed_from_the_live_target(lab: RuoYiLab, env: str) -> None:
    planned = plan(lab, env)
    users = {u.key: u for u in planned.plan.users}
    assert [(u.key, u.action) for u in planned.plan.users] == [
        ("zhangsan", "insert"), ("lisi", "update"), ("other", "unchanged"), ("wangwu", "rejected")]
    assert users["zhangsan"].values["dept_id"] == "101"
    assert users["zhangsan"].roles_added == ["common", "leader"] and users["zhangsan"].posts_added == ["kz"]
    assert users["lisi"].changes == {"email": ("", "ls@example.cn"), "sex": ("0", "1"), "dept_id": ("101", "102")}
    assert users["lisi"].posts_added == ["ky"] and users["lisi"].roles_added == []
    assert [str(p.reason) for p in users["wangwu"].problems] == [
        "no unit '信息中' in the target; closest: 某某局/信息中心, 某某局/信息中心/综合科",
        "already belongs to user admin in the target",
        "no post '处长' in the target; closest: 科长",
    ]
    assert planned.plan.counts_by_unit() == {
        "-": {"insert": 0, "update": 0, "unchanged": 0, "rejected": 1},
        "某某局/信息中心": {"insert": 0, "update": 1, "unchanged": 0, "rejected": 0},
        "某某局/办公室": {"insert": 1, "update": 0, "unchanged": 1, "rejected": 0},
    }


def test_a_role_the_target_lacks_stops_before_any_row(lab: RuoYiLab) -> None:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": SHEET})
    with session(lab, "test", MAPPING.replace("roles: [leader]", "roles: [chief]")) as (_, target), \
            pytest.raises(UsageError, match="role key.s. chief of the mapping are not in sys_role of test"):
        plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, "test")  # type: ignore[arg-type]
