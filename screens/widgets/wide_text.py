"""Text with Chinese in it, wrapped where a Chinese reader breaks a line.

Textual wraps at spaces. A Chinese title has none, so it is one long word: after `#1 [P1] ` it
does not fit the rest of the line and starts a line of its own, leaving `#1 [P1]` alone above it.
`WideText` breaks it by the rule the command line's help uses too (launchpad/linebreak.py):
between any two Chinese characters, at spaces elsewhere, a date or an id kept whole, never a
closing mark at a line's start nor an opening one at its end. The lines it hands Textual fit,
so Textual keeps them."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from launchpad.linebreak import breaks


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
        for part in line.divide(breaks(line.plain, max(width, 1))):
            part.rstrip()
            lines.append(part)
    return Text("\n").join(lines)
