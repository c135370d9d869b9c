"""The plan's users, made when someone iterates or indexes them.

A plan of 100,000 rows held a `PlannedUser` per row — its values dict, role and post lists,
empty dicts: some 0.7 KiB each, more than the rest of the import held per row. Everything in
one is a function of the checked table (its columns, each row's unit and problems), the
target's state and the mapping, except the row's action, which needs the target's user
compared. So the plan keeps one byte per row, its action, and makes a user from the table's
columns when asked: the same user each time, with lists of its own.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import compress, repeat

from launchpad.phrases import Phrase, phrase
from launchpad.users.across import RowsAcross
from launchpad.users.checks import CheckedRow, CheckedTable
from launchpad.users.mapping import ImportMapping
from launchpad.users.passwords import rule_fields
from launchpad.users.planned import ACTIONS, Action, PlannedUser
from launchpad.users.state import POST_FIELD, UNIT, ExistingUser, TargetState
from launchpad.users.units import Department

CHUNK = 256  # users made at a time when the plan is read in order
INSERT, UPDATE, UNCHANGED, REJECTED = range(4)  # a row's action: its place in ACTIONS
WRITES = bytes.maketrans(bytes(range(4)), bytes((1, 1, 0, 0)))  # action → 1 when apply writes the row


def roles_for(row: CheckedRow, mapping: ImportMapping) -> list[str]:
    roles = list(mapping.roles.default)
    for rule in mapping.roles.rules:
        if all(row.value(name) in values for name, values in rule.when.items()):
            roles += [key for key in rule.roles if key not in roles]
    return roles


class PlannedTable:
    """A checked table's plan: each row's action, one byte a row."""

    __slots__ = ("checked", "keys", "actions", "filled", "dense")

    def __init__(self, checked: CheckedTable, keys: Sequence[str], filled: list[tuple[str, list[str]]]) -> None:
        self.checked, self.keys, self.filled = checked, keys, filled
        # no user column empty in some rows and not others: a row's values are one dict(zip())
        self.dense = all(all(column) for _, column in filled)
        self.actions = bytearray(len(checked))  # INSERT until decided otherwise


class Planner:
    """What is decided once per file, not per row: the user columns the mapping fills, the
    units' paths and ids as text, the default roles, the fields a password rule reads."""

    def __init__(self, mapping: ImportMapping, state: TargetState) -> None:
        held = state.profile.user_columns
        self.columns = [name for name in mapping.fields if name in held]
        self.mapping, self.state, self.key, self.natural = mapping, state, mapping.key, state.profile.users.key
        self.paths: dict[int | str, str] = {}  # department id → its path
        self.ids: dict[int | str, str] = {}  # department id → as text
        self._departments: dict[str, Department] | None = None
        self.by_rules = bool(mapping.roles.rules)
        self.default_roles = list(mapping.roles.default)
        self.rule_inputs = rule_fields(mapping.passwords.rule) if mapping.passwords.rule is not None else None

    def plan_table(self, table: CheckedTable) -> PlannedTable:
        """Each row's action. Unknown posts join the rows' problems first (the same lists the
        check keeps, so `check --env` and the annotated copy show them too); a row with a
        problem is rejected; a row whose key the target holds is compared with its user."""
        count, columns = len(table), table.cells.columns
        keys = columns.get(self.key) or list(repeat("", count))
        if POST_FIELD in table.columns:
            self._flag_unknown_posts(table)
        planned = PlannedTable(table, keys, [(name, columns[name]) for name in self.columns
                                             if any(columns.get(name, ()))])
        actions = planned.actions
        for at in table.problems:
            actions[at] = REJECTED
        existing = list(map(self.state.users.get, map(str.casefold, keys)))
        for at in compress(range(count), existing):  # only the rows whose user is there already
            old = existing[at]
            if old is not None and actions[at] != REJECTED:
                written = self._unit_id(self._written(planned, at, at + 1)[0], table.department(at))
                actions[at] = ACTIONS.index(self._update(planned, at, old, written).action)
        return planned

    def user(self, planned: PlannedTable, at: int) -> PlannedUser:
        """Row `at` of `planned` as the plan's user."""
        return self.users(planned, at, at + 1)[0]

    def users(self, planned: PlannedTable, start: int, stop: int) -> list[PlannedUser]:
        """Rows `start` to `stop` of `planned` as the plan's users: their values made a chunk
        of rows at a time, in C, as the eager plan made them for the whole table."""
        stop = min(stop, len(planned.actions))
        return list(map(self._user, repeat(planned), range(start, stop), self._written(planned, start, stop)))

    def _user(self, planned: PlannedTable, at: int, written: dict[str, str]) -> PlannedUser:
        table, action = planned.checked, planned.actions[at]
        department = table.department(at)
        if action == REJECTED:
            return PlannedUser(planned.keys[at], "rejected", table.sheet, table.numbers[at], self._path(department),
                               problems=table.problems[at])
        self._unit_id(written, department)
        if action == INSERT:
            inputs = {name: table.cells.value(name, at) for name in self.rule_inputs} \
                if self.rule_inputs is not None else {}
            return PlannedUser(planned.keys[at], "insert", table.sheet, table.numbers[at], self._path(department),
                               values=written, roles_added=self._roles(table, at), posts_added=self._posted(table, at),
                               rule_inputs=inputs)
        return self._update(planned, at, self.state.users[planned.keys[at].casefold()], written)

    def _update(self, planned: PlannedTable, at: int, existing: ExistingUser, written: dict[str, str]) -> PlannedUser:
        table = planned.checked
        old, natural = existing.values, self.natural
        changes = {name: (old.get(name, ""), value) for name, value in written.items()
                   if name != natural and old.get(name, "") != value}
        roles_added = [r for r in self._roles(table, at) if r not in existing.roles]
        posts_added = [p for p in self._posted(table, at) if p not in existing.posts]
        action: Action = "update" if changes or roles_added or posts_added else "unchanged"
        return PlannedUser(old[natural], action, table.sheet, table.numbers[at], self._path(table.department(at)),
                           values={name: new for name, (_, new) in changes.items()}, changes=changes,
                           changes_said=self.said_changes(changes), roles_added=roles_added, posts_added=posts_added)

    def said_changes(self, changes: dict[str, tuple[str, str]]) -> list[tuple[str | Phrase, str, str]]:
        """An update's changes as the sheet says them: each under the header the mapping gives
        its field first, a code as the sheet's word for it, the unit as its path (`dept_id:
        104 → 105` told a PM nothing)."""
        shown: list[tuple[str | Phrase, str, str]] = []
        for name, (old, new) in changes.items():
            if name == UNIT:  # the real or the attached unit, whichever holds the account
                departments = self.departments
                shown.append((phrase("users.account_unit"), self._path(departments.get(old)) or old,
                              self._path(departments.get(new)) or new))
                continue
            spec = self.mapping.fields.get(name)
            said = {code: word for word, code in (spec.codes or {}).items()} if spec is not None else {}
            shown.append((self.mapping.header_of(name), said.get(old, old), said.get(new, new)))
        return shown

    @property
    def departments(self) -> dict[str, Department]:
        """The target's departments by their id as text (how the plan holds a unit)."""
        if self._departments is None:
            self._departments = {str(d.id): d for d in self.state.departments}
        return self._departments

    @staticmethod
    def _written(planned: PlannedTable, start: int, stop: int) -> list[dict[str, str]]:
        """Each row's values of the user columns the mapping fills, empty cells left out (an
        update never blanks a field); the unit's id is added per row."""
        names = [name for name, _ in planned.filled]
        if not names:
            return [{} for _ in range(start, stop)]
        across = zip(*(column[start:stop] for _, column in planned.filled), strict=True)
        if planned.dense:
            return list(map(dict, map(zip, repeat(names), across)))
        return [{name: value for name, value in zip(names, row, strict=True) if value} for row in across]

    def _unit_id(self, written: dict[str, str], department: Department | None) -> dict[str, str]:
        if department is not None:
            ids = self.ids
            written[UNIT] = ids.get(department.id) or ids.setdefault(department.id, str(department.id))
        return written

    def _path(self, department: Department | None) -> str:
        if department is None:
            return ""
        return self.paths.get(department.id) or self.paths.setdefault(department.id, "/".join(department.path))

    def _roles(self, table: CheckedTable, at: int) -> list[str]:
        return roles_for(CheckedRow(table, at), self.mapping) if self.by_rules else self.default_roles.copy()

    def _posted(self, table: CheckedTable, at: int) -> list[str]:
        """The row's post as the target's code (none when the row has no post column or cell)."""
        post = table.cells.value(POST_FIELD, at)
        code = self.state.posts.get(post.casefold()) if post else None
        return [code] if code is not None else []

    def _flag_unknown_posts(self, table: CheckedTable) -> None:
        known = self.state.posts
        column = table.cells.columns[POST_FIELD]
        unknown = {post: difflib.get_close_matches(post, list(known), n=3, cutoff=0.3)
                   for post in set(column) if post and post.casefold() not in known}
        if unknown:
            for at, post in enumerate(column):
                if post in unknown:
                    table.flag(at, POST_FIELD, phrase("users.unknown_post", post=post, closest=unknown[post])
                               if unknown[post] else phrase("users.unknown_post_far", post=post))

    def tally(self, planned: PlannedTable) -> Counter[tuple[str, str]]:
        """(unit path, action) → rows, without making a user."""
        table = planned.checked
        if table.unit_at is None:
            return Counter({("", ACTIONS[code]): n for code, n in Counter(planned.actions).items()})
        paths = [self._path(department) for department in table.units]
        return Counter({(paths[unit], ACTIONS[code]): n for (unit, code), n in
                        Counter(zip(table.unit_at, planned.actions, strict=True)).items()})


class PlannedRows(RowsAcross[PlannedUser]):
    """The plan's users, in the rows' order, each made on demand (see the module's doc)."""

    def __init__(self, planner: Planner, tables: list[PlannedTable]) -> None:
        super().__init__(len(t.actions) for t in tables)
        self.planner, self.tables = planner, tables

    def _make(self, table: int, at: int) -> PlannedUser:
        return self.planner.user(self.tables[table], at)

    def __iter__(self) -> Iterator[PlannedUser]:
        for table in self.tables:
            for start in range(0, len(table.actions), CHUNK):
                yield from self.planner.users(table, start, start + CHUNK)

    def writes(self) -> Iterator[PlannedUser]:
        """The users apply writes (inserts and updates), in order."""
        for table in self.tables:
            writing = table.actions.translate(WRITES)
            for start in range(0, len(writing), CHUNK):
                if any(writing[start:start + CHUNK]):
                    chunk = self.planner.users(table, start, start + CHUNK)
                    yield from compress(chunk, writing[start:start + CHUNK])

    def tally(self) -> Counter[tuple[str, str]]:
        found: Counter[tuple[str, str]] = Counter()
        for table in self.tables:
            found.update(self.planner.tally(table))
        return found
