"""Production's guard: the person types the environment's name before anything runs there.

A wrong name is refused inside the dialog (it stays open and says so) and never reaches the
engine as consent; Escape answers "" which the engine treats as "not confirmed".
"""

from __future__ import annotations

from textual.widgets import Button, Input

from screens.dialogs.base import OneLineDialog
from screens.support.i18n import t


class TypeNameDialog(OneLineDialog):
    def __init__(self, step_title: str, environment: str, detail: str = "", *, body: str = "") -> None:
        body = (body or t("prod.body", env=environment)) + (f"\n\n{detail}" if detail else "")
        super().__init__(t("prod.title", step=step_title), body, danger=True)
        self.environment = environment

    def text_field(self) -> Input:
        return Input(placeholder=t("prod.placeholder"), id="typed-name")

    def buttons(self) -> list[Button]:
        return [Button(t("prod.go"), id="go", variant="error"), Button(t("dlg.cancel"), id="cancel")]

    def accept(self, text: str) -> None:
        typed = text.strip()
        if typed != self.environment:
            self.say_problem(t("prod.mismatch", env=self.environment))
            return
        self.dismiss(typed)
