"""Pilot tests of the feedback issues screen, as a PM uses it during a call: ten issues logged
in a row from the quick-capture line without the mouse, a status change that asks for the
owner and due date, search and filters narrowing the table, a chat pasted in and turned into
issues with their senders and times, the edit form, and a table of thousands read page by page.
Every result is checked in the store through `IssueLog`, not on screen alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, SelectionList, Static, TextArea

from launchpad.issues.log import IssueLog
from launchpad.issues.model import Issue, IssueDraft
from launchpad.issues.query import IssueFilter
from launchpad.store.db import Store
from screens.app import LaunchpadApp
from screens.dialogs.issue_form import IssueFormDialog
from screens.dialogs.issue_status import StatusDetailsDialog, StatusDialog
from screens.dialogs.paste_intake import PasteIntakeDialog
from screens.issues import IssuesScreen
from screens.widgets.issue_table import PAGE, IssueTable
from tests.ui.conftest import FIXED_NOW, site_time
from tests.ui.helpers import drawn_lines, help_text, type_line, wait_for_screen, wait_opened, wait_until

pytestmark = pytest.mark.anyio
CHAT = Path(__file__).parent.parent / "fixtures" / "chat"


def stored(root: Path) -> list[Issue]:
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        return IssueLog(store, ZoneInfo("Asia/Shanghai"), "test").find(IssueFilter(sort="oldest", limit=None))


def make_app(root: Path, language: str = "zh") -> LaunchpadApp:
    return LaunchpadApp(root, now=lambda: FIXED_NOW, language=language, watch_hosts=False)


async def open_issues(pilot: Pilot[Any], key: str = "i") -> IssuesScreen:
    await wait_opened(pilot)
    await pilot.press(key)
    screen = await wait_for_screen(pilot, IssuesScreen)
    await wait_until(pilot, lambda: screen.total is not None, "the first page")
    return screen


def settled(screen: IssuesScreen, total: int) -> bool:
    return not screen.writing and not screen.pending and screen.total == total


TEN_CALLS = [
    ("P1 @zhang #登录 !明天 登录页点提交后白屏", ("P1", "张伟", "登录", date(2024, 1, 2), "登录页点提交后白屏")),
    ("P0 #接口 市级接口推送失败", ("P0", "", "接口", None, "市级接口推送失败")),
    ("@李娜 !周五 #报表 报表导出乱码", ("P2", "李娜", "报表", date(2024, 1, 5), "报表导出乱码")),
    ("P3 新增用户怎么填挂职单位", ("P3", "", "", None, "新增用户怎么填挂职单位")),
    ("P2@li#考勤!01-03 考勤少一列", ("P2", "李娜", "考勤", date(2024, 1, 3), "考勤少一列")),
    ("＃打印 ！后天 打印预览空白", ("P2", "", "打印", date(2024, 1, 3), "打印预览空白")),
    ("P1 @张伟 短信验证码收不到", ("P1", "张伟", "", None, "短信验证码收不到")),
    ("#首页 首页加载要 10 秒", ("P2", "", "首页", None, "首页加载要 10 秒")),
    ("!+3 @li 权限配置不对", ("P2", "李娜", "", date(2024, 1, 4), "权限配置不对")),
    ("P2 #档案查询 身份证号末位是X的查不到", ("P2", "", "档案查询", None, "身份证号末位是X的查不到")),
]


async def test_ten_issues_in_a_row_from_the_keyboard(ui_workspace: Path) -> None:
    app = make_app(ui_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot, "c")  # from the dashboard straight into the line
        capture = screen.capture.input
        assert app.focused is capture
        await type_line(pilot, "P1 @zhang #登录 !明天")  # key by key: read as it is typed
        preview = str(screen.query_one("#capture-preview", Static).render())
        assert "没有标题" in preview, preview
        await type_line(pilot, " 登录页点提交后白屏")
        preview = str(screen.query_one("#capture-preview", Static).render())
        assert "张伟" in preview and "登录" in preview and "01-02" in preview, preview
        await pilot.press("enter")
        for line, _expected in TEN_CALLS[1:]:
            assert app.focused is capture, "the line stays for the next issue"
            capture.insert_text_at_cursor(line)  # as an input method commits a phrase
            await pilot.press("enter")
        await wait_until(pilot, lambda: settled(screen, 10), "ten issues logged")
        assert capture.value == ""
        assert "身份证号末位是X的查不到" in str(screen.query_one("#capture-preview", Static).render())
    issues = stored(ui_workspace)
    found = [(i.severity, i.owner, i.module, date.fromisoformat(i.due) if i.due else None, i.title) for i in issues]
    assert found == [expected for _line, expected in TEN_CALLS], "in the order typed, every token read"
    assert {(i.status, i.created_by, i.reported_at[:16]) for i in issues} == {("new", "tester", "2024-01-01T09:00")}


async def test_an_unreadable_date_is_shown_and_nothing_is_logged(ui_workspace: Path) -> None:
    app = make_app(ui_workspace, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        await pilot.press("c", *"P1 !someday 登录页白屏", "enter")
        assert "someday" in str(screen.query_one("#capture-preview", Static).render())
        assert screen.capture.input.value == "P1 !someday 登录页白屏", "kept for correcting"
        await pilot.press("escape")
        assert isinstance(app.focused, IssueTable), "Esc leaves the line first"
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, IssuesScreen), "back on the dashboard")
    assert stored(ui_workspace) == []


async def test_what_to_write_instead_of_an_unreadable_date_is_shown_whole(ui_workspace: Path) -> None:
    """Enter on a date the line cannot read says what to write instead, on a line of its own
    under the reason: both lines are on the screen, not cut to the first."""
    app = make_app(ui_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot, "c")
        await type_line(pilot, "P1 !someday 登录页白屏")
        await pilot.press("enter")
        preview = screen.query_one("#capture-preview", Static)
        said = str(preview.render())
        assert "someday" in said and "可以写：明天" in said, said
        await pilot.pause()
        assert preview.content_size.height >= len(said.splitlines()) == 2, preview.content_size


async def test_an_impossible_date_is_said_in_chinese_in_the_preview_and_on_enter(ui_workspace: Path) -> None:
    app = make_app(ui_workspace)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await open_issues(pilot, "c")
        await type_line(pilot, "P1 @张伟 !2026-02-30 测试")
        preview = str(screen.query_one("#capture-preview", Static).render())
        assert "“2026-02-30”不是真实存在的日期" in preview and "not a real date" not in preview, preview
        await pilot.press("enter")
        failed = str(screen.query_one("#capture-preview", Static).render())
        assert "不是真实存在的日期" in failed and "not a real" not in failed, failed
    assert stored(ui_workspace) == []


async def test_leaving_new_asks_for_owner_and_due(issues_workspace: Path) -> None:
    app = make_app(issues_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        assert screen.table.issue is not None and screen.table.issue.id == 5  # newest first, no owner
        await pilot.press("s")
        await wait_for_screen(pilot, StatusDialog)
        await pilot.press("1")  # → in progress
        details = await wait_for_screen(pilot, StatusDetailsDialog)
        await pilot.press("enter", "enter", "enter")  # owner and due left empty: refused in place
        assert app.screen is details
        assert "负责人" in str(details.query_one("#dialog-problem", Static).render())
        await pilot.press(*"li", "enter", *"2026-02-30", "enter", "enter")  # a day that does not exist
        problem = str(details.query_one("#dialog-problem", Static).render())
        assert "“2026-02-30”不是真实存在的日期" in problem, problem
        details.query_one("#status-owner", Input).value = ""
        details.query_one("#status-due", Input).value = ""
        details.query_one("#status-owner", Input).focus()
        await pilot.press(*"li", "enter", *"明天", "enter", *"已电话联系", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, StatusDetailsDialog), "the dialog closed")
        await wait_until(pilot, lambda: screen.table.issue is not None and screen.table.issue.status != "new",
                         "the table re-read")
    issue = stored(issues_workspace)[4]
    assert (issue.status, issue.owner, issue.due) == ("in_progress", "李娜", "2024-01-02")
    with Store.open(issues_workspace / ".launchpad" / "launchpad.db") as store:
        history = IssueLog(store, ZoneInfo("Asia/Shanghai"), "test").history(5)
    assert {"status", "owner", "due", "note"} <= {row["field"] for row in history}


async def test_a_workflow_refusal_is_explained(issues_workspace: Path) -> None:
    from screens.dialogs.error import ErrorDialog

    app = make_app(issues_workspace, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_issues(pilot)
        screen.update_issue(2, {"status": "fixed"})  # closed issues only reopen
        dialog = await wait_for_screen(pilot, ErrorDialog)
        assert "cannot become fixed" in dialog.text and "from closed it can become: in progress" in dialog.text


async def test_search_and_filters_narrow_the_table(issues_workspace: Path) -> None:
    app = make_app(issues_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        assert screen.total == 5
        await pilot.press("slash", *"报表")  # two characters: the bigram index answers
        await wait_until(pilot, lambda: screen.total == 2, "the search")
        assert [screen.table.issue_at(n).id for n in range(2)] == [4, 2]  # type: ignore[union-attr]
        await pilot.press("enter")  # back to the table, the search kept
        assert isinstance(app.focused, IssueTable)
        await pilot.press("o")  # overdue only: none of the two
        await wait_until(pilot, lambda: screen.total == 0, "overdue and 报表")
        assert "没有符合条件" in str(screen.query_one("#issue-detail", Static).render())
        await pilot.press("slash", "backspace", "backspace", "enter")
        await wait_until(pilot, lambda: screen.total == 1, "overdue only")
        assert screen.table.issue is not None and screen.table.issue.id == 1
        assert "⚠" in screen.table.render_line(1).text, "overdue stands out"


async def test_the_filter_dialog(issues_workspace: Path) -> None:
    from textual.widgets import Select

    from screens.dialogs.issue_filter import IssueFilterDialog

    app = make_app(issues_workspace, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        await pilot.press("f")
        dialog = await wait_for_screen(pilot, IssueFilterDialog)
        dialog.query_one("#filter-status", Select).value = "open"
        dialog.query_one("#filter-owner", Input).value = "张伟"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: screen.total == 1, "open issues of 张伟")
        assert screen.wanted.statuses == ("new", "in_progress") and screen.table.issue_at(0).id == 1  # type: ignore[union-attr]
        assert "open" in str(screen.query_one("#issue-filters", Static).render())


async def test_the_filter_dialog_says_a_bad_day_in_chinese(issues_workspace: Path) -> None:
    from screens.dialogs.issue_filter import IssueFilterDialog

    app = make_app(issues_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_issues(pilot)
        await pilot.press("f")
        dialog = await wait_for_screen(pilot, IssueFilterDialog)
        dialog.query_one("#filter-from", Input).value = "2026-02-30"
        await pilot.press("ctrl+s")
        assert app.screen is dialog
        problem = str(dialog.query_one("#dialog-problem", Static).render())
        assert "“2026-02-30”不是真实存在的日期" in problem, problem


async def paste_chat(pilot: Pilot[Any], app: LaunchpadApp, sample: str, count: int = 5) -> PasteIntakeDialog:
    dialog = await wait_for_screen(pilot, PasteIntakeDialog)
    text_area = dialog.query_one("#paste-text", TextArea)
    assert app.focused is text_area
    # As a terminal's paste arrives: to the app, which hands it to the focused widget.
    app.post_message(events.Paste((CHAT / sample).read_text(encoding="utf-8")))
    await wait_until(pilot, lambda: len(dialog.messages) == count, "the candidates")
    await pilot.press("tab")
    assert isinstance(app.focused, SelectionList)
    return dialog


async def test_paste_intake_logs_chosen_messages_with_sender_and_time(ui_workspace: Path) -> None:
    app = make_app(ui_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        await pilot.press("v")
        await paste_chat(pilot, app, "wecom_desktop.txt")
        await pilot.press("space", "down", "down", "down", "space", "down", "space")  # 1, 4, 5
        await pilot.press("ctrl+s")  # each picked message is an issue
        await wait_until(pilot, lambda: isinstance(app.screen, IssuesScreen) and screen.total == 3, "three issues")
    first, second, third = stored(ui_workspace)
    assert (first.reporter, first.reported_at) == ("王芳@市人社局", site_time("2024-11-20 09:15:32").isoformat(
        timespec="microseconds"))
    assert first.title == "登录页面点“提交”后一直转圈，然后就白屏了😭" and "清过缓存也不行" in first.description
    assert second.title.startswith("报表导出的 Excel") and second.channel == "group"
    assert third.reporter == "陈晓明@市人社局" and third.title.endswith("分别怎么填？")


async def test_paste_intake_merges_messages_into_one_issue(ui_workspace: Path) -> None:
    app = make_app(ui_workspace, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        await pilot.press("v")
        dialog = await paste_chat(pilot, app, "wecom_desktop.txt")
        await pilot.press("ctrl+g")  # nothing picked: said in the dialog
        assert app.screen is dialog and "Space" in str(dialog.query_one("#dialog-problem", Static).render())
        await pilot.press("space", "down", "space", "ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, IssuesScreen) and screen.total == 1, "one issue")
    (issue,) = stored(ui_workspace)
    assert issue.reporter == "王芳@市人社局"
    assert "王芳@市人社局 11-20 09:15:" in issue.description and "刘建国@市人社局 11-20 09:16:" in issue.description


async def test_pasting_the_same_chat_again_skips_the_messages_already_logged(ui_workspace: Path) -> None:
    app = make_app(ui_workspace, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        await pilot.press("v")
        await paste_chat(pilot, app, "wecom_desktop.txt")
        await pilot.press("space", "down", "space", "ctrl+g")  # 1+2 as one issue
        await wait_until(pilot, lambda: isinstance(app.screen, IssuesScreen) and screen.total == 1, "one issue")
        await pilot.press("v")
        dialog = await paste_chat(pilot, app, "wecom_desktop.txt")
        await pilot.press("space", "down", "space", "ctrl+s")  # the same two again: nothing new
        problem = dialog.query_one("#dialog-problem", Static)
        await wait_until(pilot, lambda: "nothing new" in str(problem.render()), "told nothing is new")
        assert "skipped message 2: already logged as #1" in str(problem.render()) and app.screen is dialog
        await pilot.press("down", "space", "ctrl+s")  # and message 3: only it is logged
        await wait_until(pilot, lambda: isinstance(app.screen, IssuesScreen) and screen.total == 2, "two issues")
    first, second = stored(ui_workspace)
    assert first.reporter == "王芳@市人社局" and "刘建国@市人社局 11-20 09:16:" in first.description
    assert "刘建国@市人社局 11-20 09:16:" not in second.description


async def test_the_paste_dialog_logs_messages_already_logged_when_its_box_is_ticked(ui_workspace: Path) -> None:
    """`issue paste --again` in the dialog: the box beside the channel, the same core call."""
    app = make_app(ui_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        await pilot.press("v")
        await paste_chat(pilot, app, "wecom_desktop.txt")
        await pilot.press("space", "ctrl+s")  # message 1
        await wait_until(pilot, lambda: isinstance(app.screen, IssuesScreen) and screen.total == 1, "one issue")
        await pilot.press("v")
        dialog = await paste_chat(pilot, app, "wecom_desktop.txt")
        again = dialog.query_one("#paste-again", Checkbox)
        assert str(again.label) == "已登记的也再登记" and not again.value
        await pilot.press("space", "ctrl+s")  # the same message, box not ticked: skipped, and how to log it
        problem = dialog.query_one("#dialog-problem", Static)
        await wait_until(pilot, lambda: "没有需要新登记的" in str(problem.render()), "told nothing is new")
        assert "如确需再次登记，请勾选“已登记的也再登记”。" in str(problem.render()) and app.screen is dialog
        await pilot.press("tab", "tab")  # past the channel to the box
        assert app.focused is again
        await pilot.press("space", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, IssuesScreen) and screen.total == 2, "logged again")
    first, second = stored(ui_workspace)
    assert (second.reporter, second.reported_at, second.title) == (first.reporter, first.reported_at, first.title)


async def test_paste_intake_shows_the_lines_in_no_message(ui_workspace: Path) -> None:
    app = make_app(ui_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_issues(pilot)
        await pilot.press("v")
        dialog = await paste_chat(pilot, app, "same_line_bracketed.txt")
        listing = dialog.query_one("#paste-messages", SelectionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert prompts[0].startswith(" 1 — —: 另外登录页的验证码也刷不出来")  # before the first header: kept
        assert prompts[2].startswith(" 3 11-21 16:02 王芳: 我这边也是")
        assert prompts[5:] == ["第 3 行 系统提示: —— 以下是新消息 ——", "第 7 行 无发送人的图片或文件: [图片]",
                               "第 9 行 系统提示: 王芳撤回了一条消息"]
        assert all(listing.get_option_at_index(i).disabled for i in range(5, 8))
        assert "另有 3 行不属于任何消息" in str(dialog.query_one("#paste-count", Static).render())
        await pilot.press("end", "space")  # the last option that can be picked is message 5
        assert listing.selected == [5]


async def test_paste_intake_refuses_a_message_without_words_alone(ui_workspace: Path) -> None:
    app = make_app(ui_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        await pilot.press("v")
        dialog = await paste_chat(pilot, app, "feishu_dated.txt", count=4)
        listing = dialog.query_one("#paste-messages", SelectionList)
        assert "[文件] (无文字：不能单独登记)" in str(listing.get_option_at_index(2).prompt)
        await pilot.press("down", "down", "space", "ctrl+s")  # 3: only [文件]
        problem = dialog.query_one("#dialog-problem", Static)
        await wait_until(pilot, lambda: "没有可作为问题的文字" in str(problem.render()), "the refusal in Chinese")
        assert app.screen is dialog
        await pilot.press("down", "space", "ctrl+g")  # 3+4: the file and what it is about
        await wait_until(pilot, lambda: isinstance(app.screen, IssuesScreen) and screen.total == 1, "one issue")
    (issue,) = stored(ui_workspace)
    assert (issue.title, issue.reporter) == ("附件里是今天的上线清单，请各位确认", "张三")


async def test_a_chat_pasted_into_the_capture_line_opens_the_paste_dialog_whole(ui_workspace: Path) -> None:
    app = make_app(ui_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot, "c")
        app.post_message(events.Paste("登录页白屏"))  # one line is typed into the line as before
        await wait_until(pilot, lambda: screen.capture.input.value == "登录页白屏", "the pasted line")
        screen.capture.input.value = ""
        app.post_message(events.Paste((CHAT / "same_line_bracketed.txt").read_text(encoding="utf-8")))
        dialog = await wait_for_screen(pilot, PasteIntakeDialog)
        await wait_until(pilot, lambda: len(dialog.messages) == 5 and len(dialog.set_aside) == 3, "the whole chat")
        assert screen.capture.input.value == ""  # not its first line alone
        assert dialog.messages[1].sender == "吴工"


async def test_the_edit_form_changes_fields(issues_workspace: Path) -> None:
    app = make_app(issues_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        await pilot.press("down", "enter")  # #4 报表导出乱码
        dialog = await wait_for_screen(pilot, IssueFormDialog)
        assert dialog.issue is not None and dialog.issue.id == 4
        dialog.query_one("#form-module", Input).value = "报表导出"
        dialog.query_one("#form-due", Input).value = "周五"
        dialog.query_one("#form-due", Input).focus()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen, "saved")
        await wait_until(pilot, lambda: screen.table.issue is not None and screen.table.issue.module == "报表导出",
                         "the table re-read")
    issue = stored(issues_workspace)[3]
    assert (issue.module, issue.due, issue.title) == ("报表导出", "2024-01-05", "报表导出的 Excel 打开是乱码")


LONG_TITLE = "登录页点提交后白屏，清缓存、换浏览器、换电脑都不行，甲方办公室所有窗口人员都无法签到"
TYPED = ("第一步：打开登录页\n"
         "第二步：输入账号密码后验证码区域空白，浏览器控制台报 404，地址是 /captchaImage，昨天下午还正常\n"
         "第三步：刷新无效")


async def test_the_highlighted_issue_is_read_whole_with_its_line_breaks_at_80x24(ui_workspace: Path) -> None:
    with Store.open(ui_workspace / ".launchpad" / "launchpad.db") as store:
        IssueLog(store, ZoneInfo("Asia/Shanghai"), "pm").add(
            IssueDraft(LONG_TITLE, severity="P1", reporter="王科长", description=TYPED))
    app = make_app(ui_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        await wait_until(pilot, lambda: screen.table.issue is not None, "the issue")
        await pilot.pause()
        lines = ["".join(line.split()) for line in drawn_lines(app)]
        drawn = "".join(lines)
        assert "".join(LONG_TITLE.split()) in drawn, "the title is cut"
        for typed in TYPED.splitlines():
            assert "".join(typed.split()) in drawn, f"cut or missing: {typed}"
        # Each typed line starts a line of its own, as it was typed.
        assert any(line.startswith("第二步") for line in lines) and any(line.startswith("第三步") for line in lines)
        assert "\\n" not in drawn


async def test_a_new_issue_from_the_palette(ui_workspace: Path) -> None:
    app = make_app(ui_workspace, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await pilot.press("ctrl+p", *"issues: add", "enter")
        screen = await wait_for_screen(pilot, IssuesScreen)
        await wait_until(pilot, lambda: app.focused is screen.capture.input, "the capture line")
        await pilot.press(*"P0 登录失败", "enter")
        await wait_until(pilot, lambda: settled(screen, 1), "logged")
    assert stored(ui_workspace)[0].severity == "P0"


async def test_thousands_of_issues_scroll_to_the_end_page_by_page(ui_workspace: Path) -> None:
    with Store.open(ui_workspace / ".launchpad" / "launchpad.db") as store:
        log = IssueLog(store, ZoneInfo("Asia/Shanghai"), "bulk")
        log.add_many(IssueDraft(f"第 {n} 号问题", module="登录" if n % 2 else "报表") for n in range(1, 3001))
    app = make_app(ui_workspace, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        table = screen.table
        assert screen.total == 3000 and list(table.pages) == [0], "only the first page is read at first"
        await pilot.press("pagedown", "pagedown")
        assert table.issue is not None, "the first page covers a few screens"
        await pilot.press("end")
        await wait_until(pilot, lambda: table.issue is not None, "the last page")
        assert table.cursor == 2999 and table.issue is not None and table.issue.id == 1
        row = table.render_line(table.cursor - table.top + 1).text
        assert "#1 " in row and "第 1 号问题" in row
        assert len(table.pages) <= 3, "pages in between were never read"
        await pilot.press("pageup", "pageup", "pageup")
        await wait_until(pilot, lambda: table.issue is not None, "a page in the middle")
        assert table.issue is not None and table.issue.id == 3000 - table.cursor
        assert table.issue.title == f"第 {table.issue.id} 号问题"
        await pilot.press("home")
        assert table.issue is not None and table.issue.id == 3000 and table.cursor // PAGE == 0


async def test_a_new_issue_with_every_field_from_the_form(ui_workspace: Path) -> None:
    app = make_app(ui_workspace, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        await pilot.press("n")
        dialog = await wait_for_screen(pilot, IssueFormDialog)
        assert dialog.issue is None and app.focused is dialog.query_one("#form-title", Input)
        await pilot.press("ctrl+s")  # no title: refused in place
        assert app.screen is dialog
        dialog.query_one("#form-title", Input).value = "打印预览空白"
        dialog.query_one("#form-reporter", Input).value = "赵丽"
        dialog.query_one("#form-reported_at", Input).value = "昨天 18:30"
        dialog.query_one("#form-owner", Input).value = "zhang"
        dialog.query_one("#form-description", TextArea).text = "点打印后预览是空白页"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen and screen.total == 1, "saved")
    (issue,) = stored(ui_workspace)
    assert (issue.title, issue.reporter, issue.owner) == ("打印预览空白", "赵丽", "张伟")
    assert issue.description == "点打印后预览是空白页"
    assert issue.reported_at == site_time("2023-12-31 18:30").isoformat(timespec="microseconds")


async def test_help_lists_the_issue_keys_with_their_ids(ui_workspace: Path) -> None:
    app = make_app(ui_workspace, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_issues(pilot)
        text = await help_text(pilot)
        assert all(i in text for i in ("issues.capture", "issues.status", "issues.paste", "issue_table.last"))
        assert "Log issue" in text and "Last issue" in text


async def test_help_lists_launchpad_keys_first_and_the_widgets_keys_translated(ui_workspace: Path) -> None:
    app = make_app(ui_workspace, "zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_issues(pilot)
        lines = (await help_text(pilot)).splitlines()
    moving = next(n for n, line in enumerate(lines) if "移动与编辑" in line)
    ours = [n for n, line in enumerate(lines) if "issues." in line or "app." in line]
    assert ours and max(ours) < moving  # every launchpad key above the widgets' own
    assert any("下一个区域" in line for line in lines[moving:])  # tab, Textual's own key, in Chinese
    assert not any("Focus Next" in line or "Scroll Left" in line for line in lines)


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_a_refused_save_is_said_in_the_forms_language(issues_workspace: Path, language: str) -> None:
    from launchpad.errors import UsageError
    from launchpad.phrases import phrase
    from screens.support.messages import IssueWriteFailed

    app = make_app(issues_workspace, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_issues(pilot)
        await pilot.press("down", "enter")
        dialog = await wait_for_screen(pilot, IssueFormDialog)
        refused = UsageError(phrase("error.issue_transition", current="closed", target="fixed"),
                             hint=phrase("error.onsite_cannot_write_hint"))
        dialog.post_message(IssueWriteFailed(refused))
        problem = dialog.query_one("#dialog-problem", Static)
        await wait_until(pilot, lambda: str(problem.render()).strip() != "", "the problem said")
        shown = str(problem.render())
    expected = {"zh": ("请检查磁盘剩余空间和文件权限", "的问题不能改为"),
                "en": ("check the disk's free space", "cannot become")}
    assert all(part in shown for part in expected[language]), shown


async def test_at_80_columns_a_long_chinese_title_starts_beside_its_number(ui_workspace: Path) -> None:
    from launchpad.session import open_session

    title = "登录页验证码不显示甲方各科室人员反映无法登录系统需要尽快处理并回复"  # no space to wrap at
    session = open_session(ui_workspace, now=lambda: FIXED_NOW)
    try:
        session.issue_log().add(IssueDraft(title=title, severity="P1").checked())
    finally:
        session.close()
    app = make_app(ui_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_issues(pilot)
        await wait_until(pilot, lambda: screen.table.issue is not None, "the issue highlighted")
        await pilot.pause()
        detail = screen.query_one("#issue-detail", Static)
        drawn = drawn_lines(app)[detail.region.y:detail.region.bottom]
        assert drawn[0].strip().startswith("#1 [P1] 登录页验证码"), drawn  # beside it, then wrapped
        assert title in "".join("".join(drawn).split())  # and read whole
