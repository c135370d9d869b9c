"""The go-live checklist screen: opened by its key and from the palette, items by state with
owner, due and the late ones marked on the fixed clock; a sign-off with a blank signer refused
in the dialog, then given, lands in the audit log through the core `golive sign` uses and turns
the item done."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from launchpad.golive.checklist import CHECKLIST_FILE
from launchpad.store.db import Store
from screens.app import LaunchpadApp
from screens.golive import GoliveScreen, GoliveSignDialog
from tests.core.test_golive import launch
from tests.ui.conftest import FIXED_NOW, UI_SITE
from tests.ui.helpers import drawn_lines, opened_by_key, shown, wait_for_screen, wait_opened, wait_until
from tests.workspaces import write_workspace

CHECKLIST = textwrap.dedent("""\
    date: 2024-01-10
    version: V1.0
    items:
      - id: accept
        title: 现场点验主流程
        owner: zhang
        due: 2024-01-08
        critical: true
        proof: {sign_off: true}
      - id: group
        title: "[bold]试运行反馈群[/bold]"
        owner: li
        due: 2023-12-28
        status: blocked
        reason: 等甲方名单
      - id: dict
        title: 字典数据
        owner: zhang
        due: 2023-12-20
        status: done
    """)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = write_workspace(tmp_path / "ws", UI_SITE)
    (root / CHECKLIST_FILE).write_text(CHECKLIST, encoding="utf-8")
    return root


def rows(screen: GoliveScreen) -> dict[str, list[str]]:
    table = screen.query_one("#golive-table", DataTable)
    return {str(key.value): [str(cell) for cell in table.get_row(key)] for key in table.rows}


async def opened_checklist(pilot: Any) -> GoliveScreen:
    """The checklist opened from the dashboard by its key, read."""
    return await opened_by_key(pilot, "ctrl+g", GoliveScreen, lambda screen: screen.progress is not None,
                               "the checklist")


LONG_REASON = ("等甲方办公室确认各科室联系人名单和值班电话，甲方说周三下午开会后才能定；定下来后由李娜建群、"
               "拉各科室联系人入群，并在群公告里写明反馈格式和响应时限；"
               "入群名单以甲方办公室盖章的联系人表为准，多出或缺少的人先问王科长再处理（结尾）")


@pytest.mark.anyio
async def test_a_late_items_date_itself_reads_late_where_the_days_late_are_cut_off(root: Path) -> None:
    app = LaunchpadApp(root, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened_checklist(pilot)
        table = screen.query_one("#golive-table", DataTable)
        late, done = table.get_row("group")[3], table.get_row("dict")[3]
        assert "逾期" in late.plain  # 2023-12-28, a blocked item past its date
        assert "red" in str(late.style), "at 80 columns only the date shows: it must say late by itself"
        assert "red" not in str(done.style)


@pytest.mark.anyio
async def test_a_long_blocked_reason_is_read_whole_at_80_columns(root: Path) -> None:
    (root / CHECKLIST_FILE).write_text(CHECKLIST.replace("reason: 等甲方名单", f"reason: {LONG_REASON}"),
                                       encoding="utf-8")
    app = LaunchpadApp(root, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened_checklist(pilot)
        assert screen.highlighted() is not None and screen.highlighted().item.id == "group"  # type: ignore[union-attr]
        await pilot.pause()
        assert LONG_REASON in shown(screen.query_one("#golive-detail", Static)), "the reason is cut"
        detail = screen.query_one("#golive-detail", Static)
        first = drawn_lines(app)[detail.region.y]
        assert "[bold]试运行反馈群[/bold]  等甲方办公室" in first, first  # goes on beside the title


@pytest.mark.anyio
async def test_the_detail_line_names_the_item_by_its_title_not_its_id(root: Path) -> None:
    app = LaunchpadApp(root, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened_checklist(pilot)
        detail = screen.query_one("#golive-detail", Static)
        drawn = [line.strip() for line in drawn_lines(app)[detail.region.y:detail.region.bottom] if line.strip()]
        assert drawn[0].startswith("[bold]试运行反馈群[/bold]"), drawn  # as typed, never markup
        assert "等甲方名单" in " ".join(drawn)
        assert drawn[-1].endswith("(group)"), drawn  # the id, for `launchpad golive sign`, last



@pytest.mark.anyio
async def test_the_items_an_item_waits_for_are_named_by_their_titles(root: Path) -> None:
    waiting = CHECKLIST.replace("    reason: 等甲方名单\n", "    reason: 等甲方名单\n    depends_on: [accept, dict]\n")
    (root / CHECKLIST_FILE).write_text(waiting, encoding="utf-8")
    app = LaunchpadApp(root, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened_checklist(pilot)
        assert screen.highlighted().item.id == "group"  # type: ignore[union-attr]
        await pilot.pause()
        read = shown(screen.query_one("#golive-detail", Static))
        # accept is not done (dict is): its title, with the id in the screen's brackets after it.
        assert "等待现场点验主流程（accept）" in read, read
        assert "字典数据" not in read, read


@pytest.mark.anyio
async def test_the_checklist_opens_shows_late_items_and_signs_off(root: Path) -> None:
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened_checklist(pilot)
        head = str(screen.query_one("#golive-head", Static).render())
        assert "距上线 9 天" in head and "已完成 1/3 项" in head and "暂不具备上线条件" in head
        shown = rows(screen)
        assert list(shown) == ["group", "accept", "dict"]  # blocked, then open, then done
        assert shown["group"][:4] == ["受阻", "[bold]试运行反馈群[/bold]", "李娜", "2023-12-28 逾期 4 天"]
        assert shown["group"][4] == "等甲方名单"
        assert shown["accept"][0] == "未完成 ✗" and shown["accept"][3] == "2024-01-08"

        await pilot.press("down")  # to accept
        await pilot.press("s")
        dialog = await wait_for_screen(pilot, GoliveSignDialog)
        dialog.query_one("#signed-by", Input).value = "  "
        dialog.query_one("#note", Input).value = "主流程已点验"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, GoliveSignDialog)  # a blank signer is refused in the dialog
        assert "请填写签字人" in str(dialog.query_one("#dialog-problem", Static).render())
        dialog.query_one("#signed-by", Input).value = "王经理"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: rows(screen).get("accept", [""])[0] == "已完成", "the signed item done")
        assert "已完成 2/3 项" in str(screen.query_one("#golive-head", Static).render())

    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        signed = store.read("SELECT target, detail FROM audit WHERE action = 'golive_signed'", [])
    assert [(row["target"], json.loads(row["detail"])["by"], json.loads(row["detail"])["note"]) for row in signed] \
        == [("accept", "王经理", "主流程已点验")]


@pytest.mark.anyio
async def test_the_palette_opens_the_checklist_and_a_done_item_is_not_signed(root: Path) -> None:
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="en", watch_hosts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"checklist")
        await pilot.press("enter")
        screen = await wait_for_screen(pilot, GoliveScreen)
        await wait_until(pilot, lambda: screen.progress is not None, "the checklist")
        screen.table.move_cursor(row=2)  # dict: done by its status, no sign-off proves it
        await pilot.pause()
        assert screen.highlighted() is not None and screen.highlighted().item.id == "dict"  # type: ignore[union-attr]
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, GoliveScreen)
        assert any("dict is not proved by a sign-off" in n.message for n in app._notifications)


@pytest.mark.anyio
async def test_a_workspace_without_a_checklist_says_how_to_get_one(tmp_path: Path) -> None:
    from screens.dialogs.error import ErrorDialog

    root = write_workspace(tmp_path / "ws", UI_SITE)
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="en", watch_hosts=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_opened(pilot)
        await pilot.press("ctrl+g")
        dialog = await wait_for_screen(pilot, ErrorDialog)
        shown = " ".join(str(widget.render()) for widget in dialog.query(Static))
        assert "no golive.yaml" in shown and "launchpad init" in shown and "Traceback" not in shown


HELLO = """\
name: hello
title: 问候
phases:
  - id: p
    name: 阶段
    steps:
      - {id: p.echo, name: 主机问候, kind: shell, hosts: app1, run: echo 你好}
"""


@pytest.mark.anyio
async def test_b_blocks_an_item_with_a_reason_and_reopens_it_and_o_opens_the_proving_run(tmp_path: Path) -> None:
    from screens.dialogs.confirm import ConfirmDialog
    from screens.dialogs.reason import ReasonDialog
    from screens.run_report import RunReportScreen

    root = write_workspace(tmp_path / "ws", UI_SITE, {"hello": HELLO})
    proved = "  - id: hello\n    title: 测试环境问候\n    owner: zhang\n    due: 2024-01-09\n" \
             "    proof: {playbook: hello, env: test}\n"
    (root / CHECKLIST_FILE).write_text(CHECKLIST.replace("  - id: dict\n", proved + "  - id: dict\n"), encoding="utf-8")
    ran = launch(root, "run", "hello", "--env", "test", "--yes")
    assert ran.exit_code == 0, ran.output

    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened_checklist(pilot)
        order = [p.item.id for p in screen.progress.items] if screen.progress else []
        assert "hello" in order
        # The proof names the playbook by its title, as the daily report does.
        assert any("“问候”已在 test 通过" in cell for cell in rows(screen)["hello"]), rows(screen)["hello"]

        # Block the open sign-off item: a blank reason is refused in the dialog.
        while screen.highlighted() is not None and screen.highlighted().item.id != "accept":  # type: ignore[union-attr]
            await pilot.press("down")
        await pilot.press("b")
        dialog = await wait_for_screen(pilot, ReasonDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        dialog.query_one(Input).value = "等甲方点验 =1+1"
        await pilot.press("enter")
        await wait_until(pilot, lambda: rows(screen).get("accept", [""])[0].startswith("受阻"), "accept blocked")
        assert "status: blocked" in (root / CHECKLIST_FILE).read_text(encoding="utf-8")

        # b on a blocked item asks, then opens it again.
        while screen.highlighted().item.id != "group":  # type: ignore[union-attr]
            await pilot.press("up" if order.index("group") < order.index("accept") else "down")
        await pilot.press("b")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.click("#yes")
        await wait_until(pilot, lambda: rows(screen).get("group", [""])[0].startswith("未完成"), "group open")

        with Store.open(root / ".launchpad" / "launchpad.db") as store:
            marks = [(r["target"], json.loads(r["detail"])["to"]) for r in
                     store.read("SELECT target, detail FROM audit WHERE action = 'golive_marked' ORDER BY id", [])]
        assert marks == [("accept", "blocked"), ("group", "todo")]

        # o on the item a run proves opens that run's report.
        while screen.highlighted().item.id != "hello":  # type: ignore[union-attr]
            await pilot.press("down")
        await pilot.press("o")
        report = await wait_for_screen(pilot, RunReportScreen)
        await wait_until(pilot, lambda: "主机问候" in report.text, "the run report")
        assert "问候" in str(report.query_one("#run-report-text", Static).render())
        await pilot.press("escape")
        await wait_for_screen(pilot, GoliveScreen)


@pytest.mark.anyio
async def test_b_on_an_item_set_aside_as_not_applicable_opens_it_again(tmp_path: Path) -> None:
    """Not applicable is set aside like blocked: b shows why it was, and yes opens it again
    (it used to offer only to block it)."""
    from screens.dialogs.confirm import ConfirmDialog

    root = write_workspace(tmp_path / "ws", UI_SITE)
    aside = CHECKLIST.replace("status: blocked\n    reason: 等甲方名单",
                              "status: not_applicable\n    reason: 本期不建群")
    assert aside != CHECKLIST
    (root / CHECKLIST_FILE).write_text(aside, encoding="utf-8")
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened_checklist(pilot)
        for _ in range(len(rows(screen))):
            if screen.highlighted() is not None and screen.highlighted().item.id == "group":  # type: ignore[union-attr]
                break
            await pilot.press("down")
        assert screen.highlighted().item.id == "group"  # type: ignore[union-attr]
        await pilot.press("b")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert "原标为不适用的原因：本期不建群" in " ".join(str(s.render()) for s in dialog.query(Static))
        await pilot.click("#yes")
        await wait_until(pilot, lambda: rows(screen).get("group", [""])[0].startswith("未完成"), "group open")
        assert "not_applicable" not in (root / CHECKLIST_FILE).read_text(encoding="utf-8")


@pytest.mark.anyio
async def test_n_sets_a_critical_item_aside_only_through_a_dialog_that_names_it(root: Path) -> None:
    """n asks why, then — the item being critical — asks again in a dialog naming it; No writes
    nothing. Once set aside, the verdict says the go rests on it, and who, when and why."""
    from screens.dialogs.confirm import ConfirmDialog
    from screens.dialogs.reason import ReasonDialog

    checklist = root / CHECKLIST_FILE
    checklist.write_text(CHECKLIST.replace("status: blocked\n", "status: in_progress\n").replace(
        "    reason: 等甲方名单\n", ""), encoding="utf-8")
    before = checklist.read_text(encoding="utf-8")
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened_checklist(pilot)
        while screen.highlighted().item.id != "accept":  # type: ignore[union-attr]
            await pilot.press("down")

        async def asked_to_set_aside() -> ConfirmDialog:
            await pilot.press("n")
            reason = await wait_for_screen(pilot, ReasonDialog)
            assert "这是关键事项" in " ".join(str(s.render()) for s in reason.query(Static))
            reason.query_one(Input).value = "本期由甲方自行点验"
            await pilot.press("enter")
            return await wait_for_screen(pilot, ConfirmDialog)

        confirm = await asked_to_set_aside()
        said = " ".join(str(s.render()) for s in confirm.query(Static))
        assert "确认把关键事项 accept（现场点验主流程）标为不适用？" in said and "accept 是关键事项" in said
        await pilot.click("#no")
        await pilot.pause()
        assert isinstance(app.screen, GoliveScreen) and checklist.read_text(encoding="utf-8") == before

        await asked_to_set_aside()
        await pilot.click("#yes")
        await wait_until(pilot, lambda: rows(screen).get("accept", [""])[0] == "不适用 ⚠", "accept set aside")
        head = str(screen.query_one("#golive-head", Static).render())
        assert "具备上线条件（1 项关键事项被标为不适用：现场点验主流程）" in head
        assert "⚠ 现场点验主流程（tester 于 " in head and " 标为不适用）：本期由甲方自行点验" in head

    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        marked = [json.loads(r["detail"]) for r in
                  store.read("SELECT detail FROM audit WHERE action = 'golive_marked' ORDER BY id", [])]
    assert [(m["to"], m["critical"], m["confirmed"]) for m in marked] == [("not_applicable", True, "dialog")]


@pytest.mark.anyio
async def test_how_late_reads_in_words_in_english(root: Path) -> None:
    checklist = root / CHECKLIST_FILE
    checklist.write_text(CHECKLIST.replace("due: 2023-12-20\n    status: done", "due: 2023-12-31\n    status: todo"),
                         encoding="utf-8")
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="en", watch_hosts=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened_checklist(pilot)
        shown = rows(screen)
        assert shown["group"][3] == "2023-12-28 4 days late" and shown["dict"][3] == "2023-12-31 1 day late"


@pytest.mark.anyio
async def test_the_day_before_go_live_reads_one_day_to_go_in_english(root: Path) -> None:
    (root / CHECKLIST_FILE).write_text(CHECKLIST.replace("date: 2024-01-10", "date: 2024-01-02"), encoding="utf-8")
    app = LaunchpadApp(root, now=lambda: FIXED_NOW, language="en", watch_hosts=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_opened(pilot)
        dashboard = app.screen.query_one("#dash-golive", Static)
        await wait_until(pilot, lambda: "to go" in str(dashboard.render()), "the dashboard's go-live line")
        assert "V1.0 · 1 day to go · " in str(dashboard.render())
        await pilot.press("ctrl+g")
        screen = await wait_for_screen(pilot, GoliveScreen)
        await wait_until(pilot, lambda: screen.progress is not None, "the checklist")
        await pilot.pause()
        head = str(screen.query_one("#golive-head", Static).render())
        assert head.startswith("V1.0 goes live on 2024-01-02, 1 day to go · 1/3 done · 1 late"), head
