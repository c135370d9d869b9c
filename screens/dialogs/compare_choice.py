"""What the drift screen compares: an environment against the baseline, or one environment
against another. One list, arrows and Enter; Escape keeps the comparison shown."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from screens.dialogs.base import BaseDialog
from screens.support.i18n import t


class CompareChoiceDialog(BaseDialog[Any]):
    def __init__(self, choices: list[Any], current: Any) -> None:
        super().__init__(t("drift.choose_title"), danger=False)
        self.choices = choices
        self.current = current

    def compose_fields(self) -> ComposeResult:
        options = []
        for index, choice in enumerate(self.choices):
            if choice.against is None:
                words = t("drift.against_baseline", env=choice.target)
            else:
                words = t("drift.against_env", env=choice.target, other=choice.against)
            options.append(Option(Text(words), id=str(index)))  # environment names stay text
        listed = OptionList(*options, id="compare-choices")
        if self.current in self.choices:
            listed.highlighted = self.choices.index(self.current)
        yield listed

    def buttons(self) -> list[Button]:
        return [Button(t("dlg.cancel"), id="cancel")]

    def first_focus(self) -> Widget | None:
        return self.query_one(OptionList)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.choices[int(event.option.id or 0)])
