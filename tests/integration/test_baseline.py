"""`launchpad baseline` against real MariaDB (test) and PostgreSQL (prod) holding RuoYi's
roles, menus, grants, dictionaries and posts, reached through a real sshd: export, every kind
of drift reported with its severity and fields, the fix round trip behind its gates, two
environments compared, the reports, and the `baseline` step kind in a run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from launchpad.hosts.connect import HostConnections
from launchpad.run.engine import Engine
from launchpad.run.playbook import BUNDLED_DIR, load_playbook
from launchpad.run.prompter import SignOff
from launchpad.store.db import Store
from tests.integration.databases import PASSWORD, MariaDbServer, PostgresServer
from tests.integration.ruoyi import RuoYiLab
from tests.integration.ruoyi_baseline import add_baseline_tables, run_sql
from tests.integration.sshd import SshdHost, SshLab
from tests.integration.test_users_import import launchpad
from tests.scripted import ScriptedPrompter

pytestmark = pytest.mark.integration


@pytest.fixture
def lab(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost], mariadb_server: MariaDbServer,
        postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> RuoYiLab:
    sshd_lab.write_user_ssh_config()
    monkeypatch.setenv("LP_TEST_DB_PW", PASSWORD)
    made = RuoYiLab(tmp_path / "ws", ssh_hosts[0], mariadb_server, postgres_server)
    add_baseline_tables(made)
    return made


def export(lab: RuoYiLab, env: str) -> Path:
    done = launchpad(lab, "baseline", "export", "--env", env, "--version", "hq-1")
    assert done.returncode == 0, done.stderr
    path = lab.root / "baselines" / f"{env}.yaml"
    baseline = path.rename(lab.root / "baselines" / "baseline.yaml")
    return baseline


def diff_json(lab: RuoYiLab, *args: str) -> tuple[int, dict[str, Any]]:
    done = launchpad(lab, "baseline", "diff", *args, "--json")
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


# Each edit a person might make on site, and the difference it must show as.
DRIFT = [
    "DELETE FROM sys_role_menu WHERE role_id = 3 AND menu_id = 1001",
    "INSERT INTO sys_role_menu (role_id, menu_id) VALUES (2, 1002)",
    "UPDATE sys_role SET data_scope = '3' WHERE role_key = 'common'",
    "UPDATE sys_role SET role_name = '负责人' WHERE role_key = 'leader'",
    "UPDATE sys_role SET del_flag = '2' WHERE role_key = 'admin'",
    "INSERT INTO sys_role (role_id, role_name, role_key, role_sort, status) VALUES (9, '审计员', 'auditor', 9, '0')",
    "INSERT INTO sys_dict_data (dict_sort, dict_label, dict_value, dict_type, is_default, status) "
    "VALUES (4, '保密', '9', 'sys_user_sex', 'N', '0')",
    "DELETE FROM sys_dict_data WHERE dict_type = 'sys_normal_disable' AND dict_value = '1'",
    "UPDATE sys_dict_data SET dict_label = '女性' WHERE dict_type = 'sys_user_sex' AND dict_value = '1'",
    "UPDATE sys_dict_data SET dict_sort = 9 WHERE dict_type = 'sys_user_sex' AND dict_value = '2'",
    "UPDATE sys_dict_data SET is_default = 'N' WHERE dict_type = 'sys_user_sex' AND dict_value = '0'",
    "INSERT INTO sys_dict_type (dict_name, dict_type, status) VALUES ('现场新增', 'site_extra', '0')",
    "UPDATE sys_dict_type SET dict_name = '开关' WHERE dict_type = 'sys_normal_disable'",
    "DELETE FROM sys_post WHERE post_code = 'ky'",
    "INSERT INTO sys_post (post_code, post_name, post_sort, status) VALUES ('zz', '专员', 3, '0')",
    "UPDATE sys_post SET post_name = '科长（正）' WHERE post_code = 'kz'",
]
EXPECTED = {
    ("permission/leader/system:user:add", "missing", "high"),
    ("permission/common/system:user:remove", "extra", "high"),
    ("role/common", "changed", "high"),
    ("role/leader", "changed", "low"),
    ("role/admin", "missing", "high"),
    ("role/auditor", "extra", "high"),
    ("dict_item/sys_user_sex/9", "extra", "medium"),
    ("dict_item/sys_normal_disable/1", "missing", "medium"),
    ("dict_item/sys_user_sex/1", "changed", "low"),
    ("dict_item/sys_user_sex/2", "changed", "low"),
    ("dict_item/sys_user_sex/0", "changed", "medium"),
    ("dictionary/site_extra", "extra", "medium"),
    ("dictionary/sys_normal_disable", "changed", "low"),
    ("post/ky", "missing", "medium"),
    ("post/zz", "extra", "medium"),
    ("post/kz", "changed", "low"),
}


@pytest.mark.parametrize("env", ["test", "prod"])
def test_every_kind_of_drift_is_reported_then_fixed_behind_the_gates(lab: RuoYiLab, env: str) -> None:
    baseline = export(lab, env)
    text = baseline.read_text(encoding="utf-8")
    assert "/系统管理/日志管理" in text and "monitor:cache:list" in text and "_id" not in text
    clean, body = diff_json(lab, "--env", env)
    assert clean == 0 and body["differences"] == [] and body["reference_version"] == "hq-1"

    for sql in DRIFT:
        run_sql(lab, env, sql)
    code, body = diff_json(lab, "--env", env)
    assert code == 1
    found = {(d["id"], d["change"], d["severity"]) for d in body["differences"]}
    assert found == EXPECTED
    by_id = {d["id"]: d for d in body["differences"]}
    assert by_id["dict_item/sys_user_sex/1"]["fields"] == {"label": {"expected": "女", "actual": "女性"}}
    assert by_id["role/common"]["fields"] == {"data_scope": {"expected": "1", "actual": "3"}}
    assert by_id["dict_item/sys_user_sex/0"]["fields"] == {"default": {"expected": True, "actual": False}}
    assert body["counts"] == {"high": 5, "medium": 6, "low": 5, "total": 16}

    dry = launchpad(lab, "baseline", "fix", "--env", env, "--all", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "INSERT INTO sys_role_menu (role_id, menu_id) SELECT r.role_id, m.menu_id" in dry.stdout
    # Values are parameters, listed under their statement, never in its text …
    assert "sys_menu m WHERE r.role_key = :key AND r.del_flag = '0' AND m.menu_id IN (:m0);" in dry.stdout
    assert "-- :m0 = 1001, :key = 'leader'" in dry.stdout
    assert "SET dict_label = :label, dict_sort = :sort" in dry.stdout and "-- :label = '女', :sort = 2" in dry.stdout
    assert "（演练：没有写入任何内容）" in dry.stdout
    assert diff_json(lab, "--env", env)[0] == 1  # … and nothing was written

    no_backup = launchpad(lab, "baseline", "fix", "--env", env, "--all", "--confirm", env, "--yes")
    assert no_backup.returncode == 4  # a refused gate, not a failure
    assert "修正被拒绝：" in no_backup.stderr and "没有 2 小时内经过校验的备份" in no_backup.stderr
    backed_up = launchpad(lab, "backup", "--env", env, "app")
    assert backed_up.returncode == 0, backed_up.stderr
    if env == "prod":
        unnamed = launchpad(lab, "baseline", "fix", "--env", env, "--all", "--yes")
        assert unnamed.returncode == 2 and "prod 是生产环境：没有输入其名称" in unnamed.stderr
    fixed = launchpad(lab, "baseline", "fix", "--env", env, "--all", "--confirm", env, "--yes", "--lang", "en")
    assert fixed.returncode == 0, fixed.stderr
    assert "✓ fix 1: 16 difference(s) fixed" in fixed.stdout
    assert f"Compared again:\n{env} matches" in fixed.stdout
    again, after = diff_json(lab, "--env", env)
    assert again == 0 and after["differences"] == []
    assert lab.sql(env, "SELECT dict_label FROM sys_dict_data WHERE dict_type = 'sys_user_sex' AND dict_value = '1'") \
        == [["女"]]
    with Store.open(lab.workspace.store_path) as store:
        fixes = list(store.db.query("SELECT status, remaining, backup_id FROM baseline_fixes"))
        changes = list(store.db.query("SELECT difference, statements FROM baseline_fix_changes"))
        actions = [row["action"] for row in store.db.query("SELECT action FROM audit")]
    assert fixes == [{"status": "applied", "remaining": 0, "backup_id": fixes[0]["backup_id"]}]
    assert fixes[0]["backup_id"] is not None
    assert {c["difference"] for c in changes} == {e[0] for e in EXPECTED}
    assert all(json.loads(c["statements"]) for c in changes)
    for expected in ("baseline_compared", "baseline_fix_dry_run", "baseline_fix_gate_refused", "baseline_fix_confirmed",
                     "baseline_fix_gate_passed", "baseline_fix_applied", "baseline_exported", "remote_command"):
        assert expected in actions


def test_a_failing_statement_rolls_the_whole_fix_back(lab: RuoYiLab) -> None:
    export(lab, "test")
    run_sql(lab, "test", "DELETE FROM sys_post WHERE post_code = 'ky'")
    run_sql(lab, "test", "UPDATE sys_dict_data SET dict_label = '女性' WHERE dict_value = '1' "
                         "AND dict_type = 'sys_user_sex'")
    # A column too narrow for the baseline's post name: the second statement fails.
    text = (lab.root / "baselines" / "baseline.yaml").read_text(encoding="utf-8")
    (lab.root / "baselines" / "baseline.yaml").write_text(text.replace("name: 科员", "name: " + "员" * 60),
                                                           encoding="utf-8")
    assert launchpad(lab, "backup", "--env", "test", "app").returncode == 0
    failed = launchpad(lab, "baseline", "fix", "--env", "test", "--all", "--yes")
    assert failed.returncode == 1, failed.stderr
    assert "Traceback" not in failed.stderr
    assert lab.sql("test", "SELECT dict_label FROM sys_dict_data WHERE dict_value = '1' "
                           "AND dict_type = 'sys_user_sex'") == [["女性"]]  # the first statement was undone
    with Store.open(lab.workspace.store_path) as store:
        assert [r["status"] for r in store.db.query("SELECT status FROM baseline_fixes")] == ["failed"]


def test_two_environments_compared_with_reports_a_client_can_read(lab: RuoYiLab, tmp_path: Path) -> None:
    clean = launchpad(lab, "baseline", "diff", "--env", "test", "--env", "prod")
    assert clean.returncode == 0, clean.stderr
    run_sql(lab, "prod", "INSERT INTO sys_dict_data (dict_sort, dict_label, dict_value, dict_type, is_default, status) "
                         "VALUES (4, '=1+1|<b>保密</b>', '9', 'sys_user_sex', 'N', '0')")
    reports = [tmp_path / "drift.md", tmp_path / "drift.html", tmp_path / "drift.xlsx"]
    drifted = launchpad(lab, "baseline", "diff", "--env", "test", "--env", "prod", "--lang", "zh",
                        *[a for r in reports for a in ("--report", str(r))])
    assert drifted.returncode == 1, drifted.stderr
    assert "dict_item/sys_user_sex/9" in drifted.stdout and "多出" in drifted.stdout and "中" in drifted.stdout
    assert "prod 与 test" in drifted.stdout
    md = reports[0].read_text(encoding="utf-8")
    assert "\\|" in md and "<b>" not in md
    html = reports[1].read_text(encoding="utf-8")
    assert "&lt;b&gt;" in html and "<b>保密" not in html
    from openpyxl import load_workbook

    sheet = load_workbook(reports[2]).active
    label_cell = next(c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "=1+1" in c.value)
    assert label_cell.data_type == "s"
    with Store.open(lab.workspace.store_path) as store:
        rows = list(store.db.query("SELECT reference, reference_version, environment FROM baseline_comparisons"))
    assert rows[-1]["reference"] == "test" and rows[-1]["environment"] == "prod"
    assert rows[-1]["reference_version"].startswith("test@")


def test_the_bundled_playbook_reviews_signs_fixes_and_compares_again(lab: RuoYiLab) -> None:
    export(lab, "test")
    run_sql(lab, "prod", "DELETE FROM sys_role_menu WHERE role_id = 3 AND menu_id = 1001")
    run_sql(lab, "prod", "INSERT INTO sys_dict_data (dict_sort, dict_label, dict_value, dict_type, is_default, "
                         "status) VALUES (4, '保密', '9', 'sys_user_sex', 'N', '0')")
    assert launchpad(lab, "backup", "--env", "prod", "app").returncode == 0
    loaded = load_playbook(BUNDLED_DIR / "roles-and-dictionaries.yaml")
    prompter = ScriptedPrompter(sign_offs=[SignOff(True, by="王工", note="审阅了差异表")], typed_name="prod")
    with Store.open(lab.workspace.store_path) as store, HostConnections(lab.workspace, "prod") as connections:
        result = Engine(lab.workspace, store, prompter, connections.transport_for).start(loaded, "prod", {})
        states = store.latest_step_states(result.run_id)
    assert result.status == "passed", {k: (v["status"], v["summary"]) for k, v in states.items()}
    assert states["review.here"]["status"] == "passed"
    assert "2 difference(s)" in states["review.here"]["summary"]
    assert "fixed on prod; 0 remain" in states["fix.apply"]["summary"]
    assert states["verify.again"]["summary"].startswith("prod matches")
    assert (lab.root / "reports" / "baseline-drift.xlsx").is_file()
    assert lab.sql("prod", "SELECT COUNT(*) FROM sys_dict_data WHERE dict_value = '9'") == [["0"]]


def test_the_step_fails_on_drift_of_the_kinds_it_names_only(lab: RuoYiLab) -> None:
    export(lab, "test")
    run_sql(lab, "test", "UPDATE sys_dict_data SET dict_label = '女性' WHERE dict_value = '1' "
                         "AND dict_type = 'sys_user_sex'")
    playbook = lab.root / "playbooks" / "check.yaml"
    playbook.parent.mkdir(exist_ok=True)
    steps = [{"id": "roles", "name": "roles", "kind": "baseline", "action": "diff", "kinds": ["role", "permission"]},
             {"id": "dicts", "name": "dicts", "kind": "baseline", "action": "diff", "kinds": ["dict_item"]}]
    playbook.write_text(yaml.safe_dump({"name": "check", "title": "比对", "version": "1",
                                        "phases": [{"id": "p", "name": "p", "steps": steps}]}, allow_unicode=True),
                        encoding="utf-8")
    with Store.open(lab.workspace.store_path) as store, HostConnections(lab.workspace, "test") as connections:
        result = Engine(lab.workspace, store, ScriptedPrompter(), connections.transport_for).start(
            load_playbook(playbook), "test", {})
        states = store.latest_step_states(result.run_id)
    assert states["roles"]["status"] == "passed" and "none of the kinds checked" in states["roles"]["summary"]
    assert states["dicts"]["status"] == "failed" and "1 difference(s)" in states["dicts"]["summary"]
