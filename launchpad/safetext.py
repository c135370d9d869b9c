"""Text from people — issue titles, owners, plan items, notice fields, a step's output — made
safe for each file and message a client reads, the same way everywhere.

A title is typed in a hurry or pasted from Word or a chat: it may hold control characters
(a vertical tab from Word, ESC or NUL from a paste), line breaks, Markdown, `<@all>` or
`<font>` that a robot would act on, or start with `=` so a spreadsheet would run it. None of
that may change what the report says or does. Each format gets one function:

- `clean`: control characters dropped (tab and line break kept), line endings made `\\n`.
  Enough for HTML, whose templates escape the rest.
- `one_line`: `clean`, then line breaks and tabs become spaces, so a value cannot start a
  line of its own (a forged list item or section) in plain text.
- `markdown`: `one_line`, then Markdown's inline marks are escaped and angle brackets become
  full-width, so no link, emphasis, mention (`<@all>`) or tag (`<font>`) reaches a renderer;
  a first mark that would open a block (`#`, `>`, `-`, `1.`) is escaped too, as a value may
  open a list item's content (`1. {{ item }}`).
- `markdown_block`: for a value that is a text of several lines (a description, a root
  cause): each line as `markdown`; the lines and paragraphs stay.
- `shell_word`: a word of a command line a person is told to paste (a file name), quoted only
  when a shell would split or expand it, so a Chinese file name stays readable.
- `spreadsheet`: `clean`; the xlsx writer also stores every value as text, with a quote
  prefix on those Excel would read as a formula (see `formula_like`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable

# C0 controls but tab and line feed (CR is turned into a line feed first), DEL, C1 controls,
# and the bidirectional overrides that make text display in another order than it reads.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[ \t]*[\n\t][ \t\n]*")
# Inline Markdown that a value could use to become a link, emphasis, code or an entity.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]~|&])")
_ANGLES = str.maketrans({"<": "\uff1c", ">": "\uff1e"})
# A line starting like this would open a Markdown block (heading, quote, list, rule, table). A
# number opens a list only when a space or the line's end follows its `.` or `)`: a version
# such as 1.2.0 at the start of a value is left as typed (a robot would show the backslash).
_BLOCK_START = re.compile(r"^(\d{1,9}(?=[.)](?:\s|$))|[#>+\-=*|])")
# A word a shell passes as it is: nothing that splits, quotes, expands or comments.
_SHELL_PLAIN = re.compile(r"[^\s'\"\\$`!*?&|;<>(){}\[\]#~]+")
# What makes a spreadsheet cell a formula (or a DDE call) when a person edits or imports it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def clean(text: str) -> str:
    """`text` without control characters; line breaks kept, as `\\n`."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    """`clean`, on one line: line breaks and tabs (and spaces around them) become one space."""
    return _BREAKS.sub(" ", clean(text)).strip()


def markdown(text: str) -> str:
    """One line of inert Markdown text: shows as typed, does nothing, wherever it stands."""
    inline = _MARKDOWN_INLINE.sub(r"\\\1", one_line(text)).translate(_ANGLES)
    return _BLOCK_START.sub(lambda found: _escape_block(found.group(0)), inline)


def markdown_block(text: str) -> str:
    """Several lines of inert Markdown text: each line as typed, none opening a block."""
    lines = []
    for line in clean(text).split("\n"):
        lines.append(markdown(line))
    return "\n".join(lines).strip("\n")


def _escape_block(mark: str) -> str:
    return mark + "\\" if mark[0].isdigit() else "\\" + mark


def shell_word(text: str) -> str:
    """`text` as one word of a command line to paste: as it is when a shell leaves it alone."""
    return text if _SHELL_PLAIN.fullmatch(text) else shlex.quote(text)


def spreadsheet(text: str) -> str:
    """A cell's text: `clean` (XML cannot hold control characters at all)."""
    return clean(text)


def formula_like(raw: str) -> bool:
    """Whether a cell holding `raw` would be read as a formula once a person edits it."""
    return raw.startswith(FORMULA_STARTS)


# The function for each text format launchpad writes, by the names its templates use.
FOR_FORMAT: dict[str, Callable[[str], str]] = {
    "txt": one_line, "text": one_line, "md": markdown, "markdown": markdown, "html": clean,
}
# The same for a value of several lines, which keeps its line breaks.
BLOCK_FOR_FORMAT: dict[str, Callable[[str], str]] = {
    "txt": clean, "text": clean, "md": markdown_block, "markdown": markdown_block, "html": clean,
}


def for_format(fmt: str) -> Callable[[str], str]:
    return FOR_FORMAT[fmt]


def block_for_format(fmt: str) -> Callable[[str], str]:
    return BLOCK_FOR_FORMAT[fmt]
