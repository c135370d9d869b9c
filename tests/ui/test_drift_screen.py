"""The drift screen, driven from the keyboard on the demo workspace (SQLite; prod has drifted out
of the box once test is exported as the baseline, which the tests do through the core): the
kinds with their counts per severity, the items of a kind, the baseline, test and prod side by
side with the differing field marked, a fix picked and its SQL (values as parameters), and
production asking for its name before the backup gate refuses; two environments compared; the
report written. Against real MariaDB and PostgreSQL behind a real sshd (the integration
fixtures): a fix of production applied from the screen and the re-diff shown. Snapshots at
80x24 and 120x40, in Chinese and English (update with `pytest tests/ui --snapshot-update` after
checking the new pictures)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static, TabbedContent

from launchpad.store.db import Store
from screens.app import LaunchpadApp
from screens.dashboard import DashboardScreen
from screens.dialogs.compare_choice import CompareChoiceDialog
from screens.dialogs.confirm import ConfirmDialog
from screens.dialogs.type_name import TypeNameDialog
from screens.drift import DriftScreen
from tests.integration.conftest import _private_ssh_home, ssh_hosts, sshd_lab  # noqa: F401
from tests.integration.databases import (  # noqa: F401
    PASSWORD,
    MariaDbServer,
    PostgresServer,
    mariadb_server_fixture,
    postgres_server_fixture,
)
from tests.integration.ruoyi import RuoYiLab
from tests.integration.ruoyi_baseline import add_baseline_tables, run_sql
from tests.integration.sshd import SshdHost, SshLab
from tests.integration.test_baseline import export
from tests.integration.test_users_import import launchpad
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import (
    drawn_lines,
    production_question,
    shown,
    type_line,
    wait_for_screen,
    wait_opened,
    wait_until,
)

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGUAGES = ["zh", "en"]


def export_baseline(root: Path, env: str = "test") -> Path:
    """`launchpad baseline export --env test`, through the core, saved as the baseline."""
    from launchpad.baseline.files import write_baseline
    from launchpad.baseline.operations import environment_sessions, read_environment
    from launchpad.session import open_session

    session = open_session(root)
    try:
        with environment_sessions(session.workspace, session.store(), "hq", [env]) as (target,):
            live = read_environment(target, env).baseline
    finally:
        session.close()
    live.version = "hq-1"
    return write_baseline(live, root / "baselines" / "baseline.yaml")


@pytest.fixture
def drifted_demo(tmp_path: Path) -> Path:
    from launchpad.demo import build_demo

    root = build_demo(tmp_path / "demo")  # no web app: the screen reads the databases only
    export_baseline(root)
    return root


def make_app(root: Path, language: str = "zh") -> LaunchpadApp:
    return LaunchpadApp(root, now=lambda: FIXED_NOW, language=language, watch_hosts=False, offer_resume=False)


async def open_drift(pilot: Any, timeout: float = 60.0) -> DriftScreen:
    await wait_opened(pilot)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DashboardScreen) and pilot.app.screen.filled,
                     "the dashboard")
    await pilot.press("f")
    screen = await wait_for_screen(pilot, DriftScreen)
    await wait_until(pilot, lambda: screen.ready and screen.compared is not None, "the comparison", timeout)
    await pilot.pause()
    return screen


def rows(screen: DriftScreen, table_id: str) -> list[list[str]]:
    table = screen.query_one(f"#{table_id}", DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


def headers(screen: DriftScreen, table_id: str) -> list[str]:
    table = screen.query_one(f"#{table_id}", DataTable)
    return [str(column.label) for column in table.columns.values()]


def activity(screen: DriftScreen) -> str:
    return str(screen.query_one("#drift-activity", Static).render())


async def highlight(pilot: Any, screen: DriftScreen, item_id: str) -> None:
    """Move to the item's kind (k) and onto its row."""
    kind = item_id.split("/")[0]
    while screen.kind != kind:
        await pilot.press("k")
    table = screen.query_one("#drift-items", DataTable)
    table.move_cursor(row=[d.id for d in screen.shown].index(item_id))
    await pilot.pause()


@pytest.mark.anyio
async def test_the_demos_drift_is_listed_by_kind_and_seen_side_by_side(drifted_demo: Path) -> None:
    app = make_app(drifted_demo)
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await open_drift(pilot)
        assert app.environment == "test"  # the app starts on test: the first comparison is test's, clean
        assert rows(screen, "drift-kinds")[0] == ["角色", "0", "0", "0", "0"]

        screen.comparison = None
        await pilot.press("c")
        dialog = await wait_for_screen(pilot, CompareChoiceDialog)
        await pilot.press("down", "enter")  # test, prod, then the pairs: prod against the baseline
        await wait_until(pilot, lambda: screen.ready and screen.compared is not None
                         and screen.compared.comparison.target == "prod", "prod compared")
        assert dialog not in app.screen_stack
        assert app.environment == "prod" and app.production  # the banner follows the target
        assert "prod 与 baselines/baseline.yaml（版本 hq-1）不一致：共 3 处，高 1、中 1、低 1" in activity(screen)
        kinds = {r[0]: r[1:] for r in rows(screen, "drift-kinds")}
        assert kinds == {"角色": ["0", "0", "0", "0"], "权限": ["1", "0", "0", "1"], "字典": ["0", "0", "0", "0"],
                         "字典项": ["0", "1", "1", "2"], "岗位": ["0", "0", "0", "0"]}

        await highlight(pilot, screen, "dict_item/gov_review_level/3")
        assert [r[1:] for r in rows(screen, "drift-items")] == [["中", "多出", "dict_item/gov_channel/hotline"],
                                                                ["低", "不同", "dict_item/gov_review_level/3"]]
        assert headers(screen, "drift-sides") == ["字段", "基线", "test", "prod ◀"]
        sides = {r[0]: r[1:] for r in rows(screen, "drift-sides")}
        assert sides["标签"] == ["基本满意", "基本满意", "一般"]
        assert sides["排序"] == ["3", "3", "3"]
        table = screen.query_one("#drift-sides", DataTable)
        label, order = table.get_row("label"), table.get_row("order")
        assert "yellow" in str(label[0].style) and "yellow" not in str(order[0].style)  # the differing field

        await highlight(pilot, screen, "dict_item/gov_channel/hotline")
        sides = {r[0]: r[1:] for r in rows(screen, "drift-sides")}
        assert sides["标签"] == ["（无）", "（无）", "12345热线"]  # added on site, in prod only

        await pilot.press("s")  # high only: the dictionary items are medium and low
        assert rows(screen, "drift-items")[0][3] == "此类没有差异"
        await pilot.press("s", "s", "s")  # back to all
        assert len(screen.shown) == 2
        await highlight(pilot, screen, "dict_item/gov_channel/hotline")

        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: headers(screen, "drift-sides")[:2] == ["Field", "baseline"], "English")
        assert {r[0]: r[1:] for r in rows(screen, "drift-sides")}["label"] == ["(none)", "(none)", "12345热线"]


@pytest.mark.anyio
async def test_a_fix_is_picked_its_sql_shown_and_production_asks_for_its_name(drifted_demo: Path) -> None:
    app = make_app(drifted_demo)
    async with app.run_test(size=(140, 44)) as pilot:
        await wait_opened(pilot)
        app.environment = "prod"
        screen = await open_drift(pilot)
        assert screen.comparison is not None and screen.comparison.target == "prod"

        await pilot.press("f")  # nothing picked yet: said, nothing asked
        assert isinstance(app.screen, DriftScreen) and screen.ready

        await highlight(pilot, screen, "permission/approver/affair:case:approve")
        await pilot.press("space")
        assert screen.picked == {"permission/approver/affair:case:approve"}
        assert rows(screen, "drift-items")[0][0] == "✓"
        await pilot.press("v")
        assert screen.query_one(TabbedContent).active == "tab-sql"
        sql = str(screen.query_one("#drift-sql", Static).render())
        assert "1 处差异，1 条语句" in sql
        assert "INSERT INTO sys_role_menu (role_id, menu_id) SELECT r.role_id, m.menu_id FROM sys_role r, " in sql
        assert "WHERE r.role_key = :key AND r.del_flag = '0' AND m.menu_id IN (:m0);" in sql
        assert ":key = 'approver'" in sql and "'approver'" not in sql.split("\n")[1]  # a parameter, not in the text

        await pilot.press("k", "k", "a")  # every item of the dictionary items, then undone
        assert len(screen.picked) == 3
        await pilot.press("a")
        assert screen.picked == {"permission/approver/affair:case:approve"}

        await pilot.press("f")
        # The demo keeps no backup: the fresh-backup gate refuses before anything is asked, a
        # refusal, not a failure.
        await wait_until(pilot, lambda: screen.ready and "⛔" in activity(screen), "the gate's refusal")
        assert "已拒绝" in activity(screen) and "没有 2 小时内经过校验的备份" in activity(screen), activity(screen)
        assert "no verified backup" not in activity(screen)  # the refusal in the screen's language
        assert isinstance(app.screen, DriftScreen)  # no dialog, no name typed for nothing
        assert screen.picked == {"permission/approver/affair:case:approve"}  # kept, to try again

        backed_up = subprocess.run([sys.executable, "-m", "launchpad", "backup", "--env", "prod", "users"],
                                   cwd=drifted_demo, capture_output=True, text=True, timeout=120, check=False)
        assert backed_up.returncode == 0, backed_up.stderr
        await production_question(pilot, "f", "在 prod 上修正 1 处差异？",
                                  "数据库的备份 1 已在 2 小时内校验，出问题时从它恢复。")
        for _ in range(4):
            await pilot.press("backspace")
        await type_line(pilot, "prod")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.ready and screen.last_fix is not None
                         and "剩余 2 处" in activity(screen), "the fix and the re-diff")
        assert "✓ 修正 1：已修正 1 处" in activity(screen)
        assert {r[0]: r[-1] for r in rows(screen, "drift-kinds")}["权限"] == "0"  # compared again
        assert screen.picked == set()

    with sqlite3.connect(drifted_demo / "data" / "prod-users.db") as db:
        granted = db.execute("SELECT COUNT(*) FROM sys_role_menu rm JOIN sys_role r ON r.role_id = rm.role_id "
                             "JOIN sys_menu m ON m.menu_id = rm.menu_id WHERE r.role_key = 'approver' "
                             "AND m.perms = 'affair:case:approve'").fetchone()[0]
    assert granted == 1
    assert app.session is not None
    app.session.close()
    with Store.open(drifted_demo / ".launchpad" / "launchpad.db") as store:
        fixes = list(store.db.query("SELECT status, remaining FROM baseline_fixes"))
        actions = [r["action"] for r in store.db.query("SELECT action FROM audit ORDER BY id")]
    assert fixes == [{"status": "applied", "remaining": 2}]
    refused = actions.index("baseline_fix_gate_refused")  # first refused, asking nothing; then passed and applied
    assert "baseline_fix_confirmed" not in actions[:refused]
    passed = actions.index("baseline_fix_gate_passed")
    assert refused < passed < actions.index("baseline_fix_confirmed") < actions.index("baseline_fix_applied")


@pytest.mark.anyio
async def test_two_environments_compared_and_the_report_written(drifted_demo: Path) -> None:
    app = make_app(drifted_demo, "en")
    async with app.run_test(size=(140, 44)) as pilot:
        screen = await open_drift(pilot)
        await pilot.press("c")
        await wait_for_screen(pilot, CompareChoiceDialog)
        await pilot.press("down", "down", "enter")  # from test against the baseline to prod against test
        await wait_until(pilot, lambda: screen.ready and screen.compared is not None
                         and screen.compared.comparison.against == "test", "prod against test")
        assert "prod differs from test" in activity(screen)
        assert {r[0]: r[-1] for r in rows(screen, "drift-kinds")}["permission"] == "1"
        await pilot.press("w")
        await wait_until(pilot, lambda: screen.ready and "Report written" in activity(screen), "the report")

        # test against prod: a test environment asks Yes/No (once its backup passed the gate),
        # and No writes nothing.
        backed_up = subprocess.run([sys.executable, "-m", "launchpad", "backup", "--env", "test", "users"],
                                   cwd=drifted_demo, capture_output=True, text=True, timeout=120, check=False)
        assert backed_up.returncode == 0, backed_up.stderr
        await pilot.press("c")
        await wait_for_screen(pilot, CompareChoiceDialog)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: screen.ready and screen.compared is not None
                         and screen.compared.comparison.target == "test", "test against prod")
        assert not app.production
        await highlight(pilot, screen, "permission/approver/affair:case:approve")
        assert rows(screen, "drift-items")[0][2] == "extra"  # test holds the grant prod lost
        await pilot.press("space", "f")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert "Fix 1 difference(s) on test?" in dialog.dialog_title
        assert "permission/approver/affair:case:approve" in str(dialog.body)
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.ready and "Cancelled" in activity(screen), "the no")
    written = sorted(p.name for p in (drifted_demo / "reports").iterdir() if p.name.startswith("baseline-prod"))
    assert [Path(n).suffix for n in written] == [".md", ".xlsx"]
    text = (drifted_demo / "reports" / written[0]).read_text(encoding="utf-8")
    assert "基本满意 → 一般" in text and "12345热线" in text  # the site's language: the client reads it
    with Store.open(drifted_demo / ".launchpad" / "launchpad.db") as store:
        actions = [r["action"] for r in store.db.query("SELECT action FROM audit ORDER BY id")]
    assert "baseline_report_written" in actions and "baseline_fix_declined" in actions
    assert "baseline_fix_confirmed" not in actions


@pytest.mark.anyio
async def test_the_palette_opens_it_and_a_missing_baseline_says_what_to_do(tmp_path: Path) -> None:
    from launchpad.demo import build_demo
    from screens.dialogs.error import ErrorDialog

    root = build_demo(tmp_path / "demo")
    (root / "baselines" / "baseline.yaml").unlink()  # as on a site where none was exported yet
    app = make_app(root, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"drift")
        await pilot.press("enter")
        error = await wait_for_screen(pilot, ErrorDialog)
        [screen] = [s for s in app.screen_stack if isinstance(s, DriftScreen)]
        assert screen.ready and screen.compared is None
        assert "✗" in activity(screen) and "holds no baseline" in activity(screen)
        assert "launchpad baseline export" in str(error.body)  # the way out, not a traceback
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, "the error closed")
        await pilot.press("c")
        await wait_for_screen(pilot, CompareChoiceDialog)
        await pilot.press("down", "down", "enter")  # two environments need no baseline
        await wait_until(pilot, lambda: screen.ready and screen.compared is not None, "prod against test")
        assert headers(screen, "drift-sides")[1:] == ["test", "prod ◀"]  # no baseline column
        assert screen.compared is not None and len(screen.compared.drift.differences) == 3


@pytest.mark.anyio
@pytest.mark.parametrize(("language", "report_key"), [("zh", "w导出报告"), ("en", "wreport")])
async def test_at_80_columns_the_line_of_keys_is_read_whole(drifted_demo: Path, language: str,
                                                            report_key: str) -> None:
    app = make_app(drifted_demo, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        app.environment = "prod"
        screen = await open_drift(pilot)
        await highlight(pilot, screen, "dict_item/gov_review_level/3")
        await pilot.press("space", "s", "s")  # a pick and the longest severity filter
        drawn = shown(screen.query_one("#drift-bar", Static))
        assert report_key in drawn and "…" not in drawn, drawn


@pytest.mark.anyio
@pytest.mark.parametrize("language", LANGUAGES)
async def test_at_80_columns_the_table_of_kinds_is_drawn_whole(drifted_demo: Path, language: str) -> None:
    """Every column (the three severities and the total) and every kind's name, in its box."""
    app = make_app(drifted_demo, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        app.environment = "prod"
        screen = await open_drift(pilot)
        # The first box on each line is the table of kinds: `│ Kind  high  med  low  All ││ …`.
        boxed = [line.split("│")[1].split() for line in drawn_lines(app) if line.count("│") >= 2]
        kinds_table = [headers(screen, "drift-kinds"), *rows(screen, "drift-kinds")]
        expected = [[*cells[0].split(), *cells[1:]] for cells in kinds_table]
        assert boxed[:len(expected)] == expected, boxed


LONG_ID = "permission/approver/affair:case:approve"  # the demo's, wider than its column at 80


def items_box(app: LaunchpadApp) -> str:
    """What the items table's box (the second on its lines) draws, blanks removed."""
    return "".join("".join(line.split("│")[3].split()) for line in drawn_lines(app) if line.count("│") >= 4)


@pytest.mark.anyio
@pytest.mark.parametrize("language", LANGUAGES)
async def test_at_80_columns_a_long_id_is_wrapped_whole_in_its_column(drifted_demo: Path, language: str) -> None:
    app = make_app(drifted_demo, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        app.environment = "prod"
        screen = await open_drift(pilot)
        await highlight(pilot, screen, LONG_ID)
        assert LONG_ID in items_box(app), drawn_lines(app)
        table = screen.query_one("#drift-items", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # nothing past the edge


@pytest.mark.anyio
async def test_a_terminal_made_narrower_wraps_the_long_id_again(drifted_demo: Path) -> None:
    app = make_app(drifted_demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_opened(pilot)
        app.environment = "prod"
        screen = await open_drift(pilot)
        await highlight(pilot, screen, LONG_ID)
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: LONG_ID in items_box(app), "the id wrapped to the new width")
        assert screen._highlighted() is not None and screen._highlighted().id == LONG_ID  # type: ignore[union-attr]


def test_a_wrapped_id_breaks_after_its_separators_and_measures_chinese_as_two_cells() -> None:
    from launchpad.linebreak import columns
    from screens.widgets.id_column import wrapped_id

    assert wrapped_id(LONG_ID, 20).plain.split("\n") == ["permission/approver/", "affair:case:approve"]
    assert wrapped_id(LONG_ID, None).plain == LONG_ID and wrapped_id(LONG_ID, 60).plain == LONG_ID
    chinese = "dict_item/gov_channel/市民服务热线一二三四五六"
    lines = wrapped_id(chinese, 12).plain.split("\n")
    assert "".join(lines) == chinese and all(columns(line) <= 12 for line in lines), lines
    assert lines[-2:] == ["市民服务热线", "一二三四五六"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES)
def test_drift_screen(snap_compare: Any, drifted_demo: Path, size: tuple[int, int], language: str) -> None:
    app = make_app(drifted_demo, language)

    async def ready(pilot: Any) -> None:
        await wait_opened(pilot)
        app.environment = "prod"
        screen = await open_drift(pilot)
        await highlight(pilot, screen, "dict_item/gov_review_level/3")
        await pilot.press("space")

    assert snap_compare(app, terminal_size=size, run_before=ready)


# -- against real databases ---------------------------------------------------------------------


@pytest.fixture
def lab(tmp_path: Path, sshd_lab: SshLab, ssh_hosts: list[SshdHost],  # noqa: F811
        mariadb_server: MariaDbServer, postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> RuoYiLab:
    sshd_lab.write_user_ssh_config()
    monkeypatch.setenv("LP_TEST_DB_PW", PASSWORD)
    made = RuoYiLab(tmp_path / "ws", ssh_hosts[0], mariadb_server, postgres_server)
    add_baseline_tables(made)
    return made


@pytest.mark.integration
@pytest.mark.anyio
async def test_production_fixed_from_the_screen_and_compared_again(lab: RuoYiLab) -> None:
    export(lab, "prod")
    run_sql(lab, "prod", "DELETE FROM sys_role_menu WHERE role_id = 3 AND menu_id = 1001")
    run_sql(lab, "prod", "UPDATE sys_dict_data SET dict_label = '女性' WHERE dict_type = 'sys_user_sex' "
                         "AND dict_value = '1'")
    assert launchpad(lab, "backup", "--env", "prod", "app").returncode == 0

    app = make_app(lab.root)
    async with app.run_test(size=(140, 44)) as pilot:
        await wait_opened(pilot)
        app.environment = "prod"
        screen = await open_drift(pilot, timeout=120)
        assert screen.compared is not None and len(screen.compared.drift.differences) == 2
        assert headers(screen, "drift-sides")[:2] == ["字段", "基线"] and "prod ◀" in headers(screen, "drift-sides")
        await highlight(pilot, screen, "permission/leader/system:user:add")
        await pilot.press("space", "k", "k", "a")  # the grant, then every dictionary item
        assert screen.picked == {"permission/leader/system:user:add", "dict_item/sys_user_sex/1"}
        await pilot.press("f")
        await wait_for_screen(pilot, TypeNameDialog, timeout=120)
        await type_line(pilot, "prod")
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.ready and screen.last_fix is not None
                         and "剩余 0 处" in activity(screen), "the fix and the re-diff", timeout=180)
        assert "✓ 修正 1：已修正 2 处" in activity(screen)
        assert "prod 与 baselines/baseline.yaml（版本 hq-1）一致" in activity(screen)
        assert all(r[-1] == "0" for r in rows(screen, "drift-kinds"))
    assert lab.sql("prod", "SELECT dict_label FROM sys_dict_data WHERE dict_type = 'sys_user_sex' "
                           "AND dict_value = '1'") == [["女"]]
    with Store.open(lab.workspace.store_path) as store:
        fixes = list(store.db.query("SELECT status, remaining FROM baseline_fixes"))
        actions = [r["action"] for r in store.db.query("SELECT action FROM audit")]
    assert fixes == [{"status": "applied", "remaining": 0}]
    assert {"baseline_fix_confirmed", "baseline_fix_gate_passed", "baseline_fix_applied"} <= set(actions)


@pytest.mark.parametrize(("language", "said"), [
    ("zh", "✗ 无法修正：web1 没有 a:add 对应的菜单"),
    ("en", "✗ cannot fix: web1 has no menu for a:add"),
])
def test_a_failure_on_the_drift_screen_reads_in_the_uis_language(language: str, said: str) -> None:
    from launchpad.baseline.fix import Unfixable
    from launchpad.phrases import phrase
    from screens.drift import _failed
    from screens.support import i18n

    i18n.set_language(language)
    try:
        shown = _failed(Unfixable(phrase("error.fix_target_no_menu", target="web1", permission="a:add")))
    finally:
        i18n.set_language("zh")
    assert shown == said


@pytest.mark.parametrize(("language", "more", "backup"), [
    ("zh", "  … 另有 2 项", "数据库的备份 7 已在 2 小时内校验，出问题时从它恢复。"),
    ("en", "  … 2 more", "Backup 7 of the database, verified within 2 hours, is the one to restore from."),
], ids=["zh", "en"])
def test_the_fix_confirmation_counts_the_differences_it_leaves_out_in_the_uis_language(
        language: str, more: str, backup: str) -> None:
    from types import SimpleNamespace

    from screens.drift import confirm_detail
    from screens.support import i18n

    prepared = SimpleNamespace(chosen=[SimpleNamespace(id=f"role/r{n}") for n in range(12)], statements=["x"] * 12)
    i18n.set_language(language)
    try:
        shown = confirm_detail(prepared, 7).splitlines()
    finally:
        i18n.set_language("zh")
    assert shown[1:] == [f"  role/r{n}" for n in range(10)] + [more, backup]
