"""The `import` step kind and the bundled `user-import` playbook, run by the engine against real
MariaDB and PostgreSQL RuoYi-shaped databases through a real sshd."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import bcrypt
import pytest

from launchpad.hosts.connect import HostConnections
from launchpad.run.engine import Engine, RunResult
from launchpad.run.playbook import BUNDLED_DIR, load_playbook
from launchpad.run.prompter import SignOff
from launchpad.store.db import Store
from launchpad.users import records
from tests.core.users_sheets import GOOD, HEADER, write_mapping, write_xlsx
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, GOOD_SHEET, launchpad, users_table
from tests.integration.test_users_import import lab as lab_fixture
from tests.scripted import ScriptedPrompter

pytestmark = pytest.mark.integration
lab = lab_fixture  # the user-import tests' workspace, shared as a fixture


def run(lab: RuoYiLab, playbook: Path, env: str, variables: dict[str, str],
        prompter: ScriptedPrompter) -> tuple[RunResult, dict[str, dict[str, Any]]]:
    loaded = load_playbook(playbook)
    with Store.open(lab.workspace.store_path) as store, HostConnections(lab.workspace, env) as connections:
        result = Engine(lab.workspace, store, prompter, connections.transport_for).start(loaded, env, variables)
        return result, store.latest_step_states(result.run_id)


def bundled_for_lab(lab: RuoYiLab) -> Path:
    """The bundled playbook, its spot check pointed at the lab's database (`app`, not `main`)."""
    text = (BUNDLED_DIR / "user-import.yaml").read_text(encoding="utf-8").replace("database: main", "database: app")
    path = lab.root / "playbooks" / "user-import.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def signed() -> list[SignOff]:
    return [SignOff(True, by="王工", note="核对了新增与更新人数")] * 2


def test_the_bundled_playbook_checks_plans_applies_spot_checks_and_hands_out(lab: RuoYiLab) -> None:
    write_mapping(lab.root, FAST_HASH)
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": GOOD_SHEET})
    backed_up = launchpad(lab, "backup", "--env", "test", "app")
    assert backed_up.returncode == 0, backed_up.stderr
    before = users_table(lab, "test")

    result, states = run(lab, bundled_for_lab(lab), "test", {"file": str(sheet)}, ScriptedPrompter(sign_offs=signed()))

    assert result.status == "passed", {k: (v["status"], v["summary"]) for k, v in states.items()}
    assert list(states) == ["check.sheet", "plan.compute", "plan.signoff", "apply.backup", "apply.write",
                            "verify.sql", "handout.give"]
    assert states["check.sheet"]["evidence"]["rows"] == 3
    counts = {"insert": 1, "update": 1, "unchanged": 1, "rejected": 0}
    assert states["plan.compute"]["evidence"]["counts"] == counts
    apply = states["apply.write"]["evidence"]
    assert apply["counts"] == counts and apply["digest"] == states["plan.compute"]["evidence"]["digest"]
    after = users_table(lab, "test")
    assert len(after) == len(before) + 1 and after[-1][:2] == ["zhangsan", "张三"]
    assert after[-1][-1] == f"import:{apply['import_id']}"
    # The hand-out holds the password the stored hash was made from.
    from openpyxl import load_workbook

    [handout] = apply["handouts"]
    rows = {r[1]: r[3] for r in load_workbook(handout).active.iter_rows(min_row=3, values_only=True)}
    [[hashed]] = lab.sql("test", "SELECT password FROM sys_user WHERE user_name = 'zhangsan'")
    assert bcrypt.checkpw(rows["zhangsan"].encode(), ("$2b$" + hashed[4:]).encode())
    with Store.open(lab.workspace.store_path) as store:
        assert records.get_import(store, apply["import_id"])["status"] == "applied"
        audited = list(store.db.query("SELECT action, detail FROM audit WHERE action LIKE 'user_%'"))
    assert {"user_import_applied", "user_handout_written"} <= {a["action"] for a in audited}
    assert all(rows["zhangsan"] not in (a["detail"] or "") for a in audited)

    # The same playbook again plans and writes nothing new.
    again, states = run(lab, bundled_for_lab(lab), "test", {"file": str(sheet)}, ScriptedPrompter(sign_offs=signed()))
    assert again.status == "passed"
    assert states["apply.write"]["evidence"]["counts"] == {"insert": 0, "update": 0, "unchanged": 3, "rejected": 0}
    assert users_table(lab, "test") == after


def test_a_sheet_with_problems_stops_the_playbook_at_the_check_with_an_annotated_copy(lab: RuoYiLab) -> None:
    write_mapping(lab.root, FAST_HASH)
    bad_id = [*GOOD[0][:2], "110105199003071230", *GOOD[0][3:]]  # wrong check digit
    # and a column the mapping does not know: said in the run, not only by `users check`
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": [[*HEADER, "工号"], [*bad_id, "001"], [*GOOD[1], "002"]]})
    before = users_table(lab, "test")

    result, states = run(lab, bundled_for_lab(lab), "test", {"file": str(sheet)}, ScriptedPrompter(sign_offs=signed()))

    assert result.status != "passed" and list(states) == ["check.sheet"]
    assert states["check.sheet"]["status"] == "failed"
    summary = states["check.sheet"]["summary"]
    assert "1 with 1 problem(s)" in summary or "1 行有 1 个问题" in summary
    assert "column I '工号' matches no field" in summary or "第 I 列“工号”不对应任何字段" in summary, summary
    assert (lab.root / "名单.checked.xlsx").is_file()
    assert users_table(lab, "test") == before


def test_apply_on_production_without_a_fresh_backup_is_refused_even_without_a_gate(lab: RuoYiLab) -> None:
    write_mapping(lab.root, FAST_HASH)
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": GOOD_SHEET})
    playbook = lab.root / "playbooks" / "only-apply.yaml"
    playbook.parent.mkdir(exist_ok=True)
    playbook.write_text(textwrap.dedent(f"""\
        name: only-apply
        title: 只导入
        phases:
          - id: apply
            name: 导入
            steps:
              - {{id: write, name: 写入, kind: import, stage: apply, file: "{sheet}"}}
        """), encoding="utf-8")
    before = users_table(lab, "prod")

    result, states = run(lab, playbook, "prod", {}, ScriptedPrompter())

    assert result.status == "refused" and states["write"]["status"] == "refused", states
    assert "no verified backup younger than 2 hours;" in states["write"]["summary"]
    assert users_table(lab, "prod") == before
    with Store.open(lab.workspace.store_path) as store:
        actions = [r["action"] for r in store.db.query("SELECT action FROM audit")]
        assert records.list_imports(store) == []
    assert "user_import_gate_refused" in actions


def stage_playbook(lab: RuoYiLab, stage: str, sheet: Path) -> Path:
    path = lab.root / "playbooks" / f"only-{stage}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(f"""\
        name: only-{stage}
        title: 只{stage}
        phases:
          - id: one
            name: 一步
            steps:
              - {{id: {stage}, name: {stage}, kind: import, stage: {stage}, file: "{sheet}"}}
        """), encoding="utf-8")
    return path


def test_apply_keeps_how_the_target_changed_since_the_signed_plan(lab: RuoYiLab) -> None:
    write_mapping(lab.root, FAST_HASH)
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": GOOD_SHEET})
    planned, states = run(lab, stage_playbook(lab, "plan", sheet), "test", {}, ScriptedPrompter())
    assert planned.status == "passed", states
    plan_id = states["plan"]["evidence"]["plan"]
    lab.maria.root_sql("UPDATE sys_user SET email = 'ls@example.cn' WHERE user_name = 'lisi'", lab.name)

    applied, states = run(lab, stage_playbook(lab, "apply", sheet), "test", {}, ScriptedPrompter())

    assert applied.status == "passed", states
    evidence = states["apply"]["evidence"]
    assert evidence["plan"] == plan_id and len(evidence["changed_since_plan"]) == 1
    assert evidence["changed_since_plan"][0].startswith("lisi: update with other values")
    with Store.open(lab.workspace.store_path) as store:
        [entry] = store.db.query("SELECT detail FROM audit WHERE action = 'user_import_plan_changed'")
    detail = json.loads(entry["detail"])
    assert (detail["plan"], detail["differences"], detail["step"]) == (plan_id, 1, "apply") and "run" in detail


def test_rejected_rows_stop_the_apply_step_with_the_command_that_lists_them(lab: RuoYiLab) -> None:
    """The step's failure says what to do next as the command line does: the check of the same
    sheet on the run's environment, named as a person in the workspace types it."""
    write_mapping(lab.root, FAST_HASH)
    bad_id = [*GOOD[0][:2], "110105199003071230", *GOOD[0][3:]]  # wrong check digit
    sheet = write_xlsx(lab.root / "新 名单.xlsx", {"名单": [HEADER, bad_id, GOOD[1]]})
    before = users_table(lab, "test")

    result, states = run(lab, stage_playbook(lab, "apply", sheet), "test", {}, ScriptedPrompter())

    assert result.status == "failed" and states["apply"]["status"] == "failed", states
    assert "1 行被拒绝" in states["apply"]["summary"] or "1 row(s) are rejected" in states["apply"]["summary"]
    assert "`launchpad users check '新 名单.xlsx' --env test`" in states["apply"]["hint"], states["apply"]["hint"]
    assert users_table(lab, "test") == before
