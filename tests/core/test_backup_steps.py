"""Backups inside playbooks (the `backup` and `restore` steps, the `fresh_backup` gate, phase
`rollback:` steps, the `sql` step), retention rules, the SQL placeholder lexer and the command
line — on the local transport with SQLite."""

from __future__ import annotations

import json
import sqlite3
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from launchpad.backup import records
from launchpad.backup.errors import BackupFailed, RestoreRefused
from launchpad.backup.records import BackupRecord
from launchpad.backup.retention import plan_retention
from launchpad.backup.sqlquery import find_placeholders, mysql_script, psql_script
from launchpad.hosts.connect import HostConnections
from launchpad.phrases import loads, render
from launchpad.run.engine import Engine, RunResult
from launchpad.run.playbook import BUNDLED_DIR, check_against_site, load_playbook
from launchpad.run.prompter import ConfirmRequest, FailureChoice
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from launchpad.workspace.site import BackupRetention
from tests.commandline import launch
from tests.core.test_backup import ROWS, SITE, rows_of
from tests.scripted import ScriptedPrompter

# These tests read the command line's English words.
pytestmark = pytest.mark.usefixtures("english_cli")


class Runner:
    """A workspace (the SITE of test_backup) and the engine on it."""

    def __init__(self, root: Path, playbook: str) -> None:
        root.mkdir(parents=True)
        (root / "site.yaml").write_text(SITE, encoding="utf-8")
        (root / "playbooks").mkdir()
        (root / "playbooks" / "t.yaml").write_text(textwrap.dedent(playbook), encoding="utf-8")
        (root / "data").mkdir()
        (root / "conf").mkdir()
        (root / "conf" / "app.ini").write_text("port=8080\n")
        (root / "blob.bin").write_bytes(b"blob END\n")
        self.db = root / "data" / "app.db"
        with sqlite3.connect(self.db) as connection:
            connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, note TEXT)")
            connection.executemany("INSERT INTO t VALUES (?, ?, ?)", ROWS)
        self.root = root
        self.workspace = load_workspace(root)
        self.store = Store.open(self.workspace.store_path)

    def run(self, prompter: ScriptedPrompter, env: str = "test") -> RunResult:
        loaded = load_playbook(self.root / "playbooks" / "t.yaml")
        assert check_against_site(loaded, self.workspace.site) == []
        with HostConnections(self.workspace, env) as connections:
            engine = Engine(self.workspace, self.store, prompter, connections.transport_for)
            return engine.start(loaded, env, {})

    def states(self, run_id: int) -> dict[str, str]:
        return {k: v["status"] for k, v in self.store.latest_step_states(run_id).items()}


RELEASE = """\
name: t
title: 发布
phases:
  - id: gate
    name: 备份检查
    steps:
      - {id: fresh, name: 两小时内的备份, kind: gate, fresh_backup: 2h, backup_targets: [app]}
  - id: release
    name: 发布
    steps:
      - {id: take, name: 发布前备份, kind: backup, targets: [app]}
      - id: migrate
        name: 数据迁移
        kind: shell
        hosts: app1
        run: python3 -c "import sqlite3; c = sqlite3.connect('data/app.db'); c.execute('DELETE FROM t'); c.commit()"
      - {id: smoke, name: 冒烟测试, kind: shell, hosts: app1, run: 'false'}
    rollback:
      - {id: undo, name: 恢复发布前备份, kind: restore, target: app}
"""


def test_a_release_refuses_to_start_without_a_fresh_verified_backup(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", RELEASE)
    result = runner.run(ScriptedPrompter())
    assert result.status == "refused" and runner.states(result.run_id) == {"fresh": "refused"}
    summary = runner.store.latest_step_states(result.run_id)["fresh"]["summary"]
    assert "no verified backup younger than 2 hours of: app" in summary
    said = loads(summary, runner.store.latest_step_states(result.run_id)["fresh"]["summary_phrase"])
    assert render(said, "zh").startswith("以下目标没有 2 小时内的已校验备份：app")
    # The command it names can be pasted as it stands: this environment, the targets it lacks.
    assert "（`launchpad backup --env test app` 或 pre-release-backup）" in render(said, "zh")


def test_rollback_restores_the_backup_taken_earlier_in_the_run(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", RELEASE)
    with HostConnections(runner.workspace, "test") as connections:
        from launchpad.backup.session import BackupSession
        from launchpad.backup.take import take_backup

        earlier = take_backup(BackupSession(runner.workspace, runner.store, connections.transport_for, "t"),
                              "test", "app")
    prompter = ScriptedPrompter()
    result = runner.run(prompter)
    assert result.status == "failed"
    assert runner.states(result.run_id) == {"fresh": "passed", "take": "passed", "migrate": "passed",
                                            "smoke": "failed", "undo": "passed"}
    assert rows_of(runner.db) == ROWS  # rolled back
    asked = [r for r in prompter.asked if isinstance(r, ConfirmRequest) and r.step_id == "rollback"]
    assert len(asked) == 1 and "恢复发布前备份" in render(asked[0].detail, "zh")
    taken = runner.store.latest_step_states(result.run_id)["take"]["evidence"]["backups"][0]["id"]
    undo = runner.store.latest_step_states(result.run_id)["undo"]["evidence"]
    assert undo["backup"] == taken != earlier.id  # the run's own backup, not the older one
    kinds = [(d["step_id"], d["kind"]) for d in runner.store.decisions(result.run_id)]
    assert ("rollback", "confirmed") in kinds


RESTORE_ASKED = """\
name: t
title: 恢复
phases:
  - id: p
    name: 恢复
    steps:
      - {id: take, name: 备份, kind: backup, targets: [app, files]}
      - {id: back, name: 恢复, kind: restore, confirm: true%s}
"""


@pytest.mark.parametrize("target", ["app", "files", None])
def test_a_restore_steps_question_says_nothing_of_creating_a_database_for_a_file_target(
        tmp_path: Path, target: str | None) -> None:
    """SQLite's file and a folder are restored as they are, never created as a database: their
    restore's question (one target, or every target the run backed up) does not say it."""
    runner = Runner(tmp_path / "ws", RESTORE_ASKED % (f", target: {target}" if target else ""))
    prompter = ScriptedPrompter()
    result = runner.run(prompter)
    assert result.status == "passed", runner.states(result.run_id)
    (question,) = [r for r in prompter.asked if isinstance(r, ConfirmRequest) and r.step_id == "back"]
    english, chinese = render(question.detail, "en"), render(question.detail, "zh")
    assert "restore" in english and "恢复" in chinese
    assert "created" not in english and "safety backup" not in english, english
    assert "新建" not in chinese and "安全备份" not in chinese, chinese


def test_a_restore_steps_question_says_a_database_servers_missing_database_is_created(tmp_path: Path) -> None:
    from launchpad.steps.restore import RestoreStep
    from launchpad.workspace.site import Environment

    def restore_step(text: str) -> RestoreStep:
        (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
        step = load_playbook(tmp_path / "r.yaml").playbook.phases[0].steps[1]
        assert isinstance(step, RestoreStep)
        return step

    environment = Environment.model_validate({
        "databases": {"maria": {"engine": "mariadb", "name": "shop"}, "pg": {"engine": "postgresql", "name": "shop"},
                      "file": {"engine": "sqlite", "name": "data/app.db"},
                      "dm": {"engine": "dm", "name": "shop"}},
        "backups": {"maria": {"database": "maria"}, "pg": {"database": "pg"}, "file": {"database": "file"},
                    "dm": {"database": "dm", "command": {"dump": "dexp", "restore": "dimp"}},
                    "conf": {"paths": ["conf"]}}})
    creates = "does not exist on its server is created empty"
    for target, said in (("maria", True), ("pg", True), ("file", False), ("dm", False), ("conf", False)):
        step = restore_step(RESTORE_ASKED % f", target: {target}")
        assert (creates in render(step.describe_with({}, environment), "en")) is said, target
    step = restore_step(RESTORE_ASKED % "")  # every target: a database server's among them
    assert creates in render(step.describe_with({}, environment), "en")


def test_a_declined_rollback_is_recorded_and_not_run(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", RELEASE.replace("fresh_backup: 2h, backup_targets: [app]", "window: always")
                    .replace("  windows", "  windows"))
    (runner.root / "site.yaml").write_text(SITE + "windows:\n  always: {days: daily, start: '00:00', end: '23:59'}\n",
                                           encoding="utf-8")
    runner.workspace = load_workspace(runner.root)
    result = runner.run(ScriptedPrompter(confirm_answer=False))
    assert result.status == "failed" and "undo" not in runner.states(result.run_id)
    assert rows_of(runner.db) == []
    assert ("rollback", "declined") in [(d["step_id"], d["kind"]) for d in runner.store.decisions(result.run_id)]


def test_the_bundled_pre_release_backup_backs_up_every_target(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", (BUNDLED_DIR / "pre-release-backup.yaml").read_text(encoding="utf-8"))
    result = runner.run(ScriptedPrompter())
    assert result.status == "passed", runner.store.step_rows(result.run_id)
    taken = runner.store.latest_step_states(result.run_id)["backup.all"]["evidence"]["backups"]
    assert sorted(b["target"] for b in taken) == ["app", "blob", "files"]
    hosts = {r["host"]: r["status"] for r in runner.store.host_rows(result.run_id, "backup.all")}
    assert hosts == {"app": "passed", "blob": "passed", "files": "passed"}
    assert all(b.run_id == result.run_id and b.verified for b in records.list_backups(runner.store))


def test_a_backup_step_records_in_the_runs_own_store(tmp_path: Path) -> None:
    """The step writes where the engine writes: no second store opened from the folder."""
    playbook = """\
name: t
title: 备份
phases:
  - id: release
    name: 发布
    steps:
      - {id: take, name: 发布前备份, kind: backup, targets: [app]}
"""
    runner = Runner(tmp_path / "ws", playbook)
    runner.store.close()
    runner.store = Store.memory()
    result = runner.run(ScriptedPrompter())
    assert result.status == "passed", runner.store.step_rows(result.run_id)
    taken = records.list_backups(runner.store)
    assert [(b.target, b.run_id, b.verified) for b in taken] == [("app", result.run_id, True)]
    with Store.open(runner.workspace.store_path) as on_disk:
        assert records.list_backups(on_disk) == []


SQL = """\
name: t
title: 查询
phases:
  - id: q
    name: 查询
    steps:
      - id: by_name
        name: 按姓名查询
        kind: sql
        database: app
        query: "SELECT id, note FROM t WHERE name = :name AND :unused IS NULL -- :not_a_param"
        params: {name: 张三, unused: null}
        expect: {rows: [[1, "第一行\\n第二行"]]}
      - id: tab
        name: 制表符与空值
        kind: sql
        database: app
        query: "SELECT note FROM t WHERE name = :name"
        params: {name: "tab\\there"}
        expect: {value: null, row_count: 1}
      - id: injection
        name: 参数不会拼进 SQL
        kind: sql
        database: app
        query: "SELECT count(*) FROM t WHERE name = :name"
        params: {name: "x' OR '1'='1"}
        expect: {value: 0}
      - id: wrong
        name: 期望不符
        kind: sql
        database: app
        query: "SELECT count(*) FROM t"
        expect: {value: 99}
"""


def test_sql_step_with_parameters(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", SQL)
    result = runner.run(ScriptedPrompter(failures=[FailureChoice("skip", "known")]))
    assert runner.states(result.run_id) == {"by_name": "passed", "tab": "passed", "injection": "passed",
                                            "wrong": "skipped"}
    skipped = [d for d in runner.store.decisions(result.run_id) if d["step_id"] == "wrong"]
    assert skipped[0]["detail"]["after"] == "the value is 3, expected 99"
    evidence = runner.store.latest_step_states(result.run_id)["by_name"]["evidence"]
    assert evidence["rows"] == [[1, "第一行\n第二行"]] and evidence["columns"] == ["id", "note"]


def test_placeholders_skip_literals_comments_and_casts() -> None:
    sql = "SELECT ':a', \":b\", x::text, $q$ :c $q$ /* :d */ FROM t WHERE a = :e -- :f\n AND b = :g"
    assert [p.name for p in find_placeholders(sql, "postgresql")] == ["e", "g"]
    assert [p.name for p in find_placeholders("SELECT 'it\\'s :x', `:y` FROM t # :z\n WHERE a=:w", "mysql")] == ["w"]
    with pytest.raises(BackupFailed, match="more than one statement"):
        find_placeholders("SELECT 1; DROP TABLE t", "mysql")
    assert find_placeholders("SELECT 1;  \n", "mysql") == []


def test_parameters_travel_as_hex_never_as_sql_text() -> None:
    evil = "'; DROP TABLE t; -- 你好\t\n"
    script = mysql_script("SELECT * FROM t WHERE a = :a AND b = :b AND n = :n", {"a": evil, "b": None, "n": 3})
    assert "DROP" not in script and evil.encode().hex() in script
    assert "EXECUTE lp_stmt USING @lp_p_a, @lp_p_b, @lp_p_n;" in script
    assert "SET @lp_p_b = NULL;" in script and "AS SIGNED" in script
    pg = psql_script("SELECT :a, :b", {"a": evil, "b": None})
    assert "DROP" not in pg and pg.endswith("SELECT :'lp_p_a', NULL;\n")
    with pytest.raises(BackupFailed, match=":missing"):
        mysql_script("SELECT :missing", {})


def _record(backup_id: int, days_old: float, verified: bool = True, run_id: int | None = None) -> BackupRecord:
    finished = (datetime.now(UTC) - timedelta(days=days_old)).isoformat()
    return BackupRecord(backup_id, f"u{backup_id}", "test", "app", "sqlite", "app1", f"f{backup_id}", "zstd",
                        finished, finished, 10, "0" * 64, {}, None, "manual", "t", run_id, None, None,
                        "ok" if verified else "failed", None, None, None, None, None, None)


def test_retention_keeps_the_newest_verified_backup() -> None:
    now = datetime.now(UTC)
    # newest first: two unverified (a failed verify), then the newest verified, then older ones
    backups = [_record(5, 0.1, False), _record(4, 0.2, False), _record(3, 10), _record(2, 20), _record(1, 30, run_id=7)]
    keep_two = {d.record.id: d.delete for d in plan_retention(backups, BackupRetention(keep=2), now, {7})}
    assert keep_two == {5: False, 4: False, 3: False, 2: True, 1: False}
    by_age = {d.record.id: d.delete for d in plan_retention(backups, BackupRetention(keep_days=15), now)}
    assert by_age == {5: False, 4: False, 3: False, 2: True, 1: True}
    either = {d.record.id: d.delete for d in plan_retention(backups, BackupRetention(keep=4, keep_days=1), now)}
    assert either == {5: False, 4: False, 3: False, 2: False, 1: True}
    assert not any(d.delete for d in plan_retention(backups, BackupRetention(), now))


def test_retentions_reasons_read_in_the_readers_language() -> None:
    backups = [_record(3, 0.1), _record(2, 0.2, run_id=7), _record(1, 30.5)]
    now = datetime.now(UTC)
    decisions = {d.record.id: d for d in plan_retention(backups, BackupRetention(keep=1, keep_days=1), now, {7})}
    # Keeping one, it is the newest, not "one of the 1 newest" (最新的 1 个之一) in either language.
    assert render(decisions[3].reason, "zh") == "最新的一个备份（保留 1 个）；不到 1 天；最新的可用备份"
    assert str(decisions[3].reason) == "the newest backup (keep: 1); younger than 1 day; the newest usable backup"
    keep_two = plan_retention(backups, BackupRetention(keep=2), now, {7})
    assert [render(d.reason, "zh") for d in keep_two[:2]] == ["最新的 2 个之一；最新的可用备份",
                                                              "最新的 2 个之一；运行 7 尚未结束"]
    assert [str(d.reason) for d in keep_two[:2]] == ["one of the 2 newest; the newest usable backup",
                                                    "one of the 2 newest; run 7 has not finished"]
    assert render(decisions[2].reason, "zh") == "不到 1 天；运行 7 尚未结束"
    assert decisions[1].delete and render(decisions[1].reason, "zh") == "超出保留规则：已存 30 天，从新到旧排第 3"
    assert str(decisions[1].reason) == "older than the retention rule (30 days old, number 3)"
    assert render(plan_retention(backups, BackupRetention(), now)[0].reason, "zh").startswith("未设保留规则；")


def test_retentions_reasons_say_one_in_the_singular_and_more_in_the_plural() -> None:
    backups = [_record(3, 0.1), _record(2, 1.5), _record(1, 3.5)]
    now = datetime.now(UTC)
    several = {d.record.id: str(d.reason) for d in plan_retention(backups, BackupRetention(keep=2, keep_days=3), now)}
    assert several[3] == "one of the 2 newest; younger than 3 days; the newest usable backup"
    assert several[1] == "older than the retention rule (3 days old, number 3)"
    one = {d.record.id: d for d in plan_retention(backups, BackupRetention(keep=1, keep_days=1), now)}
    assert one[2].delete and str(one[2].reason) == "older than the retention rule (1 day old, number 2)"
    assert render(one[2].reason, "zh") == "超出保留规则：已存 1 天，从新到旧排第 2"


def cli(root: Path, *args: str) -> Any:
    from launchpad.cli import cli as group
    from launchpad.cli.backups import COMMANDS

    for command in COMMANDS:  # registered here until launchpad.cli registers the module
        group.add_command(command)
    return CliRunner().invoke(group, ["--workspace", str(root), *args])


def test_command_line_backup_list_verify_drill_prune_restore(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", SQL)
    for _ in range(3):
        taken = cli(runner.root, "backup", "--env", "test", "app")
        assert taken.exit_code == 0, taken.output
        assert "✓ backup" in taken.output
    listing = json.loads(cli(runner.root, "backups", "--env", "test", "--json").output)
    assert [b["id"] for b in listing] == [3, 2, 1] and all(b["verify_status"] == "ok" for b in listing)
    assert "test/app" in cli(runner.root, "backups").output
    assert "verifies" in cli(runner.root, "backups", "verify", "2").output
    drill = cli(runner.root, "backups", "drill", "2")
    assert drill.exit_code == 0 and "1 tables, 3 rows restored" in drill.output
    pruned = cli(runner.root, "backups", "prune")  # the app target keeps 2
    assert "deleted backup 1" in pruned.output and "1 backup(s) deleted" in pruned.output
    assert [b["id"] for b in json.loads(cli(runner.root, "backups", "--json").output)] == [3, 2]
    with sqlite3.connect(runner.db) as connection:
        connection.execute("DELETE FROM t")
    refused = cli(runner.root, "restore", "3", "--env", "test")  # no terminal, no --yes: refused
    assert isinstance(refused.exception, RestoreRefused) and rows_of(runner.db) == []
    restored = cli(runner.root, "restore", "3", "--env", "test", "--yes")
    assert restored.exit_code == 0, restored.output
    assert rows_of(runner.db) == ROWS and "safety backup" in restored.output


def test_a_restore_is_reported_in_the_command_lines_language(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", SQL)
    assert cli(runner.root, "backup", "--env", "test", "app").exit_code == 0
    restored = cli(runner.root, "--lang", "zh", "restore", "1", "--env", "test", "--yes")
    assert restored.exit_code == 0, restored.output
    assert "上恢复备份 1（test/app/" in restored.output and "恢复前的状态已存为安全备份 2" in restored.output
    assert "restored backup" not in restored.output, restored.output
    english = cli(runner.root, "--lang", "en", "restore", "1", "--env", "test", "--yes").output
    assert "restored backup 1 (test/app/" in english and "safety backup 3" in english, english


def test_a_backup_cut_short_is_listed_unusable_its_drill_void_and_a_drill_refused_with_what_to_do(
        tmp_path: Path) -> None:
    from launchpad.backup.errors import DrillRefused

    runner = Runner(tmp_path / "ws", SQL)
    assert cli(runner.root, "backup", "--env", "test", "app").exit_code == 0
    assert cli(runner.root, "backups", "drill", "1").exit_code == 0
    row = cli(runner.root, "backups").output.splitlines()[1]
    assert " ok " in row and " passed " in row
    file = json.loads(cli(runner.root, "backups", "--json").output)[0]["file"]
    stored = load_workspace(runner.root).backups_dir / file
    stored.write_bytes(stored.read_bytes()[:-10])  # cut short: seen by a stat, before any verify
    listed = json.loads(cli(runner.root, "backups", "--json").output)[0]
    assert (listed["usable"], listed["checksum_now"], listed["drill_now"]) == (False, "changed", "void")
    row = cli(runner.root, "backups").output.splitlines()[1]
    assert " CHANGED " in row and " VOID " in row and " passed " not in row
    verify = cli(runner.root, "backups", "verify", "1")
    assert verify.exit_code == 1 and "does NOT verify" in verify.output
    assert "→ take a new backup (`launchpad backup --env test app`), or use another verified one" in verify.output
    row = cli(runner.root, "backups").output.splitlines()[1]
    assert " FAILED " in row and " VOID " in row
    drill = cli(runner.root, "backups", "drill", "1")
    assert isinstance(drill.exception, DrillRefused)
    code, _ = launch(runner.root, "backups", "drill", "1")
    assert code == 4  # refused, nothing failed: not the exit 1 of a drill that ran and failed
    said = drill.exception.render("zh")
    assert said.startswith("演练未进行：备份 1 校验不通过，无法演练") and "备份失败" not in said
    assert "→ 请重新备份（`launchpad backup --env test app`）" in said


def test_a_deleted_backup_never_reads_usable(tmp_path: Path) -> None:
    from launchpad.backup.freshness import usable

    runner = Runner(tmp_path / "ws", SQL)
    for _ in range(3):
        assert cli(runner.root, "backup", "--env", "test", "app").exit_code == 0
    assert cli(runner.root, "backups", "drill", "1").exit_code == 0
    assert "deleted backup 1" in cli(runner.root, "backups", "prune").output  # the app target keeps 2
    listed = {b["id"]: b for b in json.loads(cli(runner.root, "backups", "--all", "--json").output)}
    gone = listed[1]
    assert gone["deleted_at"] and gone["verify_status"] == "ok", "its last verify passed, before it was deleted"
    assert (gone["usable"], gone["checksum_now"], gone["drill_now"]) == (False, "deleted", "void")
    assert gone["problem"].startswith("backup 1 was deleted (older than the retention rule")
    assert listed[2]["usable"] and listed[3]["usable"]
    rows = {line.split()[0]: line for line in cli(runner.root, "backups", "--all").output.splitlines()[1:]}
    assert " DELETED " in rows["1"] and " ok " not in rows["1"] and " VOID " in rows["1"]
    assert " ok " in rows["2"]
    # Deleted by hand with its file left in place: still not usable (gates, proofs, handover).
    records.mark_deleted(runner.store, 3, "deleted by hand")
    kept = records.get_backup(runner.store, 3)
    assert kept is not None and kept.path(runner.workspace.backups_dir).is_file()
    assert not usable(kept, runner.workspace.backups_dir)
    assert not json.loads(cli(runner.root, "backups", "--all", "--json").output)[0]["usable"]


def test_the_json_listing_says_why_in_the_commands_language_as_plain_text(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", SQL)
    taken = json.loads(cli(runner.root, "--lang", "zh", "backup", "--env", "test", "app", "--json").output)[0]
    assert "verify_phrase" not in taken and "deleted_phrase" not in taken
    assert taken["verify_detail"].startswith("备份时已检查：SQLite 数据库"), taken["verify_detail"]
    for _ in range(2):
        assert cli(runner.root, "backup", "--env", "test", "app").exit_code == 0
    drilled = cli(runner.root, "--lang", "zh", "backups", "drill", "1", "--json")
    assert drilled.exit_code == 0, drilled.output
    assert json.loads(drilled.output)["summary"].startswith("恢复了 1 张表、3 行"), drilled.output
    assert cli(runner.root, "backups", "prune").exit_code == 0  # the app target keeps 2: backup 1 goes

    def listed(lang: str) -> dict[str, Any]:
        shown = json.loads(cli(runner.root, "--lang", lang, "backups", "--all", "--json").output)
        return {b["id"]: b for b in shown}[1]

    zh, en = listed("zh"), listed("en")
    assert zh["deleted_reason"] == "超出保留规则：已存 0 天，从新到旧排第 3"
    assert en["deleted_reason"] == "older than the retention rule (0 days old, number 3)"
    assert zh["verify_detail"] == taken["verify_detail"] and en["verify_detail"].startswith("checked when taken")
    assert zh["drill_detail"]["summary"].startswith("恢复了 1 张表、3 行")
    assert "summary_phrase" not in zh["drill_detail"]
    assert not {"verify_phrase", "deleted_phrase"} & (set(zh) | set(en))


def test_prune_and_a_deleted_backup_say_why_in_the_readers_language(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", SQL)
    for _ in range(3):
        assert cli(runner.root, "backup", "--env", "test", "app").exit_code == 0
    dry = cli(runner.root, "--lang", "zh", "backups", "prune", "--dry-run")  # the app target keeps 2
    assert "将删除备份 1（test/app，" in dry.output and "）：超出保留规则：已存 0 天，从新到旧排第 3" in dry.output
    assert "older than" not in dry.output, dry.output
    pruned = cli(runner.root, "--lang", "zh", "backups", "prune")
    assert "已删除备份 1（test/app，" in pruned.output and "超出保留规则" in pruned.output, pruned.output
    # Kept as a phrase: every later reader reads why in their own language, whoever pruned.
    def problems(lang: str) -> dict[int, str]:
        listed = json.loads(cli(runner.root, "--lang", lang, "backups", "--all", "--json").output)
        return {b["id"]: b["problem"] for b in listed}

    assert problems("zh")[1] == "备份 1 已被删除（超出保留规则：已存 0 天，从新到旧排第 3）"
    assert problems("en")[1] == "backup 1 was deleted (older than the retention rule (0 days old, number 3))"
    code, said = launch(runner.root, "--lang", "zh", "restore", "1", "--env", "test", "--yes")
    assert code == 4 and "备份 1 已删除（超出保留规则：已存 0 天，从新到旧排第 3）；什么都没有改动" in said, said
    verify = cli(runner.root, "--lang", "zh", "backups", "verify", "1")
    assert isinstance(verify.exception, BackupFailed)
    assert verify.exception.render("zh").startswith("备份失败：备份 1 已被删除（超出保留规则：已存 0 天")
    # A backup deleted by an older launchpad kept only the English text: that is what shows.
    with runner.store.transaction():
        runner.store.db.execute("UPDATE backups SET deleted_at = '2024-01-01T00:00:00+00:00', "
                                "deleted_reason = 'older than the retention rule (40 days old, number 5)' "
                                "WHERE id = 2")
    assert problems("zh")[2] == "备份 2 已被删除（older than the retention rule (40 days old, number 5)）"


def test_a_dry_run_prune_says_why_each_backup_it_keeps_is_kept(tmp_path: Path) -> None:
    """Before deleting anything an engineer checks the rules against each backup: the dry run
    says for every backup, newest first, whether it would go and why, in the reader's language."""
    runner = Runner(tmp_path / "ws", SQL)
    for _ in range(3):
        assert cli(runner.root, "backup", "--env", "test", "app").exit_code == 0
    dry = cli(runner.root, "--lang", "zh", "backups", "prune", "--dry-run")  # the app target keeps 2
    said = [line.strip() for line in dry.output.splitlines() if "备份 " in line]
    assert [line.split("（")[0] for line in said] == ["将保留备份 3", "将保留备份 2", "将删除备份 1"], dry.output
    assert said[0].endswith("）：最新的 2 个之一；最新的可用备份") and said[1].endswith("）：最新的 2 个之一"), said
    assert "将删除 1 个备份，保留 2 个。" in dry.output
    english = cli(runner.root, "--lang", "en", "backups", "prune", "--dry-run").output
    assert "would keep backup 3 (test/app, " in english
    assert "): one of the 2 newest; the newest usable backup" in english
    # Deleting, it says what it deleted, as before: why the rest stay is what the dry run is for.
    pruned = cli(runner.root, "--lang", "zh", "backups", "prune")
    assert "已删除备份 1（test/app，" in pruned.output and "保留备份" not in pruned.output, pruned.output


def test_prune_keeps_the_newest_backup_a_rollback_can_use(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", SQL)
    for _ in range(3):
        assert cli(runner.root, "backup", "--env", "test", "app").exit_code == 0
    files = {b["id"]: b["file"] for b in json.loads(cli(runner.root, "backups", "--json").output)}
    for backup_id in (3, 2):  # verified when taken, cut short since: a stat sees it
        stored = runner.workspace.backups_dir / files[backup_id]
        stored.write_bytes(stored.read_bytes()[:-10])
    pruned = cli(runner.root, "backups", "prune")  # the app target keeps 2: backups 3 and 2
    assert pruned.exit_code == 0 and "0 backup(s) deleted, 3 kept" in pruned.output, pruned.output
    assert (runner.workspace.backups_dir / files[1]).is_file(), "the only backup a rollback can use is kept"
    assert [b["id"] for b in json.loads(cli(runner.root, "backups", "--json").output) if b["usable"]] == [1]


def test_a_test_backup_is_refused_on_production_with_exit_2_and_what_to_do(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", SQL)
    assert cli(runner.root, "backup", "--env", "test", "app").exit_code == 0
    with sqlite3.connect(runner.db) as connection:
        connection.execute("DELETE FROM t")
    code, said = launch(runner.root, "--lang", "zh", "restore", "1", "--env", "prod", "--confirm", "prod")
    assert code == 2, said
    assert "恢复被拒绝：备份 1 取自环境“test”，不能恢复到“prod”；什么都没有改动" in said
    assert "→ 环境之间从不共用数据，也没有允许这样做的选项：要恢复 prod，请选用它自己的备份" in said
    assert "（`launchpad backups --env prod`）" in said and "（`launchpad restore 1 --env test`）" in said
    assert rows_of(runner.db) == [] and records.restores(runner.store) == []
    refused = runner.store.db.query("SELECT actor, target, detail FROM audit WHERE action = 'restore_refused'")
    (entry,) = list(refused)
    assert entry["target"] == "prod/app" and json.loads(entry["detail"])["backup_environment"] == "test"
    # Not confirmed is the person's to put right too, exit 2; a backup whose own state refuses
    # the restore (its file does not verify, it was deleted) is a refused gate, exit 4; a
    # restore that started and failed stays exit 1.
    code, said = launch(runner.root, "restore", "1", "--env", "test")  # no terminal, no --yes: not confirmed
    assert code == 2 and "restore refused: the restore was not confirmed; nothing was changed" in said, said
    file = records.require_backup(runner.store, 1).path(runner.workspace.backups_dir)
    kept = file.read_bytes()
    file.write_bytes(kept[:-10])
    code, said = launch(runner.root, "restore", "1", "--env", "test", "--yes")
    assert code == 4 and "restore refused: backup 1 does not verify" in said, said
    file.write_bytes(kept)
    records.mark_deleted(runner.store, 1, "deleted by hand")
    code, said = launch(runner.root, "restore", "1", "--env", "test", "--yes")
    assert code == 4 and "backup 1 was deleted (deleted by hand); nothing was changed" in said, said
    assert "→ choose a backup that is still kept (`launchpad backups --env test`)" in said
    actions = [row["action"] for row in runner.store.db.query("SELECT action FROM audit WHERE action LIKE 'restore_%'")]
    assert actions == ["restore_refused", "restore_declined", "restore_refused", "restore_refused"]
    assert rows_of(runner.db) == []


def test_a_script_restores_production_by_naming_it_and_nothing_less(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", SQL)
    assert cli(runner.root, "backup", "--env", "prod", "app").exit_code == 0
    with sqlite3.connect(runner.db) as connection:
        connection.execute("DELETE FROM t")
    for wrong in (["--yes"], ["--confirm", "test"], ["--yes", "--confirm", "Prod"]):
        refused = cli(runner.root, "restore", "1", "--env", "prod", *wrong)
        assert isinstance(refused.exception, RestoreRefused), (wrong, refused.output)
        assert rows_of(runner.db) == []
    restored = cli(runner.root, "restore", "1", "--env", "prod", "--confirm", "prod")
    assert restored.exit_code == 0, restored.output
    assert rows_of(runner.db) == ROWS


def test_a_backup_stopped_before_its_row_was_written_is_adopted_from_its_manifest(tmp_path: Path) -> None:
    runner = Runner(tmp_path / "ws", SQL)
    for _ in range(2):
        assert cli(runner.root, "backup", "--env", "test", "app").exit_code == 0
    files = {b["id"]: b["file"] for b in json.loads(cli(runner.root, "backups", "--json").output)}
    # What a kill -9 between the rename and the insert leaves: the file and its manifest, no row.
    runner.store.db.execute("DELETE FROM backups")
    runner.store.db.conn.commit()
    damaged = runner.workspace.backups_dir / files[2]
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    stray = runner.workspace.backups_dir / "test" / "app" / "copied-by-hand.db"
    stray.write_bytes(b"who knows")

    listing = cli(runner.root, "backups")
    assert "3 backup file(s) are not recorded" in listing.output
    adopted = cli(runner.root, "backups", "adopt")
    assert adopted.exit_code == 1, "files left for a person to look at"
    assert f"{files[1]}: recorded as backup" in adopted.output
    assert f"{files[2]}: not adopted: its sha256 differs" in adopted.output
    assert "copied-by-hand.db: not adopted: no readable manifest" in adopted.output
    [record] = json.loads(cli(runner.root, "backups", "--json").stdout)
    assert record["file"] == files[1] and record["verify_status"] == "ok"
    with sqlite3.connect(runner.db) as connection:
        connection.execute("DELETE FROM t")
    assert cli(runner.root, "restore", str(record["id"]), "--env", "test", "--yes").exit_code == 0
    assert rows_of(runner.db) == ROWS, "the adopted backup restores"
    assert damaged.exists() and stray.exists(), "what cannot be adopted is left alone"


def test_a_target_must_name_a_known_database(tmp_path: Path) -> None:
    from launchpad.errors import InvalidInput

    root = tmp_path / "ws"
    root.mkdir()
    (root / "site.yaml").write_text(SITE.replace("app: {database: app, retention", "app: {database: nope, retention"),
                                    encoding="utf-8")
    with pytest.raises(InvalidInput, match="names database 'nope'"):
        load_workspace(root)


def test_a_target_that_cannot_be_backed_up_reads_in_the_reports_language(tmp_path: Path) -> None:
    from launchpad.phrases import loads

    playbook = """\
name: t
title: 备份
phases:
  - id: release
    name: 发布
    steps:
      - {id: take, name: 发布前备份, kind: backup, targets: [app]}
"""
    runner = Runner(tmp_path / "ws", playbook)
    runner.db.unlink()
    result = runner.run(ScriptedPrompter(failures=[FailureChoice("abort", "no database")]))
    assert result.status == "aborted" and runner.states(result.run_id)["take"] == "failed"
    (row,) = runner.store.host_rows(result.run_id, "take")
    said = loads(row["message"], row["message_phrase"])
    assert render(said, "en") == row["message"] and row["message"]
    assert render(said, "zh").startswith("app1：导出失败（退出码 1）：") and "没有记录任何备份" in render(said, "zh")
    assert row["message"].startswith("app1: the dump exited 1: ")


@pytest.mark.parametrize("asked_by", ["the step", "the restore"])
def test_yes_rolls_back_but_never_restores_a_backup_that_nobody_said_is_needed(
        tmp_path: Path, asked_by: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Unattended with --yes, a failed release is switched back (its rollback confirmed), but its
    backup is not restored: whether the release changed data is a question for a person, and a
    restore throws away what was written since. Naming the step in an answers file restores it."""
    from launchpad.cli.prompter import CliPrompter
    from launchpad.run.answers import Answers

    playbook = RELEASE.replace("kind: restore, target: app}", "kind: restore, target: app, confirm: true}") \
        if asked_by == "the step" else RELEASE
    runner = Runner(tmp_path / "ws", playbook)
    with HostConnections(runner.workspace, "test") as connections:
        from launchpad.backup.session import BackupSession
        from launchpad.backup.take import take_backup

        take_backup(BackupSession(runner.workspace, runner.store, connections.transport_for, "t"), "test", "app")

    result = runner.run(CliPrompter("张三", yes=True, interactive=False, offers_answers=True))  # type: ignore[arg-type]

    assert result.status == "failed"
    assert runner.states(result.run_id).get("undo") != "passed", runner.states(result.run_id)
    assert rows_of(runner.db) != ROWS  # the migration's change stays: nothing restored
    kinds = [(d["step_id"], d["kind"]) for d in runner.store.decisions(result.run_id)]
    assert ("rollback", "confirmed") in kinds and ("undo", "confirmed") not in kinds
    said = capsys.readouterr().err
    assert "confirm: [undo]" in said, said
    assert "--yes does not answer this" in said or "--yes 不能代替这个回答" in said, said

    with sqlite3.connect(runner.db) as connection:  # the data as it was, for the same release again
        connection.executemany("INSERT INTO t VALUES (?, ?, ?)", ROWS)
    named = CliPrompter("张三", answers=Answers(confirm=["undo"]), yes=True, interactive=False)
    again = runner.run(named)  # type: ignore[arg-type]
    assert runner.states(again.run_id)["undo"] == "passed"
    assert rows_of(runner.db) == ROWS
