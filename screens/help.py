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
from screens.i18n import t
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
        table = Table(title=t("help.title"), expand=True, show_edge=False, caption=t("help.remap"))
        table.add_column("", style="bold cyan", no_wrap=True)
        table.add_column("")
        table.add_column(t("help.id"), style="dim", no_wrap=True)
        seen = set()
        for key, active in self.beneath.active_bindings.items():
            binding = active.binding
            if binding.system or (binding.action, binding.id) in seen:
                continue
            seen.add((binding.action, binding.id))
            shown = binding.key_display or self.app.get_key_display(binding)
            table.add_row(shown or key, Text(binding.description or binding.action), binding.id or "")
        return table
