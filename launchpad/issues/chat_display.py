"""A pasted chat as terminal text: one line per message for choosing, each message whole for
`issue paste --dry-run`, and the lines set aside, so nothing pasted disappears unseen.

The text is what people typed in a chat: control characters (an escape sequence pasted along)
are shown as `\\x1b` rather than sent to the terminal.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from launchpad.issues.chat import ChatMessage, ChatPaste
from launchpad.phrases import Lang, phrase, render


def visible(text: str) -> str:
    """`text` with control characters (other than line breaks and tabs) written as escapes."""
    return "".join(f"\\x{ord(char):02x}" if (ord(char) < 32 and char not in "\n\t") or ord(char) == 127
                   else char for char in text)


def when(message: ChatMessage, zone: ZoneInfo) -> str:
    return message.sent_at.astimezone(zone).strftime("%m-%d %H:%M") if message.sent_at else "—"


def message_line(message: ChatMessage, zone: ZoneInfo, lang: Lang) -> str:
    """`  3  11-21 16:01  吴工: 服务器又卡了`; a message with no words says it is not an issue alone."""
    head = f"{message.number:>3}  {when(message, zone)}  {visible(message.sender) or '—'}"
    if not message.title:
        return f"{head}: {visible(message.first_line[:60])} ({render(phrase('chat.no_words'), lang)})"
    return f"{head}: {visible(message.first_line[:60])}"


def message_whole(message: ChatMessage, zone: ZoneInfo, lang: Lang) -> str:
    """The header line, then every line of the message indented, as the chat had it."""
    body = "\n".join(f"       {line}" for line in visible(message.text).splitlines())
    lines = render(phrase("chat.lines", lines=_spans(message.lines)), lang)
    note = "" if message.title else f" ({render(phrase('chat.no_words'), lang)})"
    return f"{message.number:>3}  {when(message, zone)}  {visible(message.sender) or '—'}  [{lines}]{note}\n{body}"


def set_aside_listing(paste: ChatPaste, lang: Lang) -> list[str]:
    """The lines that are part of no message, under a heading that counts them; [] for none."""
    if not paste.set_aside:
        return []
    heading = render(phrase("chat.set_aside", count=len(paste.set_aside), total=paste.line_count), lang)
    return [heading, *(f"  {render(phrase('chat.line', number=line.number), lang)}  "
                       f"{render(line.why, lang)}: {visible(line.text)}" for line in paste.set_aside)]


def _spans(numbers: tuple[int, ...]) -> list[str]:
    """(3, 4, 5, 7) → ["3-5", "7"], a list the sentence joins ("3-5, 7" / "3-5、7")."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return [str(a) if a == b else f"{a}-{b}" for a, b in spans]
