"""The user-import screen, driven from the keyboard: a bad sheet's problems listed with sheet,
row, column letter, header, value and why, filtered, and written to the annotated copy (no
database needed); then against real MariaDB and PostgreSQL holding a RuoYi-shaped schema,
reached through a real sshd (the integration fixtures): the plan's counts and the rows of each
kind, an import into test whose progress reaches 100% and a rollback from the list of past
imports, a stop that leaves the import resumable and a resume that finishes it, and production,
which asks for its name and refuses without a fresh backup. Snapshots of the problems view at
80x24 and 120x40, in Chinese and English (update with `pytest tests/ui --snapshot-update` after
checking the new pictures)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static, TabbedContent

from launchpad.store.db import Store
from screens.app import LaunchpadApp
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.error import ErrorDialog
from screens.user_import import UserImportScreen
from tests.core.users_sheets import GOOD, HEADER, MAPPING, write_mapping, write_xlsx
from tests.integration.conftest import _private_ssh_home, ssh_hosts, sshd_lab  # noqa: F401
from tests.integration.databases import (  # noqa: F401
    PASSWORD,
    MariaDbServer,
    PostgresServer,
    mariadb_server_fixture,
    postgres_server_fixture,
)
from tests.integration.ruoyi import RuoYiLab
from tests.integration.sshd import SshdHost, SshLab
from tests.integration.test_users_import import launchpad
from tests.ui.conftest import FIXED_NOW, UI_SITE
from tests.ui.helpers import production_question, shown, type_line, wait_for_screen, wait_opened, wait_until
from tests.workspaces import write_workspace

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = ["zh", "en"]
FAST_HASH = MAPPING + "passwords: {cost: 4, length: 10}\n"

BAD_SHEET = [
    HEADER,
    GOOD[0],
    ["lisi", "李四", "110105199003071238", "13900139000", "ls@example.cn", "女", "信息中心", "科员"],  # check digit
    ["wangwu", "王五", "", "1390013900", "[bold]x[/bold]", "男", "办公室", ""],  # phone, e-mail
]
# Against the RuoYi lab: zhangsan new, lisi updated, other unchanged, wangwu rejected.
PLAN_SHEET = [
    HEADER,
    GOOD[0],
    GOOD[1],
    ["other", "别人", "", "13700137000", "", "", "办公室", ""],
    ["wangwu", "王五", "", "15888888888", "", "", "信息中", "处长"],
]


def make_app(root: Path, language: str = "zh") -> LaunchpadApp:
    return LaunchpadApp(root, now=lambda: FIXED_NOW, language=language, watch_hosts=False)


@pytest.fixture
def bad_sheet_workspace(tmp_path: Path) -> Path:
    root = write_workspace(tmp_path / "ws", UI_SITE)
    write_mapping(root)
    write_xlsx(root / "imports" / "名单.xlsx", {"名单": BAD_SHEET})
    return root


async def open_import(pilot: Any) -> UserImportScreen:
    await wait_opened(pilot)
    await pilot.press("u")
    screen = await wait_for_screen(pilot, UserImportScreen)
    await wait_until(pilot, lambda: screen.ready and screen.checked is not None, "the sheet checked")
    await pilot.pause()
    return screen


def table_rows(screen: UserImportScreen, table_id: str) -> list[list[str]]:
    table = screen.query_one(f"#{table_id}", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def summary(screen: UserImportScreen) -> str:
    return str(screen.query_one("#import-summary", Static).render())


@pytest.mark.anyio
async def test_what_the_annotated_copy_is_called_is_read_whole_at_80_columns(bad_sheet_workspace: Path) -> None:
    app = make_app(bad_sheet_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        await pilot.press("w")
        annotated = bad_sheet_workspace / "imports" / "名单.checked.xlsx"
        await wait_until(pilot, lambda: screen.ready and annotated.is_file(), "the annotated copy")
        await pilot.pause()
        assert str(annotated) in shown(screen.query_one("#import-activity-text", Static)), "the path is cut"


@pytest.mark.anyio
async def test_x_with_no_import_running_says_so_rather_than_nothing(bad_sheet_workspace: Path) -> None:
    app = make_app(bad_sheet_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot)
        await pilot.press("x")
        await pilot.pause()
        assert any("没有正在进行的导入" in n.message for n in app._notifications), "x did nothing visible"
        assert screen.ready and not screen.stop_asked


@pytest.mark.anyio
async def test_a_bad_sheets_problems_are_listed_filtered_and_annotated(bad_sheet_workspace: Path) -> None:
    app = make_app(bad_sheet_workspace)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_import(pilot)
        # Units and users already in the target come with the plan: the list says it is not all yet.
        assert "共 3 行：2 行有 3 个问题（尚未对照目标库检查：按 p 对照环境生成计划）" in summary(screen)
        rows = table_rows(screen, "problems")
        assert rows[0][:5] == ["名单", "3", "C", "身份证号", "110105199003071238"]
        assert rows[0][5] == "校验位为 8，按前 17 位应为 9"
        assert [row[:5] for row in rows[1:]] == [["名单", "4", "D", "手机号码", "1390013900"],
                                                 ["名单", "4", "E", "邮箱", "[bold]x[/bold]"]]

        await pilot.press("slash")
        await type_line(pilot, "邮箱")
        await wait_until(pilot, lambda: len(table_rows(screen, "problems")) == 1, "the filtered problems")
        assert table_rows(screen, "problems")[0][3] == "邮箱"
        await pilot.press("enter")  # back to the table, so keys are the screen's again

        await pilot.press("w")
        annotated = bad_sheet_workspace / "imports" / "名单.checked.xlsx"
        await wait_until(pilot, lambda: screen.ready and annotated.is_file(), "the annotated copy")
        assert str(annotated) in screen.activity.text

        await pilot.press("ctrl+t")  # the screen's words follow the language, the sheet's stay
        await wait_until(pilot, lambda: "3 row(s): 2 with 3 problem(s)" in summary(screen), "English")
        assert table_rows(screen, "problems")[0][5] == "not an e-mail address"  # still filtered on 邮箱
        assert str(screen.query_one(TabbedContent).get_tab("tab-plan").label) == "Plan"


@pytest.mark.anyio
async def test_the_command_that_lists_every_note_runs_as_written(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """More notes than the screen shows: the command it names for all of them works as written,
    from the workspace, for the sheet on the screen (the mapping names no source of its own)."""
    import re
    import shlex

    from tests.commandline import launch

    root = write_workspace(tmp_path / "ws", UI_SITE)
    write_mapping(root)
    spare = [f"备用{n}" for n in range(7)]
    write_xlsx(root / "imports" / "名单.xlsx", {"名单": [[*HEADER, *spare], [*GOOD[0], *("" for _ in spare)]]})
    app = make_app(root)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_import(pilot)
        said = summary(screen)
    found = re.search(r"另有 2 条注意事项：`([^`]+)` 会全部列出", said)
    assert found is not None, said
    command = shlex.split(found[1])
    assert command[0] == "launchpad", command
    monkeypatch.chdir(root)
    code, printed = launch(root, *command[1:])
    assert code != 2, printed
    assert all(f"“{header}”不对应任何字段" in printed for header in spare), printed


@pytest.mark.anyio
async def test_the_keys_help_of_the_import_screen_says_the_tabs_keys_in_chinese(bad_sheet_workspace: Path) -> None:
    from tests.ui.helpers import help_text

    app = make_app(bad_sheet_workspace)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_import(pilot)
        text = await help_text(pilot)
    moving = text[text.index("移动与编辑"):]
    assert "上一个标签页" in moving and "下一个标签页" in moving, moving
    assert "Next tab" not in text and "Previous tab" not in text, text


@pytest.mark.anyio
async def test_a_column_that_matches_no_field_is_said_above_the_tables(tmp_path: Path) -> None:
    """Not silently ignored: a misspelled header is a column of ID numbers not imported."""
    root = write_workspace(tmp_path / "ws", UI_SITE)
    write_mapping(root)
    header = [*HEADER[:2], "身份证号吗", *HEADER[3:]]
    write_xlsx(root / "imports" / "名单.xlsx", {"名单": [header, GOOD[0]]})
    app = make_app(root)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_import(pilot)
        said = summary(screen)
        assert "共 1 行，没有问题" in said
        assert "⚠ 注意：工作表“名单”第 C 列“身份证号吗”不对应任何字段（最接近：身份证号）：不导入" in said


@pytest.mark.anyio
async def test_the_palette_opens_it_and_a_sheet_is_chosen_from_imports_or_typed(bad_sheet_workspace: Path) -> None:
    from screens.dialogs.import_source import ImportSourceDialog

    write_xlsx(bad_sheet_workspace / "imports" / "好名单.xlsx", {"名单": [HEADER, GOOD[0]]})
    (bad_sheet_workspace / "imports" / "名单.checked.xlsx").write_bytes(b"")  # a copy for the client: not offered
    app = make_app(bad_sheet_workspace, "en")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_opened(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"users: import", "enter")
        dialog = await wait_for_screen(pilot, ImportSourceDialog)  # two sheets: the person chooses
        assert [p.name for p in dialog.sheets] == ["名单.xlsx", "好名单.xlsx"]
        typed = dialog.query_one("#choose-path", Input)
        typed.focus()
        typed.value = "imports/nothing.xlsx"
        await pilot.press("enter")
        await pilot.pause()
        assert "imports/nothing.xlsx is not a file" in str(dialog.query_one("#dialog-problem", Static).render())
        typed.value = "imports/好名单.xlsx"
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, UserImportScreen)
        await wait_until(pilot, lambda: screen.ready and screen.checked is not None, "the sheet checked")
        # No target was read: the screen says so rather than "no problems" alone.
        assert "1 row(s), no problems (not checked against a target" in summary(screen)
        assert table_rows(screen, "problems") == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_user_import_screen(snap_compare: Any, bad_sheet_workspace: Path, size: tuple[int, int],
                            language: str) -> None:
    app = make_app(bad_sheet_workspace, language)

    async def ready(pilot: Any) -> None:
        await open_import(pilot)

    assert snap_compare(app, terminal_size=size, run_before=ready)


# -- against real databases ---------------------------------------------------------------------


@pytest.fixture
def lab(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost],  # noqa: F811
        mariadb_server: MariaDbServer, postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> RuoYiLab:
    sshd_lab.write_user_ssh_config()
    monkeypatch.setenv("LP_TEST_DB_PW", PASSWORD)
    ruoyi = RuoYiLab(tmp_path / "ws", ssh_hosts[0], mariadb_server, postgres_server)
    write_mapping(ruoyi.root, FAST_HASH)
    write_xlsx(ruoyi.root / "imports" / "名单.xlsx", {"名单": PLAN_SHEET})
    return ruoyi


def users_named(ruoyi: RuoYiLab, env: str, login: str) -> str:
    return ruoyi.sql(env, f"SELECT COUNT(*) FROM sys_user WHERE user_name = '{login}'")[0][0]


def audit_actions(root: Path) -> list[str]:
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        return [str(row["action"]) for row in store.db.query("SELECT action FROM audit ORDER BY id")]


async def plan_on(pilot: Any, screen: UserImportScreen) -> None:
    await pilot.press("p")
    await wait_until(pilot, lambda: screen.ready and screen.planned is not None, "the plan", timeout=120)
    await pilot.pause()


async def answer_yes(pilot: Any) -> None:
    dialog = await wait_for_screen(pilot, ConfirmDialog)
    await pilot.click("#yes")
    await wait_until(pilot, lambda: pilot.app.screen is not dialog, "the dialog closed")


@pytest.mark.integration
@pytest.mark.anyio
async def test_plan_counts_an_import_to_100_percent_and_its_rollback(lab: RuoYiLab) -> None:
    app = make_app(lab.root)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_import(pilot)
        assert app.environment == "test"
        await plan_on(pilot, screen)
        assert "test 的计划：新增 1 · 更新 1 · 不变 1 · 拒绝 1" in summary(screen)
        assert table_rows(screen, "plan-units") == [["-", "0", "0", "0", "1"], ["某某局/信息中心", "0", "1", "0", "0"],
                                                    ["某某局/办公室", "1", "0", "1", "0"]]
        assert [row[:3] for row in table_rows(screen, "plan-rows")] == [["名单!2", "zhangsan", "某某局/办公室"]]
        await pilot.press("k")  # the updates: old → new
        [update] = table_rows(screen, "plan-rows")
        # each change as the sheet says it: its header, the code's word, the unit's path
        assert update[1] == "lisi" and "邮箱：（空） → ls@example.cn" in update[3] and "性别：男 → 女" in update[3]
        assert "所属单位：某某局/办公室 → 某某局/信息中心" in update[3]
        # The target's own problems join the sheet's: an unknown unit, a phone taken, an unknown post.
        assert [row[3] for row in table_rows(screen, "problems")] == ["单位", "手机号码", "岗位"]

        await pilot.press("a")
        await answer_yes(pilot)
        await wait_until(pilot, lambda: screen.ready and screen.last_import is not None, "the import", timeout=120)
        progress = screen.last_progress
        assert progress.phase == "writing" and progress.done == progress.total == 2
        assert screen.activity.bar.percentage == 1.0
        assert "✓ 导入 1 已完成：新增 1，更新 1，不变 1，拒绝 1" in screen.activity.text
        assert users_named(lab, "test", "zhangsan") == "1"
        assert (lab.root / "handouts" / "import-1").is_dir()

        from screens.dialogs.import_source import HandoutDialog

        await pilot.press("o")  # the hand-out of the import just made, removed once handed out
        handout = await wait_for_screen(pilot, HandoutDialog)
        assert "handouts/import-1/某某局_办公室.xlsx" in str(handout.body)
        assert "初始密码共 1 个文件" in str(handout.body)  # the count: a long list scrolls
        await pilot.click("#remove")
        await wait_until(pilot, lambda: not list((lab.root / "handouts").rglob("*.xlsx")), "the hand-out removed")

        await pilot.press("l")
        await wait_until(pilot, lambda: len(screen.imports) == 1, "the past imports")
        await pilot.press("r")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert "删除它新增的 1 个用户" in str(dialog.body)
        await pilot.click("#yes")
        await wait_until(pilot, lambda: screen.ready and screen.imports and screen.imports[0]["status"] ==
                         "rolled_back", "the rollback", timeout=120)
        assert "✓ 导入 1 已回滚：删除 1 个用户，恢复 1 个" in screen.activity.text
        assert users_named(lab, "test", "zhangsan") == "0"
    assert {"user_import_confirmed", "user_import_applied", "user_handout_removed",
            "user_import_rolled_back"} <= set(audit_actions(lab.root))


@pytest.mark.integration
@pytest.mark.anyio
async def test_a_hand_out_that_failed_after_the_import_is_written_from_the_kept_passwords_by_o(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from launchpad.users import apply as apply_module
    from launchpad.users.hashing_progress import FILE_NAME
    from screens.dialogs.error import ErrorDialog
    from screens.dialogs.import_source import HandoutDialog

    def disk_full(*_: object, **__: object) -> list[Path]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(apply_module, "write_handouts", disk_full)
    folder = lab.root / "handouts" / "import-1"
    app = make_app(lab.root)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_import(pilot)
        await plan_on(pilot, screen)
        await pilot.press("a")
        await answer_yes(pilot)
        failed = await wait_for_screen(pilot, ErrorDialog, timeout=120)
        assert "新用户的初始密码仍保存在" in failed.text and "launchpad users handout 1" in failed.text
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.ready, "the keys back")
        assert users_named(lab, "test", "zhangsan") == "1" and (folder / FILE_NAME).is_file()
        monkeypatch.undo()  # room again

        await pilot.press("l")
        await wait_until(pilot, lambda: len(screen.imports) == 1, "the past imports")
        await pilot.press("o")
        handout = await wait_for_screen(pilot, HandoutDialog, timeout=60)
        assert "handouts/import-1/某某局_办公室.xlsx" in str(handout.body)
        assert not (folder / FILE_NAME).exists()
    assert {"user_handout_written", "user_import_hashing_progress_removed"} <= set(audit_actions(lab.root))


@pytest.mark.integration
@pytest.mark.anyio
async def test_a_stopped_import_is_offered_and_resumed(lab: RuoYiLab) -> None:
    app = make_app(lab.root)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_import(pilot)
        await pilot.press("a")
        await wait_for_screen(pilot, ConfirmDialog)
        screen.action_stop()  # x, pressed while the question is open: the import stops at its first hash
        await pilot.click("#yes")
        await wait_until(pilot, lambda: screen.ready and screen.last_import is not None, "the stop", timeout=120)
        assert "导入 1 已停止：2 行中已写入 0 行" in screen.activity.text
        await wait_until(pilot, lambda: "导入 1（名单.xlsx → test）未完成：按 a 继续导入" in summary(screen),
                         "the offer to resume")
        assert users_named(lab, "test", "zhangsan") == "0"

        await pilot.press("a")
        question = await wait_for_screen(pilot, ConfirmDialog)
        # zhangsan's password was hashed before the stop: kept, not hashed again
        assert "中断前已算好的 1 个密码哈希予以保留，不再重算" in str(question.body)
        await answer_yes(pilot)
        await wait_until(pilot, lambda: screen.ready and "已继续完成" in screen.activity.text, "the resume",
                         timeout=120)
        assert screen.last_progress.done == screen.last_progress.total
        assert users_named(lab, "test", "zhangsan") == "1"
        await wait_until(pilot, lambda: "未完成" not in summary(screen), "the offer withdrawn")
    assert "user_import_stopped" in audit_actions(lab.root) and "user_import_resumed" in audit_actions(lab.root)


@pytest.mark.integration
@pytest.mark.anyio
async def test_an_unfinished_import_is_abandoned_by_d_once_its_id_is_typed(lab: RuoYiLab) -> None:
    """d on an unfinished import: what abandoning deletes is said, its id typed (a wrong one is
    refused and audited by the core, as `users abandon ID` refuses it), then its kept passwords
    are gone and it reads abandoned. Its hand-outs' removal is refused while it is unfinished."""
    from launchpad.users.hashing_progress import FILE_NAME
    from screens.dialogs.abandon_import import AbandonImportDialog

    kept = lab.root / "handouts" / "import-1" / FILE_NAME
    app = make_app(lab.root)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_import(pilot)
        await pilot.press("a")
        await wait_for_screen(pilot, ConfirmDialog)
        screen.action_stop()  # the import stops at its first hash: unfinished, one password kept
        await pilot.click("#yes")
        await wait_until(pilot, lambda: screen.ready and screen.last_import is not None, "the stop", timeout=120)
        await wait_until(pilot, lambda: "按 d 放弃" in summary(screen), "the offer to abandon")
        assert kept.is_file()

        # o's remove, for an unfinished import: refused, nothing deleted.
        screen.remove_handouts(1)
        refused = await wait_for_screen(pilot, ErrorDialog)
        assert "导入 1 未完成（为继续导入暂存了 1 个初始密码明文）" in refused.text
        assert "launchpad users abandon 1" in refused.text and kept.is_file()
        await pilot.press("escape")

        await pilot.press("l")
        await wait_until(pilot, lambda: len(screen.imports) == 1, "the past imports")
        await pilot.press("d")
        dialog = await wait_for_screen(pilot, AbandonImportDialog)
        assert f"放弃将删除 {kept}（为继续导入暂存的 1 个初始密码明文）" in str(dialog.body)
        await pilot.press("enter")  # nothing typed: asked again, in the dialog
        assert pilot.app.screen is dialog and kept.is_file()
        await type_line(pilot, "9")
        await pilot.press("enter")
        wrong = await wait_for_screen(pilot, ErrorDialog)
        assert "输入的是“9”，不是“1”：未删除任何内容" in wrong.text
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.ready, "the keys back")
        assert kept.is_file() and screen.imports[0]["status"] == "applying"

        await pilot.press("d")
        await wait_for_screen(pilot, AbandonImportDialog)
        await type_line(pilot, "1")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.ready and screen.imports[0]["status"] == "abandoned", "abandoned")
        assert "✓ 导入 1 已放弃：已删除暂存的 1 个初始密码" in screen.activity.text
        assert not kept.exists() and "已放弃" in table_rows(screen, "imports")[0][3]
        await wait_until(pilot, lambda: "未完成" not in summary(screen), "the offer withdrawn")

        await pilot.press("d")  # abandoned now: the core says why not, no id is asked for
        again = await wait_for_screen(pilot, ErrorDialog)
        assert "导入 1 已放弃：只有未完成的导入可以放弃" in again.text
    actions = audit_actions(lab.root)
    assert "user_import_abandon_refused" in actions and "user_import_abandoned" in actions


@pytest.mark.integration
@pytest.mark.anyio
async def test_production_refuses_without_a_fresh_backup_before_asking_for_its_name(lab: RuoYiLab) -> None:
    app = make_app(lab.root)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_import(pilot)
        app.action_select_environment("prod")
        await pilot.pause()
        assert "prod" in str(screen.query_one("#import-bar", Static).render())
        await pilot.press("a")
        # no backup: refused at once, nobody types the name for nothing
        error = await wait_for_screen(pilot, ErrorDialog, timeout=120)
        assert "prod 是生产环境，但 app 没有 2 小时内经过校验的备份" in str(error.body)
        await wait_until(pilot, lambda: screen.ready, "the refusal")
        assert users_named(lab, "prod", "zhangsan") == "0"
        assert "user_import_gate_refused" in audit_actions(lab.root)
        assert "user_import_started" not in audit_actions(lab.root)
        await pilot.press("escape")

        backed_up = launchpad(lab, "backup", "--env", "prod", "app")  # the backup the gate asks for
        assert backed_up.returncode == 0, backed_up.stderr
        dialog = await production_question(pilot, "a", "将 名单.xlsx 中的用户导入 prod",
                                           "生产环境：备份 1 已在 2 小时内校验，出问题时从它恢复。")
        dialog.query_one(Input).value = "prod"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.ready and screen.last_import is not None, "the import", timeout=120)
        assert "✓ 导入 1 已完成：新增 1，更新 1，不变 1，拒绝 1" in screen.activity.text
        assert users_named(lab, "prod", "zhangsan") == "1"  # PostgreSQL
        store = app.session.store()  # type: ignore[union-attr]
        actions = [str(row["action"]) for row in store.db.query("SELECT action FROM audit ORDER BY id")]
        assert {"user_import_gate_passed", "user_import_applied"} <= set(actions)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_list_of_imports_names_each_status_as_the_command_line_does(lang: str, tmp_path: Path) -> None:
    """One word per status wherever it is read: `users imports` and the screen's list; an import
    whose hand-out could not be written says so beside its status."""
    from zoneinfo import ZoneInfo

    from launchpad.phrases import render, status_word
    from screens.support.i18n import current_language, set_language
    from screens.widgets.import_tables import import_rows

    counts = {"insert": 1, "update": 0, "unchanged": 0, "rejected": 0}
    statuses = ("applying", "applied", "rolled_back")
    records: list[dict[str, Any]] = [
        {"id": n, "started": None, "environment": "test", "status": status, "file_name": "名单.xlsx",
         "planned": counts, "operator": "张工"}
        for n, status in enumerate(statuses, start=1)]
    records.append({**records[1], "id": 4})
    kept = tmp_path / "handouts" / "import-4" / "hashing-in-progress.jsonl"
    kept.parent.mkdir(parents=True)
    kept.write_text('{"policy": "x"}\n')
    before = current_language()
    set_language(lang)
    try:
        shown = [cells[3].plain for _, cells in import_rows(records, ZoneInfo("Asia/Shanghai"), set(), tmp_path)]
    finally:
        set_language(before)
    assert shown[:3] == [render(status_word(status), lang) for status in statuses]
    assert shown[0] == {"zh": "未完成", "en": "unfinished"}[lang]
    assert shown[3] == {"zh": "已导入 ⚠ 发放单未写出（按 o 写出）",
                        "en": "applied ⚠ hand-out not written (o writes it)"}[lang]


@pytest.mark.parametrize(("seconds", "zh", "en"), [
    (45, "45 秒", "45 s"), (185, "3 分钟 5 秒", "3 min 5 s"), (4_800, "1 小时 20 分钟", "1 h 20 min"),
    (90_000, "1 天 1 小时", "1 d 1 h")])
def test_the_time_an_import_has_left_is_said_in_the_screens_language(seconds: int, zh: str, en: str) -> None:
    from screens.support.i18n import current_language, set_language
    from screens.widgets.import_tables import time_left_text

    was = current_language()
    try:
        set_language("zh")
        assert time_left_text(seconds) == zh
        set_language("en")
        assert time_left_text(seconds) == en
    finally:
        set_language(was)


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "；"), ("en", "; ")])
def test_what_an_insert_does_is_said_in_parts_in_the_screens_language(lang: str, said: str) -> None:
    from launchpad.phrases import word
    from launchpad.users.planned import PlannedUser
    from screens.support.i18n import current_language, set_language
    from screens.widgets.import_tables import what_happens

    user = PlannedUser("zs", "insert", "名单", 3, "总部/信息科", roles_added=["管理员"], posts_added=["科员"])
    was = current_language()
    try:
        set_language(lang)
        shown = what_happens(user).plain
    finally:
        set_language(was)
    assert shown == said.join([word("ui.into", lang, unit="总部/信息科"), word("ui.roles_added", lang, roles="管理员"),
                               word("ui.posts_added", lang, posts="科员")])
