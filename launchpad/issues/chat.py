"""Paste intake: text copied from a WeChat, WeCom, DingTalk or Feishu chat becomes candidate
messages, each with its original sender and time, and the chosen ones become issues.

What the apps copy differs: WeCom desktop writes `王芳@市人社局 2024-11-20 09:15:32` above
each message with blank lines between; WeChat PC writes `王芳 2024/11/20 9:15` with none;
WeChat mobile writes `孙伟 昨天 下午6:31` and lone time lines (`昨天 18:30`) between groups;
others put sender and time on the message's own line (`[2026-11-21 16:01] 吴工: …`,
`14:32 张三：…`); a forwarded record reads `王芳：登录不上`. `chat_lines` tells which line is
what, `chat_stamps` when each message was sent.

Nothing pasted is lost without a word: every line ends up in exactly one message, or among the
lines set aside that the person is shown (history separators, recall notices, time dividers, an
image with no sender), or is blank. Text before the first header is a message whose sender
was not copied. A message with no words (only `[图片]`) is listed but is not an issue alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from launchpad.errors import UsageError
from launchpad.issues.chat_lines import PLACEHOLDERS, ChatLine, read_lines
from launchpad.issues.chat_stamps import ChatCalendar
from launchpad.issues.model import IssueDraft
from launchpad.phrases import Phrase, phrase

TITLE_CHARS = 40
_PLACEHOLDER = re.compile(rf"[\[［](?:{PLACEHOLDERS})[\]］]", re.IGNORECASE)
_MENTION = re.compile(r"^(?:[@＠]\S+\s*)+")


@dataclass(frozen=True)
class ChatMessage:
    number: int  # 1-based, as shown to the person choosing
    sender: str  # "" when the header was not copied
    sent_at: datetime | None  # UTC; None when the paste had no time for it
    text: str
    lines: tuple[int, ...] = ()  # the pasted lines (1-based, blank ones aside) it was read from

    @property
    def first_line(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")

    @property
    def title(self) -> str:
        """The first line with words, without image placeholders and @mentions; "" for none."""
        for line in self.text.splitlines():
            cleaned = _MENTION.sub("", _PLACEHOLDER.sub("", line)).strip()
            if cleaned:
                return cleaned if len(cleaned) <= TITLE_CHARS else cleaned[: TITLE_CHARS - 1] + "…"
        return ""


@dataclass(frozen=True)
class SetAsideLine:
    """A pasted line that is part of no message: a system line, a divider, a lone placeholder."""

    number: int
    text: str
    kind: str  # notice, divider, attachment

    @property
    def why(self) -> Phrase:
        return phrase(f"chat.set_aside.{self.kind}")


@dataclass(frozen=True)
class ChatPaste:
    messages: list[ChatMessage]
    set_aside: list[SetAsideLine]
    line_count: int
    blank_lines: tuple[int, ...] = ()

    def as_dict(self, zone: ZoneInfo) -> dict[str, object]:
        """For `--json`: every message whole, with its sender, site-local time and lines."""
        return {"lines": self.line_count,
                "messages": [{"number": m.number, "sender": m.sender,
                              "sent_at": m.sent_at.astimezone(zone).isoformat() if m.sent_at else None,
                              "text": m.text, "has_text": bool(m.title), "lines": list(m.lines)}
                             for m in self.messages],
                "set_aside": [{"line": line.number, "kind": line.kind, "text": line.text}
                              for line in self.set_aside],
                "blank_lines": list(self.blank_lines)}


@dataclass
class _Reading:
    sender: str
    headed: bool  # under a header of its own line, which owns the placeholders below it
    sent_at: datetime | None = None
    body: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    def add(self, line: ChatLine, text: str) -> None:
        self.body.append(text)
        self.lines.append(line.number)


def parse_chat(text: str, zone: ZoneInfo, now: datetime) -> ChatPaste:
    """The messages in a pasted chat, in order, and the lines set aside; `now` is the moment of
    pasting (a bare clock is read as a time before it, in `zone`)."""
    lines = read_lines(text)
    readings: list[_Reading] = []
    stamps: list[tuple[bool, re.Match[str]]] = []  # dividers' and headers' times, in paste order
    timed: list[_Reading] = []  # the readings whose header gave a time, in the same order
    set_aside: list[SetAsideLine] = []
    current: _Reading | None = None
    for line in lines:
        if line.kind == "blank":
            if current is not None:
                current.body.append("")
        elif line.kind in ("notice", "divider"):
            if line.kind == "divider" and line.stamp is not None:
                stamps.append((True, line.stamp))
            set_aside.append(SetAsideLine(line.number, line.raw.strip(), line.kind))
            current = None  # what follows without a header is not this message's
        elif line.kind == "header":
            current = _Reading(line.sender, headed=not line.said)
            current.lines.append(line.number)
            if line.said:
                current.body.append(line.said)
            if line.stamp is not None:
                stamps.append((False, line.stamp))
                timed.append(current)
            readings.append(current)
        elif line.kind == "placeholder" and (current is None or not current.headed):
            # An image or file is a message of its own; with no header, nobody is known to have sent it.
            set_aside.append(SetAsideLine(line.number, line.raw.strip(), "attachment"))
        else:
            if current is None:  # the copy began inside a message: its header was not copied
                current = _Reading("", headed=False)
                readings.append(current)
            current.add(line, line.raw.rstrip())
    moments = ChatCalendar(zone, now).read(stamps)
    for reading, moment in zip(timed, [m for (divider, _), m in zip(stamps, moments, strict=True) if not divider],
                               strict=True):
        reading.sent_at = moment
    messages = [ChatMessage(number, r.sender, r.sent_at, _trim(r.body), tuple(r.lines))
                for number, r in enumerate(readings, 1)]
    return ChatPaste(messages, set_aside, len(lines),
                     tuple(line.number for line in lines if line.kind == "blank"))


def _trim(body: list[str]) -> str:
    return "\n".join(line.strip() if line.startswith(("  ", "\t")) else line for line in body).strip()


def draft_from_messages(messages: list[ChatMessage], zone: ZoneInfo, channel: str = "group") -> IssueDraft:
    """One issue from one or more messages: the first sender reported it, at the first time;
    the title is the first real line; every message is quoted with its sender and time.
    Messages without a word (only `[图片]`) are refused alone: an issue needs a title."""
    if not messages:
        raise UsageError(phrase("error.chat_none_chosen"))
    first = messages[0]
    title = next((message.title for message in messages if message.title), "")
    if not title:
        numbers = "+".join(str(message.number) for message in messages)
        raise UsageError(phrase("error.chat_no_words", numbers=numbers,
                                line=first.first_line or phrase("error.chat_empty")),
                         hint=phrase("error.chat_no_words_hint"))
    quoted = [quoted_message(message, zone) for message in messages]
    return IssueDraft(title=title, description="\n\n".join(quoted),
                      reporter=first.sender, channel=channel, reported_at=first.sent_at)


def quoted_message(message: ChatMessage, zone: ZoneInfo) -> str:
    when = message.sent_at.astimezone(zone).strftime("%m-%d %H:%M") if message.sent_at else ""
    head = " ".join(part for part in (message.sender, when) if part)
    return f"{head}:\n{message.text}" if head else message.text


def parse_selection(spec: str, count: int) -> list[list[int]]:
    """`1,3,5+6,8-10` → [[1], [3], [5, 6], [8], [9], [10]]: commas separate issues, `+` merges
    messages into one issue, a range is one issue per message."""
    groups: list[list[int]] = []
    for part in re.split(r"[,，\s]+", spec.strip()):
        if not part:
            continue
        try:
            if "+" in part:
                groups.append([int(n) for n in part.split("+")])
            elif "-" in part:
                low, high = (int(n) for n in part.split("-", 1))
                groups.extend([n] for n in range(low, high + 1))
            else:
                groups.append([int(part)])
        except ValueError:
            raise UsageError(phrase("error.chat_selection", part=part, spec=spec),
                             hint=phrase("error.chat_selection_hint")) from None
    wrong = sorted({n for group in groups for n in group if not 1 <= n <= count})
    if wrong:
        raise UsageError(phrase("error.chat_no_message", number=wrong[0], count=count))
    return groups
