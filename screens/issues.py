"""The feedback issues: find them, log them while the client is still talking, move them along.

A search line and the active filters on top, the table (read from the store a page at a time,
overdue issues in red), the highlighted issue in full under it (its description as typed, line
by line, long lines wrapped, scrolled when longer than the room left), and the quick-capture
line at the bottom, always there: `c` puts the cursor in it from anywhere on this screen, and after
Enter it stays, so issue after issue is typed without the mouse. Status changes come from the
keyboard and follow the workflow: an issue leaves `new` only with an owner and a due date,
which a dialog asks for. Every read and write goes through `IssueLog` in a thread worker.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from functools import partial
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Static

from launchpad.errors import LaunchpadError
from launchpad.issues.display import field_label, summary_line, value_label
from launchpad.issues.log import IssueLog
from launchpad.issues.model import OPEN_STATUSES, Issue, IssueDraft
from launchpad.issues.query import IssueFilter
from launchpad.sitetime import local_text
from screens.base import LaunchpadScreen
from screens.support.i18n import current_language, error_says, t
from screens.support.issue_actions import ISSUE_BINDINGS, IssueKeys
from screens.support.messages import IssueChanged, IssuesAdded, IssuesFound, IssueWriteFailed
from screens.widgets.issue_table import PAGE, IssueTable
from screens.widgets.quick_capture import QuickCaptureBar
from screens.widgets.wide_text import WideText

SEARCH_PAUSE = 0.25  # seconds of no typing before a search runs


class IssuesScreen(IssueKeys, LaunchpadScreen):
    BINDINGS = ISSUE_BINDINGS

    def __init__(self, then: str = "") -> None:
        super().__init__()
        self.then = then
        self.wanted = IssueFilter(limit=PAGE)
        self.generation = 0
        self.total: int | None = None  # None until the first result
        self.pending: deque[IssueDraft] = deque()  # captured, not yet written (in order)
        self.writing = False
        self._search_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="issues-bar"):
            yield Input(placeholder=t("issues.search"), id="issue-search", compact=True)
            yield Static("", id="issue-filters")
        yield IssueTable(id="issue-table")
        with VerticalScroll(id="issue-detail-box"):  # a long description scrolls, never cut
            yield Static("", id="issue-detail")
        session = self.launchpad.session
        assert session is not None, "the issues screen opens on an open workspace"
        yield QuickCaptureBar(session, id="capture")

    def screen_title(self) -> str:
        return t("issues.subtitle")

    @property
    def table(self) -> IssueTable:
        return self.query_one(IssueTable)

    @property
    def capture(self) -> QuickCaptureBar:
        return self.query_one(QuickCaptureBar)

    @property
    def issue_log(self) -> IssueLog:
        """From workers only: the first call may open the store."""
        return self.launchpad.session.issue_log()

    def on_mount(self) -> None:
        super().on_mount()
        self.relabel()
        self.table.focus()
        self.requery()
        self.begin(self.then)

    def begin(self, then: str) -> None:
        """Do what the palette or the dashboard opened this screen for."""
        actions = {"capture": self.action_capture, "search": self.action_search, "paste": self.action_paste,
                   "new": self.action_new}
        if then in actions:
            actions[then]()

    def relabel(self) -> None:
        super().relabel()
        self.table.border_title = t("issues.table")
        self.query_one("#issue-search", Input).placeholder = t("issues.search")
        self.capture.relabel()
        self.table.refresh()
        self._show_filters()
        self._show_detail(self.table.issue)

    # -- finding ------------------------------------------------------------------------------

    def requery(self, cursor: int = 0) -> None:
        self.generation += 1
        self.query_issues(self.generation, self.wanted, cursor)

    @work(thread=True, exclusive=True, exit_on_error=False, group="issues-query")
    def query_issues(self, generation: int, wanted: IssueFilter, cursor: int) -> None:
        log = self.issue_log
        checked = wanted.checked()
        total = log.count(checked)
        first_page = log.find(replace(checked, limit=PAGE, offset=0))
        self.post_message(IssuesFound(generation, total, first_page, partial(_read_page, log, checked), cursor))

    def on_issues_found(self, message: IssuesFound) -> None:
        if message.generation != self.generation:
            return  # an older search, answered after a newer one was typed
        self.total = message.total
        session = self.launchpad.session
        assert session is not None
        self.table.show(message.source, message.total, message.first_page, today=session.today(),
                        zone=session.site.tz, cursor=message.cursor)
        self._show_filters()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "issue-search":
            return
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_PAUSE, self._search_now)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "issue-search":
            self._search_now()
            self.table.focus()

    def _search_now(self) -> None:
        text = self.query_one("#issue-search", Input).value.strip()
        if text != self.wanted.text:
            self.wanted = replace(self.wanted, text=text)
            self.requery()

    def _show_filters(self) -> None:
        wanted, lang = self.wanted, current_language()
        parts = [t("issues.open")] if wanted.statuses == OPEN_STATUSES else [
            value_label(s, lang) for s in wanted.statuses]
        parts += list(wanted.severities) + [f"@{o}" for o in wanted.owners] + [f"#{m}" for m in wanted.modules]
        parts += [value_label(c, lang) for c in (*wanted.channels, *wanted.types)]
        if wanted.reported_from or wanted.reported_to:
            parts.append(f"{wanted.reported_from or '…'}~{wanted.reported_to or '…'}")
        if wanted.overdue_on:
            parts.append(t("issues.overdue_only"))
        if wanted.sort != "newest":
            parts.append(t(f"sort.{wanted.sort}"))
        found = "…" if self.total is None else t("issues.count", count=self.total)
        text = Text(" · ".join(parts) or t("issues.all"), style="bold" if parts else "dim")
        self.query_one("#issue-filters", Static).update(Text.assemble(text, "  ", (found, "bold cyan")))

    def on_issue_table_highlighted(self, message: IssueTable.Highlighted) -> None:
        self._show_detail(message.issue)

    def on_issue_table_chosen(self, message: IssueTable.Chosen) -> None:
        self.action_edit()

    def on_issue_table_read_failed(self, message: IssueTable.ReadFailed) -> None:
        self.launchpad.show_error(message.error)

    def _show_detail(self, issue: Issue | None) -> None:
        session = self.launchpad.session
        detail = self.query_one("#issue-detail", Static)
        if issue is None or session is None:
            detail.update(Text(t("issues.none") if self.total == 0 else "", style="dim"))
            return
        lang, today = current_language(), session.today()
        first = Text(summary_line(issue, today, lang), style="bold red" if issue.overdue_on(today) else "bold")
        about = [f"{field_label('reporter', lang)} {issue.reporter or '—'}", value_label(issue.channel, lang),
                 local_text(issue.reported_at, session.site.tz), value_label(issue.type, lang)]
        text = Text.assemble(first, "\n", (" · ".join(about), "dim"))
        if issue.description:
            text.append("\n" + issue.description)  # as typed: every line, long ones wrapped
        detail.update(WideText(text))  # `#1 [P1]` and a Chinese title start on one line

    # -- writing ------------------------------------------------------------------------------

    def on_quick_capture_bar_chat_pasted(self, message: QuickCaptureBar.ChatPasted) -> None:
        self.open_paste_intake(message.text)

    def on_quick_capture_bar_captured(self, message: QuickCaptureBar.Captured) -> None:
        self.pending.append(message.draft)
        self._write_pending()

    def _write_pending(self) -> None:
        # One writer at a time, so issues are numbered in the order they were typed.
        if self.writing or not self.pending:
            return
        drafts = list(self.pending)
        self.pending.clear()
        self.writing = True
        self.add_issues(drafts)

    @work(thread=True, exit_on_error=False, group="issues-write")
    def add_issues(self, drafts: list[IssueDraft]) -> None:
        added: list[Issue] = []
        refused: list[tuple[str, LaunchpadError]] = []
        try:
            for draft in drafts:
                try:
                    added.append(self.issue_log.add(draft))
                except LaunchpadError as error:
                    refused.append((draft.title, error))
        finally:
            self.post_message(IssuesAdded(added, refused))

    def on_issues_added(self, message: IssuesAdded) -> None:
        self.writing = False
        session = self.launchpad.session
        if session is not None and message.added:
            last = message.added[-1]
            self.capture.show_added(summary_line(last, session.today(), current_language()))
            if len(message.added) > 1:
                self.notify(t("issues.added_many", count=len(message.added)))
        for title, error in message.refused:
            self.capture.show_failed(f"{title}: {error_says(error)}")
        self.requery()
        self.launchpad.refresh_issue_summary()
        self._write_pending()

    @work(thread=True, exit_on_error=False, group="issues-update")
    def update_issue(self, issue_id: int, changes: dict[str, Any], note: str = "") -> None:
        try:
            self.post_message(IssueChanged(self.issue_log.update(issue_id, changes, note=note)))
        except LaunchpadError as error:
            self.post_message(IssueWriteFailed(error))

    def on_issue_changed(self, message: IssueChanged) -> None:
        session = self.launchpad.session
        if session is not None:
            line = summary_line(message.issue, session.today(), current_language())
            self.notify(t("issues.saved", line=line), timeout=4)
        self.requery(cursor=self.table.cursor)
        self.launchpad.refresh_issue_summary()

    def on_issue_write_failed(self, message: IssueWriteFailed) -> None:
        self.launchpad.show_error(message.error)


def _read_page(log: IssueLog, wanted: IssueFilter, offset: int, limit: int) -> list[Issue]:
    return log.find(replace(wanted, limit=limit, offset=offset))

