"""Paste intake: text copied from a WeChat or WeCom chat becomes candidate messages, each
with its original sender and time, and the chosen ones become issues.

What the apps copy differs: WeCom desktop writes `王芳@市人社局 2024-11-20 09:15:32` above
each message with blank lines between; WeChat PC writes `王芳 2024/11/20 9:15` with none;
WeChat mobile writes `孙伟 昨天 下午6:31` and lone time lines (`昨天 18:30`) between groups;
a forwarded record reads `王芳：登录不上`. A message may span lines and carry emoji, `[图片]`
or full-width punctuation. The hard part is a message line that happens to end in a time
(`下午的培训改到 14:30`): it must stay text. Two rules keep it so, both read from the paste
itself: where headers are separated by blank lines, a header must follow one; and where most
headers carry a full date, a line with a vaguer stamp is text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from launchpad.errors import UsageError
from launchpad.issues.dates import nearest_year
from launchpad.issues.model import IssueDraft

_CLOCK = (r"(?:(?P<half>上午|下午|中午|晚上|凌晨|早上|am|pm)\s*)?"
          r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s*(?P<half2>am|pm))?")
_DAY = (r"(?:(?P<y>\d{4})[-/.年](?P<ym>\d{1,2})[-/.月](?P<yd>\d{1,2})日?"
        r"|(?P<mo>\d{1,2})[-/月](?P<md>\d{1,2})日?"
        r"|(?P<rel>昨天|前天|今天)|(?:星期|周)(?P<wd>[一二三四五六日天]))")
_STAMP = rf"(?:{_DAY}\s*)?{_CLOCK}"
_SENDER_THEN_STAMP = re.compile(rf"^(?P<sender>\S.{{0,30}}?)\s+[(\[]?{_STAMP}[)\]]?$", re.IGNORECASE)
_STAMP_THEN_SENDER = re.compile(rf"^\[?(?P<stamp>{_STAMP})\]?\s+(?P<sender>\S.{{0,30}}?)[:]?$", re.IGNORECASE)
_STAMP_ONLY = re.compile(rf"^{_STAMP}$", re.IGNORECASE)
_INLINE = re.compile(r"^(?P<sender>[^\s:：，,。]{1,20})[:：]\s*(?P<text>\S.*)$")
_SENTENCE_MARKS = re.compile(r"[，。！？；,!?;]")
_WEEKDAY_NUMBER = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


@dataclass(frozen=True)
class ChatMessage:
    number: int  # 1-based, as shown to the person choosing
    sender: str
    sent_at: datetime | None  # UTC; None when the paste had no times
    text: str

    @property
    def first_line(self) -> str:
        return next((line.strip() for line in self.text.splitlines() if line.strip()), "")


@dataclass(frozen=True)
class _Header:
    line: int
    sender: str
    match: re.Match[str]
    after_blank: bool

    @property
    def shape(self) -> str:
        groups = self.match.groupdict()
        return "full" if groups["y"] else "dated" if groups["mo"] else "relative" if (
            groups["rel"] or groups["wd"]) else "clock"


def parse_chat(text: str, zone: ZoneInfo, today: date) -> list[ChatMessage]:
    """The messages in a pasted chat, in order; `today` is the site's date when pasting."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    normal = [unicodedata.normalize("NFKC", line).strip() for line in lines]
    headers = _headers(lines, normal)
    if headers:
        return _messages_under_headers(lines, normal, headers, zone, today)
    inline = _inline_messages(lines)
    if inline:
        return inline
    body = text.strip()
    return [ChatMessage(1, "", None, body)] if body else []


def _headers(lines: list[str], normal: list[str]) -> list[_Header]:
    found: list[_Header] = []
    for number, line in enumerate(normal):
        if _STAMP_ONLY.match(line):
            continue  # a lone time between groups of messages, not a sender
        match = _SENDER_THEN_STAMP.match(line) or _STAMP_THEN_SENDER.match(line)
        if match and not _SENTENCE_MARKS.search(match["sender"]):
            after_blank = number == 0 or not normal[number - 1]
            found.append(_Header(number, _original(lines[number], line, match), match, after_blank))
    if not found:
        return found
    if sum(h.after_blank for h in found) >= 0.8 * len(found):
        found = [h for h in found if h.after_blank]
    if sum(h.shape == "full" for h in found) >= 0.66 * len(found):
        found = [h for h in found if h.shape == "full"]
    return found


def _messages_under_headers(lines: list[str], normal: list[str], headers: list[_Header],
                            zone: ZoneInfo, today: date) -> list[ChatMessage]:
    messages: list[ChatMessage] = []
    context_day: date | None = None
    bounds = [h.line for h in headers] + [len(lines)]
    # Lone stamps before the first header only set the day (WeChat mobile's group times).
    for line in normal[: headers[0].line]:
        if stamp := _STAMP_ONLY.match(line):
            context_day = _day_of(stamp, today) or today
    for index, header in enumerate(headers):
        context_day = _day_of(header.match, today) or context_day
        sent_at = _moment(header.match, context_day or today, zone)
        body: list[str] = []
        for raw, line in zip(lines[header.line + 1: bounds[index + 1]],
                             normal[header.line + 1: bounds[index + 1]], strict=True):
            if stamp := _STAMP_ONLY.match(line):
                # A lone clock is how WeChat heads today's messages.
                context_day = _day_of(stamp, today) or today
                continue
            body.append(raw.rstrip())
        messages.append(ChatMessage(len(messages) + 1, header.sender, sent_at, _trim(body)))
    return messages


def _original(raw: str, normal: str, match: re.Match[str]) -> str:
    """The sender as the app wrote it (张三（实施）), not as normalised for matching, when the
    normalisation kept every character in place."""
    stripped = raw.strip()
    if len(stripped) == len(normal):
        return stripped[match.start("sender"): match.end("sender")].strip()
    return match["sender"].strip()


def _inline_messages(lines: list[str]) -> list[ChatMessage]:
    """`王芳：登录不上` lines, as a forwarded record or a hand-typed summary reads."""
    first = next((line for line in lines if line.strip()), "")
    starts = [_INLINE.match(line.strip()) for line in lines]
    if not _INLINE.match(first.strip()) or sum(1 for m in starts if m) < 2:
        return []
    collected: list[tuple[str, list[str]]] = []
    for line, match in zip(lines, starts, strict=True):
        if match and not line[:1].isspace():
            collected.append((match["sender"], [match["text"]]))
        elif collected:
            collected[-1][1].append(line.rstrip())
    return [ChatMessage(n, sender, None, _trim(body)) for n, (sender, body) in enumerate(collected, 1)]


def _trim(body: list[str]) -> str:
    return "\n".join(line.strip() if line.startswith(("  ", "\t")) else line for line in body).strip()


def _day_of(match: re.Match[str], today: date) -> date | None:
    """The calendar day a stamp names, or None for a bare clock (the day carries over)."""
    groups = match.groupdict()
    if groups["y"]:
        return date(int(groups["y"]), int(groups["ym"]), int(groups["yd"]))
    if groups["mo"]:
        # Chat times are in the past: a 12-28 pasted on 01-03 is last year's.
        day = nearest_year(today, int(groups["mo"]), int(groups["md"]))
        return day.replace(year=day.year - 1) if day > today else day
    if groups["rel"]:
        return today - timedelta(days={"今天": 0, "昨天": 1, "前天": 2}[groups["rel"]])
    if groups["wd"]:
        # WeChat names the weekday for the last week; today and yesterday have their own words.
        back = (today.weekday() - _WEEKDAY_NUMBER[groups["wd"]]) % 7 or 7
        return today - timedelta(days=back)
    return None


def _moment(match: re.Match[str], day: date, zone: ZoneInfo) -> datetime | None:
    hour, minute = int(match["h"]), int(match["m"])
    half = (match["half"] or match["half2"] or "").lower()
    if half in ("下午", "晚上", "pm") and hour < 12:
        hour += 12
    elif half in ("凌晨", "上午", "早上", "am") and hour == 12:
        hour = 0
    try:
        local = datetime.combine(day, time(hour, minute, int(match["s"] or 0)), tzinfo=zone)
    except ValueError:
        return None  # 25:61 is not a time; the message keeps its text without one
    return local.astimezone(UTC)


_PLACEHOLDER = re.compile(r"\[(?:图片|表情|语音|视频|文件|动画表情|image|photo|sticker)\]", re.IGNORECASE)
_MENTION = re.compile(r"^(?:[@＠]\S+\s*)+")
TITLE_CHARS = 40


def draft_from_messages(messages: list[ChatMessage], zone: ZoneInfo, channel: str = "group") -> IssueDraft:
    """One issue from one or more messages: the first sender reported it, at the first time;
    the title is the first real line; every message is quoted with its sender and time."""
    if not messages:
        raise UsageError("no messages chosen")
    first = messages[0]
    title = ""
    for message in messages:
        for line in message.text.splitlines():
            cleaned = _MENTION.sub("", _PLACEHOLDER.sub("", line)).strip()
            if cleaned:
                title = cleaned
                break
        if title:
            break
    if len(title) > TITLE_CHARS:
        title = title[: TITLE_CHARS - 1] + "…"
    quoted = [_quote(message, zone) for message in messages]
    return IssueDraft(title=title or first.first_line or "(chat)", description="\n\n".join(quoted),
                      reporter=first.sender, channel=channel, reported_at=first.sent_at)


def _quote(message: ChatMessage, zone: ZoneInfo) -> str:
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
            raise UsageError(f"cannot read {part!r} in the selection {spec!r}",
                             hint="write message numbers like 1,3,5+6 (5 and 6 merged into one issue)") from None
    wrong = sorted({n for group in groups for n in group if not 1 <= n <= count})
    if wrong:
        raise UsageError(f"no message {wrong[0]}: the paste has {count} messages")
    return groups
