"""Giving up an unfinished import (`d` on the import screen): what abandoning deletes is said,
and the person types the import's id, as `launchpad users abandon ID` asks for it at a terminal.

What was typed goes to the core unchanged (users/abandon.py): it decides whether it is the id,
and a wrong one is refused and audited there, as on the command line. An empty line is asked
again here; Escape or Cancel answer "", which abandons nothing.
"""

from __future__ import annotations

from textual.widgets import Button, Input

from screens.dialogs.base import OneLineDialog
from screens.support.i18n import t


class AbandonImportDialog(OneLineDialog):
    def __init__(self, import_id: int, body: str) -> None:
        super().__init__(t("ui.abandon_title", id=import_id), body, danger=True)

    def text_field(self) -> Input:
        return Input(placeholder=t("ui.abandon_placeholder"), id="typed-id")

    def buttons(self) -> list[Button]:
        return [Button(t("ui.abandon_go"), id="go", variant="error"), Button(t("dlg.cancel"), id="cancel")]

    def accept(self, text: str) -> None:
        if not text.strip():
            self.say_problem(t("ui.abandon_need_id"))
            return
        self.dismiss(text.strip())
