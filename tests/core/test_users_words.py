"""What the `users` commands say reads in the site's language: a sheet that cannot be read, the
import's progress and estimate, how the plan changed, a refused rollback, the imports listing in
site time, and the records a command cannot find. Each read in Chinese (what a `language: zh`
site prints) and in English (`--lang en` or LAUNCHPAD_LANG=en)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from launchpad.errors import LaunchpadError, UsageError
from launchpad.phrases import render
from launchpad.store.db import Store
from launchpad.users import records
from tests.core.test_cli_help import launchpad_process
from tests.core.users_sheets import write_mapping
from tests.workspaces import write_workspace

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _both(error: LaunchpadError) -> tuple[str, str]:
    return error.render("zh"), error.render("en")


def _an_import(store: Store, environment: str = "test") -> int:
    return records.start_import(store, environment=environment, database="app", target="ruoyi",
                                file_name="名单.xlsx", file_sha256="0" * 64, mapping="ruoyi.yaml", rows=2,
                                planned={"insert": 1, "update": 1, "unchanged": 0, "rejected": 0},
                                plan_digest="d", operator="王工")


@pytest.fixture
def cli_speaks() -> Iterator[Any]:
    """Sets the command line's language for words said outside a process; English again after."""
    from launchpad.cli.door import speak

    yield speak
    speak("en")


# -- a sheet that cannot be read -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "chinese", "english"), [
    ("missing.xlsx", None, "missing.xlsx：文件不存在", "missing.xlsx: no such file"),
    ("empty.xlsx", b"", "empty.xlsx 是空文件（0 字节）\n  → 请让客户重新发送该文件",
     "empty.xlsx is empty (0 bytes)\n  → ask the client to send the file again"),
    ("fake.xlsx", b"PK\x03\x04 not really", "不是可读取的 Excel 工作簿（",
     "is not a readable Excel workbook ("),
    ("fake.xlsx", b"PK\x03\x04 not really", "→ 请用 Excel 或 WPS 打开并重新另存为 .xlsx",
     "→ open it in Excel or WPS and save it again as .xlsx"),
    ("notes.pdf", b"x", "notes.pdf：launchpad 不读取 .pdf 文件\n  → 请另存为 .xlsx、.xls 或 .csv",
     "notes.pdf: .pdf is not a sheet launchpad reads\n  → save it as .xlsx, .xls or .csv"),
    ("header.csv", b"a,b\n1,2\n", "header.csv：没有任何工作表带有映射认识的表头（工作表“header”",
     "header.csv: no sheet has a header the mapping knows ("),
    ("header.csv", b"a,b\n1,2\n", "→ 映射查找的表头例如：", "→ the mapping looks for headers such as "),
])
def test_a_sheet_that_cannot_be_read_is_refused_in_the_sites_language(
        tmp_path: Path, name: str, content: bytes | None, chinese: str, english: str) -> None:
    root = write_workspace(tmp_path / "ws")
    if content is not None:
        (tmp_path / name).write_bytes(content)
    args = ("users", "check", str(tmp_path / name), "--mapping", str(write_mapping(tmp_path)))
    said_zh = launchpad_process(root, *args)
    said_en = launchpad_process(root, *args, env={"LAUNCHPAD_LANG": "en"})
    assert said_zh.returncode == said_en.returncode == 2
    assert chinese in said_zh.stderr and "Traceback" not in said_zh.stderr, said_zh.stderr
    assert english in said_en.stderr, said_en.stderr


def test_an_annotated_copy_that_cannot_be_written_says_where_to_write_in_both_languages(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from launchpad.users.annotate import CannotWrite, save_private

    with pytest.raises(CannotWrite) as refused:
        save_private(Workbook(), tmp_path / "no-such-folder" / "名单.checked.xlsx")
    chinese, english = _both(refused.value)
    assert "→ 请腾出磁盘空间，或选择有写入权限的文件夹，然后重新运行" in chinese, chinese
    assert "no-such-folder" in chinese, chinese
    assert "→ make room on the disk, or choose a folder you can write to; then run it again" in english


def test_a_target_profile_that_is_nowhere_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.users.profile import load_profile

    with pytest.raises(UsageError) as refused:
        load_profile("payroll", tmp_path)
    chinese, english = _both(refused.value)
    assert "没有目标系统描述“payroll”：既非内置（ruoyi" in chinese and f"（在 {tmp_path}" in chinese, chinese
    assert "→ 请在 imports/targets/payroll.yaml 中描述该系统" in chinese
    assert "no target profile 'payroll': not bundled (ruoyi" in english and f" in {tmp_path}" in english


def test_a_password_reset_for_another_environment_or_user_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.users.reset import reset_passwords

    store = Store.memory()
    import_id = _an_import(store)
    records.record_rows(store, import_id, 1, [("zhangsan", "insert", "办公室", None, {}, [], [])])
    other_env: Any = SimpleNamespace(store=store, environment="prod", workspace_root=tmp_path)  # its reset lock
    with pytest.raises(UsageError) as refused:
        reset_passwords(other_env, import_id, ["zhangsan"], None)  # type: ignore[arg-type]
    chinese, english = _both(refused.value)
    assert f"导入 {import_id} 写入的是 test，不是 prod\n  → 请用 --env test" in chinese, chinese
    assert f"import {import_id} went into test, not prod\n  → use --env test" in english
    same_env: Any = SimpleNamespace(store=store, environment="test", workspace_root=tmp_path)
    with pytest.raises(UsageError) as refused:
        reset_passwords(same_env, import_id, ["lisi", "wangwu"], None)  # type: ignore[arg-type]
    chinese, english = _both(refused.value)
    assert f"导入 {import_id} 没有新增 lisi、wangwu\n  → 只有导入新增的用户才从该导入获得初始密码" in chinese, chinese
    assert f"import {import_id} did not insert lisi, wangwu" in english


# -- the import's progress and its records ----------------------------------------------------------


def test_the_import_progress_reads_in_both_languages() -> None:
    from launchpad.users.apply import ApplyProgress

    hashing = ApplyProgress("hashing", 0, 66, 0.2).describe()
    writing = ApplyProgress("writing", 68, 68, 4.4).describe()
    assert render(hashing, "zh") == "计算密码哈希 0/66（0 秒）" and render(hashing, "en") == "hashing 0/66 (0 s)"
    assert render(writing, "zh") == "写入 68/68（4 秒）" and render(writing, "en") == "writing 68/68 (4 s)"


def test_the_progress_line_and_the_hashing_estimate_speak_the_command_lines_language(
        cli_speaks: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from launchpad.cli.users_apply import _hashing_estimate, _ProgressLine
    from launchpad.users.apply import ApplyProgress
    from launchpad.users.importing import HashingEstimate

    estimate = HashingEstimate(count=66, cost=10, seconds=12.4, cores=2, per_hash_ms=75.2)
    progress = ApplyProgress("writing", 68, 68, 4.0, phase_elapsed=2.0)
    cli_speaks("zh")
    assert _hashing_estimate(estimate) == "66 个新用户：bcrypt 成本 10 的密码哈希约需 12 秒（2 核，每个哈希 75 毫秒）"
    _ProgressLine()(ApplyProgress("writing", 34, 68, 2.0, phase_elapsed=2.0))
    _ProgressLine()(progress)
    zh_lines = capsys.readouterr().err
    assert "写入 34/68（2 秒），约剩 2 秒" in zh_lines and "写入 68/68（4 秒）" in zh_lines, zh_lines
    cli_speaks("en")
    assert _hashing_estimate(estimate) == ("66 new user(s): hashing at bcrypt cost 10 takes about 12 s on 2 core(s) "
                                           "(75 ms per hash)")
    _ProgressLine()(ApplyProgress("writing", 34, 68, 2.0, phase_elapsed=2.0))
    assert "writing 34/68 (2 s), about 2 s left" in capsys.readouterr().err


def test_a_long_import_says_its_time_as_the_import_screen_does(
        cli_speaks: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """80 minutes left read "约剩 1 小时 20 分钟" on the command line as on the screen, not "4800 秒"."""
    from launchpad.cli.users_apply import _ProgressLine
    from launchpad.users.apply import ApplyProgress

    hours_in = ApplyProgress("hashing", 1_000, 61_000, 3_725.0, phase_elapsed=80.0)  # 12.5 a second
    cli_speaks("zh")
    _ProgressLine()(hours_in)
    assert "计算密码哈希 1000/61000（1 小时 2 分钟），约剩 1 小时 20 分钟" in capsys.readouterr().err
    cli_speaks("en")
    _ProgressLine()(hours_in)
    assert "hashing 1000/61000 (1 h 2 min), about 1 h 20 min left" in capsys.readouterr().err


@pytest.mark.parametrize(("seconds", "zh", "en"), [
    (0.07, "不到 1 秒", "under a second"),
    (12.4, "约需 12 秒", "about 12 s"),
    (200, "约需 4 分钟", "about 4 min"),
    (100_000 * 0.095 / 2, "约需 1 小时 20 分钟", "about 1 h 20 min"),  # 100,000 users at cost 10, two cores
])
def test_the_hashing_estimate_says_its_time_as_a_person_plans_by(seconds: float, zh: str, en: str) -> None:
    from launchpad.phrases import render
    from launchpad.users.importing import HashingEstimate

    took = HashingEstimate(count=1, cost=10, seconds=seconds, cores=2, per_hash_ms=95).took
    assert (render(took, "zh"), render(took, "en")) == (zh, en)


def test_an_import_rolled_back_twice_is_refused_with_the_time_in_site_time(tmp_path: Path) -> None:
    from launchpad.sitetime import local_text
    from launchpad.users.apply import ImportTarget, rollback_import
    from launchpad.users.guard import RollbackRefused

    store = Store.memory()
    import_id = _an_import(store)
    records.finish_import(store, import_id, "rolled_back")
    stamp = records.get_import(store, import_id)["rolled_back"]
    to = ImportTarget(store, None, tmp_path, "test", "app", "tester", SHANGHAI)  # type: ignore[arg-type]
    with pytest.raises(RollbackRefused) as refused:  # a refusal, not a usage mistake
        rollback_import(to, import_id)
    assert refused.value.exit_code == 4
    chinese, english = _both(refused.value)
    assert chinese.startswith("回滚被拒绝：") and english.startswith("rollback refused: "), chinese
    shown = f"{local_text(stamp, SHANGHAI, with_seconds=True)} Asia/Shanghai"
    assert shown[:19] != stamp[:19].replace("T", " ")  # the site's clock, not the stored UTC
    assert f"导入 {import_id} 已回滚过（{shown}）" in chinese, chinese
    assert f"import {import_id} was already rolled back ({shown})" in english


def test_users_imports_lists_statuses_in_the_word_books_words_and_times_in_site_time(tmp_path: Path) -> None:
    from launchpad.sitetime import local_text
    from launchpad.workspace.folder import load_workspace

    root = write_workspace(tmp_path / "ws")
    with Store.open(load_workspace(root).store_path) as store:
        applied, undone = _an_import(store), _an_import(store)
        records.finish_import(store, applied, "applied")
        records.finish_import(store, undone, "rolled_back")
        started = records.get_import(store, applied)["started"]
    said_zh = launchpad_process(root, "users", "imports")
    assert said_zh.returncode == 0, said_zh.stderr
    heading, newest, first = said_zh.stdout.splitlines()[:3]  # the newest first
    assert "编号" in heading and "开始时间（Asia/Shanghai）" in heading and "状态" in heading, heading
    assert local_text(started, SHANGHAI, with_seconds=True) in first and "已导入" in first, first
    assert "已回滚" in newest and "applied" not in said_zh.stdout and "rolled_back" not in said_zh.stdout
    said_en = launchpad_process(root, "users", "imports", env={"LAUNCHPAD_LANG": "en"})
    assert "STARTED (Asia/Shanghai)" in said_en.stdout and "rolled back" in said_en.stdout, said_en.stdout


# -- how the plan changed since a person read it ----------------------------------------------------


def test_what_changed_since_the_plan_reads_in_both_languages() -> None:
    from launchpad.phrases import phrase
    from launchpad.users.planlog import differences

    recorded = {"digest": "before", "actions": {
        "lisi": ["update", {"email": ["", "old@example.cn"], "dept_id": ["101", "102"]}, [], [],
                 [["邮箱", "old@example.cn"], [None, "某某局/信息中心"]]],
        "wangwu": ["insert", {}, [], [], []],
        "zhaoliu": ["unchanged", {}, [], [], []],
        "sun": ["update", {"sex": ["0", "1"]}, [], []],  # recorded before plans kept the sheet's words
    }}
    now = [SimpleNamespace(key="lisi", action="update", changes={"email": ("", "ls@example.cn"),
                                                                "dept_id": ("101", "102")},
                           changes_said=[("邮箱", "", "ls@example.cn"),
                                         (phrase("users.account_unit"), "某某局/办公室", "某某局/信息中心")],
                           roles_added=["common"], posts_added=[]),
           SimpleNamespace(key="wangwu", action="unchanged", changes={}, changes_said=[], roles_added=[],
                           posts_added=[]),
           SimpleNamespace(key="new", action="update", changes={}, changes_said=[], roles_added=[], posts_added=[]),
           SimpleNamespace(key="sun", action="update", changes={"sex": ("0", "0")}, changes_said=[("性别", "男", "男")],
                           roles_added=[], posts_added=[])]
    plan: Any = SimpleNamespace(users=now, digest=lambda: "now")
    changed = differences(recorded, plan)
    assert [render(line, "zh") for line in changed] == [
        "lisi：更新，取值不同（邮箱“old@example.cn”；所属单位“某某局/信息中心” → 邮箱“ls@example.cn”；"
        "所属单位“某某局/信息中心”；角色 +common）",
        "new：无 → 更新",
        "sun：更新，取值不同（sex“1” → 性别“男”）",
        "wangwu：新增 → 不变",
        "zhaoliu：不变 → 无",
    ]
    assert [str(line) for line in changed] == [
        "lisi: update with other values (邮箱 'old@example.cn'; unit '某某局/信息中心' → 邮箱 'ls@example.cn'; "
        "unit '某某局/信息中心'; roles +common)",
        "new: absent → update",
        "sun: update with other values (sex '1' → 性别 '男')",
        "wangwu: insert → unchanged",
        "zhaoliu: unchanged → absent",
    ]


def test_more_changes_than_shown_are_counted_in_the_command_lines_language(
        cli_speaks: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from launchpad.cli.users_apply import _print_since_plan
    from launchpad.phrases import phrase
    from launchpad.users.planlog import SHOWN

    lines = [phrase("users.since.action", login=f"u{n}", before=phrase("users.since.absent"), after="insert")
             for n in range(SHOWN + 3)]
    since = SimpleNamespace(plan_id=4, planned_at="2026-12-01 10:00", differences=lines)
    cli_speaks("zh")
    _print_since_plan(since, "test")
    said = capsys.readouterr().err
    assert "u0：无 → insert" in said and "……另有 3 条" in said and "more" not in said, said


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_with_no_plan_to_compare_the_import_says_why_in_the_command_lines_language(
        cli_speaks: Any, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    """Never planned, or planned only before the file's last import (which changed the target
    itself, so that plan does not count): each is said as it is."""
    from launchpad.cli.users_apply import _print_since_plan
    from launchpad.users.importing import SincePlan

    cli_speaks(lang)
    _print_since_plan(SincePlan(None), "test")
    _print_since_plan(SincePlan(None, after_import=3), "test")
    never, since = capsys.readouterr().err.splitlines()
    assert never.strip() == {"zh": "此前未在 test 上对此文件做过计划；上方所列即为将要写入的内容",
                             "en": "no plan of this file was recorded for test: what is shown above is what "
                                   "will be written"}[lang]
    assert since.strip() == {"zh": "导入 3 之后未在 test 上对此文件做过计划；上方所列即为将要写入的内容",
                             "en": "no plan of this file for test since import 3: what is shown above is what "
                                   "will be written"}[lang]


# -- a refused rollback ------------------------------------------------------------------------------


class _Declines:
    def __init__(self) -> None:
        self.asked: list[Any] = []

    def confirm(self, request: Any) -> bool:
        self.asked.append(request)
        return False


def test_a_rollback_not_confirmed_is_titled_a_refused_rollback_and_asked_in_both_languages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.users import importing
    from launchpad.users.guard import ImportRefused
    from launchpad.users.importing import run_rollback

    person = _Declines()
    to: Any = SimpleNamespace(environment="test", audit=lambda *entry: None, store=None)
    # the rows import 3 recorded: what a rollback undoes
    monkeypatch.setattr(importing, "rollback_counts", lambda store, import_id: {"insert": 2, "update": 1})
    record = {"id": 3, "file_name": "名单.xlsx", "planned": {"insert": 5, "update": 4}}
    with pytest.raises(ImportRefused) as refused:
        run_rollback(to, record, SimpleNamespace(production=False), person)  # type: ignore[arg-type]
    chinese, english = _both(refused.value)
    assert chinese.startswith("回滚被拒绝：回滚未获确认"), chinese
    assert english.startswith("rollback refused: the rollback was not confirmed"), english
    asked = person.asked[0]
    assert render(asked.title, "zh") == "回滚用户导入 3（名单.xlsx）"
    assert render(asked.detail, "zh") == "删除 2 个新增用户，恢复 1 个被更新的用户"
    assert str(asked.title) == "roll back user import 3 (名单.xlsx)"


# -- records a command cannot find --------------------------------------------------------------------


def test_a_backup_or_a_run_not_in_the_workspace_is_refused_in_both_languages() -> None:
    from launchpad.backup.records import require_backup
    from launchpad.report.run import collect_run

    with pytest.raises(UsageError) as refused:
        require_backup(Store.memory(), 5)
    chinese, english = _both(refused.value)
    assert "本工作区没有备份 5\n  → 请查看 `launchpad backups`" in chinese, chinese
    assert "no backup 5 in this workspace\n  → see `launchpad backups`" in english
    no_runs: Any = SimpleNamespace(get_run=lambda run_id: None)
    with pytest.raises(UsageError) as refused:
        collect_run(no_runs, None, 9)  # type: ignore[arg-type]
    chinese, english = _both(refused.value)
    assert "本工作区没有运行 9\n  → 请查看 `launchpad runs`" in chinese and "no run 9 in this workspace" in english


def test_users_left_without_a_password_by_an_interruption_are_named_in_both_languages() -> None:
    from launchpad.phrases import word

    said = {"count": 2, "users": ["zhangsan", "lisi"], "id": 4}
    assert word("users.without_password", "zh", **said) == (
        "中断前新增的 2 个用户没有交接初始密码：zhangsan、lisi；"
        "请用 `launchpad users handout 4 --reset 账号` 为他们生成")
    assert word("users.without_password", "en", **said).startswith(
        "2 user(s) inserted before the interruption have no handed-out password: zhangsan, lisi; ")


def test_a_reset_on_a_target_that_cannot_tell_a_chosen_password_is_refused_in_both_languages() -> None:
    from launchpad.users.profile import bundled_profile
    from launchpad.users.reset import _still_initial

    ruoyi = bundled_profile("ruoyi")
    blind = ruoyi.users.password.model_copy(update={"changed_at": None, "force_change": None})
    profile = ruoyi.model_copy(update={"users": ruoyi.users.model_copy(update={"password": blind})})
    with pytest.raises(UsageError) as refused:
        _still_initial(profile)
    chinese, english = _both(refused.value)
    assert "目标系统 ruoyi 既没有说明何时改过密码" in chinese and "什么都没有重置" in chinese, chinese
    assert "password: {changed_at: 列名}" in chinese, chinese
    assert "target ruoyi says neither when a password was changed" in english and "nothing was reset" in english
    assert "add password: {changed_at: COLUMN}" in english, english
