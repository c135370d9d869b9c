"""A manual step's sign-off: the instructions, who signs, a note, evidence when the step asks
for it. Non-critical steps may be skipped with a reason; critical ones offer no skip at all,
and their sign-off needs a note saying what was checked.

Enter walks from field to field and only then to the Sign off button, so a reflexive Enter
never signs a step nobody read; Escape answers "not done", which fails the step safely.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from launchpad.run.prompter import SignOff, SignOffRequest
from screens.dialogs.base import BaseDialog
from screens.dialogs.reason import ReasonDialog
from screens.support.i18n import t


class SignOffDialog(BaseDialog[SignOff]):
    BINDINGS = [Binding("ctrl+s", "sign", "signoff.sign", id="signoff.sign")]

    def __init__(self, request: SignOffRequest, actor: str) -> None:
        super().__init__(t("signoff.title", step=request.title), request.instructions.strip())
        self.request = request
        self.actor = actor

    def compose_fields(self) -> ComposeResult:
        if self.request.critical:
            yield Static(Text(t("signoff.critical"), style="bold yellow"), id="critical-note")
        yield Label(t("signoff.by"))
        yield Input(value=self.actor, id="signed-by")
        yield Label(t("signoff.note"))
        yield Input(id="note")
        if self.request.evidence:
            yield Label(t("signoff.evidence"))
            yield Input(id="evidence")

    def buttons(self) -> list[Button]:
        found = [Button(t("signoff.sign"), id="sign", variant="success")]
        if not self.request.critical:
            found.append(Button(t("signoff.skip"), id="skip", variant="warning"))
        found.append(Button(t("signoff.not_done"), id="not-done"))
        return found

    def first_focus(self) -> Widget | None:
        return self.query_one("#note", Input)

    def safe_answer(self) -> SignOff:
        return SignOff(False)

    def last_field_entered(self) -> None:
        self.query_one("#sign", Button).focus()  # signing off is a deliberate press, not an Enter

    def action_sign(self) -> None:
        self.answer("sign")

    def answer(self, button_id: str) -> None:
        by = self.query_one("#signed-by", Input).value.strip()
        if button_id == "sign":
            if not by:
                self.say_problem(t("signoff.need_by"))
                return
            note = self.query_one("#note", Input).value.strip()
            if self.request.critical and not note:
                self.say_problem(t("signoff.need_note"))
                return
            evidence = self.query_one("#evidence", Input).value.strip() if self.request.evidence else ""
            self.dismiss(SignOff(True, by=by, note=note, evidence=evidence))
        elif button_id == "skip" and not self.request.critical:
            dialog = ReasonDialog(
                t("reason.skip_title", step=self.request.title), t("reason.skip_body"), go_label=t("reason.skip_go")
            )
            self.app.push_screen(dialog, callback=lambda reason: self._skipped(by, reason))
        else:
            self.dismiss(self.safe_answer())

    def _skipped(self, by: str, reason: str | None) -> None:
        if reason:
            self.dismiss(SignOff(False, by=by or self.actor, skip_reason=reason))
