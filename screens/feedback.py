"""What the issue and report screens ask of the core, kept free of Textual so that workers
(threads) call it: the dashboard's issue counts, the daily report rendered, exported, copied and
sent.

Each function is a few lines over the same core functions `launchpad issue …` and `launchpad
report daily` call — `IssueLog`, `collect_daily`, `render_daily`, `write_daily_xlsx`,
`send_message`, `copy_to_clipboard` — so the TUI and the CLI cannot drift apart: whatever the
report says or wherever it goes, both front ends said and sent it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from launchpad.errors import LaunchpadError
    from launchpad.report.daily import DailyReport
    from screens.session import Session

REPORT_FORMATS = ("txt", "md", "html", "xlsx")
PREVIEWED = ("txt", "md")  # shown as they are pasted or sent; html and xlsx are files
EXPORT_FOLDER = "reports"


@dataclass(frozen=True)
class IssueSummary:
    """The dashboard's panel: open issues by severity and how many are overdue."""

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


# -- the daily report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRequest:
    """Which report: the site-local day, the report's language (not the UI's: the client reads
    it), the format, and tomorrow's plan as typed (one item a line)."""

    day: date
    lang: str
    fmt: str
    plan: str

    def file_name(self) -> str:
        stem = "日报" if self.lang == "zh" else "daily-report"
        return f"{stem}-{self.day.isoformat()}.{self.fmt}"


def read_plan_text(session: Session, day: date) -> str:
    """Tomorrow's plan kept in the workspace (data/plan-DAY.txt or data/plan.txt), one a line."""
    from launchpad.report.daily import read_plan

    return "\n".join(read_plan(session.workspace.root, day))


def collect_report(session: Session, request: ReportRequest, with_all_issues: bool = False) -> DailyReport:
    from launchpad.report.daily import collect_daily, plan_items

    site = session.site
    # Stamped by the session's clock, like everything else the TUI writes.
    return collect_daily(session.store(), site, request.day, plan_items(request.plan), session.workspace.root,
                         with_all_issues=with_all_issues, now=session.now())


def render_preview(session: Session, request: ReportRequest) -> str:
    """The report as it will be pasted (txt) or sent to a Markdown robot (md)."""
    from launchpad.report.render import render_daily

    fmt = request.fmt if request.fmt in PREVIEWED else "txt"
    return render_daily(collect_report(session, request), fmt, request.lang, session.workspace.root)


def export_path(session: Session, request: ReportRequest) -> Path:
    return session.workspace.root / EXPORT_FOLDER / request.file_name()


def export_report(session: Session, request: ReportRequest) -> Path:
    """Write the report to reports/ in the workspace, as `report daily --out` writes it."""
    from launchpad.report.render import render_daily

    path = export_path(session, request)
    path.parent.mkdir(parents=True, exist_ok=True)
    if request.fmt == "xlsx":
        from launchpad.report.xlsx import write_daily_xlsx

        return write_daily_xlsx(collect_report(session, request, with_all_issues=True), request.lang, path)
    text = render_daily(collect_report(session, request), request.fmt, request.lang, session.workspace.root)
    path.write_text(text, encoding="utf-8")
    return path


def copy_text(text: str) -> str | None:
    """Copy with the computer's clipboard program; the program's name, or None without one."""
    from launchpad.notify.clipboard import copy_to_clipboard

    return copy_to_clipboard(text)


@dataclass(frozen=True)
class SendOutcome:
    """What became of a send: `sent`; `queued` (no network, a rate limit: it waits in the
    outbox); `refused` (the robot refused its content: failed, not sent again); `unknown` (it
    went out unanswered: check the group); or `config` (the channel cannot work until
    site.yaml or the robot is fixed)."""

    result: str
    channel: str
    parts: int
    text: str  # what was sent, for the clipboard fallback
    error: LaunchpadError | None = None


def send_report(session: Session, request: ReportRequest, channel: str) -> SendOutcome:
    """Send the report to a channel of site.yaml exactly as `report daily --send` does:
    Markdown to robots that take it, through the outbox."""
    from launchpad.errors import LaunchpadError
    from launchpad.notify.deliver import ChannelConfigError, ContentRefused, DeliveryUncertain
    from launchpad.notify.send import format_for, send_message
    from launchpad.report.daily import chat_copy_key
    from launchpad.report.render import render_daily

    site = session.site
    text = ""
    try:
        chat_fmt = format_for(site, channel)
        data = collect_report(session, request)
        text = render_daily(data, "md" if chat_fmt == "markdown" else "txt", request.lang, session.workspace.root)
        title = f"{site.site.name} {request.day.isoformat()}"
        delivery = send_message(session.store(), site, channel, text, chat_fmt, title=title, lang=request.lang,
                                supersedes=chat_copy_key(request.day, channel))
    except LaunchpadError as error:  # an unknown channel, a secret that cannot be read, a bad template
        return SendOutcome("config", channel, 0, text, error)
    if delivery.delivered:
        return SendOutcome("sent", channel, delivery.parts, text)
    failure = delivery.error
    result = ("config" if isinstance(failure, ChannelConfigError) else "refused" if isinstance(failure, ContentRefused)
              else "unknown" if isinstance(failure, DeliveryUncertain) else "queued")
    return SendOutcome(result, channel, delivery.parts, text, delivery.error)
