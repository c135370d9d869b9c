"""The plan: exactly what apply will do, row by row — insert, update (each changed field, old →
new), unchanged, or rejected (with every problem) — and the counts per unit. It is computed
from the live target, and apply computes it again at the moment it writes, so what the person
approved and what happens can be compared.

Updates never blank a field: an empty cell leaves the target's value alone. Roles and posts
are only added: a role someone granted by hand is not taken away by a re-import.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from itertools import groupby, repeat
from typing import Literal

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.users.bulk import building_rows
from launchpad.users.checks import CheckedCells, CheckedRow, CheckResult, RowProblem, Target
from launchpad.users.mapping import ImportMapping
from launchpad.users.passwords import rule_fields
from launchpad.users.state import POST_FIELD, UNIT, ExistingUser, TargetState

Action = Literal["insert", "update", "unchanged", "rejected"]
ACTIONS: tuple[Action, ...] = ("insert", "update", "unchanged", "rejected")


@dataclass(slots=True)
class PlannedUser:
    key: str
    action: Action
    sheet: str
    row: int
    unit: str  # the account's unit path, for the counts
    values: dict[str, str] = field(default_factory=dict)  # the profile's fields to write, and UNIT
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # column → (old, new)
    roles_added: list[str] = field(default_factory=list)
    posts_added: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    # The row's values a site password rule uses: in memory only, never in the plan's JSON.
    rule_inputs: dict[str, str] = field(default_factory=dict, repr=False)


@dataclass
class Plan:
    users: list[PlannedUser]

    def counts(self) -> dict[str, int]:
        found = Counter(u.action for u in self.users)
        return {action: found.get(action, 0) for action in ACTIONS}

    def counts_by_unit(self) -> dict[str, dict[str, int]]:
        table: dict[str, Counter[str]] = defaultdict(Counter)
        for user in self.users:
            table[user.unit or "-"][user.action] += 1
        return {unit: {a: table[unit].get(a, 0) for a in ACTIONS} for unit in sorted(table)}

    def writes(self) -> list[PlannedUser]:
        return [u for u in self.users if u.action in ("insert", "update")]

    def digest(self) -> str:
        """What apply would write, as one hash: equal digests, equal writes."""
        body = [[u.key, u.action, sorted(u.values.items()), sorted(u.changes.items()), u.roles_added, u.posts_added]
                for u in self.writes()]
        return hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()

    def to_json(self) -> dict[str, object]:
        return {"counts": self.counts(), "units": self.counts_by_unit(), "digest": self.digest(),
                "users": [{**_shown(u), "problems": [{**asdict(p), "reason": str(p.reason)} for p in u.problems]}
                          for u in self.users]}


def _shown(user: PlannedUser) -> dict[str, object]:
    shown = asdict(user)
    del shown["rule_inputs"]
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


def roles_for(row: CheckedRow, mapping: ImportMapping) -> list[str]:
    roles = list(mapping.roles.default)
    for rule in mapping.roles.rules:
        if all(row.value(name) in values for name, values in rule.when.items()):
            roles += [key for key in rule.roles if key not in roles]
    return roles


def build_plan(result: CheckResult, mapping: ImportMapping, state: TargetState) -> Plan:
    planner = _Planner(mapping, state)
    users: list[PlannedUser] = []
    with building_rows():
        # A table's rows at a time (rows of one table refer to the same checked cells).
        for _, rows in groupby(result.rows, key=lambda row: id(row.cells)):
            users += planner.plan_table(list(rows))
    return Plan(users)


class _Planner:
    """What is decided once per file, not per row: the user columns the mapping fills, the
    units' paths and ids as text, the default roles, the fields a password rule reads. What
    can be is then done a column at a time, in C: each row's values to write, its existing
    user, its post."""

    def __init__(self, mapping: ImportMapping, state: TargetState) -> None:
        held = state.profile.user_columns
        self.columns = [name for name in mapping.fields if name in held]
        self.mapping, self.state, self.key, self.natural = mapping, state, mapping.key, state.profile.users.key
        self.paths: dict[int | str, str] = {}  # department id → its path
        self.ids: dict[int | str, str] = {}  # department id → as text
        self.by_rules = bool(mapping.roles.rules)
        self.default_roles = list(mapping.roles.default)
        self.rule_inputs = rule_fields(mapping.passwords.rule) if mapping.passwords.rule is not None else None

    def plan_table(self, rows: list[CheckedRow]) -> list[PlannedUser]:
        cells = rows[0].cells
        count = len(next(iter(cells.columns.values()), ()))
        keys = cells.columns.get(self.key) or list(repeat("", count))
        existing = list(map(self.state.users.get, map(str.casefold, keys)))
        values = _written(cells, self.columns, count)
        posts = self._posts(rows) if POST_FIELD in rows[0].columns else map(list, repeat((), len(rows)))
        planned = []
        paths, ids, default_roles, by_rules, inputs_of = self.paths, self.ids, self.default_roles, self.by_rules, \
            self.rule_inputs
        for row, posted in zip(rows, posts, strict=True):  # each row its own list of posts
            at = row.at
            department = row.department
            if department is None:
                unit = ""
            else:
                unit = paths.get(department.id) or paths.setdefault(department.id, "/".join(department.path))
            # Problems only the target can reveal join the row's own (the same list), so `check
            # --env` and the annotated copy show them too.
            if row.problems:
                planned.append(PlannedUser(keys[at], "rejected", row.sheet, row.row, unit, problems=row.problems))
                continue
            written = values[at]
            if department is not None:
                written[UNIT] = ids.get(department.id) or ids.setdefault(department.id, str(department.id))
            roles = roles_for(row, self.mapping) if by_rules else default_roles.copy()
            old = existing[at]
            if old is None:
                inputs = {name: row.value(name) for name in inputs_of} if inputs_of is not None else {}
                planned.append(PlannedUser(keys[at], "insert", row.sheet, row.row, unit, values=written,
                                           roles_added=roles, posts_added=posted, problems=row.problems,
                                           rule_inputs=inputs))
            else:
                planned.append(self._update(row, unit, old, written, roles, posted))
        return planned

    def _update(self, row: CheckedRow, unit: str, existing: ExistingUser, values: dict[str, str], roles: list[str],
                posts: list[str]) -> PlannedUser:
        old, natural = existing.values, self.natural
        changes = {name: (old.get(name, ""), value) for name, value in values.items()
                   if name != natural and old.get(name, "") != value}
        roles_added = [r for r in roles if r not in existing.roles]
        posts_added = [p for p in posts if p not in existing.posts]
        action: Action = "update" if changes or roles_added or posts_added else "unchanged"
        return PlannedUser(old[natural], action, row.sheet, row.row, unit,
                           values={name: new for name, (_, new) in changes.items()}, changes=changes,
                           roles_added=roles_added, posts_added=posts_added, problems=row.problems)

    def _posts(self, rows: list[CheckedRow]) -> list[list[str]]:
        """Each row's post as the target's code; an unknown post is the row's problem."""
        known = self.state.posts
        result = []
        for row in rows:
            post = row.value(POST_FIELD)
            code = known.get(post.casefold()) if post else None
            if post and code is None:
                closest = difflib.get_close_matches(post, list(known), n=3, cutoff=0.3)
                row.flag(POST_FIELD, phrase("users.unknown_post", post=post, closest=closest or "-"))
            result.append([code] if code is not None else [])
        return result


def _written(cells: CheckedCells, columns: list[str], count: int) -> list[dict[str, str]]:
    """Each row's values of the user columns the mapping fills, empty cells left out (an update
    never blanks a field): made in C when no column is empty in some rows and not others."""
    filled = [name for name in columns if any(cells.columns.get(name, ()))]
    if not filled:
        return [{} for _ in range(count)]
    across = zip(*(cells.columns[name] for name in filled), strict=True)
    if all(all(cells.columns[name]) for name in filled):
        return list(map(dict, map(zip, repeat(filled), across)))
    return [{name: value for name, value in zip(filled, row, strict=True) if value} for row in across]
