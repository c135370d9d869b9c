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
from typing import Literal

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.users.bulk import building_rows
from launchpad.users.checks import CheckedRow, CheckResult, RowProblem, Target
from launchpad.users.mapping import ImportMapping
from launchpad.users.passwords import rule_fields
from launchpad.users.state import POST_FIELD, UNIT, TargetState

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
        raise UsageError(f"role key(s) {', '.join(missing)} of the mapping are not in sys_role of {where} "
                         f"(it has {', '.join(sorted(state.roles)) or 'none'})",
                         hint="correct roles: in the mapping, or create the roles in the target first")


def roles_for(row: CheckedRow, mapping: ImportMapping) -> list[str]:
    roles = list(mapping.roles.default)
    for rule in mapping.roles.rules:
        if all(row.values.get(name, "") in values for name, values in rule.when.items()):
            roles += [key for key in rule.roles if key not in roles]
    return roles


def build_plan(result: CheckResult, mapping: ImportMapping, state: TargetState) -> Plan:
    # Decided once per file, not per row: the user columns the mapping fills, the units' paths
    # and ids as text, the fields a password rule reads.
    held = state.profile.user_columns
    columns = [name for name in mapping.fields if name in held]
    paths: dict[int | str, str] = {}  # department id → its path
    ids: dict[int | str, str] = {}  # department id → as text
    rules = rule_fields(mapping.passwords.rule) if mapping.passwords.rule is not None else None
    with building_rows():
        return Plan([_plan_row(row, mapping, state, columns, paths, ids, rules) for row in result.rows])


def _plan_row(row: CheckedRow, mapping: ImportMapping, state: TargetState, columns: list[str],
              paths: dict[int | str, str], ids: dict[int | str, str], rule_inputs: list[str] | None) -> PlannedUser:
    given = row.values
    key = given.get(mapping.key, "")
    department = row.department
    if department is None:
        unit = ""
    else:
        unit = paths.get(department.id) or paths.setdefault(department.id, "/".join(department.path))
    values = {name: given[name] for name in columns if given.get(name)}
    posts = []
    if given.get(POST_FIELD) and POST_FIELD in row.columns:
        code = state.posts.get(given[POST_FIELD].casefold())
        if code is None:
            closest = difflib.get_close_matches(given[POST_FIELD], list(state.posts), n=3, cutoff=0.3)
            row.flag(POST_FIELD, phrase("users.unknown_post", post=given[POST_FIELD], closest=closest or "-"))
        else:
            posts.append(code)
    # Problems only the target can reveal join the row's own (the same list), so `check --env`
    # and the annotated copy show them too.
    if row.problems:
        return PlannedUser(key, "rejected", row.sheet, row.row, unit, problems=row.problems)
    if department is not None:
        values[UNIT] = ids.get(department.id) or ids.setdefault(department.id, str(department.id))
    roles = roles_for(row, mapping) if mapping.roles.rules else list(mapping.roles.default)
    existing = state.users.get(key.casefold())
    if existing is None:
        inputs = {name: given.get(name, "") for name in rule_inputs} if rule_inputs is not None else {}
        return PlannedUser(key, "insert", row.sheet, row.row, unit, values=values, roles_added=roles,
                           posts_added=posts, problems=row.problems, rule_inputs=inputs)
    old, natural = existing.values, state.profile.users.key
    changes = {name: (old.get(name, ""), value) for name, value in values.items()
               if name != natural and old.get(name, "") != value}
    roles_added = [r for r in roles if r not in existing.roles]
    posts_added = [p for p in posts if p not in existing.posts]
    action: Action = "update" if changes or roles_added or posts_added else "unchanged"
    return PlannedUser(old[natural], action, row.sheet, row.row, unit,
                       values={name: new for name, (_, new) in changes.items()}, changes=changes,
                       roles_added=roles_added, posts_added=posts_added, problems=row.problems)
