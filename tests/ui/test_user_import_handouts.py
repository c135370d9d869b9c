"""The import screen and an import's hand-out files, on the demo workspace (its client system is a
SQLite file: no server needed): a rollback says what became of the hand-outs as `users rollback`
does, and the hand-out dialog of an unfinished import does not offer a removal the core refuses."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, TabbedContent

from launchpad.demo import build_demo
from launchpad.demo.sheet import SHEET_FILE
from screens.app import LaunchpadApp
from screens.dialogs.confirm import ConfirmDialog
from screens.user_import import UserImportScreen
from tests.commandline import launch
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import wait_for_screen, wait_opened, wait_until


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return build_demo(tmp_path / "demo")


def imported(demo: Path, *more: str) -> tuple[int, Path]:
    """The demo's sheet imported into test from the command line: its id and hand-out folder."""
    code, said = launch(demo, "users", "import", str(demo / SHEET_FILE), "--env", "test", "--skip-rejected", "--yes",
                        *more)
    found = re.search(r"导入 (\d+)", said)
    assert found is not None, said
    return int(found[1]), demo / "handouts" / f"import-{found[1]}"


async def past_imports(pilot: Any) -> UserImportScreen:
    """The import screen opened on its list of past imports, the newest highlighted."""
    await wait_opened(pilot)
    await pilot.press("u")
    screen = await wait_for_screen(pilot, UserImportScreen)
    await wait_until(pilot, lambda: screen.ready, "the screen ready")
    await pilot.press("l")
    await wait_until(pilot, lambda: screen.imports, "the past imports")
    await pilot.pause()
    return screen


async def rolled_back_on_screen(demo: Path) -> str:
    app = LaunchpadApp(demo, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await past_imports(pilot)
        await pilot.press("r")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.click("#yes")
        await wait_until(pilot, lambda: screen.ready and screen.imports and screen.imports[0]["status"] ==
                         "rolled_back", "the rollback", timeout=120)
        return screen.activity.text


@pytest.mark.anyio
async def test_a_rollback_on_the_screen_says_its_hand_outs_were_removed(demo: Path) -> None:
    import_id, folder = imported(demo)
    count = len(list(folder.glob("*.xlsx")))
    assert count > 1
    text = await rolled_back_on_screen(demo)
    assert f"✓ 导入 {import_id} 已回滚" in text
    assert f"已删除导入 {import_id} 的 {count} 个初始密码交接文件（{folder}）：其中的用户已不存在" in text, text
    assert not folder.exists()


@pytest.mark.anyio
async def test_a_rollback_on_the_screen_says_why_its_hand_outs_stay(demo: Path) -> None:
    import_id, folder = imported(demo)
    # A user the import created that its rollback does not delete (not among its recorded rows).
    with contextlib.closing(sqlite3.connect(demo / "data" / "test-users.db")) as db, db:
        db.execute("INSERT INTO sys_user (dept_id, user_name, nick_name, create_by, del_flag) "
                   "VALUES (100, 'stray', '未记录', ?, '0')", [f"import:{import_id}"])
    count = len(list(folder.glob("*.xlsx")))
    text = await rolled_back_on_screen(demo)
    assert (f"导入 {import_id} 的 {count} 个初始密码交接文件保留在 {folder}：它新增的 1 个用户仍在 test 中（stray）"
            in text), text
    assert len(list(folder.glob("*.xlsx"))) == count


@pytest.mark.anyio
async def test_the_hand_out_dialog_of_an_unfinished_import_does_not_offer_to_remove(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped after its first batch: the users written so far have a hand-out, the rest of the
    passwords are kept for the resume. The dialog lists the hand-out, its remove button greyed,
    and says why in the core's words (`users handout ID --remove` refuses it the same way)."""
    from launchpad.users import importing
    from launchpad.users.hashing_progress import FILE_NAME
    from screens.dialogs.import_source import HandoutDialog

    real = importing.apply_plan

    def stops_after_a_batch(*args: Any, **kwargs: Any) -> Any:
        seen: list[Any] = []
        kwargs["progress"] = seen.append
        kwargs["should_stop"] = lambda: any(p.phase == "writing" and p.done for p in seen)
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "apply_plan", stops_after_a_batch)
    import_id, folder = imported(demo, "--batch", "10")
    monkeypatch.undo()
    stopped = list(folder.rglob("*.xlsx"))
    assert stopped and (folder / FILE_NAME).is_file()

    app = LaunchpadApp(demo, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await past_imports(pilot)
        assert screen.imports[0]["status"] == "applying"
        await pilot.press("o")
        dialog = await wait_for_screen(pilot, HandoutDialog)
        body = str(dialog.body)
        assert f"初始密码共 {len(stopped)} 个文件" in body
        assert f"导入 {import_id} 未完成（为继续导入暂存了" in body and f"launchpad users abandon {import_id}" in body
        assert dialog.query_one("#remove", Button).disabled
        await pilot.click("#remove")  # greyed: nothing happens
        await pilot.pause()
        assert pilot.app.screen is dialog
    assert sorted(folder.rglob("*.xlsx")) == sorted(stopped) and (folder / FILE_NAME).is_file()


@pytest.mark.anyio
async def test_the_rollback_of_an_unfinished_import_asks_about_the_rows_it_wrote_not_its_plan(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped after its first batch, the import wrote a few of the users it planned: rolling it
    back deletes those, and the question says so, not the plan's count it never reached."""
    from launchpad.store.db import Store
    from launchpad.users import records

    import_id = stopped_after_a_batch(demo, monkeypatch)
    with Store.open(demo / ".launchpad" / "launchpad.db") as store:
        planned = records.get_import(store, import_id)["planned"]
        rows = records.import_rows(store, import_id)
    inserted = sum(row["action"] == "insert" for row in rows)
    updated = sum(row["action"] == "update" for row in rows)
    assert 0 < inserted < planned["insert"], (inserted, planned)

    app = LaunchpadApp(demo, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await past_imports(pilot)
        assert screen.imports[0]["status"] == "applying"
        await pilot.press("r")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        body = str(dialog.body)
        assert f"在 test 中删除它新增的 {inserted} 个用户，恢复它更新的 {updated} 个用户。" in body, body
        await pilot.click("#yes")
        await wait_until(pilot, lambda: screen.ready and screen.imports[0]["status"] == "rolled_back", "the rollback",
                         timeout=120)
        assert f"✓ 导入 {import_id} 已回滚：删除 {inserted} 个用户" in screen.activity.text, screen.activity.text


def stopped_after_a_batch(demo: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """The demo's sheet imported into test from the command line, stopped after its first batch
    of 10: the unfinished import's id."""
    from launchpad.users import importing

    real = importing.apply_plan

    def stops_after_a_batch(*args: Any, **kwargs: Any) -> Any:
        seen: list[Any] = []
        kwargs["progress"] = seen.append
        kwargs["should_stop"] = lambda: any(p.phase == "writing" and p.done for p in seen)
        return real(*args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(importing, "apply_plan", stops_after_a_batch)
        import_id, _ = imported(demo, "--batch", "10")
    return import_id


@pytest.mark.anyio
async def test_a_mistyped_id_when_abandoning_says_to_type_the_id_not_to_go_to_a_terminal(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """d, and another number typed: refused as the command line refuses it, and what to do is
    said as it applies here, in the dialog: type the id. Not "at a terminal", not --yes."""
    from screens.dialogs.abandon_import import AbandonImportDialog
    from screens.dialogs.error import ErrorDialog
    from tests.ui.helpers import type_line

    import_id = stopped_after_a_batch(demo, monkeypatch)
    app = LaunchpadApp(demo, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await past_imports(pilot)
        await pilot.press("d")
        await wait_for_screen(pilot, AbandonImportDialog)
        await type_line(pilot, str(import_id + 8))
        await pilot.press("enter")
        wrong = await wait_for_screen(pilot, ErrorDialog)
        assert f"输入的是“{import_id + 8}”，不是“{import_id}”：未删除任何内容" in wrong.text, wrong.text
        assert f"要放弃导入 {import_id}，确认时请输入 {import_id}" in wrong.text, wrong.text
        assert "终端" not in wrong.text and "--yes" not in wrong.text, wrong.text
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.ready, "the keys back")
        assert screen.imports[0]["status"] == "applying"


@pytest.mark.anyio
async def test_the_keys_the_unfinished_imports_line_names_act_on_that_import(
        demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The line above the tables says "导入 N … 未完成：按 a 继续导入，按 r 回滚，按 d 放弃": on the
    problems tab, r and d ask about import N, as the line says, not for an import to be chosen."""
    from screens.dialogs.abandon_import import AbandonImportDialog

    import_id = stopped_after_a_batch(demo, monkeypatch)
    app = LaunchpadApp(demo, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_opened(pilot)
        await pilot.press("u")
        screen = await wait_for_screen(pilot, UserImportScreen)
        await wait_until(pilot, lambda: screen.ready and screen.checked is not None and screen.imports, "the screen")
        await pilot.pause()
        line = str(screen.query_one("#import-summary").render())
        assert (f"导入 {import_id}（新员工名单.xlsx → test）未完成：按 a 继续导入（同一文件），按 r 回滚，按 d 放弃"
                in line), line
        await pilot.press("d")
        abandon = await wait_for_screen(pilot, AbandonImportDialog)
        assert abandon.dialog_title == f"放弃未完成的导入 {import_id}", abandon.dialog_title
        await pilot.press("escape")
        await wait_until(pilot, lambda: pilot.app.screen is screen and screen.ready, "the dialog gone")
        screen.query_one("#import-tabs", TabbedContent).active = "tab-problems"
        await pilot.pause()
        await pilot.press("r")
        rollback = await wait_for_screen(pilot, ConfirmDialog)
        assert f"回滚用户导入 {import_id}（新员工名单.xlsx）" in str(rollback.dialog_title), rollback.dialog_title
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.ready, "the rollback declined")
        assert screen.imports[0]["status"] == "applying"


@pytest.mark.anyio
async def test_an_import_with_nothing_but_rejected_rows_left_does_not_say_the_target_holds_every_row(
        demo: Path) -> None:
    imported(demo)  # the sheet's good rows went in; its 6 rejected rows did not
    app = LaunchpadApp(demo, now=lambda: FIXED_NOW, language="zh", watch_hosts=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_opened(pilot)
        await pilot.press("u")
        screen = await wait_for_screen(pilot, UserImportScreen)
        await wait_until(pilot, lambda: screen.ready and screen.checked is not None, "the sheet checked")
        await pilot.press("p")
        await wait_until(pilot, lambda: screen.ready and screen.planned is not None, "the plan", timeout=120)
        await pilot.press("a")
        await wait_until(pilot, lambda: "无需写入" in screen.activity.text, "the import's answer", timeout=120)
        assert "无需写入：可导入的 65 行已与目标库一致；被拒绝的 6 行没有导入" in screen.activity.text
        assert "目标库已与文件一致" not in screen.activity.text
