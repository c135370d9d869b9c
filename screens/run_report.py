"""A finished run as the client reads it: the run report (who ran what, when, on which
environment, each step's result and evidence), opened from whatever it proves — a go-live item
proved by a run opens here with o. Read in a worker through the core's `report.run`, the same
report `launchpad runs show` prints; every value in it is text, never markup."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from screens.base import LaunchpadScreen
from screens.support.i18n import t


class RunReportRead(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class RunReportScreen(LaunchpadScreen):
    BINDINGS = [Binding("escape", "back", "key.back", id="run_report.back")]

    def __init__(self, run_id: int) -> None:
        super().__init__()
        self.run_id = run_id
        self.text = ""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="run-report"):
            yield Static(t("rr.reading", id=self.run_id), id="run-report-text")

    def screen_title(self) -> str:
        return t("rr.subtitle", id=self.run_id)

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = self.screen_title()
        self.read_report()

    def relabel(self) -> None:
        super().relabel()
        self.read_report()  # the report itself is in the UI's language

    @work(thread=True, exclusive=True, exit_on_error=False, group="run-report")
    def read_report(self) -> None:
        from launchpad.report.run import collect_run, render_run

        session = self.launchpad.session
        assert session is not None, "the run report opens on an open workspace"
        site = session.workspace.site
        report = collect_run(session.store(), site, self.run_id)
        text = render_run(report, "text", str(self.launchpad.language), site.site.timezone, session.workspace.root)
        self.post_message(RunReportRead(text))

    def on_run_report_read(self, message: RunReportRead) -> None:
        self.text = message.text
        self.query_one("#run-report-text", Static).update(Text(message.text))

    def action_back(self) -> None:
        self.app.pop_screen()
