"""A required line of text: the reason to skip a step, to override a refused gate, or a
variable's value. Empty is refused for reasons, because a skip without a reason is exactly the
"positive but useless" record launchpad exists to prevent."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Button, Input

from screens.dialogs.base import BaseDialog
from screens.i18n import t


class ReasonDialog(BaseDialog[str]):
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

    def compose_fields(self) -> ComposeResult:
        yield Input(value=self.value, placeholder=t("reason.placeholder"), id="reason")

    def buttons(self) -> list[Button]:
        return [
            Button(self.go_label, id="go", variant="warning" if self.danger else "primary"),
            Button(self.cancel_label, id="cancel"),
        ]

    def first_focus(self) -> Widget | None:
        return self.query_one("#reason", Input)

    def safe_answer(self) -> str:
        return ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.answer("go")

    def answer(self, button_id: str) -> None:
        if button_id != "go":
            self.dismiss("")
            return
        text = self.query_one("#reason", Input).value.strip()
        if self.required and not text:
            self.say_problem(t("reason.need"))
            return
        self.dismiss(text)
