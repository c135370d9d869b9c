"""An approval gate's form: the signed form's number and the approver, both required; Escape
records nothing and the gate refuses."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Button, Input, Label

from launchpad.run.prompter import Approval, ApprovalRequest
from screens.dialogs.base import BaseDialog
from screens.support.i18n import t


class ApprovalDialog(BaseDialog[Approval | None]):
    def __init__(self, request: ApprovalRequest) -> None:
        super().__init__(t("approval.title", step=request.title), request.description, danger=True)

    def compose_fields(self) -> ComposeResult:
        yield Label(t("approval.form"))
        yield Input(id="form-number")
        yield Label(t("approval.approver"))
        yield Input(id="approver")

    def buttons(self) -> list[Button]:
        return [Button(t("approval.record"), id="go", variant="primary"), Button(t("dlg.cancel"), id="cancel")]

    def first_focus(self) -> Widget | None:
        return self.query_one("#form-number", Input)

    def answer(self, button_id: str) -> None:
        if button_id != "go":
            self.dismiss(None)
            return
        form = self.query_one("#form-number", Input).value.strip()
        approver = self.query_one("#approver", Input).value.strip()
        if not form or not approver:
            self.say_problem(t("reason.need"))
            return
        self.dismiss(Approval(form, approver))
