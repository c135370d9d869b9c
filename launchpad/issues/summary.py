"""The dashboard's issue panel: open issues by severity and how many are overdue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from launchpad.session import Session


@dataclass(frozen=True)
class IssueSummary:
    open_by_severity: dict[str, int]
    overdue: int

    @property
    def open_total(self) -> int:
        return sum(self.open_by_severity.values())


def read_issue_summary(session: Session) -> IssueSummary:
    from launchpad.issues.model import SEVERITIES
    from launchpad.issues.query import IssueFilter

    log = session.issue_log()
    by_severity = {sev: log.count(IssueFilter(statuses=("open",), severities=(sev,))) for sev in SEVERITIES}
    return IssueSummary(by_severity, log.count(IssueFilter(overdue_on=session.today())))
