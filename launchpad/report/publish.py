"""Publishing a report to the client — the one place the CLI (`report daily`, `report notice`),
the TUI's report screen and the `announce` step go through, so what the client gets and where it
lands cannot drift between them:

- a preview as it will be pasted (txt) or sent to a Markdown robot (md);
- an export named by one rule, `日报-DAY.FMT` (`daily-report-DAY.FMT` in English), into the
  workspace's `reports/` unless the person names the file;
- a send with one fallback: through the outbox, and whenever the message did not go, the text
  copied to the clipboard so the group still gets it tonight (the front end shows it when
  there is no clipboard program);
- tomorrow's plan read one way: an item a line or between full-width semicolons (see
  `report.daily.plan_items`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from launchpad.errors import LaunchpadError
    from launchpad.notify.outbox import Attachment
    from launchpad.notify.send import Delivery
    from launchpad.report.daily import DailyReport
    from launchpad.report.golive_section import GoliveUnreadable
    from launchpad.session import Session
    from launchpad.store.db import Store
    from launchpad.workspace.site import Site

REPORT_FORMATS = ("txt", "md", "html", "xlsx")
PREVIEWED = ("txt", "md")  # shown as they are pasted or sent; html and xlsx are files
EXPORT_FOLDER = "reports"


@dataclass(frozen=True)
class ReportRequest:
    """Which daily report: the site-local day, the report's language (the client's, not the
    UI's), the format, and tomorrow's plan as typed (None: the workspace's plan file)."""

    day: date
    lang: str
    fmt: str
    plan: str | None = None

    def file_name(self) -> str:
        from launchpad.phrases import phrase, render

        stem = render(phrase("report.daily_file_stem"), self.lang)
        return f"{stem}-{self.day.isoformat()}.{self.fmt}"


def read_plan_text(session: Session, day: date) -> str:
    """Tomorrow's plan kept in the workspace (data/plan-DAY.txt or data/plan.txt), one a line."""
    from launchpad.report.daily import read_plan

    return "\n".join(read_plan(session.workspace.root, day))


def collect_report(session: Session, request: ReportRequest, with_all_issues: bool = False) -> DailyReport:
    from launchpad.report.daily import collect_daily, plan_items

    plan = None if request.plan is None else plan_items(request.plan)
    # Stamped by the session's clock, like everything else the front ends write.
    return collect_daily(session.store(), session.site, request.day, plan, session.workspace.root,
                         with_all_issues=with_all_issues, now=session.now())


def checklist_note(session: Session) -> GoliveUnreadable | None:
    """What the report says in place of its go-live section when golive.yaml has mistakes
    (None when it has none, or there is no golive.yaml): the front ends say it beside the
    report too, as the report was still written."""
    from launchpad.golive.checklist import CHECKLIST_FILE
    from launchpad.report.golive_section import GoliveUnreadable, read_checklist_for_report
    from launchpad.run.playbook import list_playbooks

    root = session.workspace.root
    if not (root / CHECKLIST_FILE).is_file():
        return None
    found = read_checklist_for_report(root, session.site, {path.stem for path in list_playbooks(root)})
    return found if isinstance(found, GoliveUnreadable) else None


def render_report(session: Session, request: ReportRequest, fmt: str | None = None) -> str:
    """The report as text in `fmt` (default: the request's; not xlsx)."""
    from launchpad.report.render import render_daily

    return render_daily(collect_report(session, request), fmt or request.fmt, request.lang, session.workspace.root)


def render_preview(session: Session, request: ReportRequest) -> str:
    """The report as it will be pasted (txt) or sent to a Markdown robot (md)."""
    return render_report(session, request, request.fmt if request.fmt in PREVIEWED else "txt")


def export_path(session: Session, request: ReportRequest) -> Path:
    return session.workspace.root / EXPORT_FOLDER / request.file_name()


def export_report(session: Session, request: ReportRequest, out: Path | None = None) -> Path:
    """Write the report to `out`, or by the naming rule into the workspace's reports/."""
    path = out or export_path(session, request)
    if out is None:
        path.parent.mkdir(parents=True, exist_ok=True)
    if request.fmt == "xlsx":
        from launchpad.report.xlsx import write_daily_xlsx

        return write_daily_xlsx(collect_report(session, request, with_all_issues=True), request.lang, path)
    path.write_text(render_report(session, request), encoding="utf-8")
    return path


def copy_text(text: str) -> str | None:
    """Copy with the computer's clipboard program; the program's name, or None without one."""
    from launchpad.notify.clipboard import copy_to_clipboard

    return copy_to_clipboard(text)


@dataclass(frozen=True)
class SendOutcome:
    """What became of a send: `sent`; `already_sent` (a copy under the same key had gone out
    before, at `delivery.sent_before`: nothing was posted again); `queued` (no network, a rate limit: it waits in the
    outbox); `refused` (the robot refused its content: not sent again); `unknown` (it went out
    unanswered: check the group); or `config` (the channel cannot work until site.yaml or the
    robot is fixed; `queued` says whether the message waits in the outbox meanwhile). Unless
    sent, the text was copied: `copied` names the clipboard program, None when there is none."""

    result: str
    channel: str
    parts: int
    text: str
    error: LaunchpadError | None = None
    queued: bool = False
    copied: str | None = None
    delivery: Delivery | None = None

    @property
    def sent(self) -> bool:
        """The channel has the text: sent now, or already before."""
        return self.result in ("sent", "already_sent")


def send_text(store: Store, site: Site, channel: str, text: str, fmt: str, *, title: str, lang: str,
              supersedes: str | None = None, dedupe_key: str | None = None,
              attachments: Sequence[Attachment] = ()) -> SendOutcome:
    """Send through the outbox; when it did not go, copy the text for the person to paste.
    `attachments` go with a mail (a robot takes the text alone)."""
    from launchpad.errors import LaunchpadError
    from launchpad.notify.deliver import ChannelConfigError, ContentRefused, DeliveryUncertain
    from launchpad.notify.send import send_message

    try:
        delivery = send_message(store, site, channel, text, fmt, title=title, lang=lang, supersedes=supersedes,
                                dedupe_key=dedupe_key, attachments=attachments)
    except LaunchpadError as error:  # an unknown channel or format, a secret that cannot be read
        return SendOutcome("config", channel, 0, text, error, copied=copy_text(text))
    if delivery.delivered:
        result = "already_sent" if delivery.sent_before else "sent"
        return SendOutcome(result, channel, delivery.parts, text, delivery=delivery)
    failure = delivery.error
    result = ("config" if isinstance(failure, ChannelConfigError) else "refused" if isinstance(failure, ContentRefused)
              else "unknown" if isinstance(failure, DeliveryUncertain) else "queued")
    return SendOutcome(result, channel, delivery.parts, text, failure, queued=True, copied=copy_text(text),
                       delivery=delivery)


def report_attachments(session: Session, request: ReportRequest) -> list[Attachment]:
    """The files a mailed daily report carries: its workbook, named as an export is."""
    import tempfile

    from launchpad.notify.mail import XLSX
    from launchpad.notify.outbox import Attachment

    book = ReportRequest(request.day, request.lang, "xlsx", request.plan)
    with tempfile.TemporaryDirectory() as folder:
        path = export_report(session, book, Path(folder) / book.file_name())
        return [Attachment(book.file_name(), XLSX, path.read_bytes())]


def send_report(session: Session, request: ReportRequest, channel: str) -> SendOutcome:
    """Send the daily report to a channel of site.yaml: Markdown to robots that take it, the
    text with the workbook attached to a mail channel, through the outbox, a fresh copy
    replacing one of the same day still queued."""
    from launchpad.errors import LaunchpadError
    from launchpad.notify.deliver import channel_of
    from launchpad.notify.send import format_for
    from launchpad.report.daily import chat_copy_key

    site = session.site
    try:
        chat_fmt = format_for(site, channel)
        text = render_report(session, request, "md" if chat_fmt == "markdown" else "txt")
        files = report_attachments(session, request) if channel_of(site, channel).kind == "email" else []
    except LaunchpadError as error:  # an unknown channel, a bad template
        return SendOutcome("config", channel, 0, "", error)
    title = f"{site.site.name} {request.day.isoformat()}"
    return send_text(session.store(), site, channel, text, chat_fmt, title=title, lang=request.lang,
                     supersedes=chat_copy_key(request.day, channel), attachments=files)


def draft_report(session: Session, request: ReportRequest, channel: str | None = None) -> Path:
    """The daily report as a mail draft (.eml, the workbook attached) for the engineer's mail
    client: to a mail channel's recipients, or unaddressed when none is named."""
    from launchpad.notify.draft import draft_message

    text = render_report(session, request, "txt")
    title = f"{session.site.site.name} {request.day.isoformat()}"
    return draft_message(session.store(), session.site, session.workspace.root, text, "text", title=title,
                         channel=channel, attachments=report_attachments(session, request))


def draft_instead(session: Session, request: ReportRequest, channel: str | None,
                  outcome: SendOutcome | None = None) -> Path:
    """The daily report as a mail draft, the engineer's choice when the mail server is out of
    reach: the copy still waiting in the outbox becomes the draft (so it is not also sent
    later), else a new draft to `channel`'s recipients when it is a mail channel."""
    from launchpad.notify.draft import write_draft
    from launchpad.notify.outbox import WAITING, Outbox

    if outcome is not None and outcome.delivery is not None:
        waiting = [m for m in Outbox(session.store()).messages(batch=outcome.delivery.batch)
                   if m.status in WAITING and m.status != "sending" and m.kind == "email"]
        if waiting:
            return write_draft(session.store(), session.site, session.workspace.root, waiting[0].id)
    mail = channel if channel and session.site.channels[channel].kind == "email" else None
    return draft_report(session, request, mail)
