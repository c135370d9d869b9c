"""Quick capture: one line typed while the client is still talking becomes a whole issue.

    P1 @张三 #登录 !明天 登录页点提交后白屏

`P0`–`P3` is the severity, `@name` the owner, `#name` the module, `!when` the due date (明天,
周五, 11-25 …, see `launchpad.issues.dates`), and everything else, as typed, the title.
Full-width markers (＠ ＃ ！) count too, since a Chinese input method produces them, and tokens
may be glued together (`P1@张三#登录`). A marker inside a word (`admin@corp.cn`, `又崩了！`) is
text, not a token: only a word that starts with a marker is read as tokens.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from launchpad.errors import UsageError
from launchpad.issues.dates import parse_day
from launchpad.issues.model import IssueDraft
from launchpad.phrases import phrase

_MARKERS = "@＠#＃!！"
_TOKEN = re.compile(rf"([Pp][0-3])(?=[{_MARKERS}]|$)|([{_MARKERS}])([^{_MARKERS}]+)")
_STARTS_TOKEN = re.compile(rf"^(?:[Pp][0-3](?:[{_MARKERS}]|$)|[{_MARKERS}][^{_MARKERS}])")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class QuickCapture:
    """What a line said; None where it said nothing, so options and defaults can fill in."""

    title: str
    severity: str | None = None
    owner: str | None = None
    module: str | None = None
    due: date | None = None

    def to_draft(self, base: IssueDraft | None = None) -> IssueDraft:
        """A draft with the captured values over `base` (whose title is replaced)."""
        draft = replace(base or IssueDraft(title=""), title=self.title)
        if self.severity:
            draft = replace(draft, severity=self.severity)
        if self.owner:
            draft = replace(draft, owner=self.owner)
        if self.module:
            draft = replace(draft, module=self.module)
        if self.due:
            draft = replace(draft, due=self.due)
        return draft


def parse_quick_capture(line: str, today: date, people: Mapping[str, str] | None = None) -> QuickCapture:
    """Read one quick-capture line. `people` maps contact ids to names, so `@zhang` gives the
    same owner as `@张三`. Raises UsageError for an unreadable due date or an empty title."""
    found: dict[str, str] = {}
    title_parts: list[str] = []
    for word in _WORD.finditer(line):
        text = word.group(0)
        tokens = _read_tokens(text) if _STARTS_TOKEN.match(text) else None
        if tokens is None:
            title_parts.append(text)
            continue
        for key, value in tokens:
            if key in found and found[key] != value:
                raise UsageError(phrase("capture.twice", line=line, what=phrase(_NAMES[key]), first=found[key],
                                        second=value))
            found[key] = value
    title = " ".join(title_parts)
    if not title:
        raise UsageError(phrase("capture.no_title", line=line), hint=phrase("capture.no_title_hint"))
    owner = found.get("owner")
    if owner and people:
        owner = people.get(owner, owner)
    due = parse_day(found["due"], today) if "due" in found else None
    return QuickCapture(title=title, severity=found.get("severity"), owner=owner,
                        module=found.get("module"), due=due)


_NAMES = {"severity": "capture.severity", "owner": "capture.owner", "module": "capture.module", "due": "capture.due"}
_KEY_OF_MARKER = {"@": "owner", "＠": "owner", "#": "module", "＃": "module", "!": "due", "！": "due"}


def _read_tokens(word: str) -> list[tuple[str, str]] | None:
    """The tokens glued in one word, or None when part of the word is plain text (then the
    whole word is title: `#3号楼电梯` is a module token, but `P1级` is not a severity)."""
    tokens: list[tuple[str, str]] = []
    position = 0
    for match in _TOKEN.finditer(word):
        if match.start() != position:
            return None
        severity, marker, value = match.groups()
        if severity:
            tokens.append(("severity", severity.upper()))
        else:
            tokens.append((_KEY_OF_MARKER[marker], value))
        position = match.end()
    return tokens if position == len(word) else None
