"""The issues screen's keys: capture, search, filters, overdue only, the form (new and edit),
paste intake, status changes — each opening its dialog and handing the answer back to the
screen, which writes it through `IssueLog` in a worker.

A status change asks first for the target (only what the workflow allows from where the issue
is), then — when the move needs it — for the owner and due date (leaving `new`) or the
resolution (resolving), so a refused move is rare and, when it happens, explained.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.widgets import Input

from launchpad.issues.model import RESOLVED_STATUSES, Issue
from launchpad.issues.query import IssueFilter
from screens.support.commands import PaletteCommand
from screens.support.i18n import t
from screens.support.messages import IssueChanged
from screens.widgets.issue_table import PAGE

ISSUE_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
        Binding("c", "capture", "key.capture", id="issues.capture"),
        Binding("i", "capture", "key.capture", id="issues.capture_alt", show=False),
        # The search box names / and the dashboard d: the footer keeps room for Back at 80 columns.
        Binding("slash", "search", "key.search", key_display="/", id="issues.search", show=False),
        Binding("enter", "edit", "key.edit", id="issues.edit"),
        Binding("s", "status", "key.status", id="issues.status"),
        Binding("f", "filters", "key.filters", id="issues.filters"),
        Binding("o", "overdue", "key.overdue", id="issues.overdue"),
        Binding("n", "new", "key.new_issue", id="issues.new", show=False),
        Binding("v", "paste", "key.paste", id="issues.paste"),
        Binding("d", "app.daily_report", "key.report", id="issues.report", show=False),
        Binding("escape", "back", "key.back", id="issues.back"),
]


class IssueKeys:
    """Mixin for IssuesScreen; expects its state and, being mixed into a Screen, the screen's
    methods — declared here for the type checker."""

    wanted: IssueFilter
    table: Any
    capture: Any
    launchpad: Any
    app: Any
    focused: Any
    notify: Any
    query_one: Any
    requery: Any
    update_issue: Any
    post_message: Any

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            PaletteCommand("cmd.issues_filters", self.action_filters),
            PaletteCommand("cmd.issues_overdue", self.action_overdue),
            PaletteCommand("cmd.issues_status", self.action_status),
            PaletteCommand("cmd.issues_edit", self.action_edit),
            PaletteCommand("cmd.issues_new", self.action_new),
        ]

    def action_capture(self) -> None:
        self.capture.input.focus()

    def action_search(self) -> None:
        self.query_one("#issue-search", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.table.focus()  # out of the line first; a second Esc leaves the screen
        else:
            self.app.pop_screen()

    def action_overdue(self) -> None:
        session = self.launchpad.session
        if session is not None:
            self.wanted = replace(self.wanted, overdue_on=None if self.wanted.overdue_on else session.today())
            self.requery()

    def action_filters(self) -> None:
        from screens.dialogs.issue_filter import IssueFilterDialog

        session = self.launchpad.session
        if session is not None:
            self.app.push_screen(IssueFilterDialog(self.wanted, session.today()), callback=self._filtered)

    def _filtered(self, wanted: IssueFilter | None) -> None:
        if wanted is not None:
            self.wanted = replace(wanted, text=self.wanted.text, limit=PAGE)
            self.requery()

    def action_new(self) -> None:
        self._open_form(None)

    def action_edit(self) -> None:
        if self.table.issue is not None:
            self._open_form(self.table.issue)

    def _open_form(self, issue: Issue | None) -> None:
        from screens.dialogs.issue_form import IssueFormDialog

        session = self.launchpad.session
        if session is not None:
            self.app.push_screen(IssueFormDialog(session, issue), callback=self._saved)

    def _saved(self, issue: Issue | None) -> None:
        if issue is not None:
            self.post_message(IssueChanged(issue))

    def action_paste(self) -> None:
        self.open_paste_intake()

    def open_paste_intake(self, text: str = "") -> None:
        from screens.dialogs.paste_intake import PasteIntakeDialog

        session = self.launchpad.session
        if session is not None:
            self.app.push_screen(PasteIntakeDialog(session, text), callback=self._pasted)

    def _pasted(self, added: list[Issue] | None) -> None:
        if added:
            self.notify(t("issues.added_many", count=len(added)))
            self.requery()
            self.launchpad.refresh_issue_summary()

    def action_status(self) -> None:
        from screens.dialogs.issue_status import StatusDialog

        issue = self.table.issue
        if issue is not None:
            self.app.push_screen(StatusDialog(issue), callback=partial(self._status_chosen, issue))

    def _status_chosen(self, issue: Issue, target: str | None) -> None:
        from screens.dialogs.issue_status import StatusDetailsDialog

        session = self.launchpad.session
        if not target or session is None:
            return
        leaving_new = target != "new" and not (issue.owner and issue.due)
        if leaving_new or (target in RESOLVED_STATUSES and not issue.resolution):
            dialog = StatusDetailsDialog(session, issue, target, ask_owner=leaving_new)
            self.app.push_screen(dialog, callback=partial(self._status_details, issue))
        else:
            self.update_issue(issue.id, {"status": target})

    def _status_details(self, issue: Issue, changes: dict[str, Any] | None) -> None:
        if changes:
            note = changes.pop("note", "")
            self.update_issue(issue.id, changes, note)

