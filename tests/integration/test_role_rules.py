"""`launchpad roles` against real MariaDB (test) and PostgreSQL (test-pg, and prod, which is
production) holding RuoYi's users, units, posts and roles, reached through a real sshd, and
against a RuoYi-shaped SQLite file: rules matching by unit path, glob, level and post; the
preview is what apply writes; a second apply changes nothing; rollback restores the links; a
target changed since the preview is said; production needs its name and a fresh backup; a bad
rules file is located."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

from launchpad.store.db import Store
from tests.integration.databases import PASSWORD, MariaDbServer, PostgresServer
from tests.integration.ruoyi import RuoYiLab
from tests.integration.ruoyi_baseline import run_sql
from tests.integration.sshd import SshdHost, SshLab
from tests.integration.test_users_import import launchpad

pytestmark = pytest.mark.integration

# 王科长 heads 办公室's 综合科 (level 3, post 科长), 赵科员 works in 信息中心's 综合科 (post 科员),
# 钱主任 heads 信息中心 (level 2, post 科长). Everyone starts with the common role.
PEOPLE = [
    "INSERT INTO sys_user (user_id, dept_id, user_name, nick_name) VALUES (10, 103, 'wang', '王科长'), "
    "(11, 104, 'zhao', '赵科员'), (12, 102, 'qian', '钱主任')",
    "INSERT INTO sys_user_post (user_id, post_id) VALUES (10, 1), (11, 2), (12, 1)",
    "INSERT INTO sys_user_role (user_id, role_id) VALUES (10, 2), (11, 2), (12, 2)",
]
RULES = """\
rules:
  - name: 科长任科室负责人
    post: 科长            # by the post's name; its code kz works too
    level: 3
    add: [leader]
  - name: 信息中心主任
    unit: 某某局/信息中心
    level: 2
    add: [leader]
  - name: 综合科科员不再用普通角色
    unit: 某某局/*/综合科
    post: [ky]
    has_role: common
    remove: [common]
"""
BEFORE = [("admin", "admin"), ("lisi", "common"), ("other", "common"), ("qian", "common"), ("wang", "common"),
          ("zhao", "common")]
AFTER = [("admin", "admin"), ("lisi", "common"), ("other", "common"), ("qian", "common"), ("qian", "leader"),
         ("wang", "common"), ("wang", "leader")]


@pytest.fixture
def lab(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], mariadb_server: MariaDbServer,
        postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> RuoYiLab:
    sshd_lab.write_user_ssh_config()
    monkeypatch.setenv("LP_TEST_DB_PW", PASSWORD)
    made = RuoYiLab(tmp_path / "ws", ssh_hosts[0], mariadb_server, postgres_server)
    for env in ("test", "prod"):
        for sql in PEOPLE:
            run_sql(made, env, sql)
    write_rules(made.root, RULES)
    return made


def write_rules(root: Path, text: str) -> Path:
    path = root / "roles" / "rules.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def links(lab: RuoYiLab, env: str) -> list[tuple[str, ...]]:
    rows = lab.sql(env, "SELECT u.user_name, r.role_key FROM sys_user_role ur JOIN sys_user u ON u.user_id = "
                        "ur.user_id JOIN sys_role r ON r.role_id = ur.role_id ORDER BY 1, 2")
    return [tuple(r) for r in rows if r != ["user_name", "role_key"]]


def preview_json(lab: RuoYiLab, env: str) -> dict[str, Any]:
    done = launchpad(lab, "roles", "preview", "--env", env, "--json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


@pytest.mark.parametrize("env", ["test", "test-pg"])
def test_preview_is_what_apply_writes_a_second_apply_changes_nothing_and_rollback_restores(
        lab: RuoYiLab, env: str) -> None:
    db = "test" if env == "test" else "prod"  # test-pg and prod share one database
    assert links(lab, db) == BEFORE
    body = preview_json(lab, env)
    shown = {c["account"]: (c["unit"], c["posts"], c["before"], c["after"], c["rules"]) for c in body["changes"]}
    assert shown == {
        "qian": ("某某局/信息中心", ["kz"], ["common"], ["common", "leader"], ["信息中心主任"]),
        "wang": ("某某局/办公室/综合科", ["kz"], ["common"], ["common", "leader"], ["科长任科室负责人"]),
        "zhao": ("某某局/信息中心/综合科", ["ky"], ["common"], [], ["综合科科员不再用普通角色"]),
    }
    assert body["per_rule"] == {"科长任科室负责人": 1, "信息中心主任": 1, "综合科科员不再用普通角色": 1}
    assert body["per_unit"] == {"某某局/信息中心": 1, "某某局/信息中心/综合科": 1, "某某局/办公室/综合科": 1}
    assert links(lab, db) == BEFORE  # a preview writes nothing

    table = launchpad(lab, "roles", "preview", "--env", env, "--xlsx", str(lab.root / "预览.xlsx"))
    assert table.returncode == 0, table.stderr
    assert "  wang  王科长  某某局/办公室/综合科  [kz]  common → common、leader  (科长任科室负责人)" in table.stdout
    assert "  zhao  赵科员  某某局/信息中心/综合科  [ky]  common → -  (综合科科员不再用普通角色)" in table.stdout
    assert "  信息中心主任：变化 1 个，匹配 1 个" in table.stdout and "按部门：" in table.stdout
    from openpyxl import load_workbook

    sheet = load_workbook(lab.root / "预览.xlsx")["用户"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=4)]
    assert rows[0] == ["账号", "姓名", "部门", "岗位", "现有角色", "调整后角色", "规则"]
    assert ["zhao", "赵科员", "某某局/信息中心/综合科", "ky", "common", None, "综合科科员不再用普通角色"] in rows

    applied = launchpad(lab, "roles", "apply", "--env", env, "--yes", "--batch", "2")
    assert applied.returncode == 0, applied.stderr
    assert "3 个用户，分 2 批" in applied.stdout
    assert links(lab, db) == AFTER
    assignment = int(applied.stdout.split("角色分配 ")[1].split()[0])

    again = launchpad(lab, "roles", "apply", "--env", env, "--yes")
    assert again.returncode == 0, again.stderr
    assert "无需变更" in again.stdout
    assert links(lab, db) == AFTER
    assert preview_json(lab, env)["changes"] == []

    # By hand, after the assignment: qian also gets admin. The rollback says so and keeps it.
    run_sql(lab, db, "INSERT INTO sys_user_role (user_id, role_id) VALUES (12, 1)")
    undone = launchpad(lab, "roles", "rollback", str(assignment), "--yes")
    assert undone.returncode == 0, undone.stderr
    assert f"角色分配 {assignment} 之后，有 1 个用户的角色被他人改动过" in undone.stderr, undone.stderr
    assert "qian：分配后为 [common、leader]，现在为 [admin、common、leader]" in undone.stderr
    assert "wang：" not in undone.stderr and "zhao：" not in undone.stderr
    assert links(lab, db) == sorted([*BEFORE, ("qian", "admin")])
    with Store.open(lab.workspace.store_path) as store:
        actions = [r["action"] for r in store.db.query("SELECT action FROM audit ORDER BY id")]
        status = [r["status"] for r in store.db.query("SELECT status FROM role_assignments WHERE id = ?",
                                                       [assignment])]
        started = [json.loads(r["detail"]) for r in store.db.query(
            "SELECT detail FROM audit WHERE action = 'role_rollback_started' ORDER BY id")]
    assert status == ["rolled_back"]
    assert started[-1]["changed_since"] == ["qian: the assignment left [common, leader], now [admin, common, leader]"]
    for expected in ("role_rules_previewed", "role_assignment_confirmed", "role_assignment_started",
                     "role_assignment_batch", "role_assignment_applied", "role_assignment_nothing",
                     "role_rollback_started", "role_assignment_rolled_back"):
        assert expected in actions, expected


def test_apply_refuses_when_the_target_changed_since_the_preview(lab: RuoYiLab) -> None:
    preview_json(lab, "test")
    run_sql(lab, "test", "INSERT INTO sys_user_role (user_id, role_id) VALUES (10, 3)")  # wang got leader by hand
    run_sql(lab, "test", "DELETE FROM sys_user_post WHERE user_id = 11")  # zhao is no longer 科员
    refused = launchpad(lab, "roles", "apply", "--env", "test", "--yes")
    assert refused.returncode == 4  # a refused gate, not a failure
    assert "test 在预览" in refused.stderr and "之后有了变化；没有写入任何内容：\n  " in refused.stderr
    assert "\n  wang：不再变化（预览时为 [common] → [common、leader]）\n  zhao：不再变化" in refused.stderr
    assert links(lab, "test") == [*BEFORE[:4], ("wang", "common"), ("wang", "leader"), ("zhao", "common")]

    write_rules(lab.root, RULES + "  - {name: 全员, level: [1, 2, 3], add: [common]}\n")
    edited = launchpad(lab, "roles", "apply", "--env", "test", "--yes")
    assert edited.returncode == 4 and "roles/rules.yaml 在预览" in edited.stderr and "之后被修改过" in edited.stderr


def test_production_needs_a_fresh_backup_and_its_name_typed(lab: RuoYiLab) -> None:
    preview_json(lab, "prod")
    # the backup gate first, before anybody is asked to type the name
    no_backup = launchpad(lab, "roles", "apply", "--env", "prod", "--yes", "--confirm", "prod")
    assert no_backup.returncode == 4 and "没有 2 小时内经过校验的备份" in no_backup.stderr
    assert links(lab, "prod") == BEFORE
    assert launchpad(lab, "backup", "--env", "prod", "app").returncode == 0
    unnamed = launchpad(lab, "roles", "apply", "--env", "prod", "--yes")
    assert unnamed.returncode == 2
    assert "prod 是生产环境：没有输入其名称" in unnamed.stderr
    assert links(lab, "prod") == BEFORE
    done = launchpad(lab, "roles", "apply", "--env", "prod", "--yes", "--confirm", "prod")
    assert done.returncode == 0, done.stderr
    assert "，备份 " in done.stdout and links(lab, "prod") == AFTER  # the site speaks Chinese
    assignment = done.stdout.split("角色分配 ")[1].split()[0]
    unnamed_undo = launchpad(lab, "roles", "rollback", assignment, "--yes")
    assert unnamed_undo.returncode == 2 and "prod 是生产环境：没有输入其名称" in unnamed_undo.stderr
    assert links(lab, "prod") == AFTER
    assert launchpad(lab, "roles", "rollback", assignment, "--yes", "--confirm", "prod").returncode == 0
    assert links(lab, "prod") == BEFORE


@pytest.mark.parametrize(("text", "where", "said"), [
    ("rules:\n  - name: x\n    levle: 2\n    add: [leader]\n", "roles/rules.yaml:3:5", "levle"),
    ("rules:\n  - name: x\n    level: 2\n", "roles/rules.yaml:2:5", "规则须至少添加或移除一个角色"),
    ("rules:\n  - name: x\n    level: 2\n    add: [leader, 审计员]\n", "roles/rules.yaml:4:19",
     "规则“x”：目标系统没有角色“审计员”（现有："),
    ("rules:\n  - name: x\n    unit: 某某局/财务处\n    add: [leader]\n", "roles/rules.yaml:3:11",
     "规则“x”：目标系统没有与“某某局/财务处”匹配的部门"),
    ("rules:\n  - name: x\n    post: [kz, 处长]\n    add: [leader]\n", "roles/rules.yaml:3:16",
     "规则“x”：目标系统没有岗位“处长”（现有："),
])
def test_a_bad_rules_file_is_located_and_nothing_is_previewed(lab: RuoYiLab, text: str, where: str,
                                                              said: str) -> None:
    write_rules(lab.root, text)
    done = launchpad(lab, "roles", "preview", "--env", "test")
    assert done.returncode == 2, done.stderr
    assert where in done.stderr and said in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    with Store.open(lab.workspace.store_path) as store:
        assert list(store.db.query("SELECT id FROM role_assignments")) == []


SQLITE_SITE = textwrap.dedent("""\
    site: {name: 角色, client: 客户}
    environments:
      test:
        transport: local
        hosts: [{name: app1, address: 127.0.0.1}]
        databases: {app: {engine: sqlite, name: data/ry.db}}
    """)


def test_the_same_rules_in_sqlite(tmp_path: Path) -> None:
    import contextlib
    import sqlite3

    from tests.integration.ruoyi import sqlite_ruoyi

    root = tmp_path / "ws"
    db = sqlite_ruoyi(root / "data" / "ry.db")
    (root / ".launchpad").mkdir()
    (root / "site.yaml").write_text(SQLITE_SITE, encoding="utf-8")
    write_rules(root, RULES)
    with contextlib.closing(sqlite3.connect(db)) as connection, connection:
        for sql in PEOPLE:
            connection.execute(sql)

    def sqlite_links() -> list[tuple[str, ...]]:
        with contextlib.closing(sqlite3.connect(db)) as connection:
            return list(connection.execute("SELECT u.user_name, r.role_key FROM sys_user_role JOIN sys_user u "
                                           "USING (user_id) JOIN sys_role r USING (role_id) ORDER BY 1, 2"))

    class Lab:
        pass

    lab: Any = Lab()
    lab.root = root
    assert sqlite_links() == BEFORE
    body = preview_json(lab, "test")
    assert [c["account"] for c in body["changes"]] == ["qian", "wang", "zhao"]
    applied = launchpad(lab, "roles", "apply", "--env", "test", "--yes")
    assert applied.returncode == 0, applied.stderr
    assert sqlite_links() == AFTER
    assert "无需变更" in launchpad(lab, "roles", "apply", "--env", "test", "--yes").stdout
    assignment = applied.stdout.split("角色分配 ")[1].split()[0]
    assert launchpad(lab, "roles", "rollback", assignment, "--yes").returncode == 0
    assert sqlite_links() == BEFORE
    again = launchpad(lab, "roles", "rollback", assignment, "--yes")  # when, on the site's clock
    assert again.returncode == 4 and f"角色分配 {assignment} 已回滚（" in again.stderr, again.stderr
    assert re.search(r"已回滚（\d{4}-\d\d-\d\d \d\d:\d\d:\d\d Asia/Shanghai）", again.stderr), again.stderr
    listed = launchpad(lab, "roles", "list")
    assert listed.returncode == 0 and f"  {assignment}  test  已回滚  3 个用户  roles/rules.yaml" in listed.stdout


def test_an_apply_killed_between_batches_is_continued_by_the_next(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The process dies after its first batch committed, before the store heard of it: the
    next apply continues the same assignment and the end is as if nothing had happened."""
    import contextlib
    import sqlite3

    from launchpad.cli.prompter import CliPrompter
    from launchpad.hosts.connect import HostConnections
    from launchpad.users import role_records
    from launchpad.users.role_apply import RolesTarget, apply_preview, preview_live, record_preview, rules_target
    from launchpad.users.role_rules import load_rules
    from launchpad.workspace.folder import load_workspace
    from tests.integration.ruoyi import sqlite_ruoyi

    root = tmp_path / "ws"
    db = sqlite_ruoyi(root / "data" / "ry.db")
    (root / ".launchpad").mkdir()
    (root / "site.yaml").write_text(SQLITE_SITE, encoding="utf-8")
    rules = load_rules(write_rules(root, RULES))
    with contextlib.closing(sqlite3.connect(db)) as connection, connection:
        for sql in PEOPLE:
            connection.execute(sql)
    workspace = load_workspace(root)

    @contextlib.contextmanager
    def target() -> Any:
        with Store.open(workspace.store_path) as store, HostConnections(workspace, "test") as connections:
            def audit(action: str, where: str, detail: dict[str, Any]) -> None:
                store.audit("tester", action, where, detail)

            with rules_target(workspace, "test", None, connections.transport_for, audit) as session:
                yield RolesTarget(workspace, store, session, "test", "tester")

    class Killed(BaseException):
        pass

    real_done = role_records.batch_done
    with target() as to:
        _, shown = preview_live(workspace, to.session, rules)
        assignment = record_preview(to.store, to.session, rules, shown, "test", "tester", to.audit)

        def die_after_first(store: Store, number: int, batch: int, done: int = 1) -> None:
            raise Killed

        monkeypatch.setattr(role_records, "batch_done", die_after_first)
        with pytest.raises(Killed):
            apply_preview(to, rules, CliPrompter("tester", yes=True), batch_size=2)
    monkeypatch.setattr(role_records, "batch_done", real_done)
    with contextlib.closing(sqlite3.connect(db)) as connection:
        half = list(connection.execute("SELECT COUNT(*) FROM sys_user_role"))
    assert half != [(len(BEFORE),)]  # the first batch is in the target
    with target() as to:
        assert role_records.get(to.store, assignment)["status"] == "applying"
        outcome = apply_preview(to, rules, CliPrompter("tester", yes=True), batch_size=2)
        assert outcome.resumed and outcome.assignment == assignment and outcome.batches == 2
        assert role_records.get(to.store, assignment)["status"] == "applied"
    with contextlib.closing(sqlite3.connect(db)) as connection:
        got = list(connection.execute("SELECT u.user_name, r.role_key FROM sys_user_role JOIN sys_user u "
                                      "USING (user_id) JOIN sys_role r USING (role_id) ORDER BY 1, 2"))
    assert got == AFTER
