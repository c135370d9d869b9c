"""The refusals of the baseline, the role assignment, the restore and the write guard speak the
site's language: each one read in Chinese (what a `language: zh` site prints) and in English
(`--lang en` or LAUNCHPAD_LANG=en), and the questions they ask carry the same words."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from launchpad.baseline.drift import Drift, compare
from launchpad.baseline.fix import Unfixable, statements_for, transaction_script
from launchpad.errors import LaunchpadError, UsageError
from launchpad.phrases import render
from tests.core.test_baseline import reference


class _Person:
    """Says yes or no to the plan and types a name; keeps every question it was asked."""

    def __init__(self, confirm: bool, typed: str = "") -> None:
        self.said_yes, self.typed = confirm, typed
        self.asked: list[Any] = []

    def confirm(self, request: Any) -> bool:
        self.asked.append(request)
        return self.said_yes

    def type_environment(self, request: Any) -> str:
        self.asked.append(request)
        return self.typed


def _both(error: LaunchpadError) -> tuple[str, str]:
    return error.render("zh"), error.render("en")


def _no_audit(*entry: object) -> None:
    pass


# -- the baseline --------------------------------------------------------------------------------


def test_an_unfixable_difference_is_refused_in_both_languages() -> None:
    from launchpad.baseline.model import Baseline, Role

    base = reference()
    target = Baseline("x", "prod", roles={"common": Role("common", "普通角色", "0", "2", 2, frozenset({"a:list"}))},
                      menus=frozenset({"a:list"}))
    drift = compare(base, target, "prod")
    with pytest.raises(Unfixable) as refused:
        statements_for(drift.differences, base, target, {}, "tester")
    chinese, english = _both(refused.value)
    assert "无法修正：" in chinese and "prod 没有 a:add 对应的菜单" in chinese, chinese
    assert "→ 请用 --item 或 --kind 只选其他差异；缺少的菜单须先在目标环境中添加" in chinese and "menu" not in chinese
    assert "cannot fix: " in english and "prod has no menu for a:add" in english, english
    assert "→ choose the others by --item or --kind" in english


def test_the_drift_report_gives_an_unfixable_differences_note_in_its_language() -> None:
    from launchpad.baseline.model import Baseline
    from launchpad.baseline.reports import row

    base = reference()
    drift = compare(base, Baseline("x", "prod", menus=frozenset()), "prod")
    role = next(d for d in drift.differences if d.id == "role/common")
    assert "(没有 a:add、a:list 对应的菜单)" in row(role, "zh")[-1]
    assert "(no menu for a:add, a:list)" in row(role, "en")[-1]
    assert role.as_json()["note"] == "no menu for a:add, a:list"  # the stored text stays English


def test_a_fix_script_for_an_engine_without_a_client_is_refused_in_both_languages() -> None:
    with pytest.raises(UsageError) as refused:
        transaction_script("sqlite", [])
    chinese, english = _both(refused.value)
    assert "基线修正只为 mysql、mariadb 和 postgresql 数据库生成脚本，不支持 sqlite" in chinese, chinese
    assert "baseline fix writes a script to mysql, mariadb and postgresql databases, not sqlite" in english


BASELINE = """\
version: v1
roles:
  - key: common
    name: |
      普通
      角色
"""


@pytest.mark.parametrize(("text", "kind", "key", "value", "chinese", "english"), [
    ("- 1\n", "role", ["x"], None, "baseline.yaml 不是基线文件（顶层不是映射）",
     "baseline.yaml is not a baseline (no mapping at its top)"),
    (BASELINE, "permission", ["leader", "a:add"], "a:add",
     "baseline.yaml 中没有角色“leader”，无法授予 a:add\n  → 请先采纳 role/leader 的现场变更",
     "baseline.yaml has no role 'leader' to grant a:add to\n  → accept the on-site change of role/leader first"),
    (BASELINE, "dict_item", ["sex", "9"], {"value": "9"},
     "baseline.yaml 中没有字典“sex”，无法写入字典项“9”\n  → 请先采纳 dictionary/sex 的现场变更",
     "baseline.yaml has no dictionary 'sex' for item '9'\n  → accept the on-site change of dictionary/sex first"),
    (BASELINE, "role", ["common"], {"key": "common", "name": "新名"},
     "第 4 行：跨多行的值不会被改写\n  → 请把它写在一行内，再重新采纳",
     "line 4: a value over several lines is not rewritten\n  → write it on one line, then accept again"),
])
def test_the_baseline_files_edit_refusals_speak_both_languages(
        text: str, kind: str, key: list[str], value: Any, chinese: str, english: str) -> None:
    from launchpad.baseline.edit import set_item

    with pytest.raises(UsageError) as refused:
        set_item(text, "baseline.yaml", kind, key, value)
    assert chinese in refused.value.render("zh"), refused.value.render("zh")
    assert english in refused.value.render("en")


@pytest.mark.parametrize(("person", "chinese", "english"), [
    (_Person(False), "修正被拒绝：修正未获确认；什么都没有写入",
     "fix refused: the fix was not confirmed; nothing was written"),
    (_Person(True, "test"),
     "prod 是生产环境：没有输入其名称（输入的是“test”）；什么都没有写入\n  → 请输入 prod，或加上 --confirm prod",
     "prod is production: its name was not typed ('test'); nothing was written\n  → type prod, or pass --confirm prod"),
    # nothing typed (no terminal): no empty quote after it
    (_Person(True, ""),
     "prod 是生产环境：没有输入其名称；什么都没有写入\n  → 请输入 prod，或加上 --confirm prod",
     "prod is production: its name was not typed; nothing was written\n  → type prod, or pass --confirm prod"),
])
def test_an_unconfirmed_or_unnamed_fix_is_refused_in_both_languages(
        person: _Person, chinese: str, english: str) -> None:
    from launchpad.baseline.operations import FixRefused, confirm_fix

    drift = compare(reference(), reference().__class__("x", "prod"), "prod")
    with pytest.raises(FixRefused) as refused:
        confirm_fix(person, _no_audit, "prod", True, drift.differences[:2])
    assert chinese in refused.value.render("zh") and english in refused.value.render("en")
    assert refused.value.exit_code == 2  # not confirmed is bad usage, as a restore's is
    title = person.asked[0].title
    assert render(title, "zh") == "按基线修正 prod 的 2 处差异"
    assert render(title, "en") == "fix 2 difference(s) of prod from the baseline"


def test_an_on_site_change_of_a_difference_not_in_the_diff_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.baseline.onsite import record_change
    from launchpad.store.db import Store

    drift = Drift("baselines/baseline.yaml", "v1", "prod", [])
    with Store.open(tmp_path / "store.db") as store, pytest.raises(UsageError) as refused:
        record_change(store, drift, reference(), "post/nope", "甲方要求", 1, "tester", _no_audit)
    chinese, english = _both(refused.value)
    assert "用法有误：prod 与 baselines/baseline.yaml 的差异中没有 post/nope" in chinese, chinese
    assert "→ 请运行 `launchpad baseline diff --env prod`，从第一列复制编号" in chinese
    assert "usage: no difference post/nope in the diff of prod against baselines/baseline.yaml" in english
    assert "→ run `launchpad baseline diff --env prod` and copy an id from its first column" in english


# -- the role assignment, the restore, the user import ---------------------------------------------


def _roles_target() -> Any:
    return SimpleNamespace(environment="prod", where="prod/app", audit=_no_audit)


@pytest.mark.parametrize(("person", "chinese", "english"), [
    (_Person(False), "角色分配被拒绝：角色分配未获确认；什么都没有写入",
     "role assignment refused: the role assignment was not confirmed; nothing was written"),
    (_Person(True, "prdo"), "prod 是生产环境：没有输入其名称（输入的是“prdo”）；什么都没有写入\n  → 请输入 prod",
     "prod is production: its name was not typed ('prdo'); nothing was written\n  → type prod"),
])
def test_a_role_assignment_not_confirmed_or_not_named_is_refused_in_both_languages(
        person: _Person, chinese: str, english: str) -> None:
    from launchpad.users.role_apply import RolesRefused, _confirm

    with pytest.raises(RolesRefused) as refused:
        _confirm(person, _roles_target(), 4, True, 12)
    assert chinese in refused.value.render("zh") and english in refused.value.render("en")
    assert refused.value.exit_code == 2  # not confirmed is bad usage, as a restore's is
    assert render(person.asked[0].title, "zh") == "修改 prod 的 12 个用户的角色（预览 4）"
    assert render(person.asked[-1].title, "en") == "change the roles of 12 user(s) of prod (preview 4)"


def test_the_xlsx_of_a_role_preview_is_refused_another_suffix_in_both_languages(tmp_path: Path) -> None:
    from launchpad.users.role_report import write_xlsx

    with pytest.raises(UsageError) as refused:
        write_xlsx(None, tmp_path / "预览.csv", "zh", "角色预览", "prod")  # type: ignore[arg-type]
    chinese, english = _both(refused.value)
    assert "预览.csv：预览表格须为 .xlsx\n  → 请把文件命名为 文件名.xlsx" in chinese, chinese
    assert "预览.csv: the preview's spreadsheet is .xlsx\n  → name the file FILE.xlsx" in english
    assert not list(tmp_path.iterdir())


def _restoring() -> tuple[Any, Any]:
    session = SimpleNamespace(step_id=None, audit=_no_audit,
                              workspace=SimpleNamespace(site=SimpleNamespace(tz=ZoneInfo("Asia/Shanghai"))))
    record = SimpleNamespace(id=3, target="users", environment="prod", finished="2026-12-04T12:30:00+00:00",
                             file="prod/users/3.sql.gz")
    return session, record


@pytest.mark.parametrize(("person", "chinese", "english"), [
    (_Person(False), "恢复被拒绝：恢复未获确认；什么都没有改动",
     "restore refused: the restore was not confirmed; nothing was changed"),
    (_Person(True, "test"),
     "prod 是生产环境：没有输入其名称（输入的是“test”）；什么都没有改动\n  → 请输入 prod，或加上 --confirm prod",
     "prod is production: its name was not typed ('test'); nothing was changed\n  → type prod, or pass --confirm prod"),
])
def test_a_restore_not_confirmed_or_not_named_is_refused_in_both_languages(
        person: _Person, chinese: str, english: str) -> None:
    from launchpad.backup.errors import RestoreRefused
    from launchpad.backup.restore import _confirm

    session, record = _restoring()
    with pytest.raises(RestoreRefused) as refused:
        _confirm(session, person, record, True)  # type: ignore[arg-type]
    assert chinese in refused.value.render("zh") and english in refused.value.render("en")
    asked = person.asked[0]
    assert render(asked.title, "zh") == "恢复备份 #3（users）"
    assert render(asked.title, "en") == "restore backup #3 of users"
    assert "用 2026-12-04 20:30 的备份 #3 替换 prod 上的 users" in render(asked.detail, "zh")  # site time
    assert "Replace users on prod with backup #3, taken 2026-12-04 20:30" in render(asked.detail, "en")


def test_the_user_imports_question_is_put_in_the_persons_language() -> None:
    from launchpad.users.guard import ImportRefused, confirm_import

    person = _Person(False)
    counts = {"insert": 2, "update": 1, "unchanged": 5, "rejected": 0}
    with pytest.raises(ImportRefused) as refused:
        confirm_import(person, _no_audit, "prod", True, counts, "名单.xlsx")
    assert refused.value.exit_code == 2 and refused.value.title == "import refused"
    asked = person.asked[0]
    assert render(asked.title, "zh") == "把 名单.xlsx 中的用户导入 prod"
    assert render(asked.detail, "zh") == "新增 2，更新 1，不变 5，拒绝 0"
    assert render(asked.title, "en") == "import users from 名单.xlsx into prod"
    assert render(asked.detail, "en") == "insert 2, update 1, unchanged 5, rejected 0"


# -- the issue log, resuming a run -------------------------------------------------------------------


@pytest.mark.parametrize(("current", "target", "owner", "due", "chinese", "english"), [
    ("closed", "fixed", "李娜", "2026-12-05", "“已关闭”的问题不能改为“已修复”\n  → “已关闭”可以改为：处理中",
     "an issue that is closed cannot become fixed\n  → from closed it can become: in progress"),
    ("new", "in_progress", "", None, "问题离开新建状态前需要负责人和截止日期\n  → 请在同一条命令中加上 --owner 姓名",
     "an issue leaving new needs an owner and a due date\n  → add --owner NAME --due DATE"),
    ("new", "in_progress", "李娜", None, "问题离开新建状态前需要截止日期", "an issue leaving new needs a due date"),
])
def test_the_issue_workflows_refusals_speak_both_languages(
        current: str, target: str, owner: str, due: str | None, chinese: str, english: str) -> None:
    from launchpad.issues.workflow import check_transition

    with pytest.raises(UsageError) as refused:
        check_transition(current, target, owner, due)
    assert chinese in refused.value.render("zh"), refused.value.render("zh")
    assert english in refused.value.render("en"), refused.value.render("en")


def test_an_unknown_issue_and_a_bad_date_are_refused_in_the_sites_language(tmp_path: Path) -> None:
    from tests.core.test_cli_language import HELLO, launchpad_process
    from tests.workspaces import write_workspace

    root = write_workspace(tmp_path / "ws", playbooks={"hello": HELLO})
    for args, chinese, english in [
        (("issue", "show", "9"), "用法有误：本工作区没有问题 9\n  → 请查看 `launchpad issue list`",
         "usage: no issue 9 in this workspace\n  → see `launchpad issue list`"),
        (("issue", "list", "--since", "下个月"), "无法把“下个月”解读为日期\n  → 可以写：明天、周五、下周一",
         "cannot read '下个月' as a date\n  → write e.g. 明天, 周五, 下周一"),
        (("run", "hello", "--resume", "42"), "用法有误：本工作区没有运行 42", "usage: no run 42 in this workspace"),
        (("run", "nope"), "没有名为“nope”的操作手册\n  → 已有操作手册：after-hours-release、",
         "no playbook named 'nope'\n  → known playbooks: after-hours-release, "),
    ]:
        said_zh = launchpad_process(root, *args)
        said_en = launchpad_process(root, *args, env={"LAUNCHPAD_LANG": "en"})
        assert said_zh.returncode == said_en.returncode == 2
        assert chinese in said_zh.stderr, said_zh.stderr
        assert english in said_en.stderr, said_en.stderr


def test_a_backup_target_not_in_the_environment_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.backup.targets import resolve_target
    from launchpad.workspace.folder import load_workspace
    from tests.workspaces import write_workspace

    workspace = load_workspace(write_workspace(tmp_path / "ws"))
    no_transport: Any = lambda host: None  # noqa: E731 - never reached: the name is refused first
    with pytest.raises(UsageError) as refused:
        resolve_target(workspace.environment("test"), "test", "db", no_transport, workspace.root)
    chinese, english = _both(refused.value)
    assert "环境“test”中没有备份目标“db”\n  → 已有备份目标：未定义（site.yaml 的 backups:）" in chinese, chinese
    assert "no backup target 'db' in environment 'test'\n  → targets: none defined (backups: in site.yaml)" in english


def test_a_role_assignment_that_cannot_be_rolled_back_says_why_in_both_languages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.users import role_apply

    previewed = {"id": 7, "environment": "prod", "status": "previewed", "rolled_back": None}
    monkeypatch.setattr(role_apply.role_records, "get", lambda store, assignment: previewed)
    target: Any = SimpleNamespace(store=None, environment="prod")
    with pytest.raises(role_apply.RolesRefused) as refused:  # its state refuses it: a gate, exit 4
        role_apply.rollback(target, 7, _Person(True))
    chinese, english = _both(refused.value)
    assert "角色分配回滚被拒绝：角色分配 7 只是预览，从未执行：没有可回滚的" in chinese
    assert ("role rollback refused: role assignment 7 is a preview that was never applied: nothing to roll back"
            in english)


def test_a_channel_not_in_the_site_is_refused_in_both_languages(tmp_path: Path) -> None:
    from launchpad.notify.deliver import channel_of
    from launchpad.workspace.folder import load_workspace
    from tests.workspaces import write_workspace

    site = load_workspace(write_workspace(tmp_path / "ws")).site
    with pytest.raises(LaunchpadError) as refused:
        channel_of(site, "群")
    chinese, english = _both(refused.value)
    assert "渠道配置有误：site.yaml 中没有渠道“群”\n  → 已有渠道：未定义（请在 site.yaml 的" in chinese, chinese
    assert "channel configuration: no channel '群' in site.yaml\n  → channels: none defined" in english


@pytest.mark.parametrize(("requested", "tools", "chinese", "english"), [
    ("zstd", {"gzip"},
     "备份失败：该目标要求 zstd，但主机上没有 zstd\n  → 请在主机上安装 zstd，或设置 compression: auto",
     "backup failed: the target asks for zstd, but the host has no zstd\n  → install zstd on the host"),
    ("auto", set(), "备份失败：主机上既没有 zstd 也没有 gzip\n  → 请为该目标设置 compression: none",
     "backup failed: the host has neither zstd nor gzip\n  → set compression: none for this target"),
])
def test_a_compression_the_host_cannot_give_is_refused_in_both_languages(
        requested: str, tools: set[str], chinese: str, english: str) -> None:
    from launchpad.backup.compress import choose
    from launchpad.backup.errors import BackupFailed

    with pytest.raises(BackupFailed) as refused:
        choose(requested, tools)
    assert refused.value.render("zh") == chinese
    assert english in refused.value.render("en")


def test_an_outbox_message_that_cannot_be_requeued_says_its_state_in_both_languages(tmp_path: Path) -> None:
    from launchpad.notify.outbox import Outbox
    from launchpad.store.db import Store

    with Store.open(tmp_path / "store.db") as store:
        outbox = Outbox(store)
        with pytest.raises(UsageError) as missing:
            outbox.get(5)
        outbox.enqueue("群", "wecom", "text", "日报", ["今日无事"])
        message_id = store.read("SELECT id FROM outbox", [])[0]["id"]
        with pytest.raises(UsageError) as queued:
            outbox.requeue(message_id)
    assert "没有待发消息 5\n  → 请查看 `launchpad report outbox`" in missing.value.render("zh")
    assert "no outbox message 5\n  → see `launchpad report outbox`" in missing.value.render("en")
    assert f"待发消息 {message_id} 的状态是“排队中”；只有不确定" in queued.value.render("zh")
    assert f"outbox message {message_id} is queued; only unknown" in queued.value.render("en")


def test_a_template_the_report_does_not_have_is_refused_in_both_languages() -> None:
    from launchpad.report.render import render_template

    with pytest.raises(UsageError) as refused:
        render_template("nosuch.txt.j2", {}, "zh")
    chinese, english = _both(refused.value)
    assert "用法有误：没有模板“nosuch.txt.j2”\n  → 已有模板：release_done、release_notice、" in chinese, chinese
    assert "usage: no template 'nosuch.txt.j2'\n  → templates: release_done, release_notice, " in english
    assert "_macros" not in chinese and "run_report" not in chinese and "daily" not in chinese


def test_a_critical_go_live_sign_off_without_a_note_is_refused_in_both_languages(tmp_path: Path) -> None:
    from datetime import date

    from launchpad.golive.checklist import CHECKLIST_FILE
    from tests.core.test_cli_language import launchpad_process
    from tests.core.test_golive import _checklist
    from tests.workspaces import write_workspace

    root = write_workspace(tmp_path / "ws")
    body = "- {id: a, title: A, owner: zhang, due: 2026-01-01, critical: true, proof: {sign_off: true}}\n"
    (root / CHECKLIST_FILE).write_text(_checklist(body, golive=date(2026, 2, 1)), encoding="utf-8")
    chinese = launchpad_process(root, "golive", "sign", "a", "--by", "王强")
    assert chinese.returncode == 2
    assert "a 是关键项：签字确认需要备注写明检查了什么\n  → 请加上 --note 说明" in chinese.stderr, chinese.stderr
    english = launchpad_process(root, "golive", "sign", "a", "--by", "王强", env={"LAUNCHPAD_LANG": "en"})
    assert "a is critical: its sign-off needs a note saying what was checked\n  → add --note TEXT" in english.stderr


@pytest.mark.parametrize(("spec", "chinese", "english"), [
    ("1,x", "无法识别选择“1,x”中的“x”\n  → 请写消息编号，例如 1,3,5+6", "cannot read 'x' in the selection '1,x'"),
    ("4", "没有消息 4：粘贴的内容共 3 条消息", "no message 4: the paste has 3 messages"),
])
def test_a_paste_selection_that_cannot_be_read_is_refused_in_both_languages(
        spec: str, chinese: str, english: str) -> None:
    from launchpad.issues.chat import parse_selection

    with pytest.raises(UsageError) as refused:
        parse_selection(spec, 3)
    assert chinese in refused.value.render("zh") and english in refused.value.render("en")
