"""A system that is not RuoYi, described by a target profile in the workspace: accounts numbered
max+1, a soft-delete flag, a tenant column that hides another tenant's rows, units known by a
path of text ids, roles through a link table, a force-change flag — planned, applied, applied
again and rolled back in real MariaDB and PostgreSQL through a real sshd."""

from __future__ import annotations

import contextlib
import secrets
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from launchpad.hosts.connect import HostConnections
from launchpad.store.db import Store
from launchpad.users.apply import ApplyOutcome, ImportTarget, apply_plan, rollback_import
from launchpad.users.mapping import load_mapping
from launchpad.users.operations import Planned, file_sha256, plan_file, target_session
from launchpad.users.target import TargetSession
from launchpad.workspace.folder import load_workspace
from tests.core.users_sheets import write_xlsx
from tests.integration.databases import PASSWORD, MariaDbServer, PostgresServer
from tests.integration.sshd import SshdHost, SshLab

pytestmark = pytest.mark.integration

DDL = """
CREATE TABLE org_unit (unit_code VARCHAR(36) PRIMARY KEY, title VARCHAR(60) NOT NULL, id_path VARCHAR(400) NOT NULL,
  is_deleted SMALLINT NOT NULL DEFAULT 0, tenant_id VARCHAR(20) NOT NULL);
CREATE TABLE app_account (account_id INT PRIMARY KEY, login VARCHAR(40) NOT NULL, display_name VARCHAR(20) NOT NULL,
  mobile VARCHAR(20) DEFAULT '', gender VARCHAR(1) DEFAULT 'U', unit_code VARCHAR(36), pwd_hash VARCHAR(100) NOT NULL,
  must_change SMALLINT NOT NULL DEFAULT 0, is_deleted SMALLINT NOT NULL DEFAULT 0, tenant_id VARCHAR(20) NOT NULL,
  added_by VARCHAR(64), changed_by VARCHAR(64), added_at TIMESTAMP NULL);
CREATE TABLE app_role (role_id INT PRIMARY KEY, code VARCHAR(40) NOT NULL, tenant_id VARCHAR(20) NOT NULL);
CREATE TABLE account_role (account_id INT NOT NULL, role_id INT NOT NULL, PRIMARY KEY (account_id, role_id));
INSERT INTO org_unit VALUES ('u-root', '市局', '/u-root/', 0, 'city'), ('u-it', '信息中心', '/u-root/u-it/', 0, 'city'),
  ('u-off', '办公室', '/u-root/u-off/', 0, 'city'), ('u-old', '档案室', '/u-root/u-old/', 1, 'city'),
  ('x-it', '信息中心', '/x-it/', 0, 'county');
INSERT INTO app_account (account_id, login, display_name, mobile, gender, unit_code, pwd_hash, tenant_id, added_by,
  changed_by) VALUES (1, 'lisi', '李四', '13900139000', 'F', 'u-off', 'h', 'city', 'admin', 'admin'),
  (2, 'gone', '离职', '13700137001', 'M', 'u-off', 'h', 'city', 'admin', 'admin'),
  (7, 'zhangsan', '别的张三', '13600136000', 'M', 'x-it', 'h', 'county', 'admin', 'admin');
UPDATE app_account SET is_deleted = 1 WHERE login = 'gone';
INSERT INTO app_role VALUES (1, 'staff', 'city'), (2, 'manager', 'city'), (3, 'staff', 'county');
INSERT INTO account_role VALUES (1, 1), (7, 3);
"""

PROFILE = """\
name: hrportal
users:
  table: app_account
  id: {column: account_id, generate: max_plus_one}
  fields:
    user_name: {column: login, size: 40}
    nick_name: {column: display_name, size: 20}
    phonenumber: {column: mobile, size: 20}
    sex: {column: gender, size: 1}
  unit: {column: unit_code}
  password: {column: pwd_hash, force_change: {must_change: "1"}}
  soft_delete: {column: is_deleted, live: "0", deleted: "1"}
  tenant: {column: tenant_id, value: city}
  mark: {created_by: added_by, updated_by: changed_by, created_at: added_at}
units:
  table: org_unit
  id: unit_code
  name: title
  path: id_path
  soft_delete: {column: is_deleted, live: "0", deleted: "1"}
  tenant: {column: tenant_id, value: city}
roles:
  table: app_role
  id: role_id
  key: code
  tenant: {column: tenant_id, value: city}
  link: {table: account_role, user: account_id, to: role_id}
"""

MAPPING = """\
target: hrportal
key: user_name
fields:
  user_name: {headers: [账号], required: true, transforms: [trim, lower]}
  nick_name: {headers: [姓名], required: true}
  phonenumber: {headers: [手机], check: mobile, unique: true}
  sex: {headers: [性别], codes: {男: M, 女: F}}
  dept: {headers: [单位], required: true}
roles:
  default: [staff]
passwords: {cost: 4, length: 10}
"""

SHEET = [["账号", "姓名", "手机", "性别", "单位"],
         ["zhangsan", "张三", "13800138000", "男", "信息中心"],  # the county's zhangsan is another tenant's
         ["lisi", "李四", "13900139000", "女", "信息中心"],  # moves from 办公室
         ["gone", "归来", "13700137001", "男", "市局/办公室"]]  # soft-deleted: a new account


class ProfileLab:
    def __init__(self, root: Path, host: SshdHost, maria: MariaDbServer, pg: PostgresServer) -> None:
        self.name = f"hr_{secrets.token_hex(4)}"
        self.maria, self.pg = maria, pg
        (root / ".launchpad").mkdir(parents=True)
        (root / ".launchpad" / "known_hosts").write_text(host.known_hosts_line())
        hosts = f"hosts: [{{name: app1, address: {host.address}, port: {host.port}}}]"
        (root / "site.yaml").write_text(textwrap.dedent(f"""\
            site: {{name: 用户导入, client: 客户}}
            environments:
              maria:
                {hosts}
                databases:
                  hr: {{engine: mariadb, host: 127.0.0.1, port: {maria.port}, name: {self.name}, user: lp,
                        password: env:LP_TEST_DB_PW, via: app1}}
              pg:
                {hosts}
                databases:
                  hr: {{engine: postgresql, host: 127.0.0.1, port: {pg.port}, name: {self.name}, user: lp,
                        password: env:LP_TEST_DB_PW, via: app1}}
            """), encoding="utf-8")
        (root / "imports" / "targets").mkdir(parents=True)
        (root / "imports" / "targets" / "hrportal.yaml").write_text(PROFILE, encoding="utf-8")
        (root / "imports" / "hr.yaml").write_text(MAPPING, encoding="utf-8")
        self.root = root
        self.workspace = load_workspace(root)
        maria.root_sql(f"CREATE DATABASE {self.name} CHARACTER SET utf8mb4;")
        maria.root_sql(DDL, self.name)
        pg.sql(f"CREATE DATABASE {self.name};")
        pg.sql(DDL, self.name)

    def rows(self, env: str, query: str) -> list[list[str]]:
        out = self.maria.root_sql(query, self.name) if env == "maria" else \
            self.pg.sql(query, self.name).replace("|", "\t")
        return [line.split("\t") for line in out.splitlines() if line]


@pytest.fixture
def lab(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], mariadb_server: MariaDbServer,
        postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> ProfileLab:
    sshd_lab.write_user_ssh_config()
    monkeypatch.setenv("LP_TEST_DB_PW", PASSWORD)
    return ProfileLab(tmp_path / "ws", ssh_hosts[0], mariadb_server, postgres_server)


@contextlib.contextmanager
def session(lab: ProfileLab, env: str) -> Iterator[tuple[Store, TargetSession]]:
    with Store.open(lab.workspace.store_path) as store, HostConnections(lab.workspace, env) as connections, \
            target_session(lab.workspace, env, None, connections.transport_for,
                           lambda action, target, detail: _audit(store, action, target, detail)) as target:
        yield store, target


def _audit(store: Store, action: str, target: str, detail: dict[str, object]) -> None:
    store.audit("tester", action, target, detail)


def plan(lab: ProfileLab, env: str, target: TargetSession) -> tuple[Path, Planned]:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": SHEET})
    return sheet, plan_file(sheet, lab.root / "imports" / "hr.yaml", target, env)


def apply(lab: ProfileLab, env: str) -> ApplyOutcome:
    with session(lab, env) as (store, target):
        sheet, planned = plan(lab, env, target)
        to = ImportTarget(store, target, lab.root, env, "hr", "tester")
        return apply_plan(to, planned, file=sheet, file_sha256=file_sha256(sheet), mapping_name="hr.yaml")


ACCOUNTS = ("SELECT account_id, login, display_name, mobile, gender, unit_code, must_change, is_deleted, tenant_id, "
            "COALESCE(added_by, '-'), COALESCE(changed_by, '-') FROM app_account ORDER BY account_id")
LINKS = "SELECT account_id, role_id FROM account_role ORDER BY account_id, role_id"


@pytest.mark.parametrize(("env", "generate"), [("maria", "max_plus_one"), ("pg", "max_plus_one"), ("pg", "sequence")])
def test_a_custom_system_is_planned_applied_and_rolled_back_through_its_profile(lab: ProfileLab, env: str,
                                                                              generate: str) -> None:
    if generate == "sequence":  # the site's own sequence, next at 8: the same ids as max+1 gives
        lab.pg.sql("CREATE SEQUENCE app_account_ids START 8;", lab.name)
        profile = lab.root / "imports" / "targets" / "hrportal.yaml"
        profile.write_text(PROFILE.replace("generate: max_plus_one", "generate: sequence, sequence: app_account_ids"),
                           encoding="utf-8")
    before, links_before = lab.rows(env, ACCOUNTS), lab.rows(env, LINKS)
    with session(lab, env) as (_, target):
        planned = plan(lab, env, target)[1]
    assert {d.name: "/".join(d.path) for d in planned.state.departments} == {
        "市局": "市局", "信息中心": "市局/信息中心", "办公室": "市局/办公室"}  # no deleted unit, no other tenant's
    assert [(u.key, u.action) for u in planned.plan.users] == [
        ("zhangsan", "insert"), ("lisi", "update"), ("gone", "insert")]
    assert planned.plan.users[1].changes == {"dept_id": ("u-off", "u-it")}

    first = apply(lab, env)
    mark = f"import:{first.import_id}"
    after = lab.rows(env, ACCOUNTS)
    assert after[0] == ["1", "lisi", "李四", "13900139000", "F", "u-it", "0", "0", "city", "admin", mark]
    assert after[-2:] == [["8", "zhangsan", "张三", "13800138000", "M", "u-it", "1", "0", "city", mark, "-"],
                          ["9", "gone", "归来", "13700137001", "M", "u-off", "1", "0", "city", mark, "-"]]
    assert lab.rows(env, LINKS) == [["1", "1"], ["7", "3"], ["8", "1"], ["9", "1"]]
    [[hashed]] = lab.rows(env, "SELECT pwd_hash FROM app_account WHERE account_id = 8")
    assert hashed.startswith("$2a$04$")

    second = apply(lab, env)
    assert second.counts == {"insert": 0, "update": 0, "unchanged": 3, "rejected": 0}

    with session(lab, env) as (store, target):
        undone = rollback_import(ImportTarget(store, target, lab.root, env, "hr", "tester"), first.import_id)
    assert (undone.deleted, undone.restored) == (2, 1)
    assert [row[:10] for row in lab.rows(env, ACCOUNTS)] == [row[:10] for row in before]
    assert lab.rows(env, LINKS) == links_before


def test_a_mapping_naming_a_profile_nobody_wrote_says_where_it_looked(tmp_path: Path) -> None:
    from launchpad.errors import UsageError

    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "hr.yaml").write_text(MAPPING.replace("hrportal", "payroll"), encoding="utf-8")
    with pytest.raises(UsageError, match="no target profile 'payroll': not bundled .ruoyi. and no payroll.yaml in"):
        load_mapping(tmp_path / "imports" / "hr.yaml")
