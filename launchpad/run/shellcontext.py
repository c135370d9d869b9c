"""Where in a shell command each substituted value lands, and how to quote it there.

Quoting a value as one shell word (`shlex.quote`) is right only outside quotes. A playbook
writes `echo "note: {{ vars.note }}"`: inside double quotes the word's single quotes are plain
characters, so a note holding `$(touch /tmp/x)` ran. So the command is rendered with a marker
for each value, read the way sh reads it, and each marker replaced by the value escaped for
the context it stands in:

- outside quotes (also inside `$( … )`): one word, `shlex.quote`;
- inside '…': the quote is closed, the value added as one word, and the quote reopened;
- inside "…": `\\`, `$`, a backquote and `"` escaped with a backslash;
- inside $'…': `\\` and `'` escaped;
- in a comment: line breaks become spaces, so the value cannot end the comment.

Three contexts have no safe escaping and are refused, by `launchpad check` and when the
command is rendered: inside backquotes, inside `${ … }`, and in a here-document's body (a
value holding the delimiter line would end it early). Write `"$(…)"`, assign the value to a
variable first, or use `printf '%s\\n' {{ value }}` instead.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from launchpad.phrases import Phrase, phrase

MARK = "\x00"  # a NUL cannot occur in a command sh runs, so it cannot clash with the text
_MARKER = re.compile("\x00(\\d+)\x00")
REFUSED = {
    "backquote": phrase("template.in_backquote"),
    "brace": phrase("template.in_brace"),
    "heredoc": phrase("template.in_heredoc"),
}
HINT = phrase("template.unquotable_hint")


class ShellContextError(ValueError):
    """A value placed where no quoting makes it data; `line` is the command's line (from 1)."""

    def __init__(self, context: str, line: int) -> None:
        self.said = phrase("template.unquotable", line=line, where=REFUSED[context], hint=HINT)
        super().__init__(str(self.said))
        self.context, self.line = context, line


@dataclass
class _Heredoc:
    delimiter: str
    strip_tabs: bool


def marker(index: int) -> str:
    return f"{MARK}{index}{MARK}"


def contexts(text: str) -> list[tuple[int, str, int]]:
    """(marker number, context, line) for each marker in `text`, in order. Contexts: top,
    single, double, ansi, comment, backquote, brace, heredoc."""
    found: list[tuple[int, str, int]] = []
    stack = ["top"]
    pending: list[_Heredoc] = []  # here-documents whose body starts after this line
    heredoc: _Heredoc | None = None
    line = 1
    i = 0
    while i < len(text):
        char = text[i]
        state = stack[-1]
        if heredoc is not None:  # a body line, up to and including its line break
            end = text.find("\n", i)
            end = len(text) if end == -1 else end
            body = text[i:end]
            found += [(int(m.group(1)), "heredoc", line) for m in _MARKER.finditer(body)]
            if (body.lstrip("\t") if heredoc.strip_tabs else body) == heredoc.delimiter:
                heredoc = pending.pop(0) if pending else None
            line += 1
            i = end + 1
            continue
        if char == MARK:
            end = text.index(MARK, i + 1)
            found.append((int(text[i + 1:end]), state, line))
            i = end + 1
            continue
        if char == "\n":
            line += 1
            if state == "comment":
                stack.pop()
            if pending and stack[-1] in ("top", "subst"):
                heredoc = pending.pop(0)
            i += 1
            continue
        if state == "single":
            if char == "'":
                stack.pop()
            i += 1
        elif state == "ansi":
            if char == "\\":
                i = _past_escape(text, i)
                continue
            if char == "'":
                stack.pop()
            i += 1
        elif state == "comment":
            i += 1
        elif state == "double":
            i = _in_double(text, i, stack)
        elif state in ("backquote", "brace"):
            if char == "\\":
                i = _past_escape(text, i)
                continue
            if (state == "backquote" and char == "`") or (state == "brace" and char == "}"):
                stack.pop()
            i += 1
        else:  # top, or inside $( … ) / ( … )
            i = _unquoted(text, i, stack, pending)
    return found


def _past_escape(text: str, i: int) -> int:
    """Past a backslash and the character it escapes; a value's marker is never escaped (a
    backslash before a value escapes nothing of it once it is quoted)."""
    return i + 1 if text.startswith(MARK, i + 1) else i + 2


def _in_double(text: str, i: int, stack: list[str]) -> int:
    char = text[i]
    if char == "\\":
        return _past_escape(text, i)
    if char == '"':
        stack.pop()
    elif char == "`":
        stack.append("backquote")
    elif text.startswith("$(", i):
        stack.append("subst")
        return i + 2
    elif text.startswith("${", i):
        stack.append("brace")
        return i + 2
    return i + 1


def _unquoted(text: str, i: int, stack: list[str], pending: list[_Heredoc]) -> int:
    char = text[i]
    if char == "\\":
        return _past_escape(text, i)
    if char == "'":
        stack.append("single")
    elif char == '"':
        stack.append("double")
    elif char == "`":
        stack.append("backquote")
    elif text.startswith("$'", i):
        stack.append("ansi")
        return i + 2
    elif text.startswith("${", i):
        stack.append("brace")
        return i + 2
    elif text.startswith("$(", i) or char == "(":
        stack.append("subst")
        return i + (2 if char == "$" else 1)
    elif char == ")" and len(stack) > 1:
        stack.pop()
    elif char == "#" and (i == 0 or text[i - 1] in " \t\n;&|()"):
        stack.append("comment")
    elif text.startswith("<<", i) and not text.startswith("<<<", i):
        return _heredoc_start(text, i, pending)
    return i + 1


_HEREDOC = re.compile(r"<<(-?)[ \t]*(?:'([^'\n]*)'|\"([^\"\n]*)\"|\\?([^\s;&|<>()]+))")


def _heredoc_start(text: str, i: int, pending: list[_Heredoc]) -> int:
    found = _HEREDOC.match(text, i)
    if found is None:
        return i + 2
    delimiter = next(group for group in found.groups()[1:] if group is not None)
    pending.append(_Heredoc(delimiter, strip_tabs=found.group(1) == "-"))
    return found.end()


def quote_for(context: str, value: str) -> str:
    """`value` escaped as data for `context` (see the module's docstring)."""
    if context in ("top", "subst"):
        return shlex.quote(value)
    if context == "single":
        return "'" + shlex.quote(value) + "'"
    if context == "double":
        return re.sub(r'([\\$`"])', r"\\\1", value)
    if context == "ansi":
        return value.replace("\\", "\\\\").replace("'", "\\'")
    if context == "comment":
        return re.sub(r"[\r\n]+", " ", value)
    raise AssertionError(context)


def fill(text: str, values: list[str]) -> str:
    """`text` with marker n replaced by `values[n]` quoted for where it stands; raises
    ShellContextError for a refused context."""
    quoted: dict[int, str] = {}
    for number, context, line in contexts(text):
        if context in REFUSED:
            raise ShellContextError(context, line)
        quoted[number] = quote_for(context, values[number])
    return _MARKER.sub(lambda found: quoted[int(found.group(1))], text)


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def check_template(template: str) -> Phrase | None:
    """Why `template` (a command, before rendering) puts a value where it cannot be quoted,
    or None. Statements (`{% if %}`) are read as if every branch were taken."""
    count = 0

    def replaced(found: re.Match[str]) -> str:
        nonlocal count
        if not found.group(0).startswith("{{") or re.search(r"\|\s*raw\s*\}\}$", found.group(0)):
            return "\n" * found.group(0).count("\n")
        count += 1
        return marker(count - 1) + "\n" * found.group(0).count("\n")

    try:
        fill(_TAG.sub(replaced, template), [""] * count)
    except ShellContextError as exc:
        return exc.said
    except ValueError:
        return None  # an unterminated marker cannot happen in a template; nothing to say
    return None
