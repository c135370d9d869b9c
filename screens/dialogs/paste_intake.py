"""Paste intake: a stretch of a WeChat, WeCom, DingTalk or Feishu chat, pasted in, becomes issues.

The paste is read by `parse_chat` — the same reader as `launchpad issue paste` — into messages
with their original sender and time, listed as candidates; the lines that are in no message (a
history separator, a recall notice, an image nobody is named for) close the list, greyed, so
nothing pasted vanishes unseen. A message with no words is marked: it is no issue alone. Space picks the ones that are
issues; Ctrl+S logs each picked message as its own issue, Ctrl+G merges the picked ones into
one (a complaint told over three messages is one issue). The issues keep the first sender as
reporter and the first time as when it was reported, and quote every message in full.
Messages already logged (the same chat copied again) are skipped, as `issue paste` skips them;
the box beside the channel logs them again, as `issue paste --again` does.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Label, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from launchpad.errors import LaunchpadError
from launchpad.issues.chat import ChatMessage, SetAsideLine, parse_chat
from launchpad.issues.chat_display import visible, when
from launchpad.issues.chat_logged import drafts_for
from launchpad.issues.display import field_label, value_label
from launchpad.issues.model import CHANNELS, Issue
from launchpad.phrases import phrase
from launchpad.session import Session
from screens.dialogs.base import BaseDialog
from screens.support.i18n import current_language, error_says, said, t
from screens.support.messages import ChatParsed, IssuesAdded

PARSE_PAUSE = 0.15  # a paste arrives in one event; typing by hand pauses between keys


class PasteIntakeDialog(BaseDialog[list[Issue] | None]):
    BINDINGS = [
        Binding("ctrl+s", "log_each", "paste.each", id="paste.each"),
        Binding("ctrl+g", "merge", "paste.merge", id="paste.merge"),
    ]

    def __init__(self, session: Session, text: str = "") -> None:
        super().__init__(t("paste.title"), t("paste.body"))
        self.session = session
        self.initial_text = text  # a chat pasted into the capture line, read at once
        self.messages: list[ChatMessage] = []
        self.set_aside: list[SetAsideLine] = []
        self.generation = 0
        self._timer: Timer | None = None

    def compose_fields(self) -> ComposeResult:
        lang = current_language()
        yield TextArea(self.initial_text, id="paste-text", soft_wrap=True)
        yield Static(t("paste.none"), id="paste-count")
        yield SelectionList[int](id="paste-messages", compact=True)
        channels = [(value_label(code, lang), code) for code in CHANNELS]
        yield Horizontal(Label(field_label("channel", lang), classes="form-label"),
                         Select(channels, value="group", allow_blank=False, compact=True, id="paste-channel"),
                         Checkbox(t("paste.again"), False, id="paste-again", compact=True),
                         classes="form-row")

    def buttons(self) -> list[Button]:
        return [Button(t("paste.each"), id="each", variant="primary"), Button(t("paste.merge"), id="merge"),
                Button(t("dlg.cancel"), id="cancel")]

    def first_focus(self) -> Widget | None:
        return self.query_one("#paste-text", TextArea)

    # -- reading the paste --------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.initial_text:
            self._parse_now()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(PARSE_PAUSE, self._parse_now)

    def _parse_now(self) -> None:
        self.generation += 1
        self.parse(self.generation, self.query_one("#paste-text", TextArea).text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="paste-parse")
    def parse(self, generation: int, text: str) -> None:
        self.post_message(ChatParsed(generation, parse_chat(text, self.session.site.tz, self.session.now())))

    def on_chat_parsed(self, message: ChatParsed) -> None:
        message.stop()
        if message.generation != self.generation:
            return
        self.messages = message.paste.messages
        self.set_aside = message.paste.set_aside
        zone = self.session.site.tz
        listing = self.query_one("#paste-messages", SelectionList)
        listing.clear_options()
        options: list[Selection[int]] = []
        for chat in self.messages:
            prompt = f"{chat.number:>2} {when(chat, zone)} {chat.sender or '—'}: {chat.first_line}"
            if not chat.title:
                prompt += f" ({said(phrase('chat.no_words'))})"
            options.append(Selection(Content(visible(prompt)), chat.number))
        # The lines in no message close the list, greyed: seen, but not picked.
        for line in self.set_aside:
            prompt = f"{t('paste.line', number=line.number)} {said(line.why)}: {line.text}"
            options.append(Selection(Content(visible(prompt)), -line.number, disabled=True))
        listing.add_options(options)
        if self.messages:
            listing.highlighted = 0  # Space picks the first message at once
        counted = t("paste.found", count=len(self.messages)) if self.messages else t("paste.none")
        if self.set_aside:
            counted += " " + t("paste.set_aside", count=len(self.set_aside))
        self.query_one("#paste-count", Static).update(counted)

    # -- logging ------------------------------------------------------------------------------

    def action_log_each(self) -> None:
        self.answer("each")

    def action_merge(self) -> None:
        self.answer("merge")

    def answer(self, button_id: str) -> None:
        if button_id not in ("each", "merge"):
            self.dismiss(None)
            return
        chosen = sorted(self.query_one("#paste-messages", SelectionList).selected)
        if not chosen:
            self.say_problem(t("paste.choose"))
            return
        groups = [chosen] if button_id == "merge" else [[number] for number in chosen]
        channel = str(self.query_one("#paste-channel", Select).value)
        again = self.query_one("#paste-again", Checkbox).value
        for button in self.query(Button):
            button.disabled = button.id != "cancel"
        self.log_groups(groups, channel, again)

    @work(thread=True, exclusive=True, exit_on_error=False, group="paste-log")
    def log_groups(self, groups: list[list[int]], channel: str, again: bool) -> None:
        zone = self.session.site.tz
        by_number = {chat.number: chat for chat in self.messages}
        try:
            log = self.session.issue_log()
            # Messages already logged (a chat copied again) are skipped, as `issue paste` skips
            # them, unless the box asks for them again (`issue paste --again`).
            chosen = drafts_for(log, [[by_number[n] for n in group] for group in groups], zone, channel,
                                again=again)
            added = log.add_many(chosen.drafts)  # one transaction: all or none
        except LaunchpadError as error:
            self.post_message(IssuesAdded([], [("", error)]))
            return
        self.post_message(IssuesAdded(added, [], [said(line) for line in chosen.skipped_lines()]))

    def on_issues_added(self, message: IssuesAdded) -> None:
        message.stop()
        if message.refused:
            for button in self.query(Button):
                button.disabled = False
            self.say_problem(error_says(message.refused[0][1]))
            return
        if message.skipped and not message.added:
            for button in self.query(Button):
                button.disabled = False
            self.say_problem("\n".join([*message.skipped, t("paste.nothing_new"), self._again_hint()]))
            return
        if message.skipped:
            self.app.notify("\n".join([*message.skipped, self._again_hint()]), timeout=10)
        self.dismiss(message.added)

    @staticmethod
    def _again_hint() -> str:
        return t("paste.again_hint", label=t("paste.again"))
