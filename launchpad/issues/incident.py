"""Incidents: an issue raised to a complaint or an outage, with the record the seed asks for —
respond at once, record time and symptoms, reproduce, find the root cause, give a short-term
and a long-term fix, report progress, write it up afterwards.

The timeline is built, not typed twice: the issue's own history already knows when it was
reported, when someone took it (first owner or `in_progress`) and when it was resolved. People
add what history cannot know — reproduced, mitigated, notes — as events with the time they
happened, which may be earlier than when they were typed. An explicit event wins over the
derived one of the same kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from launchpad.errors import UsageError
from launchpad.issues.log import IssueLog
from launchpad.issues.model import canonical, choices
from launchpad.phrases import phrase
from launchpad.sitetime import to_stamp

MILESTONES = ("reported", "responded", "reproduced", "mitigated", "resolved")
EVENT_KINDS = ("responded", "reproduced", "mitigated", "resolved", "note")
WRITE_UP_FIELDS = ("root_cause", "short_term_fix", "long_term_fix", "prevention")


@dataclass(frozen=True)
class Incident:
    issue_id: int
    kind: str
    raised_at: str
    raised_by: str
    root_cause: str
    short_term_fix: str
    long_term_fix: str
    prevention: str


@dataclass(frozen=True)
class TimelineEntry:
    at: str  # UTC
    kind: str  # a milestone, "note" or "status_changed"
    text: str
    actor: str
    derived: bool  # read from the issue's history rather than recorded as an event


class Incidents:
    def __init__(self, log: IssueLog) -> None:
        self.log = log
        self.store = log.store

    def get(self, issue_id: int) -> Incident | None:
        rows = self.store.read("SELECT * FROM incidents WHERE issue_id = ?", [issue_id])
        return Incident(**rows[0]) if rows else None

    def raise_incident(self, issue_id: int, kind: str = "complaint", **write_up: str) -> Incident:
        """Raise the issue to an incident (or change its kind and write-up if it is one)."""
        kind = canonical("kind", kind)
        unknown = sorted(set(write_up) - set(WRITE_UP_FIELDS))
        if unknown:
            raise UsageError(phrase("error.incident_no_field", field=unknown[0]),
                             hint=phrase("error.issue_fields", fields=list(WRITE_UP_FIELDS)))
        with self.store.transaction():
            self.log.get(issue_id)  # refuses an unknown id
            existing = self.get(issue_id)
            changes: dict[str, Any] = {k: v.strip() for k, v in write_up.items()}
            if existing is None:
                row = {"issue_id": issue_id, "kind": kind, "raised_at": self.log.clock(),
                       "raised_by": self.log.actor, **dict.fromkeys(WRITE_UP_FIELDS, ""), **changes}
                self.store.db.table("incidents").insert(row)
                self.store.audit(self.log.actor, "incident_raised", f"issue {issue_id}", {"kind": kind})
            else:
                changes["kind"] = kind
                changes = {k: v for k, v in changes.items() if getattr(existing, k) != v}
                if changes:
                    self.store.db.table("incidents").update(issue_id, changes, alter=False)
                    self.store.audit(self.log.actor, "incident_updated", f"issue {issue_id}",
                                     {"changes": changes})
        incident = self.get(issue_id)
        assert incident is not None
        return incident

    def record(self, issue_id: int, kind: str, note: str = "", at: datetime | None = None) -> None:
        """Record a milestone or a note on the timeline, at the time it happened."""
        if kind not in EVENT_KINDS:
            raise UsageError(phrase("error.incident_not_event", kind=kind),
                             hint=phrase("error.issue_one_of", values=choices(EVENT_KINDS)))
        if self.get(issue_id) is None:
            raise UsageError(phrase("error.not_incident", id=issue_id),
                             hint=phrase("error.not_incident_hint", id=issue_id))
        when = to_stamp(at) if at else self.log.clock()
        with self.store.transaction():
            self.store.db.table("incident_events").insert({
                "issue_id": issue_id, "at": when, "kind": kind, "note": note.strip(),
                "actor": self.log.actor, "recorded_at": self.log.clock()})
            self.store.audit(self.log.actor, f"incident_{kind}", f"issue {issue_id}",
                             {"at": when, "note": note.strip()})

    def timeline(self, issue_id: int) -> list[TimelineEntry]:
        issue = self.log.get(issue_id)
        events = self.store.read("SELECT * FROM incident_events WHERE issue_id = ? ORDER BY at, id",
                           [issue_id])
        entries = [TimelineEntry(e["at"], e["kind"], e["note"], e["actor"], False) for e in events]
        explicit = {e.kind for e in entries}
        entries.append(TimelineEntry(issue.reported_at, "reported",
                                     f"{issue.reporter}: {issue.title}" if issue.reporter else issue.title,
                                     issue.created_by, True))
        for row in self.log.history(issue_id):
            entries.extend(_from_history(row))
        if issue.resolved_at:
            entries.append(TimelineEntry(issue.resolved_at, "resolved", issue.resolution, "", True))
        entries = _first_derived_only(entries, explicit)
        return sorted(entries, key=lambda e: (e.at, MILESTONES.index(e.kind) if e.kind in MILESTONES else 9))


def _from_history(row: dict[str, Any]) -> list[TimelineEntry]:
    if row["field"] == "note":
        return [TimelineEntry(row["at"], "note", row["note"], row["actor"], True)]
    if row["field"] != "status":
        return [TimelineEntry(row["at"], "responded", f"→ {row['new_value']}", row["actor"], True)] \
            if row["field"] == "owner" and row["new_value"] else []
    found = [TimelineEntry(row["at"], "status_changed", f"{row['old_value']} → {row['new_value']}",
                           row["actor"], True)]
    if row["new_value"] == "in_progress":
        found.append(TimelineEntry(row["at"], "responded", "", row["actor"], True))
    return found


def _first_derived_only(entries: list[TimelineEntry], explicit: set[str]) -> list[TimelineEntry]:
    """Keep one derived entry per milestone (the earliest, and none if it was recorded
    explicitly); notes and status changes are all kept."""
    kept: list[TimelineEntry] = []
    seen: set[str] = set()
    for entry in sorted(entries, key=lambda e: e.at):
        if entry.derived and entry.kind in MILESTONES and entry.kind != "reported":
            if entry.kind in explicit or entry.kind in seen:
                continue
            seen.add(entry.kind)
        kept.append(entry)
    return kept
