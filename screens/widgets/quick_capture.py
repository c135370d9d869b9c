"""Quick capture: one line typed while the client is still talking becomes an issue.

    P1 @张三 #登录 !明天 登录页点提交后白屏

The tokens are read as they are typed — by `parse_quick_capture`, the one `launchpad issue add`
uses — and what they say is shown under the line, so a wrong date or owner is seen before
Enter, not in tonight's report. Enter hands the issue to the screen, empties the line and keeps
the focus: the next issue can be typed at once, ten in a row without the mouse. A chat pasted
into the line goes to the paste-intake dialog, where every line of it is accounted for.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from launchpad.errors import LaunchpadError
from launchpad.issues.capture import parse_quick_capture
from launchpad.issues.display import field_label
from launchpad.issues.model import IssueDraft
from launchpad.session import Session
from screens.support.i18n import current_language, error_says, t


class CaptureInput(Input):
    """The capture line. A line takes one line of a paste and drops the rest without a word; a
    paste of several lines is a chat, so it goes to the paste-intake dialog whole instead."""

    def _on_paste(self, event: events.Paste) -> None:
        if sum(1 for line in event.text.splitlines() if line.strip()) > 1:
            event.stop()
            event.prevent_default()
            self.post_message(QuickCaptureBar.ChatPasted(event.text))


class QuickCaptureBar(Vertical):
    DEFAULT_CSS = """
    QuickCaptureBar {
        height: auto;
        & > Horizontal { height: 1; }
        & #capture-prompt { width: auto; padding: 0 1; color: $accent; text-style: bold; }
        & #capture-input { width: 1fr; }
        & #capture-preview { height: auto; padding: 0 1; }
    }
    """

    class Captured(Message):
        """Enter on a line that reads as an issue."""

        def __init__(self, draft: IssueDraft) -> None:
            super().__init__()
            self.draft = draft

    class ChatPasted(Message):
        """Several lines pasted into the line: a chat, for the paste-intake dialog."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, session: Session, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session = session

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(t("capture.prompt"), id="capture-prompt")
            yield CaptureInput(placeholder=t("capture.placeholder"), id="capture-input", compact=True)
        yield Static(self.hint(), id="capture-preview")

    @property
    def input(self) -> Input:
        return self.query_one("#capture-input", Input)

    def relabel(self) -> None:
        self.query_one("#capture-prompt", Static).update(t("capture.prompt"))
        self.input.placeholder = t("capture.placeholder")
        self.show_preview(self.input.value)

    def hint(self) -> Text:
        return Text(t("capture.hint"), style="dim")

    def read(self, line: str) -> IssueDraft:
        """The draft a line gives; raises LaunchpadError (a date it cannot read, no title)."""
        return parse_quick_capture(line, self.session.today(), self.session.people).to_draft()

    def show_preview(self, line: str) -> None:
        preview = self.query_one("#capture-preview", Static)
        if not line.strip():
            preview.update(self.hint())
            return
        try:
            draft = self.read(line)
        except LaunchpadError as error:
            preview.update(Text(f"✗ {error_says(error, hint=False)}", style="yellow"))
            return
        preview.update(describe_draft(draft))

    def show_added(self, text: str) -> None:
        """What the last Enter logged, until the next line is typed."""
        self.query_one("#capture-preview", Static).update(Text(f"✓ {text}", style="green"))

    def show_failed(self, text: str) -> None:
        self.query_one("#capture-preview", Static).update(Text(f"✗ {text}", style="bold red"))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_preview(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            return
        try:
            draft = self.read(event.value)
        except LaunchpadError as error:
            self.show_failed(error_says(error))
            self.app.bell()
            return
        self.input.value = ""
        self.post_message(self.Captured(draft))


def describe_draft(draft: IssueDraft) -> Text:
    """`P1 · 负责人 张三 · 模块 登录 · 截止 01-02 周二 · 登录页白屏`: what Enter would log."""
    lang = current_language()
    text = Text.assemble((draft.severity, "bold"))
    for name, value in (("owner", draft.owner), ("module", draft.module)):
        if value:
            text.append(f" · {field_label(name, lang)} ")
            text.append(value, style="bold")
    if draft.due is not None:
        text.append(f" · {field_label('due', lang)} ")
        text.append(f"{draft.due:%m-%d} {t(f'weekday.{draft.due.weekday()}')}", style="bold")
    text.append(" · ")
    text.append(draft.title, style="cyan")
    return text
