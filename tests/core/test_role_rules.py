"""The rules' logic without a database: matching by unit path, glob, level, post and a role
held after the earlier rules; order; users no rule matches; the problems located in the file;
the SQL a batch becomes, with no value spliced into it."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.errors import InvalidInput
from launchpad.users.profile import bundled_profile
from launchpad.users.role_apply import links_script
from launchpad.users.role_rules import load_rules, preview, unit_matches
from launchpad.users.state import UNIT, ExistingUser, TargetState
from launchpad.users.target import SqlText
from launchpad.users.units import Department

DEPARTMENTS = [Department(1, "局", ("局",)), Department(2, "办公室", ("局", "办公室")),
               Department(3, "综合科", ("局", "办公室", "综合科")), Department(4, "中心", ("局", "中心")),
               Department(5, "综合科", ("局", "中心", "综合科"))]


def user(uid: str, login: str, unit: int, posts: set[str], roles: set[str]) -> ExistingUser:
    return ExistingUser(uid, {"user_name": login, "nick_name": login.upper(), UNIT: str(unit)}, roles, posts)


def state() -> TargetState:
    users = [user("1", "a", 3, {"kz"}, {"common"}), user("2", "b", 5, {"ky"}, {"common"}),
             user("3", "c", 4, {"kz"}, set()), user("4", "d", 2, {"ky"}, {"common"})]
    return TargetState(DEPARTMENTS, {u.values["user_name"]: u for u in users},
                       {"common": "1", "leader": "2", "ops": "3"},
                       {"kz": "kz", "科长": "kz", "ky": "ky", "科员": "ky"}, bundled_profile("ruoyi"))


def rules(tmp_path: Path, text: str) -> object:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path, "roles/rules.yaml")


def test_paths_match_their_subtree_and_globs_the_whole_path() -> None:
    assert unit_matches("局/办公室", ("局", "办公室", "综合科"))
    assert not unit_matches("局/办公", ("局", "办公室"))  # a path's parts, not a text prefix
    assert unit_matches("局/*/综合科", ("局", "中心", "综合科"))
    assert not unit_matches("局/*/综合科", ("局", "中心"))


def test_rules_apply_in_order_and_a_user_no_rule_matches_keeps_their_roles(tmp_path: Path) -> None:
    loaded = rules(tmp_path, """\
rules:
  - {name: 科长, post: 科长, level: 3, add: [leader]}
  - {name: 负责人兼运维, has_role: leader, add: [ops]}      # sees what the first rule gave
  - {name: 中心, unit: 局/中心, remove: [common], add: [ops]}
""")
    shown = preview(loaded, state())  # type: ignore[arg-type]
    got = {c.account: (c.before, c.after, c.rules) for c in shown.changes}
    assert got == {"a": (("common",), ("common", "leader", "ops"), ("科长", "负责人兼运维")),
                   "b": (("common",), ("ops",), ("中心",)),
                   "c": ((), ("ops",), ("中心",))}  # d: no rule matched
    assert shown.per_rule == {"科长": 1, "负责人兼运维": 1, "中心": 2}
    assert shown.per_unit == {"局/中心": 1, "局/中心/综合科": 1, "局/办公室/综合科": 1}


def test_unknown_roles_units_and_posts_are_located_in_the_file(tmp_path: Path) -> None:
    loaded = rules(tmp_path, "rules:\n  - name: x\n    unit: 局/财务处\n    post: [kz, 处长]\n    add: [auditor]\n")
    with pytest.raises(InvalidInput) as raised:
        preview(loaded, state())  # type: ignore[arg-type]
    said = raised.value.render()
    assert "roles/rules.yaml:5:11" in said and "no role 'auditor'" in said
    assert "roles/rules.yaml:3:11" in said and "'局/财务处'" in said
    assert "roles/rules.yaml:4:16" in said and "no post '处长'" in said


def test_a_rule_that_matches_everyone_or_does_nothing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="would match everyone"):
        rules(tmp_path, "rules:\n  - {name: x, add: [leader]}\n")
    with pytest.raises(InvalidInput, match="both added and removed"):
        rules(tmp_path, "rules:\n  - {name: x, level: 1, add: [leader], remove: [leader]}\n")


@pytest.mark.parametrize("engine", ["mariadb", "postgresql", "sqlite"])
def test_a_batch_is_one_transaction_with_its_role_keys_as_hex_literals(engine: str) -> None:
    rows = [{"user_id": "7", "before": ["common"], "after": ["x'); DROP TABLE sys_user;--"]}]
    script = links_script(SqlText(engine), bundled_profile("ruoyi"), rows)
    assert "DROP TABLE" not in script and "'common'" not in script
    assert script.rstrip().endswith("COMMIT;")
    assert "DELETE FROM sys_user_role WHERE user_id IN (7)" in script
    assert "INSERT INTO sys_user_role (user_id, role_id) SELECT" in script and "NOT EXISTS" in script
    undo = links_script(SqlText(engine), bundled_profile("ruoyi"), rows, undo=True)
    assert undo.index("DELETE") < undo.index("INSERT")
    assert SqlText(engine).text("common") in undo.split("INSERT", 1)[1]


def test_the_command_line_names_a_bad_rules_file_or_spreadsheet_before_connecting(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = tmp_path / "ws"
    (root / "roles").mkdir(parents=True)
    (root / "site.yaml").write_text("site: {name: 角色, client: 客户}\nenvironments:\n  test:\n"
                                    "    transport: local\n    hosts: [{name: app1, address: 127.0.0.1}]\n"
                                    "    databases: {app: {engine: sqlite, name: data/ry.db}}\n", encoding="utf-8")
    (root / "roles" / "rules.yaml").write_text("rules:\n  - name: x\n    levle: 2\n    add: [leader]\n",
                                               encoding="utf-8")
    def preview(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), "roles", "preview",
                               "--env", "test", *args], capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)

    bad_file = preview()
    assert bad_file.returncode == 2 and "Traceback" not in bad_file.stderr
    assert "roles/rules.yaml:3:5" in bad_file.stderr and "levle" in bad_file.stderr
    bad_sheet = preview("--xlsx", "a.csv")
    assert bad_sheet.returncode == 2 and "a.csv：预览表格须为 .xlsx" in bad_sheet.stderr
    missing = preview("--rules", "no.yaml")
    assert missing.returncode == 2 and "没有规则文件 no.yaml" in missing.stderr
    assert not (root / "data").exists()  # nothing was connected to or created


def test_launchpad_check_reads_the_rules_file(tmp_path: Path) -> None:
    from launchpad.users.role_rules import rules_file_problems

    assert rules_file_problems(tmp_path) == []  # no rules: nothing to say
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "rules.yaml").write_text("rules:\n  - name: x\n    level: 0\n    add: [a]\n",
                                                   encoding="utf-8")
    [problem] = rules_file_problems(tmp_path)
    assert (problem.file, problem.line) == ("roles/rules.yaml", 2) and "level: counts from 1" in problem.message
