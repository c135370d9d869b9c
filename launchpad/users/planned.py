"""One user of the plan as its readers see it (apply, the screen, `users plan --json`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from launchpad.phrases import Phrase, phrase
from launchpad.users.checks import RowProblem

Action = Literal["insert", "update", "unchanged", "rejected"]
ACTIONS: tuple[Action, ...] = ("insert", "update", "unchanged", "rejected")
WRITTEN: tuple[Action, ...] = ("insert", "update")


@dataclass(slots=True)
class PlannedUser:
    key: str
    action: Action
    sheet: str
    row: int
    unit: str  # the account's unit path, for the counts
    values: dict[str, str] = field(default_factory=dict)  # the profile's fields to write, and UNIT
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # column → (old, new)
    # The same changes as a person reads them (plan_rows.Planner.said_changes): the header, a code
    # as the sheet writes it (女, not 1), a unit as its path.
    changes_said: list[tuple[str | Phrase, str, str]] = field(default_factory=list)
    roles_added: list[str] = field(default_factory=list)
    posts_added: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    # The row's values a site password rule uses: in memory only, never in the plan's JSON.
    rule_inputs: dict[str, str] = field(default_factory=dict, repr=False)


def shown_changes(user: PlannedUser) -> list[Phrase]:
    """An update's changed fields, each `header: old → new` as the sheet says them."""
    empty = phrase("users.empty_value")
    return [phrase("users.change", field=name, old=old or empty, new=new or empty)
            for name, old, new in user.changes_said]
