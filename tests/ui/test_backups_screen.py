"""The backups screen, driven from the keyboard on the demo workspace (a SQLite database per
environment, every host this machine): take a backup and see it listed as verified, with its
bytes and throughput on the way; verify it, and see a damaged file fail; drill it and read the
row counts; restore on production, where a mistyped name changes nothing and the right one
restores after a safety backup; the dashboard's age of the newest verified backup; the palette
and the help screen. Then snapshots of the screen over fixed backups and a fixed clock, at 80x24
and 120x40, in Chinese and English (update with `pytest tests/ui --snapshot-update` after
checking the new pictures).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from launchpad.backup.progress import BackupProgress
from launchpad.backup.records import insert_backup, list_backups, restores
from launchpad.store.db import Store
from screens.app import LaunchpadApp
from screens.backups import BackupsScreen
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.error import ErrorDialog
from screens.dialogs.type_name import TypeNameDialog
from tests.ui.conftest import FIXED_NOW, UI_SITE
from tests.ui.helpers import help_text, shown, wait_for_screen, wait_opened, wait_until
from tests.workspaces import write_workspace

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = ["zh", "en"]


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """The demo workspace; its web app is not started, since backups do not need it."""
    from launchpad.demo import build_demo

    return build_demo(tmp_path / "demo")


def make_app(root: Path, language: str = "zh", now: Any = None) -> LaunchpadApp:
    return LaunchpadApp(root, now=now, language=language, watch_hosts=False)


def store_of(root: Path) -> Store:
    return Store.open(root / ".launchpad" / "launchpad.db")


def users_in(root: Path, env_name: str) -> int:
    with sqlite3.connect(root / "data" / f"{env_name}-users.db") as db:
        return int(db.execute("SELECT count(*) FROM sys_user").fetchone()[0])


def activity(screen: BackupsScreen) -> str:
    return str(screen.query_one("#activity-text", Static).render())


def detail(screen: BackupsScreen) -> str:
    return str(screen.query_one("#backup-detail", Static).render())


async def open_backups(pilot: Any) -> BackupsScreen:
    await wait_opened(pilot)
    await pilot.press("b")
    screen = await wait_for_screen(pilot, BackupsScreen)
    await wait_until(pilot, lambda: screen.ready, "the backups list")
    return screen


async def operate(pilot: Any, screen: BackupsScreen, key: str, said: str) -> None:
    """Press an operation's key and wait until it has ended and says `said`."""
    await pilot.press(key)
    await wait_until(pilot, lambda: screen.ready and said in activity(screen), f"{key}: {said!r}")


@pytest.mark.anyio
async def test_take_a_backup_from_the_keyboard(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("launchpad.backup.progress.REPORT_EVERY", 0.0)  # every chunk reports
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_backups(pilot)
        assert screen.table.records == [] and "还没有备份" in str(screen.table.get_row_at(0)[1])
        shown: list[str] = []
        advance = screen.activity.advance

        def advance_and_record(progress: BackupProgress) -> None:
            advance(progress)
            shown.append(activity(screen))

        monkeypatch.setattr(screen.activity, "advance", advance_and_record)
        await operate(pilot, screen, "t", "✓ 已备份 test/users：#1")
        assert any(line.startswith("导出 ") and "B/s · 正在备份 test/users" in line for line in shown), shown
        (record,) = screen.table.records
        assert record.verified and record.purpose == "manual" and record.actor == "tester"
        row = [str(cell) for cell in screen.table.get_row_at(0)]
        assert row[:3] == ["#1", "users", "刚刚"] and row[4] == "✓ 已校验" and row[5] == "· 未演练"
        assert (demo / "backups" / record.file).is_file()
        assert "#1 test/users" in detail(screen) and "尚未演练" in detail(screen)
        # Cut short on disk: the list sees it by the file's size, before any verify.
        stored = demo / "backups" / record.file
        stored.write_bytes(stored.read_bytes()[:-10])
        await pilot.press("u")
        await wait_until(pilot, lambda: str(screen.table.get_row_at(0)[4]) == "✗ 文件已变", "the changed file")
        # The list redrawn in the other language still says so (it used to fall back to ✓).
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: str(screen.table.get_row_at(0)[5]) != "· 未演练", "relabelled")
        assert str(screen.table.get_row_at(0)[4]) == "✗ file changed"


@pytest.mark.anyio
async def test_an_unrecorded_backup_file_is_pointed_out(demo: Path) -> None:
    app = make_app(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_backups(pilot)
        await operate(pilot, screen, "t", "✓ 已备份 test/users：#1")
        bar = screen.query_one("#backup-bar", Static)
        assert "未记录" not in str(bar.render())
        # What a kill -9 between the file's rename and its row leaves behind.
        with store_of(demo) as store:
            store.db.execute("DELETE FROM backups")
            store.db.conn.commit()
        await pilot.press("u")
        await wait_until(pilot, lambda: screen.unrecorded == 1, "the unrecorded file")
        assert "1 个完整的备份文件未记录" in str(bar.render()) and "launchpad backups adopt" in str(bar.render())


@pytest.mark.anyio
async def test_verify_and_a_damaged_file(demo: Path) -> None:
    app = make_app(demo, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_backups(pilot)
        await operate(pilot, screen, "t", "✓ Backup #1 of test/users")
        await operate(pilot, screen, "v", "✓ Backup #1 verifies: sha256 as recorded")
        record = screen.table.records[0]
        with (demo / "backups" / record.file).open("ab") as damaged:
            damaged.write(b"\0")
        await operate(pilot, screen, "v", "✗ Backup #1 does NOT verify")
        assert "the record says" in activity(screen)
        assert str(screen.table.get_row_at(0)[4]) == "✗ failed"
        assert "Checked" in detail(screen) and not screen.table.records[0].verified
        await pilot.press("d")  # a failure is the error dialog, whose text can be copied
        dialog = await wait_for_screen(pilot, ErrorDialog)
        # Not a failed backup: a drill refused, with what to do next.
        assert dialog.dialog_title == "drill refused" and "cannot be drilled" in dialog.text
        assert "take a new backup (`launchpad backup --env test users`)" in dialog.text
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.ready and "✗ drill refused" in activity(screen), "the failure")


@pytest.mark.anyio
async def test_a_failed_verify_says_what_to_do_next_as_the_command_line_does(demo: Path) -> None:
    from launchpad.phrases import phrase, render

    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_backups(pilot)
        await operate(pilot, screen, "t", "✓ 已备份 test/users：#1")
        with (demo / "backups" / screen.table.records[0].file).open("ab") as damaged:
            damaged.write(b"\0")
        await operate(pilot, screen, "v", "✗ 备份 #1 校验未通过")
        # The core's next step (the sentence `launchpad backups verify` prints), in the screen's language.
        next_step = render(phrase("backup.not_usable_hint", env="test", target="users"), "zh")
        assert next_step.startswith("请重新备份（`launchpad backup --env test users`）")
        assert f"→ {next_step}" in activity(screen)
        assert any("校验未通过" in n.message and f"\n→ {next_step}" in n.message for n in app._notifications)
        # On the screen, after the notification is gone: whole at 80 columns, not cut at the edge.
        await pilot.pause()
        assert "".join(next_step.split()) in shown(screen.query_one("#activity-text", Static))


@pytest.mark.anyio
@pytest.mark.parametrize("key", ["v", "d", "r"])
async def test_an_operation_on_an_empty_list_says_to_take_a_backup_not_to_choose_one(demo: Path, key: str) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_backups(pilot)
        assert screen.table.records == []
        await pilot.press(key)
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "还没有备份：按 t 立即备份。" in said and "请先用 ↑↓ 选择一个备份。" not in said, said


@pytest.mark.anyio
async def test_a_damaged_manifests_failure_and_check_are_read_whole_at_80_columns(demo: Path) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_backups(pilot)
        await operate(pilot, screen, "t", "✓ 已备份 test/users：#1")
        record = screen.table.records[0]
        with record.manifest_path(demo / "backups").open("ab") as damaged:
            damaged.write(b"\0")
        await operate(pilot, screen, "v", "✗ 备份 #1 校验未通过")
        await pilot.pause()
        # The file's long name, why, and the next step with its two commands: all on the screen.
        assert "".join(activity(screen).split()) in shown(screen.query_one("#activity-text", Static))
        check = detail(screen).splitlines()[1]
        assert "不存在或无法读取" in check and "".join(check.split()) in shown(screen.query_one("#backup-detail"))


@pytest.mark.anyio
async def test_a_backup_deleted_by_retention_says_why_in_the_screens_language(demo: Path) -> None:
    from launchpad.backup.records import mark_deleted
    from launchpad.phrases import phrase

    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_backups(pilot)
        await operate(pilot, screen, "t", "✓ 已备份 test/users：#1")
        # Pruned from another terminal while this screen still lists it.
        with store_of(demo) as store:
            mark_deleted(store, 1, phrase("retention.expired", days=40, number=3))
        await operate(pilot, screen, "v", "备份 1 已被删除（超出保留规则：已存 40 天，从新到旧排第 3）")
        assert "older than" not in activity(screen)


@pytest.mark.anyio
async def test_a_bug_is_a_dialog_and_the_keys_work_again(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("launchpad.backup.verify.verify_backup", broken)
    app = make_app(demo, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_backups(pilot)
        await operate(pilot, screen, "t", "✓ Backup #1")
        await pilot.press("v")
        dialog = await wait_for_screen(pilot, ErrorDialog)
        assert "RuntimeError: a bug" in dialog.text and "Traceback" not in dialog.text
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.ready, "the keys back")


@pytest.mark.anyio
async def test_drill_shows_the_row_counts(demo: Path) -> None:
    app = make_app(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_backups(pilot)
        await operate(pilot, screen, "t", "✓ 已备份")
        await operate(pilot, screen, "d", "✓ 备份 #1 演练通过")
        users = users_in(demo, "test")
        assert f"sys_user {users}→{users}（当前 {users}）" in activity(screen)
        assert "about 1→1（当前 1）" in activity(screen)
        assert str(screen.table.get_row_at(0)[5]) == "✓ 通过"
        assert "演练" in detail(screen) and f"sys_user {users}→{users}" in detail(screen)
    with store_of(demo) as store:
        (record,) = list_backups(store, "test")
    assert record.drill_status == "passed" and record.drill_detail is not None
    restored = {row["table"]: row["restored"] for row in record.drill_detail["rows"]}
    assert restored["about"] == 1 and restored["sys_user"] == users_in(demo, "test") > 200


@pytest.mark.anyio
async def test_restore_on_production_needs_its_name_typed(demo: Path) -> None:
    app = make_app(demo, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await pilot.press("e")  # prod: the banner is red on every screen from now on
        screen = await open_backups(pilot)
        assert app.environment == "prod" and screen.query_one("ProductionBanner").has_class("-production")
        await operate(pilot, screen, "t", "✓ Backup #1 of prod/users")
        before = users_in(demo, "prod")
        with sqlite3.connect(demo / "data" / "prod-users.db") as db:
            db.execute("DELETE FROM sys_user")  # the bad release
        await pilot.press("r")
        dialog = await wait_for_screen(pilot, TypeNameDialog)
        assert "restore backup #1 of users" in dialog.dialog_title and "safety backup" in str(dialog.body)
        assert isinstance(dialog.focused, Input), "the name is typed; no button restores by reflex"
        await pilot.press(*"prdo", "enter")
        assert app.screen is dialog, "a wrong name is refused in place"
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.ready and "Restore cancelled" in activity(screen), "the refusal")
        assert users_in(demo, "prod") == 0, "nothing was restored"
        with store_of(demo) as store:
            assert restores(store) == [] and len(list_backups(store, "prod")) == 1

        await pilot.press("r")
        await wait_for_screen(pilot, TypeNameDialog)
        await pilot.press(*"prod", "enter")
        await wait_until(pilot, lambda: screen.ready and "restored" in activity(screen), "the restore")
        assert "✓ Backup #1 restored on prod/users; the state before is safety backup #2" in activity(screen)
        assert users_in(demo, "prod") == before
        assert [r.purpose for r in screen.table.records] == ["safety", "manual"]
    with store_of(demo) as store:
        (restore,) = restores(store)
    assert (restore["status"], restore["backup_id"], restore["safety_backup_id"]) == ("restored", 1, 2)


@pytest.mark.anyio
async def test_a_restore_shows_no_progress_before_productions_name_is_typed(demo: Path) -> None:
    app = make_app(demo, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await pilot.press("e")
        screen = await open_backups(pilot)
        await operate(pilot, screen, "t", "✓ Backup #1 of prod/users")
        await pilot.press("r")
        await wait_for_screen(pilot, TypeNameDialog)
        bar = screen.query_one("#activity-bar")
        assert not screen.activity.has_class("-busy") and bar.styles.display == "none"
        assert "answer the question first" in activity(screen)
        await pilot.press(*"prod", "enter")
        await wait_until(pilot, lambda: screen.ready and "restored" in activity(screen), "the restore")


@pytest.mark.anyio
async def test_a_test_restore_asks_with_no_focused(demo: Path) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_backups(pilot)
        await operate(pilot, screen, "t", "✓ 已备份")
        await pilot.press("r")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert dialog.focused is not None and dialog.focused.id == "no"
        await pilot.press("enter")  # Enter by reflex: the safe answer
        await wait_until(pilot, lambda: screen.ready and "已取消恢复" in activity(screen), "the refusal")
    with store_of(demo) as store:
        assert restores(store) == []


@pytest.mark.anyio
async def test_a_running_operation_is_not_abandoned(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from launchpad.backup import take

    release = threading.Event()
    real_take = take.take_backup

    def slow_take(*args: Any, **kwargs: Any) -> Any:
        release.wait(30)
        return real_take(*args, **kwargs)

    monkeypatch.setattr(take, "take_backup", slow_take)
    app = make_app(demo, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_backups(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: screen.operation is not None, "the take")
        await pilot.press("escape", "v")
        assert app.screen is screen, "Escape waits for the operation"
        await pilot.press("ctrl+q")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert "backup operation" in dialog.dialog_title and dialog.focused is not None and dialog.focused.id == "no"
        await pilot.press("enter")  # No: stay
        await wait_until(pilot, lambda: app.screen is screen, "back on the backups screen")
        release.set()
        await wait_until(pilot, lambda: screen.ready and "✓ Backup #1" in activity(screen), "the take")
        assert app.is_running


@pytest.mark.anyio
async def test_the_dashboard_shows_the_newest_verified_backup_age(demo: Path) -> None:
    app = make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_backups(pilot)
        await operate(pilot, screen, "t", "✓ 已备份")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.backup_freshness and app.backup_freshness["test"].newest_verified,
                         "the backup ages")
        await pilot.pause()
        panel = str(app.screen.query_one("#dash-backups", Static).render())
        assert "备份（b）" in panel and "test  ✓ 刚刚" in panel and "prod  ⚠ 无已校验备份" in panel

    later = make_app(demo, "en", now=lambda: datetime.now(UTC) + timedelta(hours=30))
    async with later.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await wait_until(pilot, lambda: later.backup_freshness is not None, "the backup ages")
        await pilot.pause()
        panel_text = later.screen.query_one("#dash-backups", Static).render()
        assert "test  ⚠ 30 h ago" in str(panel_text) and "prod  ⚠ no verified backup" in str(panel_text)


@pytest.mark.anyio
async def test_the_palette_and_help_reach_the_backups(demo: Path) -> None:
    app = make_app(demo, "en")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"backups: take", "enter")
        screen = await wait_for_screen(pilot, BackupsScreen)
        await wait_until(pilot, lambda: screen.ready and "✓ Backup #1" in activity(screen), "a backup from the palette")
        text = await help_text(pilot)
        assert all(i in text for i in ("backups.take", "backups.verify", "backups.drill", "backups.restore"))


# -- snapshots ----------------------------------------------------------------------------------

BACKUP_ENVIRONMENTS = """\
environments:
  test:
    description: 测试环境
    transport: local
    hosts:
      - {name: app1, address: 127.0.0.1, groups: [app]}
    databases:
      main: {engine: sqlite, name: data/test-users.db}
    backups:
      users: {database: main, host: app1, description: 用户库}
  prod:
    description: 生产环境
    production: true
    transport: local
    hosts:
      - {name: prod1, address: 127.0.0.1, groups: [app]}
    databases:
      main: {engine: sqlite, name: data/prod-users.db}
    backups:
      users: {database: main, host: prod1, description: 生产用户库}
"""

DRILLED = {"summary": "2 tables, 5 rows restored, equal to the counts taken with the backup", "scratch": "",
           "rows": [{"table": "about", "at_backup": 1, "restored": 1, "source_now": 1},
                    {"table": "users", "at_backup": 4, "restored": 4, "source_now": 5}]}
SHORT = {"summary": "users: 4 rows at backup, 3 restored", "scratch": "",
         "rows": [{"table": "users", "at_backup": 4, "restored": 3, "source_now": 4}]}

# (env, finished UTC, size, purpose, run, verify status, drill status, drill detail); FIXED_NOW is 09:00 UTC.
SAMPLE_BACKUPS = [
    ("test", "2023-12-29T12:10:00", 48_213_504, "manual", None, "ok", "passed", DRILLED),
    ("prod", "2023-12-30T14:00:00", 51_380_224, "manual", None, "ok", None, None),
    ("test", "2023-12-31T14:00:00", 48_300_032, "playbook", 1, "ok", "failed", SHORT),
    ("test", "2024-01-01T01:00:00", 48_411_136, "manual", None, "failed", None, None),
    ("test", "2024-01-01T06:00:00", 48_402_944, "safety", None, "ok", None, None),
    ("test", "2024-01-01T08:20:00", 48_420_864, "manual", None, "ok", "passed", DRILLED),
]


@pytest.fixture
def backups_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "no-bundled").mkdir()
    monkeypatch.setattr("launchpad.run.playbook.BUNDLED_DIR", tmp_path / "no-bundled")
    site = UI_SITE.split("environments:")[0] + BACKUP_ENVIRONMENTS
    return seed_sample_backups(write_workspace(tmp_path / "ws", site))


def seed_sample_backups(root: Path) -> Path:
    """The rows of SAMPLE_BACKUPS, as take, verify and drill would have written them, each with
    its file in backups/ (a sparse stand-in of the recorded size: a backup whose file is gone, or
    not its recorded size, is never fresh and lists as changed)."""
    with store_of(root) as store:
        for number, (env, finished, size, purpose, run, verify, drill, drilled) in enumerate(SAMPLE_BACKUPS, 1):
            at = f"{finished}+00:00"
            file = f"{env}/users/{env}-users-{finished.replace('-', '').replace(':', '')}Z.sqlite3.zst"
            (root / "backups" / file).parent.mkdir(parents=True, exist_ok=True)
            with (root / "backups" / file).open("wb") as stand_in:
                stand_in.truncate(size)
            insert_backup(store, {
                "uid": f"uid-{number}", "environment": env, "target": "users", "driver": "sqlite",
                "host": "app1" if env == "test" else "prod1", "compression": "zstd",
                "file": file,
                "started": at, "finished": at, "size": size, "sha256": f"{number:x}" * 64,
                "tool_versions": {"sqlite": "3.40.1"}, "inventory": {"tables": {"about": 1, "users": 4}},
                "purpose": purpose, "actor": "张伟", "run_id": run, "step_id": "backup" if run else None,
                "verified_at": at, "verify_status": verify,
                "verify_detail": "checked when taken: SQLite database, 11771 pages of 4096 bytes" if verify == "ok"
                else "sha256 is 9c1e0b7a52d4f3e8…, the record says 4444444444444444…: the file was altered or damaged",
                "drilled_at": at if drill else None, "drill_status": drill, "drill_detail": drilled,
            })
    return root


def snapshot_app(root: Path, language: str) -> LaunchpadApp:
    return LaunchpadApp(root, now=lambda: FIXED_NOW, language=language, watch_hosts=False)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_backups_screen(snap_compare: Any, backups_workspace: Path, size: tuple[int, int], language: str) -> None:
    app = snapshot_app(backups_workspace, language)

    async def ready(pilot: Any) -> None:
        screen = await open_backups(pilot)
        await wait_until(pilot, lambda: len(screen.table.records) == 5, "the sample backups")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("language", LANGUAGES)
def test_dashboard_with_backup_ages(snap_compare: Any, backups_workspace: Path, language: str) -> None:
    app = snapshot_app(backups_workspace, language)

    async def ready(pilot: Any) -> None:
        await wait_opened(pilot)
        await wait_until(pilot, lambda: app.backup_freshness is not None and app.issue_summary is not None,
                         "the backup ages and issue counts")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=ready)


@pytest.mark.anyio
async def test_a_refused_operation_reads_in_the_screens_language(demo: Path) -> None:
    app = make_app(demo, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_backups(pilot)
        await operate(pilot, screen, "t", "✓ 已备份 test/users：#1")
        with (demo / "backups" / screen.table.records[0].file).open("ab") as damaged:
            damaged.write(b"\0")
        await pilot.press("d")
        await wait_for_screen(pilot, ErrorDialog)
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.ready and "✗ 演练未进行：" in activity(screen), "the failure")
        assert "无法演练" in activity(screen) and "cannot be drilled" not in activity(screen)


@pytest.mark.anyio
async def test_only_a_usable_backup_reads_usable_in_the_list_and_the_bar(backups_workspace: Path) -> None:
    from launchpad.backup.freshness import finished_at
    from launchpad.backup.records import get_backup, mark_deleted, standing
    from screens.support.display import age_text
    from screens.widgets.backup_table import checksum_cell

    app = snapshot_app(backups_workspace, "en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_backups(pilot)
        await wait_until(pilot, lambda: len(screen.table.records) == 5, "the sample backups")
        newest, before = screen.table.records[0], screen.table.records[1]  # #6 (08:20 UTC), #5 (06:00)

        def bar() -> str:
            return str(screen.query_one("#backup-bar", Static).render())

        assert f"newest verified {age_text(FIXED_NOW - finished_at(newest))}" in bar()
        stored = backups_workspace / "backups" / newest.file
        with stored.open("r+b") as cut:
            cut.truncate(newest.size - 10)
        await pilot.press("u")
        await wait_until(pilot, lambda: str(screen.table.get_row_at(0)[4]) == "✗ file changed", "the cut file")
        # The bar names the newest backup a rollback can use, not the one just cut short.
        assert f"newest verified {age_text(FIXED_NOW - finished_at(before))}" in bar()
        # Deleted (its file left in place): never ✓, whatever its last verify said.
        with store_of(backups_workspace) as store:
            mark_deleted(store, before.id, "older than the retention rule")
            deleted = get_backup(store, before.id)
        assert deleted is not None and deleted.verified
        state = standing(deleted, backups_workspace / "backups")
        assert not state.usable and str(checksum_cell(deleted, state)) == "✗ deleted"
        await pilot.press("u")
        await wait_until(pilot, lambda: before.id not in [r.id for r in screen.table.records], "the deleted backup")
        assert f"newest verified {age_text(FIXED_NOW - finished_at(before))}" not in bar()
