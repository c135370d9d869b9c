"""The UI's current language and its one way to words: `t(key, …)` looks `key` up in the
word-book (launchpad/phrases.py, the UI's own entries in launchpad/words/ui.py) in the
language the app shows now. A key missing from the catalog is shown as itself, so a typo is
visible on screen instead of crashing a release at 23:00 (the catalog's test keeps keys
known).

The current language is process-wide: one launchpad app runs per process (tests run their apps
one after another), and every widget, binding and palette entry reads it when it renders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from launchpad import phrases
from launchpad.phrases import CATALOG, Said, Spoken, render

if TYPE_CHECKING:
    from launchpad.errors import LaunchpadError

Language = Spoken


_current: Language = "zh"


def set_language(language: str) -> Language:
    """Make `language` current; anything unknown falls back to Chinese, the site default."""
    global _current
    _current = phrases.spoken(language)
    return _current


def current_language() -> Language:
    return _current


def other_language() -> Language:
    return phrases.other_language(_current)


def t(key: str, /, **values: object) -> str:
    """The text for `key` in the current language, with `{name}` placeholders filled; a value
    that is an engine phrase (a step summary, a gate's refusal) is rendered in it too."""
    if key not in CATALOG:
        shown = {name: said(value) for name, value in values.items()}  # type: ignore[arg-type]
        return key.format(**shown) if values else key
    return phrases.word(key, _current, **values)


def known(key: str) -> bool:
    return key in CATALOG


def said(value: Said | None) -> str:
    """What a step or the engine said, in the current language."""
    return render(value, _current)


def error_says(error: LaunchpadError, *, hint: bool = True) -> str:
    """What a launchpad error says in the current language, and on a line of its own what to do
    next (`hint=False` leaves it out, for a one-line preview). An error's `.message` and `.hint`
    stay English for logs; a screen shows this instead."""
    text = said(error.said)
    if hint and error.hint:
        text += f"\n→ {said(error.said_hint)}"
    return text


def status_word(status: str) -> str:
    """A status in the current language: the same word the CLI and the reports use."""
    return phrases.status_text(status, _current)
