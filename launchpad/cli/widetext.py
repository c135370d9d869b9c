"""Text with Chinese in it, fitted to a terminal's width.

Click wraps help at spaces and counts characters, but a Chinese sentence has no spaces and each
character takes two columns: its lines came out twice the terminal's width. `fit` breaks such
text by columns — between any two Chinese characters, at spaces elsewhere, never before a
closing mark (，。）…) — and hands click the lines as a block it keeps as they are."""

from __future__ import annotations

import unicodedata

# Marks a line must not start with: they stay with the character before them.
# (Not ASCII "!" or "?": in help they open a word, as `!due` does.)
_NO_LINE_START = frozenset("，。、；：？！）】》」』”’,.;:)]")
_KEEP_AS_IS = "\b"  # click's marker for a paragraph it does not rewrap


def columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _closing(token: str) -> bool:
    return all(char in _NO_LINE_START for char in token)


def fit(text: str, width: int) -> str:
    """`text` as click's help takes it, its lines at most `width` columns wide. Text without wide
    characters is returned as it is, for click to wrap."""
    if not any(_is_wide(char) for char in text):
        return text
    paragraphs = [paragraph.replace("\n", " ").strip() for paragraph in text.split("\n\n")]
    return "\n\n".join(_KEEP_AS_IS + "\n" + "\n".join(lines(paragraph, width)) for paragraph in paragraphs)


def lines(paragraph: str, width: int) -> list[str]:
    found: list[str] = []
    line: list[str] = []
    for token in _tokens(paragraph):
        if token == " ":
            if line:
                line.append(token)
            continue
        if columns("".join(line)) + columns(token) > width and "".join(line).strip():
            carried: list[str] = []
            if _closing(token):
                # a closing mark takes the character or word before it along to the next line
                while line and _closing(line[-1]):
                    carried.insert(0, line.pop())
                if len(line) > 1 and line[-1] != " ":
                    carried.insert(0, line.pop())
                else:
                    # nothing to take along without leaving an empty line: the mark stays,
                    # a column or two past the edge, rather than open the next line
                    line += [*carried, token]
                    continue
            if line:
                found.append("".join(line).rstrip())
                line = carried
            else:
                line = carried
        line.append(token)
    if "".join(line).strip():
        found.append("".join(line).rstrip())
    return found


def _tokens(paragraph: str) -> list[str]:
    """A space, one wide character, or a run of narrow ones (a word, a path, `--env`)."""
    tokens: list[str] = []
    for char in paragraph:
        if char == " " or _is_wide(char):
            tokens.append(char)
        elif tokens and tokens[-1] != " " and not _is_wide(tokens[-1][-1]):
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens
