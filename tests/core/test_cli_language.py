"""The command line speaks the site's language — site.yaml's `language`, overridden by `--lang`
or LAUNCHPAD_LANG, Chinese outside a workspace — in what it prints and in its errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from launchpad.cli import cli
from tests.workspaces import LOCAL_SITE, write_workspace

HELLO = """\
name: hello
title: 你好
phases:
  - id: main
    name: 主阶段
    steps:
      - {id: hello, name: 问候, kind: shell, hosts: app, run: "true"}
"""


def launchpad(root: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["--workspace", str(root), *args], env=env, catch_exceptions=False)


def launchpad_process(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, with its door: errors are printed by `main`, not raised."""
    return subprocess.run([sys.executable, "-m", "launchpad", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={**os.environ, **(env or {})})


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws", playbooks={"hello": HELLO})


# Each family of commands once: (arguments, what it says in Chinese, and in English).
FAMILIES = [
    (["check", "hello"], "site.yaml 和 1 个操作手册 均无错误。", "site.yaml and 1 playbook(s) are valid."),
    (["run", "hello", "--env", "test", "--yes"], "2 台主机通过", "2 host(s) passed"),
    (["exec", "--env", "test", "--group", "app", "--", "true"], "2/2 台主机成功。", "2/2 host(s) succeeded."),
    (["hosts", "check", "--env", "test"], "主机                 可达", "HOST                 REACH"),
    (["backups"], "还没有备份。", "No backups yet."),
    (["issue", "list"], "没有符合条件的问题。", "No issues match."),
    (["report", "daily"], "试运行日报", "Trial operation daily report"),
    (["audit", "verify"], "审计日志完整：", "audit log intact:"),
    (["audit", "show"], "操作人", "ACTOR"),
    (["roles", "list"], "还没有角色预览或分配记录。", "No role previews or assignments yet."),
    (["handover"], "进行中或中断的运行", "Runs in progress or interrupted"),
]


@pytest.mark.parametrize(("args", "chinese", "english"), FAMILIES, ids=[" ".join(f[0][:2]) for f in FAMILIES])
def test_each_command_family_speaks_the_sites_chinese_and_english_with_lang_en(
        site: Path, args: list[str], chinese: str, english: str) -> None:
    said = launchpad(site, *args)
    assert chinese in said.output and english not in said.output, said.output
    said = launchpad(site, "--lang", "en", *args)
    assert english in said.output and chinese not in said.output, said.output


def tamper_audit(root: Path, sql: str) -> None:
    """As someone with the file would: the append-only triggers dropped, then the log edited."""
    from launchpad.store.db import Store

    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        for n in range(1, 7):
            store.audit("li.wei", "step_confirmed", f"run 1 step s{n}", {"n": n})
        store.db.execute("DROP TRIGGER audit_no_update")
        store.db.execute("DROP TRIGGER audit_no_delete")
        store.db.execute(sql)


@pytest.mark.parametrize(("sql", "chinese", "english"), [
    ("UPDATE audit SET actor = 'x' WHERE id = 3", "第 3 条记录与其哈希值不符：记录或哈希值被改动过",
     "entry 3 does not match its hash"),
    ("DELETE FROM audit WHERE id >= 5", "第 5–6 条记录缺失：已从日志末尾删除", "entries 5–6 are missing"),
], ids=["altered", "deleted at the end"])
def test_a_broken_audit_log_is_explained_in_the_sites_language(
        site: Path, sql: str, chinese: str, english: str) -> None:
    tamper_audit(site, sql)
    said = launchpad(site, "audit", "verify")
    assert said.exit_code == 1 and chinese in said.output and english not in said.output, said.output
    said = launchpad(site, "--lang", "en", "audit", "verify")
    assert said.exit_code == 1 and english in said.output, said.output


def test_runs_lists_statuses_in_the_sites_language(site: Path) -> None:
    assert launchpad(site, "run", "hello", "--env", "test", "--yes").exit_code == 0
    chinese = launchpad(site, "runs").output
    assert "编号" in chinese and "通过" in chinese and "passed" not in chinese
    english = launchpad(site, "--lang", "en", "runs").output
    assert "RUN" in english and "passed" in english and "通过" not in english


def test_the_environment_variable_speaks_and_the_option_wins_over_it(site: Path) -> None:
    assert "No backups yet." in launchpad(site, "backups", env={"LAUNCHPAD_LANG": "en"}).output
    assert "还没有备份。" in launchpad(site, "--lang", "zh", "backups", env={"LAUNCHPAD_LANG": "en"}).output


def test_an_english_site_speaks_english_without_being_told(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", LOCAL_SITE.replace("language: zh", "language: en"))
    assert "No backups yet." in launchpad(root, "backups").output
    assert "还没有备份。" in launchpad(root, "--lang", "zh", "backups").output


def test_outside_a_workspace_the_error_is_chinese_unless_asked_otherwise(tmp_path: Path) -> None:
    chinese = launchpad_process(tmp_path, "runs")
    assert chinese.returncode == 2
    assert chinese.stderr.startswith(f"没有工作区：{tmp_path} 及其上级目录中都没有 site.yaml"), chinese.stderr
    assert "→ 运行 `launchpad init 目录` 创建工作区" in chinese.stderr
    english = launchpad_process(tmp_path, "runs", env={"LAUNCHPAD_LANG": "en"})
    assert english.returncode == 2
    assert english.stderr.startswith(f"no workspace: no site.yaml in {tmp_path} or any folder above it")
    assert "→ run `launchpad init DIR` to create a workspace" in english.stderr
    assert launchpad_process(tmp_path, "--lang", "en", "runs").stderr == english.stderr


def test_an_unknown_environment_is_refused_in_both_languages(site: Path) -> None:
    chinese = launchpad_process(site, "run", "hello", "--env", "nope")
    assert chinese.returncode == 2
    assert "用法有误：" in chinese.stderr and "中没有环境“nope”" in chinese.stderr, chinese.stderr
    assert "已有环境：test、prod" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", "run", "hello", "--env", "nope")
    assert english.returncode == 2
    assert "usage: no environment 'nope' in" in english.stderr and "environments: test, prod" in english.stderr


@pytest.mark.parametrize("args", [["users", "check", "名单.xlsx", "--lang", "en"],
                                  ["baseline", "diff", "--env", "nope", "--lang", "en"]])
def test_a_sub_commands_own_lang_is_the_language_of_its_refusals_too(site: Path, args: list[str]) -> None:
    """`--lang en` after the command, as its help lists it, speaks English in what goes wrong
    too, over the site's Chinese and over LAUNCHPAD_LANG."""
    said = launchpad_process(site, *args, env={"LAUNCHPAD_LANG": "zh"})
    chinese = launchpad_process(site, *args[:-2])
    assert said.returncode == chinese.returncode
    assert re.search(r"[\u4e00-\u9fff]", chinese.stdout + chinese.stderr), chinese.stderr
    assert not re.search(r"[\u4e00-\u9fff]", (said.stdout + said.stderr).replace("名单", "")), said.stderr


def test_bad_input_says_how_many_problems_in_both_languages(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"bad": "name: bad\ntitle: 坏\nphases: 3\n"})
    chinese = launchpad_process(root, "check", "bad")
    assert chinese.returncode == 2 and "bad.yaml:3:" in chinese.stderr
    assert "→ 共 1 处问题；改正后再运行 `launchpad check`" in chinese.stderr, chinese.stderr
    english = launchpad_process(root, "--lang", "en", "check", "bad")
    assert "→ 1 problem(s); fix them and run `launchpad check` again" in english.stderr, english.stderr


def test_an_exec_refused_on_production_is_audited(site: Path) -> None:
    from launchpad.store.db import Store
    from tests.commandline import launch

    assert launch(site, "exec", "--env", "prod", "--", "true")[0] == 2
    assert launch(site, "exec", "--env", "prod", "--confirm", "test", "--", "true")[0] == 2
    with Store.open(site / ".launchpad" / "launchpad.db") as store:
        refused = list(store.db.query("SELECT target, detail FROM audit WHERE action = 'exec_refused' ORDER BY id"))
    assert [row["target"] for row in refused] == ["prod/all", "prod/all"]
    assert '"true"' in refused[0]["detail"] and '"test"' in refused[1]["detail"]


def test_a_production_prompt_refused_without_a_terminal_speaks_chinese(site: Path) -> None:
    chinese = launchpad_process(site, "exec", "--env", "prod", "--", "true")
    assert chinese.returncode == 2
    assert "prod 是生产环境：需输入其名称才能继续" in chinese.stderr and "请加上 --confirm prod" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", "exec", "--env", "prod", "--", "true")
    assert "prod is production: type its name to go on" in english.stderr


def test_an_incident_summary_speaks_the_sites_language(site: Path) -> None:
    assert launchpad(site, "issue", "add", "P2 登录报错").exit_code == 0
    chinese = launchpad(site, "issue", "incident", "1", "--kind", "complaint").output
    assert "事件 #1（投诉）：时间线" in chinese and "timeline entries" not in chinese, chinese
    english = launchpad(site, "--lang", "en", "issue", "incident", "1").output
    assert "incident #1 (complaint):" in english and "timeline entries" in english, english


@pytest.mark.parametrize(("lang", "progress_line", "drill_head"), [
    ("zh", "test/db 恢复：1.0 KiB / 2.0 KiB，", ["表", "备份时", "恢复后", "源库现在"]),
    ("en", "test/db restore: 1.0 KiB of 2.0 KiB at ", ["TABLE", "AT BACKUP", "RESTORED", "SOURCE NOW"]),
])
def test_the_backup_progress_line_and_the_drill_header_speak_the_language(
        lang: str, progress_line: str, drill_head: list[str]) -> None:
    from launchpad.backup.progress import BackupProgress
    from launchpad.cli import backups, door

    door.speak(lang)
    try:
        line = backups._progress_text(BackupProgress("test", "db", "restore", 1024, 2.0, total=2048))
        head = re.split(r"\s{2,}", backups._drill_head("table").strip())
    finally:
        door.speak(None)
    assert line.startswith(progress_line), line
    assert head == drill_head


def test_baseline_refusals_speak_the_sites_language_or_the_commands_lang(site: Path) -> None:
    chinese = launchpad_process(site, "baseline", "diff", "--env", "test", "--env", "test")
    assert chinese.returncode == 2 and "--env test 出现了两次：请给出两个不同的环境" in chinese.stderr, chinese.stderr
    for english in (launchpad_process(site, "--lang", "en", "baseline", "diff", "--env", "test", "--env", "test"),
                    launchpad_process(site, "baseline", "diff", "--env", "test", "--env", "test", "--lang", "en")):
        assert english.returncode == 2
        assert "--env test twice: name two different environments" in english.stderr, english.stderr


def test_the_release_records_refusals_speak_the_sites_language(site: Path) -> None:
    chinese = launchpad_process(site, "release", "show", "99")
    assert chinese.returncode == 2 and "本工作区没有发布 99" in chinese.stderr, chinese.stderr
    assert "请查看 `launchpad release list`" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", "release", "show", "99")
    assert english.returncode == 2 and "no release 99 in this workspace" in english.stderr, english.stderr
    assert "→ see `launchpad release list`" in english.stderr


def test_an_unknown_on_site_change_is_refused_in_both_languages(site: Path) -> None:
    chinese = launchpad_process(site, "baseline", "change", "accept", "7")
    assert chinese.returncode == 2 and "没有现场变更 #7" in chinese.stderr, chinese.stderr
    english = launchpad_process(site, "--lang", "en", "baseline", "change", "accept", "7")
    assert english.returncode == 2 and "no on-site change #7" in english.stderr, english.stderr
    assert "→ see `launchpad baseline changes`" in english.stderr


class _Refusing:
    """A person who declines the plan, or types the wrong environment's name."""

    def __init__(self, confirm: bool, typed: str = "") -> None:
        self.said_yes, self.typed = confirm, typed

    def confirm(self, request: object) -> bool:
        return self.said_yes

    def type_environment(self, request: object) -> str:
        return self.typed


@pytest.mark.parametrize(("prompter", "chinese", "english"), [
    (_Refusing(False), "导入被拒绝：导入未获确认；什么都没有写入", "import refused: the import was not confirmed"),
    (_Refusing(True, "test"),
     "prod 是生产环境：没有输入其名称（输入的是“test”）；什么都没有写入\n  → 请输入 prod，或加上 --confirm prod",
     "prod is production: its name was not typed ('test'); nothing was written\n  → type prod, or pass --confirm prod"),
])
def test_the_write_guards_confirmation_refusals_speak_both_languages(
        prompter: _Refusing, chinese: str, english: str) -> None:
    """What `users import`, `baseline fix` and `roles apply` print when the plan is not confirmed."""
    from launchpad.users.guard import ImportRefused, confirm_import

    counts = {"insert": 1, "update": 0, "unchanged": 0, "rejected": 0}
    with pytest.raises(ImportRefused) as refused:
        confirm_import(prompter, lambda *entry: None, "prod", True, counts, "名单.xlsx")
    assert chinese in refused.value.render("zh") and english not in refused.value.render("zh")
    assert english in refused.value.render("en")
    assert refused.value.exit_code == 2  # not confirmed is bad usage


def test_the_write_guards_fresh_backup_refusals_speak_both_languages(site: Path, tmp_path: Path) -> None:
    from launchpad.store.db import Store
    from launchpad.users.guard import ImportRefused, require_fresh_backup
    from launchpad.workspace.folder import load_workspace

    environment = load_workspace(site).site.environments["prod"]
    store = Store.open(tmp_path / "store.db")
    for production, chinese, english in [
        (True, "prod 是生产环境，但没有备份目标覆盖数据库“app”",
         "prod is production and no backup target covers database 'app'"),
        (False, "prod：没有备份目标覆盖数据库“app”", "prod: no backup target covers database 'app'"),
    ]:
        with pytest.raises(ImportRefused) as refused:
            require_fresh_backup(store, tmp_path, environment, "prod", "app", lambda *entry: None,
                                 production=production)
        assert chinese in refused.value.render("zh")
        assert "请在 site.yaml 中为 prod 添加一个 `database: app` 的备份目标" in refused.value.render("zh")
        assert english in refused.value.render("en") and "备份" not in refused.value.render("en")
        assert refused.value.exit_code == 4  # no fresh backup is a refused gate: not a failure, not bad usage


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", ["  … 另有 1 个（--json 或 --xlsx 列出全部）", "按规则：", "  科长任负责人：变化 2 个，匹配 3 个",
            "按部门：", "  某局/办公室：2 个"]),
    ("en", ["  … 1 more (--json or --xlsx lists all)", "by rule:", "  科长任负责人: 2 changed, 3 matched",
            "by unit:", "  某局/办公室: 2"]),
])
def test_the_role_previews_count_lines_speak_the_language(lang: str, expected: list[str]) -> None:
    """What `roles preview` prints under its table (the CLI passes its language)."""
    from launchpad.users.role_report import counts_lines, table_lines
    from launchpad.users.role_rules import Preview, RoleChange

    changes = [RoleChange(str(n), f"u{n}", "王", "某局/办公室", ("kz",), ("common",), ("leader",), ("科长任负责人",))
               for n in (1, 2)]
    shown = Preview(changes, {"科长任负责人": 2}, {"某局/办公室": 2}, {"科长任负责人": 3})
    lines = table_lines(shown, lang, limit=1)[1:] + counts_lines(shown, lang)
    assert lines == expected


RELEASE = ["release", "new", "--version", "v2", "--changes", "修复", "--impact", "无", "--start", "2026-12-07 19:00",
           "--end", "21:00", "--rollback", "回退", "--owner", "张三"]


def test_the_release_windows_refusals_speak_the_sites_language(site: Path) -> None:
    chinese = launchpad_process(site, *RELEASE, "--window", "never_today")
    assert chinese.returncode == 2, chinese.stderr
    assert "2026-12-07 19:00–21:00（周一）不在该窗口内：never_today" in chinese.stderr, chinese.stderr
    assert "请把发布安排在窗口内" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", *RELEASE, "--window", "never_today")
    assert "2026-12-07 19:00–21:00 (Mon) is not inside the window: never_today" in english.stderr, english.stderr
    assert "→ plan the release inside the window" in english.stderr
    chinese = launchpad_process(site, *RELEASE, "--window", "weekend")
    assert "site.yaml 中没有窗口“weekend”" in chinese.stderr and "已有窗口：always、never_today" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", *RELEASE[:11], "nope", *RELEASE[12:])
    assert "end 'nope' is not a date and time" in english.stderr, english.stderr
    assert "结束时间“nope”不是日期和时间" in launchpad_process(site, *RELEASE[:11], "nope", *RELEASE[12:]).stderr


@pytest.mark.parametrize(("start", "chinese", "english"), [
    ("2026-13-07 19:00", "开始时间“2026-13-07 19:00”不是真实存在的日期和时间：没有 13 月",
     "start '2026-13-07 19:00' is not a real date and time: there is no month 13"),
    ("2026-02-30 19:00", "2026 年 2 月只有 28 天", "2026-2 has 28 days"),
    ("2026-12-07 25:00", "25:00 不是一天中的时刻", "25:00 is not a time of day"),
])
def test_a_start_that_does_not_exist_is_refused_in_the_sites_language(
        site: Path, start: str, chinese: str, english: str) -> None:
    given = [*RELEASE[:9], start, *RELEASE[10:]]
    said = launchpad_process(site, *given)
    assert said.returncode == 2 and chinese in said.stderr and "does not match" not in said.stderr, said.stderr
    said = launchpad_process(site, "--lang", "en", *given)
    assert said.returncode == 2 and english in said.stderr, said.stderr


FAILING = """\
name: failing
title: 会失败
phases:
  - id: main
    name: 部署
    steps:
      - {id: hello, name: 问候, kind: shell, hosts: app, run: "false"}
    rollback:
      - {id: undo, name: 撤销, kind: shell, hosts: app, run: "true"}
"""


def test_the_live_run_lines_say_launchpads_reasons_and_the_rollback_in_the_sites_language(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"failing": FAILING})
    chinese = launchpad(root, "run", "failing", "--env", "test", "--yes").output
    assert "中止 — 无人可询问（不是终端）" in chinese and "▸ 回滚：部署 [main]" in chinese, chinese
    assert "no one to ask" not in chinese and "rollback:" not in chinese, chinese
    english = launchpad(root, "--lang", "en", "run", "failing", "--env", "test", "--yes").output
    assert "no one to ask (not a terminal)" in english and "▸ rollback: 部署 [main]" in english, english


def test_the_release_test_reports_refusals_speak_the_sites_language(site: Path, tmp_path: Path) -> None:
    assert launchpad(site, *RELEASE, "--window", "always").exit_code == 0
    assert launchpad(site, "run", "hello", "--env", "prod", "--yes", "--confirm", "prod").exit_code == 0
    assert launchpad(site, "run", "hello", "--env", "test", "--yes").exit_code == 0
    chinese = launchpad_process(site, "release", "report", "1", "--run", "1")
    assert chinese.returncode == 2 and "运行 1 是在生产环境 prod 上执行的" in chinese.stderr, chinese.stderr
    assert "测试报告应来自测试环境上的验收或回归运行" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", "release", "report", "1", "--run", "1")
    assert "run 1 ran on prod, a production environment" in english.stderr, english.stderr
    missing = tmp_path / "no" / "r.md"
    chinese = launchpad_process(site, "release", "report", "1", "--run", "2", "--out", str(missing))
    assert chinese.returncode == 2 and f"无法写入 {missing}：{missing.parent} 不存在" in chinese.stderr, chinese.stderr
    assert "请先创建该文件夹，或用 --out 指定其他位置" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", "release", "report", "1", "--run", "2", "--out", str(missing))
    assert f"cannot write {missing}: {missing.parent} does not exist" in english.stderr, english.stderr


def test_the_report_commands_usage_errors_speak_the_sites_language(site: Path) -> None:
    from launchpad.notify.outbox import Outbox
    from launchpad.store.db import Store

    chinese = launchpad_process(site, "report", "notice", "--set", "版本")
    assert chinese.returncode == 2 and "--set “版本”不是 NAME=VALUE 的形式" in chinese.stderr, chinese.stderr
    assert "请写成 --set 名称=值" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", "report", "notice", "--set", "版本")
    assert english.returncode == 2 and "--set '版本' is not NAME=VALUE" in english.stderr, english.stderr
    chinese = launchpad_process(site, "report", "monitoring", "--env", "nope")
    assert chinese.returncode == 2 and "中没有环境“nope”" in chinese.stderr and "已有环境：test、prod" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", "report", "monitoring", "--env", "nope")
    assert "no environment 'nope' in" in english.stderr and "environments: test, prod" in english.stderr
    with Store.open(site / ".launchpad" / "launchpad.db") as store:
        Outbox(store).enqueue("ops", "wecom", "markdown", "日报", ["正文"])
    chinese = launchpad_process(site, "report", "outbox", "--draft", "1")
    assert chinese.returncode == 2, chinese.stderr
    assert "待发消息 1 是发给 ops 的企业微信机器人的：只有邮件能写成草稿" in chinese.stderr, chinese.stderr
    english = launchpad_process(site, "--lang", "en", "report", "outbox", "--draft", "1")
    assert "outbox message 1 is for the WeCom robot of ops: only mail is written as a draft" in english.stderr


@pytest.mark.parametrize(("kind", "chinese", "english"), [
    ("wecom", "企业微信", "WeCom"), ("dingtalk", "钉钉", "DingTalk"), ("feishu", "飞书", "Feishu")])
def test_a_draft_for_a_robot_names_the_robots_kind_in_words(tmp_path: Path, kind: str, chinese: str,
                                                            english: str) -> None:
    channel = f"channels:\n  group: {{kind: {kind}, webhook: env:LP_HOOK}}\n"
    root = write_workspace(tmp_path / "ws", site=LOCAL_SITE + channel)
    said = launchpad_process(root, "report", "daily", "--draft", "--send", "group")
    assert said.returncode == 2, said.stderr
    assert f"渠道 group 是{chinese}机器人：只有邮件才能写成草稿" in said.stderr, said.stderr
    said = launchpad_process(root, "--lang", "en", "report", "daily", "--draft", "--send", "group")
    assert f"channel group is a {english} robot: only mail is written as a draft" in said.stderr, said.stderr


@pytest.mark.parametrize(("option", "chinese", "listed"), [
    ("--severity", "“P9”不是已知的严重程度", "可选：P0 紧急、P1 高、P2 中、P3 低"),
    ("--status", "“P9”不是已知的状态", "可选：new（新建）、in_progress（处理中）、fixed（已修复）"),
    ("--type", "“P9”不是已知的类型", "可选：defect（缺陷）、config（配置）"),
    ("--channel", "“P9”不是已知的渠道", "可选：group（群）、phone（电话）、wechat（微信）"),
])
def test_an_unknown_issue_value_names_the_field_and_lists_the_values_in_chinese(
        site: Path, option: str, chinese: str, listed: str) -> None:
    assert launchpad(site, "issue", "add", "P2 登录报错").exit_code == 0
    said = launchpad_process(site, "issue", "update", "1", option, "P9")
    assert said.returncode == 2 and chinese in said.stderr and listed in said.stderr, said.stderr
    assert "severity" not in said.stderr and "known" not in said.stderr, said.stderr
    english = launchpad_process(site, "--lang", "en", "issue", "update", "1", option, "P9").stderr
    assert f"{option[2:].capitalize()} 'P9' is not known" in english, english


def test_the_baselines_file_and_fix_refusals_speak_the_sites_language(site: Path) -> None:
    (site / "baselines").mkdir()
    chinese = launchpad_process(site, "baseline", "diff", "--env", "test")
    assert chinese.returncode == 2 and "baselines 中没有基线" in chinese.stderr, chinese.stderr
    assert "核对后保存为 baselines/baseline.yaml" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", "baseline", "diff", "--env", "test")
    assert english.returncode == 2 and "baselines holds no baseline" in english.stderr, english.stderr
    (site / "baselines" / "empty").mkdir()
    chinese = launchpad_process(site, "baseline", "diff", "--env", "test", "--baseline", "baselines/empty")
    assert "baselines/empty 是文件夹，但其中没有 CSV 文件" in chinese.stderr, chinese.stderr
    english = launchpad_process(site, "--lang", "en", "baseline", "diff", "--env", "test",
                                "--baseline", "baselines/empty")
    assert "baselines/empty is a folder without CSV files" in english.stderr, english.stderr


def test_a_confirm_that_names_another_environment_than_the_runs_is_refused_before_anything_runs(site: Path) -> None:
    """`hello` asks nobody for production's name, so `--confirm test` on prod was read by
    nothing and the run went ahead: the person thought production was confirmed."""
    chinese = launchpad_process(site, "run", "hello", "--env", "prod", "--yes", "--confirm", "test")
    assert chinese.returncode == 2, chinese.stderr
    assert "--confirm test 与本次运行的环境（prod）不一致" in chinese.stderr
    assert "请写 --confirm prod，或不写" in chinese.stderr
    english = launchpad_process(site, "--lang", "en", "run", "hello", "--env", "prod", "--yes", "--confirm", "test")
    assert "--confirm test names another environment than the run's (prod)" in english.stderr
    assert json.loads(launchpad_process(site, "runs", "--json").stdout) == []  # nothing ran
