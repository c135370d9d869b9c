"""An issue in full: to log one with every field, or to change one — title, severity, type,
module, owner, due, reporter, channel, when it was reported, description, and for an existing
issue its resolution, what fixed it, attachments and a note for the history.

Dates are typed as people say them (明天, 周五, 11-25, 昨天 18:30) and read by the core's own
parsers. The status is not here: it moves with `s` on the issues screen, where the workflow
asks for what it needs. Enter walks to the next field, Ctrl+S saves; whatever the log refuses
is said inside the dialog, which stays open with everything typed.
"""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, TextArea

from launchpad.errors import LaunchpadError
from launchpad.issues.dates import parse_day, parse_moment
from launchpad.issues.display import field_label, value_label
from launchpad.issues.model import CHANNELS, SEVERITIES, TYPES, Issue, IssueDraft
from launchpad.issues.owners import owner_named
from launchpad.session import Session
from launchpad.sitetime import local_text
from screens.dialogs.base import BaseDialog
from screens.dialogs.issue_filter import form_row
from screens.support.i18n import current_language, error_says, said, t
from screens.support.messages import IssueChanged, IssueWriteFailed

EDIT_ONLY = ("resolution", "fixed_in", "attachments", "note")


class IssueFormDialog(BaseDialog[Issue | None]):
    BINDINGS = [Binding("ctrl+s", "save", "form.save", id="issue_form.save")]

    def __init__(self, session: Session, issue: Issue | None) -> None:
        title = t("form.edit_title", id=issue.id) if issue is not None else t("form.new_title")
        super().__init__(title)
        self.session = session
        self.issue = issue

    # -- the form -----------------------------------------------------------------------------

    def compose_fields(self) -> ComposeResult:
        lang, issue = current_language(), self.issue
        current = self._current()
        with VerticalScroll(id="issue-form"):
            for name in ("title", "severity", "type", "module", "owner", "due", "reporter", "channel",
                         "reported_at"):
                yield form_row(field_label(name, lang), self._field(name, current[name]))
            yield Horizontal(Label(field_label("description", lang), classes="form-label"),
                             TextArea(current["description"], id="form-description", compact=True),
                             classes="form-row -tall")
            if issue is not None:
                for name in EDIT_ONLY:
                    yield form_row(field_label(name, lang), self._field(name, current[name]))

    def _current(self) -> dict[str, str]:
        issue, zone = self.issue, self.session.site.tz
        if issue is None:
            return {"title": "", "severity": "P2", "type": "defect", "module": "", "owner": "", "due": "",
                    "reporter": "", "channel": "group", "reported_at": "", "description": ""}
        return {"title": issue.title, "severity": issue.severity, "type": issue.type, "module": issue.module,
                "owner": issue.owner, "due": issue.due or "", "reporter": issue.reporter, "channel": issue.channel,
                "reported_at": local_text(issue.reported_at, zone), "description": issue.description,
                "resolution": issue.resolution, "fixed_in": issue.fixed_in,
                "attachments": ", ".join(issue.attachments), "note": ""}

    def _field(self, name: str, value: str) -> Widget:
        lang = current_language()
        coded = {"severity": SEVERITIES, "type": TYPES, "channel": CHANNELS}
        if name in coded:
            options = [(value_label(code, lang), code) for code in coded[name]]
            return Select(options, value=value, allow_blank=False, compact=True, id=f"form-{name}")
        hints = {"due": t("form.day_hint"), "reported_at": t("form.time_hint"), "attachments": t("form.files_hint"),
                 "note": t("form.note_hint")}
        return Input(value, placeholder=hints.get(name, ""), id=f"form-{name}", compact=True)

    def buttons(self) -> list[Button]:
        return [Button(t("form.save"), id="save", variant="primary"), Button(t("dlg.cancel"), id="cancel")]

    def first_focus(self) -> Widget | None:
        return self.query_one("#form-title", Input)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        self.answer("save")

    # -- saving -------------------------------------------------------------------------------

    def answer(self, button_id: str) -> None:
        if button_id != "save":
            self.dismiss(None)
            return
        try:
            values = self._values()
        except LaunchpadError as error:
            self.say_problem(error_says(error))
            return
        if not values["title"]:
            self.say_problem(t("form.need_title"))
            return
        self.query_one("#save", Button).disabled = True
        self.save(values)

    def _text(self, name: str) -> str:
        return self.query_one(f"#form-{name}", Input).value.strip()

    def _values(self) -> dict[str, Any]:
        """What the form says, read as the CLI reads its options; raises for a bad date."""
        today, zone, people = self.session.today(), self.session.site.tz, self.session.people
        values: dict[str, Any] = {name: self._text(name) for name in ("title", "module", "reporter")}
        for name in ("severity", "type", "channel"):
            values[name] = str(self.query_one(f"#form-{name}", Select).value)
        owner = owner_named(people, self._text("owner"))  # as `issue add --owner` reads it
        if owner.warning is not None:
            self.app.notify(said(owner.warning), severity="warning", timeout=10)
        values["owner"] = owner.name
        values["due"] = parse_day(self._text("due"), today) if self._text("due") else None
        values["description"] = self.query_one("#form-description", TextArea).text.strip()
        reported = self._text("reported_at")
        unchanged = self.issue is not None and reported == local_text(self.issue.reported_at, zone)
        if reported and not unchanged:
            values["reported_at"] = parse_moment(reported, zone, today)
        if self.issue is not None:
            values["resolution"], values["fixed_in"] = self._text("resolution"), self._text("fixed_in")
            files = self._text("attachments").replace("，", ",")
            values["attachments"] = [part.strip() for part in files.split(",") if part.strip()]
            values["note"] = self._text("note")
        return values

    @work(thread=True, exclusive=True, exit_on_error=False, group="issue-form")
    def save(self, values: dict[str, Any]) -> None:
        log = self.session.issue_log()
        try:
            if self.issue is None:
                saved = log.add(IssueDraft(**values))
            else:
                note = values.pop("note", "")
                saved = log.update(self.issue.id, values, note=note)
        except LaunchpadError as error:
            self.post_message(IssueWriteFailed(error))
            return
        self.post_message(IssueChanged(saved))

    def on_issue_changed(self, message: IssueChanged) -> None:
        message.stop()
        self.dismiss(message.issue)

    def on_issue_write_failed(self, message: IssueWriteFailed) -> None:
        message.stop()
        self.query_one("#save", Button).disabled = False
        self.say_problem(error_says(message.error))
