"""Yes or no, with No focused: plain confirmations, re-running an interrupted step, stopping a
run, quitting during a run."""

from __future__ import annotations

from textual.widgets import Button

from screens.dialogs.base import BaseDialog
from screens.support.i18n import t


class ConfirmDialog(BaseDialog[bool]):
    def __init__(self, title: str, body: str = "", *, yes_label: str = "", danger: bool = True) -> None:
        super().__init__(title, body, danger=danger)
        self.yes_label = yes_label or t("dlg.yes")

    def buttons(self) -> list[Button]:
        return [
            Button(self.yes_label, id="yes", variant="error" if self.danger else "primary"),
            Button(t("dlg.no"), id="no"),
        ]

    def safe_answer(self) -> bool:
        return False

    def answer(self, button_id: str) -> None:
        self.dismiss(button_id == "yes")
