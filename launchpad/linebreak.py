"""Where a line of text with Chinese in it may break, measured in terminal columns.

A Chinese sentence has no spaces and each character takes two columns, so wrapping at spaces
by characters (click's help, Textual's widgets) makes its lines twice the width or leaves a
label alone above a title. Both front ends break such text by this one rule: between any two
Chinese characters, at spaces elsewhere, a run of narrow characters (a date, an id, a path,
`--env`) kept whole; never a closing mark (，。）…) at a line's start nor an opening one (（《“…)
at its end. The command line fits its help with it (cli/widetext.py), the app its titles and
reasons (screens/widgets/wide_text.py)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

# Marks a line must not start with: they stay with what comes before them. ASCII "!" and "?"
# only when they follow a character: after a space they open a word, as `!due` does.
NO_LINE_START = frozenset("，。、；：？！）】》」』”’,.;:)]!?")
# Marks a line must not end with: they go with what comes after them.
NO_LINE_END = frozenset("（【《「『“‘")


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def columns(text: str) -> int:
    """The columns `text` takes in a terminal: two for a Chinese character, one for the rest."""
    return sum(2 if is_wide(char) else 1 for char in text)


def spans(plain: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the parts never broken inside (unless one alone is wider than a line): a
    run of spaces, a wide character, a run of narrow ones; a closing mark goes with what comes
    before it, an opening mark with what comes after it."""
    start = 0
    for index in range(1, len(plain) + 1):
        if index < len(plain):
            before, char = plain[index - 1], plain[index]
            if char in NO_LINE_START and not before.isspace():
                continue
            if before in NO_LINE_END and not char.isspace():
                continue
            if before.isspace() == char.isspace() and not is_wide(before) and not is_wide(char):
                continue
        yield start, index
        start = index


def breaks(plain: str, width: int, *, cut_long: bool = True) -> list[int]:
    """The offsets in `plain` (one line, no line breaks) where a new line starts so that each
    fits `width` columns. A part wider than a whole line (a long path) is cut where the line
    ends with `cut_long` (a widget's edge would cut it anyway), else it has a line of its own,
    past the edge (the command line's help: a terminal wraps it whole)."""
    found: list[int] = []
    column = 0
    for start, end in spans(plain):
        size = columns(plain[start:end])
        if plain[start:end].isspace():
            column += size  # a space at the end of a line is dropped, never carried over
            continue
        if column + size > width and column > 0:
            found.append(start)
            column = 0
        if not cut_long:
            column += size
            continue
        for index in range(start, end):
            if column + columns(plain[index]) > width and column > 0 and plain[index] not in NO_LINE_START:
                found.append(index)
                column = 0
            column += columns(plain[index])
    return found


def lines(paragraph: str, width: int, *, cut_long: bool = True) -> list[str]:
    """`paragraph` (one line) as lines of at most `width` columns, without spaces at their ends."""
    cuts = [0, *breaks(paragraph, width, cut_long=cut_long), len(paragraph)]
    found = [paragraph[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False)]
    return [line for line in found if line]
