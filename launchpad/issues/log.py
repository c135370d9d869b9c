"""The feedback log: adding, changing and reading issues in the workspace store.

Each add or update is one transaction that writes the issue, a history row for every field
that changed (and the note, if any) and an audit entry — all of it or none (a long paste is
added `ADD_CHUNK` issues per transaction, so it never holds the store for long). The transaction
takes the write lock before reading the issue, so two launchpads (the TUI and a CLI in another
terminal, two PMs on one laptop) never lose each other's changes. The CLI and the TUI both
call this class; neither writes issues any other way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from launchpad.errors import StoreError, UsageError
from launchpad.issues.model import Issue, IssueDraft, canonical
from launchpad.issues.query import IssueFilter, count_sql, select_sql
from launchpad.issues.search import SEARCHED_FIELDS, has_trigram_index, search_columns
from launchpad.issues.workflow import check_transition, resolved_at_after
from launchpad.phrases import phrase
from launchpad.sitetime import local_day, to_stamp, utc_now
from launchpad.store.db import Store

# Fields `update` accepts, and how a value typed for each is checked.
EDITABLE = ("title", "description", "reporter", "channel", "reported_at", "module", "severity",
            "type", "owner", "due", "status", "resolution", "fixed_in", "attachments")
_CODED = {"channel", "severity", "type", "status"}
# Issues per write transaction: each issue (row, both search indexes, history, chained audit
# entry) takes ~4 ms on a 2-core laptop, so a chunk holds the write lock for about 0.2 s.
ADD_CHUNK = 50


class IssueLog:
    """The issues of one workspace, changed on behalf of `actor`."""

    def __init__(self, store: Store, zone: ZoneInfo, actor: str,
                 clock: Callable[[], str] = utc_now) -> None:
        """`clock` gives the UTC time stamped on changes (a fixed one makes test data exact)."""
        self.store, self.zone, self.actor, self.clock = store, zone, actor, clock
        with store.lock:
            self.trigram = has_trigram_index(store.db)

    def today(self) -> date:
        """The site's date now: what overdue, 明天 and 周五 are measured from."""
        return local_day(self.clock(), self.zone)

    # -- writing -----------------------------------------------------------------------------

    def add(self, draft: IssueDraft) -> Issue:
        return self.add_many([draft])[0]

    def add_many(self, drafts: Iterable[IssueDraft]) -> list[Issue]:
        """Add issues, each whole (row, history, audit entry) or not at all. Every draft is
        checked before anything is written, so bad input adds nothing; the writes go in
        transactions of `ADD_CHUNK` issues, so a paste of tens of thousands of messages never
        holds the store past the busy timeout of a run or an `issue add` waiting beside it."""
        checked = [draft.checked() for draft in drafts]
        ids: list[int] = []
        try:
            for start in range(0, len(checked), ADD_CHUNK):
                with self.store.transaction():
                    chunk = [self._insert_issue(draft) for draft in checked[start:start + ADD_CHUNK]]
                ids.extend(chunk)  # committed
        except StoreError as exc:
            if not ids:
                raise
            raise StoreError(phrase("issues.partly_added", error=exc.said, first=ids[0], last=ids[-1], added=len(ids),
                                    count=len(checked)),
                             hint=phrase("issues.partly_added_hint", next=len(ids) + 1)) from exc
        return [self.get(issue_id) for issue_id in ids]

    def _insert_issue(self, draft: IssueDraft) -> int:
        row = self._new_row(draft)
        issue_id = int(self.store.db.table("issues").insert(row).last_pk or 0)
        summary = {k: row[k] for k in ("title", "severity", "owner", "due", "reporter", "channel")}
        self._history(issue_id, "created", None, json.dumps(summary, ensure_ascii=False), "")
        self.store.audit(self.actor, "issue_added", f"issue {issue_id}", summary)
        return issue_id

    def _new_row(self, draft: IssueDraft) -> dict[str, Any]:
        now = self.clock()
        reported = to_stamp(draft.reported_at) \
            if draft.reported_at else now
        row: dict[str, Any] = {
            "title": draft.title, "description": draft.description, "reporter": draft.reporter,
            "channel": draft.channel, "reported_at": reported, "module": draft.module,
            "severity": draft.severity, "type": draft.type, "owner": draft.owner,
            "due": draft.due.isoformat() if draft.due else None, "status": "new",
            "resolution": "", "fixed_in": "", "attachments": json.dumps(list(draft.attachments)),
            "created_at": now, "created_by": self.actor, "updated_at": now, "resolved_at": None,
        }
        return {**row, **search_columns(row)}

    def update(self, issue_id: int, changes: dict[str, Any], note: str = "") -> Issue:
        """Change fields (stored spellings or what a person typed for coded ones; `due` a date
        or None; `reported_at` an aware datetime) and/or add a note. Refuses what the workflow
        forbids; writes nothing when nothing changes and there is no note."""
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise UsageError(phrase("error.issue_no_field", field=unknown[0]),
                             hint=phrase("error.issue_fields", fields=list(EDITABLE)))
        with self.store.transaction():
            current = self.get(issue_id)
            new_values = {name: self._stored(name, value) for name, value in changes.items()}
            diff = {name: (getattr(current, name) if name != "attachments" else
                           json.dumps(list(current.attachments), ensure_ascii=False), value)
                    for name, value in new_values.items()}
            diff = {name: pair for name, pair in diff.items() if pair[0] != pair[1]}
            if not diff and not note.strip():
                return current
            self._check_workflow(current, new_values)
            now = self.clock()
            row: dict[str, Any] = {name: new for name, (_old, new) in diff.items()}
            if "status" in diff:
                row["resolved_at"] = resolved_at_after(current.status, row["status"], current.resolved_at, now)
            if set(diff) & set(SEARCHED_FIELDS):
                row.update(search_columns({**current.as_dict(), **row}))
            row["updated_at"] = now
            self.store.db.table("issues").update(issue_id, row)
            for name, (old, new) in diff.items():
                self._history(issue_id, name, old, new, "")
            if note.strip():
                self._history(issue_id, "note", None, None, note.strip())
            detail: dict[str, Any] = {"changes": {name: [old, new] for name, (old, new) in diff.items()}}
            if note.strip():
                detail["note"] = note.strip()
            self.store.audit(self.actor, "issue_updated", f"issue {issue_id}", detail)
        return self.get(issue_id)

    def _stored(self, name: str, value: Any) -> Any:
        if name in _CODED:
            return canonical(name, str(value))
        if name == "due":
            return _due_text(value)
        if name == "reported_at":
            moment = datetime.fromisoformat(value) if isinstance(value, str) else value
            if not isinstance(moment, datetime) or moment.tzinfo is None:
                raise UsageError(phrase("error.issue_reported_at", value=str(value)))
            return to_stamp(moment)
        if name == "attachments":
            return json.dumps([str(path) for path in value], ensure_ascii=False)
        if name == "title" and not str(value).strip():
            raise UsageError(phrase("error.issue_empty_title"))
        return str(value).strip() if value is not None else ""

    def _check_workflow(self, current: Issue, new_values: dict[str, Any]) -> None:
        owner = new_values.get("owner", current.owner)
        due = new_values.get("due", current.due)
        target = new_values.get("status", current.status)
        if target != current.status:
            check_transition(current.status, target, owner, due)
        elif target != "new" and not (owner and due):
            raise UsageError(phrase("error.issue_keeps_owner", id=current.id))

    def _history(self, issue_id: int, field: str, old: Any, new: Any, note: str) -> None:
        self.store.db.table("issue_history").insert({
            "issue_id": issue_id, "at": self.clock(), "actor": self.actor, "field": field,
            "old_value": None if old is None else str(old), "new_value": None if new is None else str(new),
            "note": note,
        })

    # -- reading -----------------------------------------------------------------------------

    def get(self, issue_id: int) -> Issue:
        rows = self.store.read("SELECT * FROM issues WHERE id = ?", [issue_id])
        if not rows:
            raise UsageError(phrase("error.no_issue", id=issue_id), hint=phrase("error.no_issue_hint"))
        return Issue.from_row(rows[0])

    def find(self, wanted: IssueFilter | None = None) -> list[Issue]:
        sql, params = select_sql((wanted or IssueFilter()).checked(), self.zone, self.trigram)
        return [Issue.from_row(row) for row in self.store.read(sql, params)]

    def count(self, wanted: IssueFilter | None = None) -> int:
        sql, params = count_sql(replace(wanted or IssueFilter(), limit=None).checked(), self.zone, self.trigram)
        return int(self.store.read(sql, params)[0]["n"])

    def history(self, issue_id: int) -> list[dict[str, Any]]:
        """Every change and note, oldest first."""
        return self.store.read("SELECT * FROM issue_history WHERE issue_id = ? ORDER BY id", [issue_id])


def _due_text(value: Any) -> str | None:
    """A due date as stored: a date, an ISO date string, or nothing (None or empty)."""
    if isinstance(value, date):
        return value.isoformat()
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise UsageError(phrase("error.issue_not_date", value=str(value)),
                         hint=phrase("error.issue_not_date_hint")) from None
