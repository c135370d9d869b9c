"""A required line of text: the reason to skip a step, to override a refused gate, or a
variable's value. Empty is refused for reasons, because a skip without a reason is exactly the
"positive but useless" record launchpad exists to prevent."""

from __future__ import annotations

from textual.widgets import Button, Input

from screens.dialogs.base import OneLineDialog
from screens.support.i18n import t


class ReasonDialog(OneLineDialog):
    def __init__(
        self,
        title: str,
        body: str,
        *,
        go_label: str,
        cancel_label: str = "",
        value: str = "",
        required: bool = True,
        danger: bool = True,
    ) -> None:
        super().__init__(title, body, danger=danger)
        self.go_label = go_label
        self.cancel_label = cancel_label or t("dlg.cancel")
        self.value = value
        self.required = required

    def text_field(self) -> Input:
        return Input(value=self.value, placeholder=t("reason.placeholder"), id="reason")

    def buttons(self) -> list[Button]:
        return [
            Button(self.go_label, id="go", variant="warning" if self.danger else "primary"),
            Button(self.cancel_label, id="cancel"),
        ]

    def accept(self, text: str) -> None:
        text = text.strip()
        if self.required and not text:
            self.say_problem(t("reason.need"))
            return
        self.dismiss(text)
