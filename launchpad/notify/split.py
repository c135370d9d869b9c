"""Splitting a long message into parts a robot accepts (WeCom Markdown: 4096 bytes of UTF-8).

A daily report with a long open list is easily 10 KB of Chinese. It is cut where a reader
would cut it — between sections (blank lines), else between lines — and a line longer than a
whole part is cut between characters, never inside one: not inside a UTF-8 sequence, and not
between an emoji and its modifier, variation selector or joiner (👍🏻, 👨‍💻 stay whole). Each
part of several is marked `(2/3)` so the group reads them in order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

_JOINER = "\u200d"
_MARKER_BUDGET = 48  # bytes kept free in every part for the "(part 10/12)" marker


def byte_length(text: str) -> int:
    return len(text.encode("utf-8"))


def _glued_to_previous(char: str) -> bool:
    """A character that must stay with the one before it."""
    code = ord(char)
    return (unicodedata.combining(char) != 0 or char == _JOINER or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F)


def _cut_characters(line: str, budget: int) -> list[str]:
    """A line longer than `budget` bytes, in pieces of at most `budget` bytes each."""
    pieces: list[str] = []
    start, size = 0, 0
    for index, char in enumerate(line):
        width = byte_length(char)
        if size + width > budget and index > start:
            cut = index
            # Step back over a cluster that would be torn: a modifier, or the char after a joiner.
            while cut > start + 1 and (_glued_to_previous(line[cut]) or line[cut - 1] == _JOINER):
                cut -= 1
            pieces.append(line[start:cut])
            start = cut
            size = byte_length(line[start:index])
        size += width
    pieces.append(line[start:])
    return pieces


def split_message(text: str, limit: int, marker: Callable[[int, int], str] | None = None) -> list[str]:
    """`text` in parts of at most `limit` UTF-8 bytes each (marker included); one part when it
    fits. `marker(part, parts)` gives the text that opens each part of several."""
    if byte_length(text) <= limit:
        return [text]
    budget = limit - _MARKER_BUDGET
    if budget < 16:
        raise ValueError(f"a limit of {limit} bytes leaves no room for text")
    lines: list[str] = []
    for line in text.splitlines(keepends=True):
        lines.extend(_cut_characters(line, budget) if byte_length(line) > budget else [line])
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        width = byte_length(line)
        if current and size + width > budget:
            keep = _section_break(current)
            parts.append("".join(current[:keep]))
            current = current[keep:]
            size = sum(byte_length(piece) for piece in current)
        current.append(line)
        size += width
    if current:
        parts.append("".join(current))
    parts = [part.strip("\n") for part in parts if part.strip()]
    if len(parts) > 1 and marker is not None:
        parts = [marker(number, len(parts)) + "\n" + part for number, part in enumerate(parts, 1)]
    return parts


def _section_break(lines: list[str]) -> int:
    """Where to end a full part: after its last blank line when that keeps at least half of
    it (the next section starts whole), else after its last line."""
    total = sum(byte_length(line) for line in lines)
    size = 0
    best = len(lines)
    for index, line in enumerate(lines):
        size += byte_length(line)
        if not line.strip() and size >= total / 2:
            best = index + 1
    return best
