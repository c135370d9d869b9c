"""Moving an issue along its workflow from the keyboard: `s` lists only the statuses the
workflow allows from where the issue is (a digit or the arrows and Enter choose), then asks for
what the move needs — an owner and a due date to leave `new`, the resolution the client will
read when it is resolved. The log checks the same rules again when it writes."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from launchpad.errors import LaunchpadError
from launchpad.issues.dates import parse_day
from launchpad.issues.display import field_label, value_label
from launchpad.issues.model import RESOLVED_STATUSES, Issue
from launchpad.issues.owners import owner_named
from launchpad.issues.workflow import TRANSITIONS
from launchpad.session import Session
from screens.dialogs.base import BaseDialog
from screens.support.i18n import current_language, error_says, said, t


class StatusDialog(BaseDialog[str | None]):
    def __init__(self, issue: Issue) -> None:
        lang = current_language()
        super().__init__(t("move.title", id=issue.id, title=issue.title),
                         t("move.now", status=value_label(issue.status, lang)))
        self.targets = TRANSITIONS[issue.status]

    def compose_fields(self) -> ComposeResult:
        lang = current_language()
        options = [Option(f"{n}  {value_label(code, lang)}", id=code) for n, code in enumerate(self.targets, 1)]
        yield OptionList(*options, id="status-targets")

    def buttons(self) -> list[Button]:
        return [Button(t("dlg.cancel"), id="cancel")]

    def first_focus(self) -> Widget | None:
        return self.query_one("#status-targets", OptionList)

    def on_key(self, event: Any) -> None:
        if event.character and event.character.isdigit() and 1 <= int(event.character) <= len(self.targets):
            event.stop()
            self.dismiss(self.targets[int(event.character) - 1])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)


class StatusDetailsDialog(BaseDialog[dict[str, Any] | None]):
    """What a status change needs: owner and due to leave `new`, a resolution to resolve."""

    def __init__(self, session: Session, issue: Issue, target: str, *, ask_owner: bool) -> None:
        lang = current_language()
        body = t("move.needs_owner") if ask_owner else ""
        super().__init__(t("move.to", id=issue.id, status=value_label(target, lang)), body)
        self.session, self.issue, self.target, self.ask_owner = session, issue, target, ask_owner

    def compose_fields(self) -> ComposeResult:
        lang = current_language()
        if self.ask_owner:
            yield Label(field_label("owner", lang))
            yield Input(self.issue.owner, id="status-owner", compact=True)
            yield Label(field_label("due", lang))
            yield Input(self.issue.due or "", placeholder=t("form.day_hint"), id="status-due", compact=True)
        if self.target in RESOLVED_STATUSES:
            yield Label(field_label("resolution", lang))
            yield Input(self.issue.resolution, placeholder=t("move.resolution_hint"), id="status-resolution",
                        compact=True)
        yield Label(field_label("note", lang))
        yield Input(id="status-note", placeholder=t("form.note_hint"), compact=True)

    def buttons(self) -> list[Button]:
        return [Button(t("move.go"), id="go", variant="primary"), Button(t("dlg.cancel"), id="cancel")]

    def first_focus(self) -> Widget | None:
        return self.query(Input).first()

    def answer(self, button_id: str) -> None:
        if button_id != "go":
            self.dismiss(None)
            return
        changes: dict[str, Any] = {"status": self.target}
        if self.ask_owner:
            owner = self.query_one("#status-owner", Input).value.strip()
            due = self.query_one("#status-due", Input).value.strip()
            if not owner or not due:
                self.say_problem(t("move.need_owner_due"))
                self.query_one("#status-due" if owner else "#status-owner", Input).focus()
                return
            try:
                changes["due"] = parse_day(due, self.session.today())
            except LaunchpadError as error:
                self.say_problem(error_says(error))
                self.query_one("#status-due", Input).focus()
                return
            named = owner_named(self.session.people, owner)  # as `issue update --owner` reads it
            if named.warning is not None:
                self.app.notify(said(named.warning), severity="warning", timeout=10)
            changes["owner"] = named.name
        if self.target in RESOLVED_STATUSES:
            changes["resolution"] = self.query_one("#status-resolution", Input).value.strip()
        changes["note"] = self.query_one("#status-note", Input).value.strip()
        self.dismiss(changes)
