"""The plan: exactly what apply will do, row by row — insert, update (each changed field, old →
new), unchanged, or rejected (with every problem) — and the counts per unit. It is computed
from the live target, and apply computes it again at the moment it writes, so what the person
approved and what happens can be compared.

Updates never blank a field: an empty cell leaves the target's value alone. Roles and posts
are only added: a role someone granted by hand is not taken away by a re-import.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from itertools import islice

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.users.bulk import building_rows
from launchpad.users.checks import CheckResult, Target
from launchpad.users.mapping import ImportMapping
from launchpad.users.plan_rows import PlannedRows, Planner, roles_for
from launchpad.users.planned import ACTIONS, WRITTEN, Action, PlannedUser
from launchpad.users.state import TargetState

__all__ = ["ACTIONS", "Action", "Plan", "PlannedUser", "build_plan", "check_roles", "check_target", "roles_for"]
NO_UNIT = "-"  # counts_by_unit's key for rows whose unit was not found (front ends say it in words)
DIGESTED = 1024  # users hashed at a time: the digest never holds every write's JSON at once


@dataclass
class Plan:
    """The plan's users: a `PlannedRows` as `build_plan` makes them (each made when read), or
    any list of users."""

    users: Sequence[PlannedUser]

    def _tally(self) -> Counter[tuple[str, str]]:
        """(unit, action) → users."""
        if isinstance(self.users, PlannedRows):
            return self.users.tally()
        return Counter((u.unit, u.action) for u in self.users)

    def _writing(self) -> Iterator[PlannedUser]:
        if isinstance(self.users, PlannedRows):
            return self.users.writes()
        return (u for u in self.users if u.action in WRITTEN)

    def counts(self) -> dict[str, int]:
        found: Counter[str] = Counter()
        for (_, action), n in self._tally().items():
            found[action] += n
        return {action: found.get(action, 0) for action in ACTIONS}

    def counts_by_unit(self) -> dict[str, dict[str, int]]:
        table: dict[str, Counter[str]] = defaultdict(Counter)
        for (unit, action), n in self._tally().items():
            table[unit or NO_UNIT][action] += n
        return {unit: {a: table[unit].get(a, 0) for a in ACTIONS} for unit in sorted(table)}

    def writes(self) -> list[PlannedUser]:
        with building_rows():  # kept: 100,000 new users need not be walked by each young pass
            return list(self._writing())

    def digest(self) -> str:
        """What apply would write, as one hash: equal digests, equal writes. The hash of the
        JSON list of every write's [key, action, values, changes, roles, posts], fed a part of
        the list at a time."""
        hashed = hashlib.sha256(b"[")
        writing, between = self._writing(), b""
        while part := list(islice(writing, DIGESTED)):
            body = [[u.key, u.action, sorted(u.values.items()), sorted(u.changes.items()), u.roles_added,
                     u.posts_added] for u in part]
            hashed.update(between + json.dumps(body, ensure_ascii=False)[1:-1].encode())
            between = b", "
        hashed.update(b"]")
        return hashed.hexdigest()

    def to_json(self) -> dict[str, object]:
        return {"counts": self.counts(), "units": self.counts_by_unit(), "digest": self.digest(),
                "users": [{**_shown(u), "problems": [{**asdict(p), "reason": str(p.reason)} for p in u.problems]}
                          for u in self.users]}


def _shown(user: PlannedUser) -> dict[str, object]:
    shown = asdict(user)
    del shown["rule_inputs"]  # memory only
    del shown["changes_said"]  # for people; the JSON has the changes as written
    return shown


def check_target(state: TargetState, mapping: ImportMapping) -> Target:
    """What the row checks need from the target: its units and its users' unique values."""
    columns = [name for name in mapping.fields if name in state.profile.user_columns]
    key = state.profile.users.key
    users = {user.values[key]: {name: user.values[name] for name in columns} for user in state.users.values()}
    return Target(state.departments, users)


def check_roles(mapping: ImportMapping, state: TargetState, where: str) -> None:
    wanted = set(mapping.roles.default) | {key for rule in mapping.roles.rules for key in rule.roles}
    missing = sorted(wanted - set(state.roles))
    if missing:
        raise UsageError(phrase("users.roles_missing", missing=missing, where=where,
                                roles=sorted(state.roles) or phrase("sweep.none")),
                         hint=phrase("users.roles_missing_hint"))


def build_plan(result: CheckResult, mapping: ImportMapping, state: TargetState) -> Plan:
    planner = Planner(mapping, state)
    return Plan(PlannedRows(planner, [planner.plan_table(table) for table in result.rows.tables]))
