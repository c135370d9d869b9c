"""The issue workflow: new → in progress → fixed → verified → closed, with won't-fix,
by-design and duplicate as other endings, and the rules that keep it honest.

The seed this answers: a fix with no owner and no deadline is "positive" but useless. So an
issue cannot leave `new` without both, and once it has left, neither can be taken away.
Reopening is always possible (the client says it is broken again), which clears the
resolution time so that the issue counts as open — and can become overdue — once more.
"""

from __future__ import annotations

from launchpad.errors import UsageError
from launchpad.issues.model import OPEN_STATUSES, RESOLVED_STATUSES
from launchpad.phrases import Phrase, phrase

_ENDINGS = ("wontfix", "by_design", "duplicate")
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("in_progress", "fixed", *_ENDINGS),
    "in_progress": ("fixed", *_ENDINGS),
    "fixed": ("verified", "closed", "in_progress"),
    "verified": ("closed", "in_progress"),
    "closed": ("in_progress",),
    "wontfix": ("in_progress", "closed", "new"),
    "by_design": ("in_progress", "closed", "new"),
    "duplicate": ("in_progress", "closed", "new"),
}


def check_transition(current: str, target: str, owner: str, due: str | None) -> None:
    """Refuse a status change the workflow does not allow. `owner` and `due` are the values
    the issue will have after the same update, so one command can assign and start work."""
    if target != current and target not in TRANSITIONS[current]:
        raise UsageError(phrase("error.issue_transition", current=_status(current), target=_status(target)),
                         hint=phrase("error.issue_transition_hint", current=_status(current),
                                     allowed=[_status(s) for s in TRANSITIONS[current]]))
    if target != "new":
        missing = {(False, True): "error.issue_an_owner", (True, False): "error.issue_a_due_date",
                   (False, False): "error.issue_owner_and_due"}.get((bool(owner), bool(due)))
        if missing:
            raise UsageError(phrase("error.issue_leaving_new", missing=phrase(missing)),
                             hint=phrase("error.issue_leaving_new_hint"))


def resolved_at_after(current: str, target: str, resolved_at: str | None, now: str) -> str | None:
    """When the issue was resolved, after moving from `current` to `target`: stamped on the
    first step out of the open statuses, kept between endings, cleared on reopening."""
    if target in OPEN_STATUSES:
        return None
    if target in RESOLVED_STATUSES and (current in OPEN_STATUSES or resolved_at is None):
        return now
    return resolved_at


def _status(code: str) -> Phrase:
    """A status as a person reads it (the stored code, in the reader's language)."""
    return Phrase("issue.value." + code)
