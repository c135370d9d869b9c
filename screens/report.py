"""The end-of-day report: read it as the client will, in their language, then copy it, export it
or send it to the group — the very report `launchpad report daily` writes, made by the same
functions (see `launchpad.report.publish`).

The day, the report's language (the client's, from site.yaml, whatever the UI speaks), the
format and the channel are one key each; tomorrow's plan is typed in the box under the preview
(prefilled from the workspace's data/plan.txt). Everything that touches the store, a file, the
clipboard program or a robot runs in a thread worker, and a send ends in one of three plain
results: sent; not sent but queued in the outbox (no network on site); or a channel that is
configured wrongly. When it did not go, the text is copied so the group still gets it tonight.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Label, Static, TextArea

from launchpad.errors import LaunchpadError
from launchpad.issues.dates import parse_day
from launchpad.phrases import other_language, spoken
from launchpad.report.publish import (
    PREVIEWED,
    REPORT_FORMATS,
    ReportRequest,
    SendOutcome,
    copy_text,
    draft_instead,
    export_path,
    export_report,
    read_plan_text,
    render_preview,
    send_report,
)
from launchpad.session import Session
from screens.base import LaunchpadScreen
from screens.support.i18n import current_language, error_says, said, t
from screens.support.messages import (
    PlanRead,
    ReportCopied,
    ReportDrafted,
    ReportExported,
    ReportFailed,
    ReportRendered,
    ReportSent,
)

PLAN_PAUSE = 0.4  # seconds of no typing in the plan before the preview follows


class ReportScreen(LaunchpadScreen):
    BINDINGS = [
        Binding("s", "send", "key.send", id="report.send"),
        Binding("c", "copy", "key.copy", id="report.copy"),
        Binding("x", "export", "key.export", id="report.export"),
        # l, f and g are named on the line above the preview, beside what they change: the
        # footer has room at 80 columns for the rest and Back.
        Binding("l", "language", "key.report_language", id="report.language", show=False),
        Binding("f", "format", "key.format", id="report.format", show=False),
        Binding("g", "channel", "key.channel", id="report.channel", show=False),
        Binding("t", "plan", "key.plan", id="report.plan"),
        Binding("d", "day", "key.day", id="report.day"),
        Binding("escape", "back", "key.back", id="report.back"),
        # Offered in the result line when a mail could not go (no mail server in reach).
        Binding("e", "draft", "key.draft", id="report.draft", show=False),
    ]

    def __init__(self, session: Session, then: str = "") -> None:
        super().__init__()
        self.then = then
        self.day: date = session.today()
        self.lang = spoken(session.site.site.language)
        self.fmt = "txt"
        self.channels = list(session.site.channels)
        self.channel = self.channels[0] if self.channels else None
        self.generation = 0
        self.shown_generation = -1  # the generation whose text the preview shows
        self.text = ""
        self.outcome: SendOutcome | None = None
        self.busy = False  # a copy, export or send is running
        self._plan_timer: Timer | None = None

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="report-bar"):
            yield Label(t("report.day"), id="report-day-label")
            yield Input(self.day.isoformat(), id="report-day", compact=True)
            yield Static("", id="report-controls")
        with VerticalScroll(id="report-preview"):
            yield Static("", id="report-text", markup=False)
        yield TextArea(id="report-plan")
        yield Static("", id="report-result")

    def screen_title(self) -> str:
        return t("report.subtitle")

    @property
    def ready(self) -> bool:
        """The preview shows the report as it is now asked for (tests and snapshots wait on it)."""
        return self.shown_generation == self.generation and not self.busy

    def on_mount(self) -> None:
        super().on_mount()
        self.relabel()
        self.query_one("#report-preview").focus()
        self.read_plan(self.day)
        if self.then == "send":
            self.action_send()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#report-day-label", Label).update(t("report.day"))
        plan = self.query_one("#report-plan", TextArea)
        plan.border_title = t("report.plan")
        plan.placeholder = t("report.plan_hint")
        if self.outcome is None:
            self._say(t("report.hint"), "dim")
        self._show_controls()

    def _show_controls(self) -> None:
        channel = t("report.no_channel")
        if self.channel:
            kind = t("kind." + self.session.site.channels[self.channel].kind)
            channel = t("report.channel", name=self.channel, kind=kind)
        line = Text()
        for label, value, key in ((t("report.lang"), t(f"report.lang_{self.lang}"), "l"),
                                  (t("report.format"), _format_name(self.fmt), "f"), (t("report.to"), channel, "g")):
            line.append_text(Text.assemble(f"{label} ", (value, "bold"), (f"({key})  ", "dim")))
        self.query_one("#report-controls", Static).update(line)
        preview = self.query_one("#report-preview", VerticalScroll)
        preview.border_title = t("report.preview", fmt=_format_name(self.fmt if self.fmt in PREVIEWED else "txt"))
        relative = export_path(self.session, self._request()).relative_to(self.session.workspace.root)
        preview.border_subtitle = "" if self.fmt in PREVIEWED else t("report.file_only", fmt=self.fmt,
                                                                        path=str(relative))

    # -- the preview --------------------------------------------------------------------------

    def _request(self) -> ReportRequest:
        return ReportRequest(self.day, self.lang, self.fmt, self.query_one("#report-plan", TextArea).text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-plan")
    def read_plan(self, day: date) -> None:
        self.post_message(PlanRead(read_plan_text(self.session, day)))

    def on_plan_read(self, message: PlanRead) -> None:
        plan = self.query_one("#report-plan", TextArea)
        if not plan.text.strip():
            with plan.prevent(TextArea.Changed):
                plan.text = message.text
        self.render_report()

    def render_report(self) -> None:
        self.generation += 1
        self.prepare_preview(self.generation, self._request())

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-render")
    def prepare_preview(self, generation: int, request: ReportRequest) -> None:
        try:
            self.post_message(ReportRendered(generation, render_preview(self.session, request)))
        except LaunchpadError as error:
            self.post_message(ReportFailed(error))

    def on_report_rendered(self, message: ReportRendered) -> None:
        if message.generation != self.generation:
            return
        self.text = message.text
        self.shown_generation = message.generation
        self.query_one("#report-text", Static).update(message.text)

    def on_report_failed(self, message: ReportFailed) -> None:
        self.busy = False
        self.shown_generation = self.generation
        error = message.error
        self._say(str(error) if isinstance(error, OSError) else error.render(current_language()), "bold red")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._plan_timer is not None:
            self._plan_timer.stop()
        self._plan_timer = self.set_timer(PLAN_PAUSE, self.render_report)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            self.day = parse_day(event.value, self.session.today())
        except LaunchpadError as error:
            self._say(error_says(error), "bold red")
            return
        event.input.value = self.day.isoformat()
        self.query_one("#report-preview").focus()
        self._changed()

    def _changed(self) -> None:
        self._show_controls()
        self.render_report()

    # -- keys ---------------------------------------------------------------------------------

    def action_language(self) -> None:
        self.lang = other_language(self.lang)
        self._changed()

    def action_format(self) -> None:
        self.fmt = REPORT_FORMATS[(REPORT_FORMATS.index(self.fmt) + 1) % len(REPORT_FORMATS)]
        self._changed()

    def action_channel(self) -> None:
        if self.channels:
            self.channel = self.channels[(self.channels.index(str(self.channel)) + 1) % len(self.channels)]
            self._show_controls()

    def action_plan(self) -> None:
        self.query_one("#report-plan", TextArea).focus()

    def action_day(self) -> None:
        self.query_one("#report-day", Input).focus()

    def action_back(self) -> None:
        if isinstance(self.focused, Input | TextArea):
            self.query_one("#report-preview").focus()
        else:
            self.app.pop_screen()

    def _say(self, text: str, style: str) -> None:
        self.query_one("#report-result", Static).update(Text(text, style=style))

    # -- copy, export, send -------------------------------------------------------------------

    def action_copy(self) -> None:
        self.busy = True
        self._copy(self.text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-copy")
    def _copy(self, text: str) -> None:
        self.post_message(ReportCopied(copy_text(text), text))

    def on_report_copied(self, message: ReportCopied) -> None:
        self.busy = False
        self._say(self._copied_line(message.tool, message.text), "green" if message.tool else "yellow")

    def _copied_line(self, tool: str | None, text: str) -> str:
        if tool:
            return t("report.copied", tool=tool)
        # No clipboard program (a bastion's shell): the terminal may still take it (OSC 52).
        self.app.copy_to_clipboard(text)
        return t("report.no_clipboard")

    def action_export(self) -> None:
        self.busy = True
        self._export(self._request())

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-export")
    def _export(self, request: ReportRequest) -> None:
        try:
            self.post_message(ReportExported(export_report(self.session, request)))
        except (LaunchpadError, OSError) as error:
            self.post_message(ReportFailed(error))

    def on_report_exported(self, message: ReportExported) -> None:
        self.busy = False
        self._say(t("report.exported", path=_shown(message.path, self.session.workspace.root)), "green")

    def action_draft(self) -> None:
        self.busy = True
        self._draft(self._request(), self.channel, self.outcome)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-draft")
    def _draft(self, request: ReportRequest, channel: str | None, outcome: SendOutcome | None) -> None:
        try:
            self.post_message(ReportDrafted(draft_instead(self.session, request, channel, outcome)))
        except (LaunchpadError, OSError) as error:
            self.post_message(ReportFailed(error))

    def on_report_drafted(self, message: ReportDrafted) -> None:
        self.busy = False
        self._say(t("report.drafted", path=_shown(message.path, self.session.workspace.root)), "green")

    def action_send(self) -> None:
        from screens.dialogs.confirm import ConfirmDialog

        if self.channel is None:
            self._say(t("report.no_channels"), "bold red")
            return
        kind = t("kind." + self.session.site.channels[self.channel].kind)
        dialog = ConfirmDialog(t("report.send_title", channel=self.channel, kind=kind),
                               t("report.send_body", day=self.day.isoformat(), lang=t(f"report.lang_{self.lang}")),
                               yes_label=t("report.send_go"), danger=False)
        self.app.push_screen(dialog, callback=self._send_confirmed)

    def _send_confirmed(self, yes: bool | None) -> None:
        if yes and self.channel is not None:
            self.busy = True
            self._say(t("report.sending", channel=self.channel), "bold")
            self._send(self._request(), self.channel)

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-send")
    def _send(self, request: ReportRequest, channel: str) -> None:
        outcome = send_report(self.session, request, channel)
        # The core copied what it tried to send; when it never rendered it, copy the preview.
        copied = outcome.copied if outcome.sent or outcome.text else copy_text(self.text)
        self.post_message(ReportSent(outcome, copied))

    def on_report_sent(self, message: ReportSent) -> None:
        self.busy = False
        outcome = self.outcome = message.outcome
        if outcome.result == "sent":
            self._say(t("report.sent", channel=outcome.channel, parts=outcome.parts), "bold green")
            return
        error = outcome.error
        reason = said(error.said) if error else "?"
        if outcome.result in ("queued", "refused", "unknown"):
            head, style = t(f"report.{outcome.result}", reason=reason), "bold yellow"
            if self.session.site.channels[outcome.channel].kind == "email":
                head += "\n" + t("report.draft_hint")
        else:
            hint = f"\n→ {said(error.said_hint)}" if error and error.hint else ""
            head, style = t("report.config", channel=outcome.channel, reason=reason) + hint, "bold red"
        self._say(f"{head}\n{self._copied_line(message.copied, outcome.text or self.text)}", style)


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _format_name(fmt: str) -> str:
    """A format by the name the command line gives it (`--format text|markdown|html|xlsx`)."""
    return {"txt": "text", "md": "markdown"}.get(fmt, fmt)
