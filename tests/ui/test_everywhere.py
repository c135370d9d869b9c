"""What works on every screen: the command palette reaches every action by its "area: action"
name, `?` lists the keys with the ids users remap, errors come as a dialog whose text can be
copied, and approvals record the form and the approver."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.errors import UsageError
from launchpad.store.db import Store
from screens.app import LaunchpadApp
from screens.dialogs.approval import ApprovalDialog
from screens.dialogs.error import ErrorDialog
from screens.help import HelpScreen
from screens.playbooks import PlaybooksScreen
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import help_text, run_screen, wait_for_screen, wait_opened, wait_run_ended, wait_until

pytestmark = pytest.mark.anyio


async def test_the_palette_finds_actions_by_area_and_action(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"hosts: check", "enter")
        await wait_until(pilot, lambda: len(app.host_health) == 2, "host checks from the palette")
        assert all(h.reachable for health in app.host_health.values() for h in health)
        await pilot.press("ctrl+p")
        await pilot.press(*"操作手册：选择", "enter")  # the Chinese title finds it too
        await wait_for_screen(pilot, PlaybooksScreen)


async def test_help_lists_keys_with_their_binding_ids(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        text = await help_text(pilot)
        assert all(binding_id in text for binding_id in ("dashboard.playbooks", "dashboard.hosts", "app.quit"))
        assert "Playbooks" in text and "keymap.yaml" in text
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), "help closed")


async def test_errors_come_as_a_dialog_with_a_copy_key(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language="en")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        app.show_error(UsageError("no playbook named 'x'", hint="known playbooks: danger"))
        await wait_for_screen(pilot, ErrorDialog)
        await pilot.press("c")
        assert "no playbook named 'x'" in app.clipboard and "known playbooks" in app.clipboard
        await pilot.press("escape")


async def test_an_approval_records_form_and_approver(ui_workspace: Path) -> None:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        screen = run_screen(ui_workspace, "approval", "test")
        app.push_screen(screen)
        dialog = await wait_for_screen(pilot, ApprovalDialog)
        await pilot.press(*"BG-2024-017", "enter")
        await pilot.press("enter")  # no approver yet: refused in place
        assert app.screen is dialog
        await pilot.press(*"李四", "enter")
        await wait_run_ended(pilot, screen)
        assert screen.result_status == "passed"
        with Store.open(ui_workspace / ".launchpad" / "launchpad.db") as store:
            decision = store.decisions(screen.run_id)[0]
        assert decision["kind"] == "approved" and decision["detail"]["form_number"] == "BG-2024-017"


async def test_a_production_only_site_opens_under_the_banner(tmp_path: Path) -> None:
    from tests.workspaces import write_workspace

    site = "site: {name: 生产, client: 客户}\nenvironments:\n  live: {production: true, transport: local}\n"
    root = write_workspace(tmp_path / "ws", site)
    app = LaunchpadApp(root, watch_hosts=False, language="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await pilot.pause()
        banner = app.screen.query_one("ProductionBanner")
        assert app.environment == "live" and banner.has_class("-production")
        assert "PRODUCTION · live" in str(banner.render())
        assert app.has_class("-production"), "the header turns red too"


@pytest.mark.parametrize("language", ["en", "zh"])
async def test_at_80_columns_the_footer_leads_with_help_and_fits_the_dashboards_keys(
    ui_workspace: Path, language: str
) -> None:
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        assert footer.compact and not footer.show_command_palette
        keys = list(footer.query(FooterKey))
        assert keys[0].key == "question_mark"
        assert {"p", "h", "e", "i", "c", "d"} <= {key.key for key in keys}
        assert max(key.region.right for key in keys) <= 80  # nothing cut off
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        assert not footer.compact and footer.show_command_palette


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize(("key", "screen_name"), [("i", "IssuesScreen"), ("d", "ReportScreen"),
                                                  ("ctrl+g", "GoliveScreen")])
async def test_at_80_columns_every_footer_key_fits_down_to_back(
    issues_workspace: Path, language: str, key: str, screen_name: str
) -> None:
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    from launchpad.golive.checklist import CHECKLIST_FILE
    from tests.ui.test_snapshots import CHECKLIST

    (issues_workspace / CHECKLIST_FILE).write_text(CHECKLIST, encoding="utf-8")
    app = LaunchpadApp(issues_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language=language)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_opened(pilot)
        await pilot.press(key)
        await wait_until(pilot, lambda: type(app.screen).__name__ == screen_name, screen_name)
        await pilot.pause()
        keys = list(app.screen.query_one(Footer).query(FooterKey))
        assert keys[-1].key == "escape"
        cut = [f"{k.key} {k.description}" for k in keys if k.region.right > 80 or k.region.width < k.get_content_width(
            k.size, k.size)]
        assert not cut, f"cut at 80 columns: {cut}"
