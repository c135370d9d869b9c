"""Text with Chinese in it, wrapped where a Chinese reader breaks a line.

Textual wraps at spaces. A Chinese title has none, so it is one long word: after `#1 [P1] ` it
does not fit the rest of the line and starts a line of its own, leaving `#1 [P1]` alone above it.
`WideText` breaks between any two Chinese characters as well, at spaces elsewhere, keeps a run
of narrow characters (a date, an id, an English word) whole where it fits, never starts a line
with a closing mark (，。）…) nor ends one with an opening mark (（《“…). The lines it hands
Textual fit, so Textual keeps them. (launchpad/cli/widetext.py does the same for the command
line's help, on plain strings; the TUI may not import the command line.)"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

# Marks a line must not start with: they stay with the character before them.
_NO_LINE_START = frozenset("，。、；：？！）】》」』”’,.;:)]!?")
# Marks a line must not end with: they go with the character after them.
_NO_LINE_END = frozenset("（【《「『“‘")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


class WideText:
    """A Rich renderable: `text` wrapped at the width it is given, its styles kept."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield wrap_wide(self.text, options.max_width)


def wrap_wide(text: Text, width: int) -> Text:
    """`text` with a line break wherever a line would pass `width` columns."""
    lines: list[Text] = []
    for line in text.split("\n", allow_blank=True):
        for part in line.divide(_breaks(line.plain, max(width, 1))):
            part.rstrip()
            lines.append(part)
    return Text("\n").join(lines)


def _tokens(plain: str) -> Iterator[tuple[int, int]]:
    """Spans that are not broken inside (unless one alone is too wide): a run of spaces, a wide
    character, a run of narrow ones; a closing mark goes with what comes before it, an opening
    mark with what comes after it."""
    start = 0
    for index in range(1, len(plain) + 1):
        if index < len(plain):
            before, char = plain[index - 1], plain[index]
            if char in _NO_LINE_START and not before.isspace():
                continue
            if before in _NO_LINE_END and not char.isspace():
                continue
            if before.isspace() == char.isspace() and not _wide(before) and not _wide(char):
                continue
        yield start, index
        start = index


def _breaks(plain: str, width: int) -> list[int]:
    breaks: list[int] = []
    column = 0
    for start, end in _tokens(plain):
        token = plain[start:end]
        size = cell_len(token)
        if token.isspace():
            column += size  # a space at the end of a line is dropped, never carried over
            continue
        if column + size > width and column > 0:
            breaks.append(start)
            column = 0
        for index, char in enumerate(token):
            # a token wider than a whole line (a long path) is cut where the line ends
            if column + cell_len(char) > width and column > 0:
                breaks.append(start + index)
                column = 0
            column += cell_len(char)
    return breaks
