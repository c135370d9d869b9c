"""A person's keymap is applied only when every id in it exists and no two actions on one
screen end up on the same key; otherwise the app says why, in red, and keeps its own keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.binding import Binding

from screens.app import LaunchpadApp
from screens.playbooks import PlaybooksScreen
from screens.support.keymap import KEYMAP_FILE
from tests.ui.conftest import FIXED_NOW
from tests.ui.helpers import wait_for_screen, wait_opened

pytestmark = pytest.mark.anyio


def write_keymap(text: str) -> None:
    path = KEYMAP_FILE.expanduser()  # under the tests' own HOME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def recording_app(ui_workspace: Path) -> tuple[LaunchpadApp, list[dict[str, Any]]]:
    app = LaunchpadApp(ui_workspace, watch_hosts=False, now=lambda: FIXED_NOW, language="en")
    said: list[dict[str, Any]] = []
    plain_notify = app.notify

    def notify(message: str, **options: Any) -> None:
        said.append({"message": message, **options})
        plain_notify(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    return app, said


async def test_a_keymap_with_an_unknown_id_and_a_conflict_is_refused_loudly(ui_workspace: Path) -> None:
    write_keymap("run.skp: k\ndashboard.playbooks: h\n")
    app, said = recording_app(ui_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        refused = [s for s in said if s.get("severity") == "error"]
        assert len(refused) == 1, said
        assert "was not applied" in refused[0]["message"]
        assert "unknown binding id 'run.skp' (did you mean run.skip?)" in refused[0]["message"]
        assert "h would be both dashboard.hosts and dashboard.playbooks" in refused[0]["message"]
        await pilot.press("p")  # the app's own keys stay
        await wait_for_screen(pilot, PlaybooksScreen)


async def test_a_sound_keymap_is_applied(ui_workspace: Path) -> None:
    write_keymap("dashboard.playbooks: k\n")
    app, said = recording_app(ui_workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_opened(pilot)
        assert not [s for s in said if s.get("severity") == "error"]
        await pilot.press("k")
        await wait_for_screen(pilot, PlaybooksScreen)


def test_the_apps_own_keys_pass_the_check() -> None:
    from screens.support.i18n import set_language
    from screens.support.keymap import binding_scopes, check_keymap

    set_language("en")
    scopes = binding_scopes(LaunchpadApp)
    assert {"RunScreen", "DashboardScreen", "LaunchpadApp"} <= set(scopes)
    assert check_keymap({}, scopes) == []
    assert check_keymap({"run.skip": "k"}, scopes) == []
    assert check_keymap({"run.skip": "n"}, scopes) == ["n would be both run.next and run.skip"]


def test_every_key_of_the_widgets_the_screens_focus_has_its_words() -> None:
    """`?` lists the focused widget's own keys under 移动与编辑 by Textual's English description:
    each one the screens can have focused when `?` is pressed has its words in the word-book."""
    from textual.containers import VerticalScroll
    from textual.widgets import Button, Checkbox, DataTable, Log, OptionList, Select, SelectionList, Tabs, Tree
    from textual.widgets._select import SelectOverlay

    from launchpad.phrases import CATALOG

    described = {binding.description for widget in (Button, Checkbox, DataTable, Log, OptionList, Select,
                                                     SelectOverlay, SelectionList, Tabs, Tree, VerticalScroll)
                 for klass in widget.__mro__ for binding in Binding.make_bindings(klass.__dict__.get("BINDINGS", []))
                 if binding.description}
    assert described, "Textual's widgets describe their keys"
    assert sorted(d for d in described if f"nav.{d}" not in CATALOG) == []
