"""Text with Chinese in it, fitted to a terminal's width.

Click wraps help at spaces and counts characters, but a Chinese sentence has no spaces and each
character takes two columns: its lines came out twice the terminal's width. `fit` breaks such
text by columns, by the rule both front ends share (launchpad/linebreak.py), and hands click
the lines as a block it keeps as they are."""

from __future__ import annotations

from launchpad.linebreak import columns, is_wide
from launchpad.linebreak import lines as broken

_KEEP_AS_IS = "\b"  # click's marker for a paragraph it does not rewrap

__all__ = ["columns", "fit", "lines"]


def fit(text: str, width: int) -> str:
    """`text` as click's help takes it, its lines at most `width` columns wide. Text without wide
    characters is returned as it is, for click to wrap."""
    if not any(is_wide(char) for char in text):
        return text
    paragraphs = [paragraph.replace("\n", " ").strip() for paragraph in text.split("\n\n")]
    return "\n\n".join(_KEEP_AS_IS + "\n" + "\n".join(lines(paragraph, width)) for paragraph in paragraphs)


def lines(paragraph: str, width: int) -> list[str]:
    """A paragraph of help as lines: a word or a path wider than the terminal is never cut (the
    terminal wraps it whole), only given a line of its own."""
    return broken(paragraph, width, cut_long=False)
