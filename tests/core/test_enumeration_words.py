"""Names a person reads as one list — users, backup targets, options, checks, files — are joined
by the word-book's list separator: "、" in Chinese, ", " in English. No call site joins them by
hand with an English comma inside a Chinese sentence."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

from launchpad.phrases import listed, render
from tests.commandline import launch
from tests.workspaces import write_workspace


def test_the_list_phrase_joins_names_in_each_language() -> None:
    names = listed(["财务部", "人事处"])
    assert render(names, "zh") == "财务部、人事处"
    assert render(names, "en") == str(names) == "财务部, 人事处"


def test_the_users_a_rollback_left_are_named_with_the_enumeration_comma(tmp_path: Path) -> None:
    from launchpad.users.rollback_handouts import HandoutsAfterRollback, said_after_rollback

    left = HandoutsAfterRollback(tmp_path, kept=[tmp_path / "办公室.xlsx"], still_there=["zhangsan", "lisi"])
    said = said_after_rollback(7, "test", left)
    assert "它新增的 2 个用户仍在 test 中（zhangsan、lisi）" in render(said, "zh")
    assert "2 user(s) it inserted are still in test (zhangsan, lisi)" in render(said, "en")

    many = HandoutsAfterRollback(tmp_path, kept=[tmp_path / "办公室.xlsx"], still_there=[f"u{n}" for n in range(12)])
    said = said_after_rollback(7, "test", many)
    assert "（u0、u1、u2、u3、u4、u5、u6、u7、u8、u9（另有 2 项））" in render(said, "zh")
    assert "(u0, u1, u2, u3, u4, u5, u6, u7, u8, u9 (+2 more))" in render(said, "en")


def test_a_roles_change_names_the_roles_with_the_enumeration_comma() -> None:
    from launchpad.users.role_apply import changed_by_hand
    from launchpad.users.state import ExistingUser, TargetState

    qian = ExistingUser("12", {}, roles={"admin", "common", "leader"})
    state = TargetState(departments=[], users={"qian": qian}, roles={}, posts={})
    said = changed_by_hand([{"user_id": 12, "account": "qian", "after": ["common", "leader"]}], state)
    assert [render(s, "zh") for s in said] == ["qian：分配后为 [common、leader]，现在为 [admin、common、leader]"]
    assert [str(s) for s in said] == ["qian: the assignment left [common, leader], now [admin, common, leader]"]


def test_a_backup_step_names_its_targets_with_the_enumeration_comma() -> None:
    from launchpad.steps.backup import BackupStep

    step = BackupStep(id="back", name="备份", kind="backup", targets=["db", "files"])
    assert render(step.describe(), "zh") == "备份 db、files"
    assert render(step.describe(), "en") == "back up db, files"


def test_a_release_missing_its_options_names_them_with_the_enumeration_comma(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    code, chinese = launch(root, "release", "new", "--version", "v2", "--changes", "修复验证码")
    assert code == 2
    assert "release new 缺少 --impact、--start、--end、--rollback、--owner" in chinese, chinese
    code, english = launch(root, "--lang", "en", "release", "new", "--version", "v2", "--changes", "修复验证码")
    assert code == 2
    assert "release new needs --impact, --start, --end, --rollback, --owner" in english, english


def test_the_go_live_counts_of_each_owner_are_one_enumeration(tmp_path: Path) -> None:
    from launchpad.golive.checklist import CHECKLIST_FILE
    from launchpad.sitetime import site_today
    from launchpad.workspace.folder import load_workspace

    root = write_workspace(tmp_path / "ws")
    golive = site_today(load_workspace(root).site.tz) + timedelta(days=7)
    (root / CHECKLIST_FILE).write_text(f"date: {golive.isoformat()}\nversion: V1.0\nitems:\n" + textwrap.indent(
        textwrap.dedent("""\
        - {id: accounts, title: 账号已开通, owner: li, due: 2099-01-01}
        - {id: group, title: 试运行反馈群, owner: li, due: 2099-01-01, status: blocked, reason: 等甲方名单}
        """), "  "), encoding="utf-8")
    _, chinese = launch(root, "golive")
    assert "  李四: 已完成 0、未完成 1、受阻 1、已逾期 0\n" in chinese, chinese
    _, english = launch(root, "--lang", "en", "golive")
    assert "  李四: done 0, open 1, blocked 1, late 0\n" in english, english


def test_a_readiness_check_names_what_it_compares_with_the_enumeration_comma() -> None:
    from launchpad.steps.environments import EnvironmentsStep

    step = EnvironmentsStep(id="same", name="环境一致", kind="environments", checks=["reachable", "same_groups"])
    assert render(step.describe(), "zh") == "对比所有环境：reachable、same_groups"
    assert render(step.describe(), "en") == "compare all environments: reachable, same_groups"


def test_an_unknown_host_key_names_the_files_searched_with_the_enumeration_comma() -> None:
    from launchpad.errors import UnknownHostKey

    refused = UnknownHostKey("app1", "ssh-ed25519", "SHA256:abc", searched=["/ws/known_hosts", "~/.ssh/known_hosts"])
    assert "；已查找 /ws/known_hosts、~/.ssh/known_hosts" in render(refused.said, "zh")
    assert "; searched /ws/known_hosts, ~/.ssh/known_hosts" in render(refused.said, "en")
