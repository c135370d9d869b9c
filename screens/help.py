"""`?`: the keys of the screen underneath, with their binding ids, so a person can find a key
and remap it (~/.config/launchpad/keymap.yaml maps binding ids to keys)."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from screens.base import LaunchpadModal
from screens.support.i18n import t
from screens.widgets.production_banner import ProductionBanner


class HelpScreen(LaunchpadModal):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "dlg.close", id="help.close"),
        Binding("question_mark", "app.pop_screen", "dlg.close", key_display="?", id="help.close_again"),
    ]

    def __init__(self, beneath: Screen[Any]) -> None:
        super().__init__()
        self.beneath = beneath

    def compose(self) -> ComposeResult:
        yield ProductionBanner()
        with VerticalScroll(id="help"):
            yield Static(self.key_table())

    def key_table(self) -> Table:
        """launchpad's keys for this screen (each with its id, for the keymap) first, then the
        keys the focused widget has of its own (moving in a table, editing a field)."""
        table = Table(title=t("help.title"), expand=True, show_edge=False, caption=t("help.remap"))
        table.add_column("", style="bold cyan", no_wrap=True)
        table.add_column("")
        table.add_column(t("help.id"), style="dim", no_wrap=True)
        ours, widgets = [], []
        seen = set()
        for key, active in self.beneath.active_bindings.items():
            binding = active.binding
            if binding.system or (binding.action, binding.id) in seen:
                continue
            seen.add((binding.action, binding.id))
            shown = binding.key_display or self.app.get_key_display(binding) or key
            if binding.id:
                ours.append((shown, Text(binding.description or binding.action), binding.id))
            else:
                widgets.append((shown, Text(_widget_key(binding.description or binding.action), style="dim"), ""))
        for row in ours:
            table.add_row(*row)
        if widgets:
            table.add_section()
            table.add_row("", Text(t("help.moving"), style="bold"), "")
            for row in widgets:
                table.add_row(*row)
        return table


def _widget_key(description: str) -> str:
    """Textual's description of one of its widgets' keys, in the UI's language where known."""
    translated = t(f"nav.{description}")
    return description if translated == f"nav.{description}" else translated
