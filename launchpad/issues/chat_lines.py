"""What each line of a pasted chat is, before any line is given to a message.

A line is blank; a system line the app wrote (a history separator `—— 以下是新消息 ——`, a recall
notice `王芳撤回了一条消息`, a group notice); a divider (a lone day or time heading the messages
after it, `昨天 18:30`); a placeholder for an image or file (`[图片]`); a header; or text. Headers
come in three styles, each with the message on the same line after a colon or on the lines below:

- stamp first: `[2026-11-21 16:01] 吴工: 服务器又卡了`, `14:32 张三：收到`, `2024-11-20 09:15 王芳`
- sender first: `王芳@市人社局 2024-11-20 09:15:32`, `孙伟 昨天 下午6:31`, `吴工 16:01：好的`
- inline, without a time: `王芳：登录不上`, as a forwarded record reads

A message line can look like a header (`下午的培训改到 14:30`). Which lines are headers is read
from the paste as a whole, since one app writes one style: the style most lines have wins;
where headers are separated by blank lines, a header must follow one (but the first, as a copy
may begin inside a message); where at least half the headers carry a full date, a line with a
vaguer stamp is text; inline headers count only in a paste without times that starts with one.
Lines are matched NFKC-normalised (full-width colons and brackets read as half-width ones), but
what a message keeps is the text as pasted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from launchpad.issues.chat_stamps import DAY_ONLY, RULE, STAMP, STAMP_ONLY, shape

_OPEN, _CLOSE = r"[\[(【]", r"[\])】]"
_SAID = r"(?::\s*(?P<said>.*))?"
_STAMP_FIRST = re.compile(
    rf"^(?P<open>{_OPEN})?{STAMP}(?(open){_CLOSE}\s*|\s+)(?P<sender>[^:]{{1,30}}?)\s*{_SAID}$", re.IGNORECASE)
_SENDER_FIRST = re.compile(
    rf"^(?P<sender>[^\s:][^:]{{0,29}}?)(?:\s*(?P<open>{_OPEN})|\s+){STAMP}(?(open){_CLOSE})\s*{_SAID}$",
    re.IGNORECASE)
_INLINE = re.compile(r"^(?P<sender>[^\s:,。]{1,20}):\s*(?P<said>\S.*)$")
_SENTENCE_MARKS = re.compile(r"[,。!?;，！？；]")
_LETTER = re.compile(r"[^\W\d_]")
PLACEHOLDERS = ("图片|表情|动画表情|语音|视频|文件|链接|位置|名片|聊天记录|红包|语音通话|视频通话"
                "|image|photo|sticker|file|video|voice")  # what the apps copy in place of a non-text message
_PLACEHOLDER_LINE = re.compile(rf"^(?:\[(?:{PLACEHOLDERS})\]\s*)+$", re.IGNORECASE)
_NOTICE = re.compile(
    rf"^(?:{RULE}(?:以[上下](?:是|为)(?:新|历史)消息|(?:查看)?更多(?:历史)?消息){RULE}"
    r"|[-—─━=~·_*]{3,}"
    r"|(?:你|\"?[^\s\"]{1,20}\"?\s?)撤回了一条(?:成员)?消息(?:\s*重新编辑)?"
    r"|.{1,60}(?:加入了群聊|退出了群聊|移出了群聊|修改群名为.{1,40})"
    r"|\"?[^\s\"]{1,20}\"?\s拍了拍\s.{1,40}"
    r"|.{1,30}(?:recalled a message|joined the group chat|left the group chat))$", re.IGNORECASE)


@dataclass(frozen=True)
class ChatLine:
    number: int  # 1-based, as a person counts the lines of the paste
    raw: str  # as pasted
    kind: str  # blank, notice, divider, placeholder, header, text
    stamp: re.Match[str] | None = None  # a header's or divider's time
    sender: str = ""
    said: str | None = None  # a header's message on its own line; None or "" when it heads the lines below
    style: str = ""  # a header's: stamp-first, sender-first, inline


def read_lines(text: str) -> list[ChatLine]:
    """Every line of the paste with what it is, its header candidates weighed against the whole."""
    raw_lines = text.lstrip("\ufeff").splitlines()
    return choose_headers([_read_line(number, raw) for number, raw in enumerate(raw_lines, 1)])


def _read_line(number: int, raw: str) -> ChatLine:
    normal, starts = _normalise(raw)
    if not normal:
        return ChatLine(number, raw, "blank")
    if stamp := STAMP_ONLY.match(normal) or DAY_ONLY.match(normal):
        return ChatLine(number, raw, "divider", stamp)
    if _PLACEHOLDER_LINE.match(normal):
        return ChatLine(number, raw, "placeholder")
    for style, pattern in (("stamp-first", _STAMP_FIRST), ("sender-first", _SENDER_FIRST)):
        match = pattern.match(normal)
        if match and not match["said"] and _NOTICE.match(match["sender"].strip()):
            return ChatLine(number, raw, "notice")  # `[16:01] 王芳撤回了一条消息`
        if match and _is_name(match["sender"]):
            return ChatLine(number, raw, "header", match, _original(raw, starts, match, "sender"),
                            _original(raw, starts, match, "said") if match["said"] is not None else None, style)
    if _NOTICE.match(normal):
        return ChatLine(number, raw, "notice")
    match = _INLINE.match(normal)
    if match and not raw[:1].isspace() and _is_name(match["sender"]) and not match["said"].startswith("//"):
        return ChatLine(number, raw, "header", None, _original(raw, starts, match, "sender"),
                        _original(raw, starts, match, "said"), "inline")
    return ChatLine(number, raw, "text")


def _is_name(sender: str) -> bool:
    sender = sender.strip()
    return bool(sender) and not sender.startswith("@") and not _SENTENCE_MARKS.search(sender) \
        and bool(_LETTER.search(sender))


def choose_headers(lines: list[ChatLine]) -> list[ChatLine]:
    """The same lines, with the header candidates the paste as a whole does not bear out read
    as text."""
    stamped = [line for line in lines if line.kind == "header" and line.style != "inline"]
    chosen = _stamped_headers(lines, stamped) if stamped else _inline_headers(lines)
    return [replace(line, kind="text") if line.kind == "header" and line.number not in chosen else line
            for line in lines]


def _stamped_headers(lines: list[ChatLine], stamped: list[ChatLine]) -> set[int]:
    counts = Counter(line.style for line in stamped)
    style = max(counts, key=lambda s: (counts[s], s == "stamp-first"))
    found = [line for line in stamped if line.style == style]
    # A divider or system line ends a stretch as a blank line does; and a copy may begin inside a
    # message, so the first header may follow its last line directly.
    boundary = {line.number for line in lines if line.kind in ("blank", "divider", "notice")}
    boundary.add(found[0].number - 1)
    after_blank = [line for line in found if line.number - 1 in boundary]
    if len(after_blank) >= 0.8 * len(found):
        found = after_blank
    full = [line for line in found if line.stamp is not None and shape(line.stamp) == "full"]
    if len(full) >= 0.5 * len(found):
        found = full
    return {line.number for line in found}


def _inline_headers(lines: list[ChatLine]) -> set[int]:
    inline = [line for line in lines if line.kind == "header"]
    first = next((line for line in lines if line.kind in ("header", "text", "placeholder")), None)
    if first is None or first.kind != "header" or len(inline) < 2:
        return set()
    return {line.number for line in inline}


def _normalise(raw: str) -> tuple[str, list[int]]:
    """The line NFKC-normalised and stripped, with the raw index each character came from."""
    chars: list[str] = []
    starts: list[int] = []
    for index, char in enumerate(raw):
        for piece in unicodedata.normalize("NFKC", char):
            chars.append(piece)
            starts.append(index)
    text = "".join(chars)
    left, right = len(text) - len(text.lstrip()), len(text.rstrip())
    return text[left:right], starts[left:right]


def _original(raw: str, starts: list[int], match: re.Match[str], group: str) -> str:
    """A matched part as the app wrote it (张三（实施）, 白屏了……), not as normalised."""
    begin, end = match.span(group)
    if begin >= end:
        return ""
    return raw[starts[begin]: starts[end - 1] + 1].strip()
