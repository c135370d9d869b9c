"""An incident written up as Markdown (`launchpad issue postmortem ID`): what happened, when —
reported, responded, reproduced, mitigated, resolved, with how long each took — why, what was
done at once and for good, and how it is prevented. The template is `postmortem.md.j2`, which
a workspace can override like every report template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from launchpad.durations import said_duration
from launchpad.errors import UsageError
from launchpad.issues.display import value_label
from launchpad.issues.incident import MILESTONES, Incidents, TimelineEntry
from launchpad.issues.log import IssueLog
from launchpad.phrases import phrase, render
from launchpad.report.render import render_template
from launchpad.sitetime import local_text


@dataclass(frozen=True)
class Milestone:
    kind: str
    at: str  # site-local
    after_report: str  # "1 小时 20 分钟" after the report, in the report's language, or ""


def collect_postmortem(log: IssueLog, issue_id: int, lang: str = "zh") -> dict[str, Any]:
    incidents = Incidents(log)
    incident = incidents.get(issue_id)
    if incident is None:
        raise UsageError(phrase("error.not_incident", id=issue_id),
                         hint=phrase("error.not_incident_hint", id=issue_id))
    issue = log.get(issue_id)
    timeline = incidents.timeline(issue_id)
    reported = datetime.fromisoformat(issue.reported_at)
    milestones = []
    for kind in MILESTONES:
        entry = next((e for e in timeline if e.kind == kind), None)
        if entry is not None:
            elapsed = "" if kind == "reported" else render(
                said_duration(datetime.fromisoformat(entry.at) - reported), lang)
            milestones.append(Milestone(kind, local_text(entry.at, log.zone), elapsed))
    return {
        "issue": issue, "incident": incident, "milestones": milestones,
        "timeline": [_readable(entry, log, lang) for entry in timeline],
        "reported_at": local_text(issue.reported_at, log.zone),
        "raised_at": local_text(incident.raised_at, log.zone),
    }


def _readable(entry: TimelineEntry, log: IssueLog, lang: str) -> dict[str, Any]:
    text = entry.text
    if entry.kind == "status_changed":  # stored as codes: new → in_progress
        text = " → ".join(value_label(code, lang) for code in text.split(" → "))
    return {"at": local_text(entry.at, log.zone), "kind": entry.kind, "text": text,
            "actor": entry.actor, "derived": entry.derived}


def render_postmortem(log: IssueLog, issue_id: int, lang: str, workspace_root: Path | None = None) -> str:
    return render_template("postmortem.md.j2", collect_postmortem(log, issue_id, lang), lang, workspace_root)
