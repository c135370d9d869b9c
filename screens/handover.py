"""The handover screen: what the next engineer must know — runs in progress or interrupted,
user imports not finished or not handed out, sign-offs and approvals waiting, today's and
tonight's releases, open P0/P1 issues, backups older than a day, late go-live items. `o` on
the dashboard opens it; `y` copies the Markdown for pasting into the team's chat.

It shows what `launchpad handover` prints: the same core use case
(`launchpad.handover.collect.collect_handover`), read in a worker on the session's clock, and
the same text (`render_handover`), shown as plain text — never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from launchpad.handover.collect import Handover
from screens.base import LaunchpadScreen
from screens.support.i18n import current_language, t
from screens.widgets.wide_text import WideText


class HandoverRead(Message):
    def __init__(self, handover: Handover) -> None:
        super().__init__()
        self.handover = handover


class HandoverScreen(LaunchpadScreen):
    BINDINGS = [
        Binding("y", "copy", "key.ho_copy", id="handover.copy"),
        Binding("u", "refresh", "key.refresh", id="handover.refresh"),
        Binding("escape", "back", "key.back", id="handover.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.handover: Handover | None = None

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="handover-scroll"):
            yield Static(t("ho.reading"), id="handover-text")

    def screen_title(self) -> str:
        return t("ho.subtitle")

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = self.screen_title()
        self.read_handover()

    @work(thread=True, exclusive=True, exit_on_error=False, group="handover")
    def read_handover(self) -> None:
        from launchpad.handover.collect import collect_handover

        self.post_message(HandoverRead(collect_handover(self.session, current_language())))

    def on_handover_read(self, message: HandoverRead) -> None:
        self.handover = message.handover
        self.show()

    def relabel(self) -> None:
        super().relabel()
        if self.handover is not None:
            self.read_handover()  # issue statuses are named in the language on screen

    def text(self, fmt: str = "text") -> str:
        from launchpad.handover.render import render_handover

        assert self.handover is not None
        return render_handover(self.handover, fmt, current_language())

    def show(self) -> None:
        if self.handover is None:
            return
        # Titles and names are people's words: Text(), never markup.
        self.query_one("#handover-text", Static).update(WideText(Text(self.text())))

    def action_refresh(self) -> None:
        self.read_handover()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_copy(self) -> None:
        if self.handover is None:
            return
        from launchpad.report.publish import copy_text

        text = self.text("markdown")
        tool = copy_text(text)
        if tool is None:
            self.app.copy_to_clipboard(text)  # the terminal's clipboard (OSC 52)
        self.notify(t("ho.copied"))
