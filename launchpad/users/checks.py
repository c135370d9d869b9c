"""Every row checked, every problem kept: a file with 37,000 rows and 12 mistakes gets 12
problems in one pass, each naming the sheet, the row, the column letter and header, the value
and why — never a stop at the first.

What needs the target (unknown units, values already taken by other users) is checked only
when the target's departments and users are given; otherwise the result says that those checks
did not run, so "no problems" never means more than was checked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from launchpad.errors import LaunchpadError
from launchpad.phrases import Phrase, phrase
from launchpad.users.layout import Column, Table, locate
from launchpad.users.mapping import UNIT_FIELDS, FieldSpec, ImportMapping
from launchpad.users.sources import Workbook
from launchpad.users.units import Department, UnitResolver
from launchpad.users.values import check_value, transform


class SheetDoesNotFit(LaunchpadError):
    """The file's headers do not match the mapping: no row could be read as a user."""

    title = "the sheet does not fit the mapping"


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int  # as the sheet numbers it
    column: str  # letter
    header: str
    value: str
    reason: Phrase
    records: bool = False  # from a query or an API: `column` is a column's name

    @property
    def place(self) -> str:
        """Where the problem is, as the person who fixes it finds it."""
        if self.records:
            return f"{self.sheet} row {self.row} column {self.column}"
        return f"{self.sheet}!{self.column}{self.row}"


@dataclass
class CheckedRow:
    sheet: str
    row: int
    values: dict[str, str]  # field → value as the target will store it
    columns: dict[str, Column]
    problems: list[RowProblem] = field(default_factory=list)
    department: Department | None = None  # the account's unit, when the target was read

    def flag(self, name: str, reason: Phrase, value: str | None = None) -> None:
        column = self.columns[name]
        shown = self.values.get(name, "") if value is None else value
        self.problems.append(RowProblem(self.sheet, self.row, column.letter, column.header, shown, reason,
                                        column.named))


@dataclass(frozen=True)
class Target:
    """What the checks need from the live target: its departments, and its users' values of
    the unique fields by natural key."""

    departments: list[Department]
    users: dict[str, dict[str, str]]


@dataclass
class CheckResult:
    tables: list[Table]
    rows: list[CheckedRow]
    notes: list[Phrase]
    against_target: bool

    @property
    def problems(self) -> list[RowProblem]:
        return [p for row in self.rows for p in row.problems]

    @property
    def good_rows(self) -> list[CheckedRow]:
        return [row for row in self.rows if not row.problems]


def lay_out(workbook: Workbook, mapping: ImportMapping) -> tuple[list[Table], list[Phrase]]:
    """The tables of the sheets the mapping reads; raises SheetDoesNotFit when none fits."""
    tables, notes, unfit = [], [], []
    names = [s.name for s in workbook.sheets]
    for wanted in mapping.sheets or ():
        if wanted not in names:
            raise SheetDoesNotFit(f"{workbook.path}: no sheet named {wanted!r} (sheets: {', '.join(names)})",
                                  hint="correct `sheets:` in the mapping")
    for sheet in workbook.sheets:
        if mapping.sheets is not None and sheet.name not in mapping.sheets:
            continue
        if not any(cell.strip() for row in sheet.rows for cell in row):
            notes.append(phrase("users.sheet_empty", sheet=sheet.name))
            continue
        table = locate(sheet, mapping)
        if table is None:
            notes.append(phrase("users.sheet_no_header", sheet=sheet.name))
            continue
        missing = [name for name, spec in mapping.fields.items() if spec.required and name not in table.by_field]
        if missing:
            unfit.append(_missing(table, missing, mapping))
            continue
        for column, closest in table.unmapped:
            notes.append(phrase("users.header_unmapped", sheet=sheet.name, column=column.letter,
                                header=column.header, closest=closest or "-"))
        for first, second in table.doubled:
            notes.append(phrase("users.header_doubled", sheet=sheet.name, column=second.letter,
                                header=second.header, field=first.field, first=first.letter))
        tables.append(table)
    if unfit:
        raise SheetDoesNotFit("\n".join(unfit), hint="add the sheet's header to the field's headers: in the mapping,"
                                                     " or correct the header in the sheet")
    if not tables:
        said = "; ".join(str(n) for n in notes) or "no sheets"
        headers = ", ".join(h for spec in mapping.fields.values() for h in spec.headers[:1])
        raise SheetDoesNotFit(f"{workbook.path}: no sheet has a header the mapping knows ({said})",
                              hint=f"the mapping looks for headers such as {headers}")
    return tables, notes


def _missing(table: Table, missing: list[str], mapping: ImportMapping) -> str:
    wanted = "; ".join(f"{name} ({'/'.join(mapping.fields[name].headers)})" for name in missing)
    spare = ", ".join(f"{c.letter} {c.header!r}" for c, _ in table.unmapped) or "none"
    return (f"sheet {table.sheet.name!r}: no column for the required field(s) {wanted}; "
            f"headers that matched nothing: {spare}")


def check_workbook(workbook: Workbook, mapping: ImportMapping, target: Target | None = None) -> CheckResult:
    tables, notes = lay_out(workbook, mapping)
    resolver = UnitResolver(target.departments, mapping.units) if target is not None else None
    specs = effective_specs(mapping)
    rows = []
    for table in tables:
        columns = table.by_field
        for number, cells in table.records():
            row = CheckedRow(table.sheet.name, number, {}, columns)
            for name, column in columns.items():
                spec = specs[name]
                raw = cells[column.index] if column.index < len(cells) else ""
                value, problem = check_value(transform(raw, spec), spec)
                row.values[name] = value
                if (number - table.sheet.first_number, column.index) in table.sheet.lossy and spec.check == "id_number":
                    problem = phrase("users.id_lossy")
                if problem is not None:
                    row.flag(name, problem, raw)
            if resolver is not None:
                _check_units(row, resolver, mapping)
            rows.append(row)
    _check_duplicates(rows, mapping)
    if target is not None:
        _check_taken(rows, mapping, target)
    else:
        notes.append(phrase("users.not_against_target"))
    return CheckResult(tables, rows, notes, target is not None)


def effective_specs(mapping: ImportMapping) -> dict[str, FieldSpec]:
    """The mapping's fields, each limited to the size of the target column it fills (RuoYi's
    nick_name holds 30 characters): a value that cannot fit is found by `check`, not by the
    database in the middle of an apply."""
    sizes = mapping.profile.user_columns
    specs = {}
    for name, spec in mapping.fields.items():
        limit = sizes.get(name)
        if limit is not None and (spec.max_length is None or spec.max_length > limit):
            spec = spec.model_copy(update={"max_length": limit})
        specs[name] = spec
    return specs


def _check_units(row: CheckedRow, resolver: UnitResolver, mapping: ImportMapping) -> None:
    found: dict[str, Department] = {}
    for name in UNIT_FIELDS:
        if row.values.get(name):
            department, problem = resolver.resolve(row.values[name])
            if problem is not None:
                row.flag(name, problem)
            elif department is not None:
                found[name] = department
    first = "attached_dept" if mapping.units.account_in == "attached" else "dept"
    row.department = found.get(first) or found.get("dept") or found.get("attached_dept")


def _unique_fields(mapping: ImportMapping) -> list[str]:
    return [name for name, spec in mapping.fields.items() if spec.unique or name == mapping.key]


def _check_duplicates(rows: list[CheckedRow], mapping: ImportMapping) -> None:
    for name in _unique_fields(mapping):
        seen: dict[str, list[CheckedRow]] = defaultdict(list)
        for row in rows:
            value = row.values.get(name, "")
            if value and not (row.problems and any(p.column == row.columns[name].letter for p in row.problems)):
                seen[value.casefold()].append(row)
        for same in seen.values():
            if len(same) < 2:
                continue
            for row in same:
                others = [f"{o.sheet}!{o.row}" if o.sheet != row.sheet else str(o.row) for o in same if o is not row]
                row.flag(name, phrase("users.duplicate", rows=others))


def _check_taken(rows: list[CheckedRow], mapping: ImportMapping, target: Target) -> None:
    """A unique value (a phone number) that belongs to another user already in the target."""
    for name in _unique_fields(mapping):
        if name == mapping.key:
            continue  # the key finding its user is an update, not a clash
        owners = {values[name].casefold(): key for key, values in target.users.items() if values.get(name)}
        if not owners:
            continue
        for row in rows:
            value = row.values.get(name, "")
            owner = owners.get(value.casefold()) if value else None
            if owner is not None and owner.casefold() != row.values.get(mapping.key, "").casefold():
                row.flag(name, phrase("users.taken", owner=owner))
