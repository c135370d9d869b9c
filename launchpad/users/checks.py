"""Every row checked, every problem kept: a file with 37,000 rows and 12 mistakes gets 12
problems in one pass, each naming the sheet, the row, the column letter and header, the value
and why — never a stop at the first.

What needs the target (unknown units, values already taken by other users) is checked only
when the target's departments and users are given; otherwise the result says that those checks
did not run, so "no problems" never means more than was checked.
"""

from __future__ import annotations

import datetime
import json
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Any, cast

from launchpad.errors import LaunchpadError
from launchpad.phrases import Phrase, lines, parts, phrase
from launchpad.users.across import RowsAcross
from launchpad.users.bulk import building_rows
from launchpad.users.layout import Column, Table, column_letter, locate
from launchpad.users.mapping import UNIT_FIELDS, FieldSpec, ImportMapping
from launchpad.users.sources import Workbook
from launchpad.users.units import Department, UnitResolver
from launchpad.users.validators import AllGood, Bad, CompiledColumn, compile_column

CHUNK = 256  # rows turned into columns at a time: a chunk's cells stay in the processor's cache
# Characters that show as nothing, pasted with a value from a web page or a chat (WeChat puts
# U+200B in copied text, pages put direction marks and bidi controls around a name or a number,
# and soft hyphens inside long words): a login name or a phone number holding one is not what
# the person reads, so they are taken out of every mapped cell before its check, and the check
# says where.
ZERO_WIDTH = ("\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner, word joiner, BOM
              "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # direction marks, bidi controls
              "\u00ad")  # soft hyphen
NO_ZERO_WIDTH = dict.fromkeys(map(ord, ZERO_WIDTH))
ZERO_WIDTH_NAMED = 5  # cells a note names before "+N more"
MERGED_NAMED = 5  # merged cells a note names before "+N more"
HIDDEN_NAMED = 10  # hidden rows a note names before "+N more"


class SheetDoesNotFit(LaunchpadError):
    """The file's headers do not match the mapping: no row could be read as a user."""

    title = "the sheet does not fit the mapping"


class NoUsersToImport(LaunchpadError):
    """The sheets the mapping reads have their header and nothing under it: an empty list of
    users is a file sent too early or the wrong file, never "0 rows, no problems"."""

    title = "no users to import"


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


@dataclass(frozen=True, slots=True)
class CheckedCells:
    """A table's checked values, a list per field (as the target will store them), held once
    for the whole table: a row is a position in them, not a dict of its own (100,000 rows made
    100,000 dicts, the largest part of what the check held)."""

    names: tuple[str, ...]
    columns: dict[str, list[str]]

    def row(self, at: int) -> dict[str, str]:
        return {name: column[at] for name, column in self.columns.items()}

    def value(self, name: str, at: int) -> str:
        column = self.columns.get(name)
        return "" if column is None else column[at]


class CheckedTable:
    """A table's rows as checked, held by the table and not by the row: its checked cells,
    each row's sheet number and unit (compact arrays), and problems only for the rows that have
    some. 100,000 rows made 100,000 row objects with a list each, most of them empty."""

    __slots__ = ("sheet", "columns", "cells", "numbers", "problems", "units", "unit_at")

    def __init__(self, sheet: str, columns: dict[str, Column], cells: CheckedCells, numbers: Sequence[int]) -> None:
        self.sheet, self.columns, self.cells, self.numbers = sheet, columns, cells, numbers
        self.problems: dict[int, list[RowProblem]] = {}  # row position → its problems, in the order found
        self.units: list[Department | None] = [None]  # each account unit once; index 0: none
        self.unit_at: array[int] | None = None  # each row's index in `units` (None: no target)

    def __len__(self) -> int:
        return len(self.numbers)

    def flag(self, at: int, name: str, reason: Phrase, value: str | None = None) -> None:
        column = self.columns[name]
        shown = self.cells.value(name, at) if value is None else value
        self.problems.setdefault(at, []).append(RowProblem(self.sheet, self.numbers[at], column.letter, column.header,
                                                           shown, reason, column.named))

    def department(self, at: int) -> Department | None:
        return None if self.unit_at is None else self.units[self.unit_at[at]]


class CheckedRow:
    """One row of a checked table, made when someone asks for it: a position in the table."""

    __slots__ = ("table", "at")

    def __init__(self, table: CheckedTable, at: int) -> None:
        self.table, self.at = table, at

    @property
    def sheet(self) -> str:
        return self.table.sheet

    @property
    def row(self) -> int:
        return self.table.numbers[self.at]

    @property
    def cells(self) -> CheckedCells:
        return self.table.cells

    @property
    def columns(self) -> dict[str, Column]:
        return self.table.columns

    @property
    def problems(self) -> list[RowProblem]:
        """The row's problems (a new empty list when it has none: problems join by `flag`)."""
        return self.table.problems.get(self.at) or []

    @property
    def department(self) -> Department | None:
        """The account's unit, when the target was read."""
        return self.table.department(self.at)

    @property
    def values(self) -> dict[str, str]:
        """Field → value as the target will store it (made on each call: for one value, `value`)."""
        return self.table.cells.row(self.at)

    def value(self, name: str) -> str:
        return self.table.cells.value(name, self.at)

    def flag(self, name: str, reason: Phrase, value: str | None = None) -> None:
        self.table.flag(self.at, name, reason, value)


class CheckedRows(RowsAcross[CheckedRow]):
    """Every checked row of every table, in order; each made on demand."""

    def __init__(self, tables: list[CheckedTable]) -> None:
        super().__init__(len(t) for t in tables)
        self.tables = tables

    def _make(self, table: int, at: int) -> CheckedRow:
        return CheckedRow(self.tables[table], at)

    def __iter__(self) -> Iterator[CheckedRow]:
        for table in self.tables:
            yield from map(CheckedRow, repeat(table, len(table)), range(len(table)))


@dataclass(frozen=True)
class Target:
    """What the checks need from the live target: its departments, and its users' values of
    the unique fields by natural key."""

    departments: list[Department]
    users: dict[str, dict[str, str]]


@dataclass
class CheckResult:
    tables: list[Table]
    rows: CheckedRows
    notes: list[Phrase]
    against_target: bool

    @property
    def problems(self) -> list[RowProblem]:
        return [p for table in self.rows.tables for at in sorted(table.problems) for p in table.problems[at]]

    @property
    def sheet_notes(self) -> list[Phrase]:
        """What the check says of the sheets themselves — a header that matches no field, a
        second column for a field, a sheet skipped — without the note that it was not checked
        against a target, which the screen and a playbook's plan step say their own way."""
        return [note for note in self.notes if note.key != "users.not_against_target"]

    @property
    def good_rows(self) -> list[CheckedRow]:
        return [CheckedRow(table, at) for table in self.rows.tables for at in range(len(table))
                if at not in table.problems]


def lay_out(workbook: Workbook, mapping: ImportMapping) -> tuple[list[Table], list[Phrase]]:
    """The tables of the sheets the mapping reads; raises SheetDoesNotFit when none fits."""
    tables, notes, unfit, unfit_sheets = [], [], [], []
    names = [s.name for s in workbook.sheets]
    for wanted in mapping.sheets or ():
        if wanted not in names:
            raise SheetDoesNotFit(phrase("users.no_sheet_named", path=str(workbook.path), sheet=wanted, sheets=names),
                                  hint=phrase("users.no_sheet_named_hint"))
    for sheet in workbook.sheets:
        if mapping.sheets is not None and sheet.name not in mapping.sheets:
            continue
        notes.extend(sheet.notes)
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
            unfit_sheets.append(sheet.name)
            continue
        for column, closest in table.unmapped:
            notes.append(phrase("users.header_unmapped", sheet=sheet.name, column=column.letter,
                                header=column.header, closest=closest) if closest else
                         phrase("users.header_unmapped_far", sheet=sheet.name, column=column.letter,
                                header=column.header))
        for first, second in table.doubled:
            notes.append(phrase("users.header_doubled", sheet=sheet.name, column=second.letter,
                                header=second.header, field=first.field, first=first.letter))
        notes.extend(_fill_merged_down(table))  # before a row is judged empty of fields
        notes.extend(_skip_rows_without_fields(table))
        notes.extend(_hidden_notes(table))
        tables.append(table)
    if unfit:
        # Beside sheets of users, a sheet with one known header (a summary's 单位) may hold none.
        raise SheetDoesNotFit(lines(unfit), hint=phrase("users.unfit_hint") if not tables else
                              phrase("users.unfit_or_sheets_hint", unfit=unfit_sheets,
                                     sheets=", ".join(json.dumps(t.sheet.name, ensure_ascii=False) for t in tables)))
    if not tables:
        headers = [h for spec in mapping.fields.values() for h in spec.headers[:1]]
        raise SheetDoesNotFit(phrase("users.no_known_header", path=str(workbook.path),
                                     notes=parts(notes) if notes else phrase("users.no_sheets")),
                              hint=phrase("users.no_known_header_hint", headers=headers))
    return _with_rows(workbook, tables), notes + [phrase("users.sheet_header_only", sheet=t.sheet.name)
                                                  for t in tables if _header_only(t)]


def _skip_rows_without_fields(table: Table) -> list[Phrase]:
    """Rows whose only text is in columns no field reads (序号 numbered down a template, a note
    beside the list) are not people: skipped, and named, rather than each flagged for every
    required field it lacks."""
    table.skipped = table.without_fields()
    if not table.skipped:
        return []
    first = table.sheet.first_number
    runs: list[list[int]] = []  # consecutive rows as one run: 4–21, not eighteen numbers
    for r in sorted(table.skipped):
        if runs and runs[-1][1] == r - 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    spans = [f"{a + first}–{b + first}" if b > a else str(a + first) for a, b in runs]
    return [phrase("users.rows_without_fields", sheet=table.sheet.name, count=len(table.skipped),
                   rows=_first_named(spans, HIDDEN_NAMED))]


def _fill_merged_down(table: Table) -> list[Phrase]:
    """A cell merged down over several people's rows (their unit, their post, written once for
    all of them) holds its text in its first row only, as the file keeps it; the person reading
    the sheet sees it on each row, so each row gets it, and a note names the cells. Only down
    its first column: merged across, the text is that column's, not the next field's."""
    sheet = table.sheet
    below = table.header_rows[-1]
    columns = {c.index for c in table.columns}
    filled = []
    for r0, c0, r1, _ in sorted(sheet.merged):
        if r0 <= below or r1 == r0 or c0 not in columns or r0 >= len(sheet.rows):
            continue
        top = sheet.rows[r0][c0] if c0 < len(sheet.rows[r0]) else ""
        if not top.strip():
            continue
        for r in range(r0 + 1, min(r1 + 1, len(sheet.rows))):
            cells = sheet.rows[r]
            if c0 < len(cells) and not cells[c0]:
                cells[c0] = top
                if (r0, c0) in sheet.lossy:
                    sheet.lossy.add((r, c0))
        first = sheet.first_number
        filled.append(f"{column_letter(c0)}{r0 + first}:{column_letter(c0)}{min(r1, len(sheet.rows) - 1) + first}")
    if not filled:
        return []
    return [phrase("users.merged_down", sheet=sheet.name, cells=_first_named(filled, MERGED_NAMED))]


def _hidden_notes(table: Table) -> list[Phrase]:
    """What a person reading the sheet in Excel does not see and the import takes: a hidden sheet
    with rows, hidden rows holding people, hidden columns the mapping reads."""
    sheet = table.sheet
    notes = []
    if sheet.hidden and not _header_only(table):
        notes.append(phrase("users.hidden_sheet", sheet=sheet.name))
    if sheet.hidden_rows:
        rows = [str(number) for number, _ in table.records() if number - sheet.first_number in sheet.hidden_rows]
        if rows:
            notes.append(phrase("users.hidden_rows", sheet=sheet.name, rows=_first_named(rows, HIDDEN_NAMED)))
    columns = [phrase("users.hidden_column", column=c.letter, header=c.header)
               for c in table.columns if c.index in sheet.hidden_columns]
    if columns:
        notes.append(phrase("users.hidden_columns", sheet=sheet.name, columns=columns))
    return notes


def _first_named(places: list[Any], most: int) -> list[Any] | Phrase:
    """A note's places: all of them, or the first `most` and "+N more"."""
    return places if len(places) <= most else phrase("more", text=places[:most], count=len(places) - most)


def _header_only(table: Table) -> bool:
    return next(table.records(), None) is None


def _with_rows(workbook: Workbook, tables: list[Table]) -> list[Table]:
    """The tables that have rows below their header; raises NoUsersToImport when none has
    (check, plan and import alike: one rule, here)."""
    if not all(map(_header_only, tables)):
        return tables
    path = str(workbook.path)
    if workbook.encoding is not None:  # a CSV/TSV file: the file is its one sheet
        said = phrase("users.file_header_only", path=path)
    else:
        said = phrase("users.sheets_header_only", path=path, sheets=[t.sheet.name for t in tables])
    raise NoUsersToImport(said, hint=phrase("users.header_only_hint"))


def _missing(table: Table, missing: list[str], mapping: ImportMapping) -> Phrase:
    wanted = parts([f"{name} ({'/'.join(mapping.fields[name].headers)})" for name in missing])
    spare = [f"{c.letter} {c.header!r}" for c, _ in table.unmapped] or phrase("sweep.none")
    return phrase("users.no_column", sheet=table.sheet.name, wanted=wanted, spare=spare)


def check_workbook(workbook: Workbook, mapping: ImportMapping, target: Target | None = None) -> CheckResult:
    tables, notes = lay_out(workbook, mapping)
    resolver = UnitResolver(target.departments, mapping.units) if target is not None else None
    specs = effective_specs(mapping)
    today = datetime.date.today()
    checks = {name: compile_column(spec, today) for name, spec in specs.items()}
    cleaned: list[list[tuple[int, int, str]]] = [[] for _ in tables]  # per table: cells that held zero-width
    with building_rows():
        rows = CheckedRows([_check_table(table, specs, checks, resolver, mapping, cleaned[t])
                            for t, table in enumerate(tables)])
        _check_duplicates(rows, mapping)
        if target is not None:
            _check_taken(rows, mapping, target)
    places = [place for found in cleaned for *_, place in sorted(found)]
    if places:
        notes.append(phrase("users.zero_width", count=len(places), cells=_first_named(places, ZERO_WIDTH_NAMED)))
    if target is None:
        notes.append(phrase("users.not_against_target"))
    return CheckResult(tables, rows, notes, target is not None)


def _check_table(table: Table, specs: dict[str, FieldSpec], checks: dict[str, CompiledColumn],
                 resolver: UnitResolver | None, mapping: ImportMapping,
                 cleaned: list[tuple[int, int, str]]) -> CheckedTable:
    """The table's rows checked a column at a time (one compiled check mapped over 100,000
    cells costs a fraction of a call chain per cell); each row's problems still come in the
    order of its columns, then its units. Each cell whose zero-width characters were taken out
    joins `cleaned` as (row, column, place)."""
    columns = table.by_field
    names = list(columns)
    numbers, raw_columns = _body(table, sorted({c.index for c in columns.values()}))
    found: dict[int, list[tuple[str, Phrase, str]]] = {}  # row position → (field, problem, raw cell)
    checked: list[list[str | Bad]] = []
    for name in names:
        column = columns[name]
        raws = raw_columns[column.index]
        cleaned += [(numbers[i], column.index, _cell_place(table, numbers[i], column))
                    for i in _zero_width_removed(raws)]
        values = checks[name](raws)
        marked = specs[name].check == "id_number" and bool(table.sheet.lossy)
        if marked:
            _mark_lossy(values, numbers, table, columns[name].index)
        if table.sheet.errors and _mark_errors(values, raws, numbers, table, columns[name].index):
            marked = True
        # A column its check answered whole (`AllGood`) holds no Bad unless one was marked since.
        bad_cells = () if type(values) is AllGood and not marked else \
            [i for i, value in enumerate(values) if type(value) is Bad] if Bad in set(map(type, values)) else ()
        for i in bad_cells:
            bad = cast(Bad, values[i])
            values[i] = bad.value
            found.setdefault(i, []).append((name, bad.problem, raws[i]))
        checked.append(values)
    del raw_columns
    texts = cast(list[list[str]], checked)  # every Bad was replaced by its value above
    cells = CheckedCells(tuple(names), dict(zip(names, texts, strict=True)))
    # The usual sheet has no blank row: its numbers are a range, not a number per row.
    held: Sequence[int] = range(numbers[0], numbers[-1] + 1) if numbers and numbers[-1] - numbers[0] == \
        len(numbers) - 1 else array("i", numbers)
    del numbers
    checked_table = CheckedTable(table.sheet.name, columns, cells, held)
    for i in sorted(found):
        for name, problem, raw in found[i]:
            checked_table.flag(i, name, problem, raw)
    if resolver is not None:
        first = "attached_dept" if mapping.units.account_in == "attached" else "dept"
        _place(checked_table, _units(names, texts, resolver), first)
    return checked_table


def _body(table: Table, wanted: list[int]) -> tuple[list[int], dict[int, list[str]]]:
    """The sheet row number of each non-blank row below the header, and the wanted columns of
    those rows ('' where a row ends before one). Taken CHUNK rows at a time: a chunk's rows and
    cells are still in the processor's cache when they are turned into columns, which made this
    four times faster than a pass over all rows for each column."""
    rows, first = table.sheet.rows, table.sheet.first_number
    numbers: list[int] = []
    columns: dict[int, list[str]] = {index: [] for index in wanted}
    widest = max(wanted, default=0)
    for start in range(table.header_rows[-1] + 1, len(rows), CHUNK):
        part = rows[start:start + CHUNK]
        filled = list(map(str.strip, map("".join, part)))  # some cell holds more than spaces
        if table.skipped:
            filled = [text if start + i not in table.skipped else "" for i, text in enumerate(filled)]
        if all(filled):
            numbers += range(start + first, start + first + len(part))
        else:
            numbers += compress(range(start + first, start + first + len(part)), filled)
            part = list(compress(part, filled))
        if part and min(map(len, part)) > widest:
            across = list(zip(*part, strict=False))  # the chunk's columns (rows may be longer than widest)
            for index, column in columns.items():
                column += across[index]
        else:
            for index, column in columns.items():
                column += [cells[index] if index < len(cells) else "" for cells in part]
    return numbers, columns


def _zero_width_removed(raws: list[str]) -> list[int]:
    """The positions of the cells that held an invisible character (`ZERO_WIDTH`), taken out in
    place. A column without one (nearly every column) is answered by a search in C for each
    (faster than one regular expression's character class)."""
    joined = "".join(raws)
    if not any(char in joined for char in ZERO_WIDTH):
        return []
    found = [i for i, cell in enumerate(raws) if cell.translate(NO_ZERO_WIDTH) != cell]
    for i in found:
        raws[i] = raws[i].translate(NO_ZERO_WIDTH)
    return found


def _cell_place(table: Table, number: int, column: Column) -> str:
    """A cell as a problem names it (`RowProblem.place`), with its header."""
    if table.sheet.records:
        return f"{table.sheet.name} row {number} column {column.letter}"
    return f"{table.sheet.name}!{column.letter}{number} {column.header}"


def _mark_lossy(values: list[str | Bad], numbers: list[int], table: Table, index: int) -> None:
    """An ID number Excel kept as a number lost its last digits: that, not the check digit, is
    what its cell is told."""
    first = table.sheet.first_number
    wanted = {r + first for r, c in table.sheet.lossy if c == index}
    for i, number in enumerate(numbers):
        if number in wanted:
            value = values[i]
            values[i] = Bad(value.value if isinstance(value, Bad) else value, phrase("users.id_lossy"))


def _mark_errors(values: list[str | Bad], raws: list[str], numbers: list[int], table: Table, index: int) -> bool:
    """A cell Excel shows as an error (read as '') is told as that error, whatever the field's
    check made of an empty cell; its raw text becomes the error, the value the problem shows.
    A row of nothing but errors (a lookup filled down past the list) has no text and was left
    out with the blank rows. Whether any cell of the column was one."""
    first = table.sheet.first_number
    wanted = {r + first: error for (r, c), error in table.sheet.errors.items() if c == index}
    if not wanted:
        return False
    for i, number in enumerate(numbers):
        error = wanted.get(number)
        if error is not None:
            values[i], raws[i] = Bad("", phrase("users.cell_error", error=error)), error
    return True


Resolved = tuple[Department | None, Phrase | None]


def _units(names: list[str], checked: list[list[str]],
           resolver: UnitResolver) -> list[tuple[str, list[str], dict[str, Resolved | None]]]:
    """Each unit column: its cells and each distinct cell's answer (asked of the resolver
    once), in the order a row's unit problems are told."""
    at = {name: checked[names.index(name)] for name in UNIT_FIELDS if name in names}
    found = []
    for name, cells in at.items():
        answers: dict[str, Resolved | None] = {unit: resolver.resolve(unit) for unit in set(cells) if unit}
        answers[""] = None
        found.append((name, cells, answers))
    return found


def _place(table: CheckedTable, units: list[tuple[str, list[str], dict[str, Resolved | None]]], first: str) -> None:
    """Each row's unit problems (after its other problems), and the department its account
    belongs to: an index per row into the table's distinct departments."""
    index: dict[int, int] = {}  # id of a department → its place in table.units

    def place(department: Department | None) -> int:
        if department is None:
            return 0
        found = index.get(id(department))
        if found is None:
            found = index[id(department)] = len(table.units)
            table.units.append(department)
        return found

    if len(units) == 1:  # one unit column, the usual sheet: each distinct cell's answer once
        name, cells, answers = units[0]
        places = {cell: place(answer[0] if answer is not None and answer[1] is None else None)
                  for cell, answer in answers.items()}
        table.unit_at = array("i", map(places.__getitem__, cells))
        problems = {cell: answer[1] for cell, answer in answers.items() if answer is not None and answer[1] is not None}
        if problems:
            for at, cell in enumerate(cells):
                problem = problems.get(cell)
                if problem is not None:
                    table.flag(at, name, problem)
        return
    at_units = array("i", [0]) * len(table)
    for at in range(len(table)):
        found: dict[str, Department] = {}
        for name, cells, answers in units:
            answer = answers[cells[at]]
            if answer is None:
                continue
            department, problem = answer
            if problem is not None:
                table.flag(at, name, problem)
            elif department is not None:
                found[name] = department
        if found:
            at_units[at] = place(found.get(first) or found.get("dept") or found.get("attached_dept"))
    table.unit_at = at_units


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


def _unique_fields(mapping: ImportMapping) -> list[str]:
    return [name for name, spec in mapping.fields.items() if spec.unique or name == mapping.key]


def _field_values(rows: CheckedRows, name: str) -> list[str]:
    """Field `name` of every row of every table, in the rows' order ('' where a table lacks it)."""
    if len(rows.tables) == 1 and name in rows.tables[0].cells.columns:
        return rows.tables[0].cells.columns[name]  # the one table's own column: read, not copied
    values: list[str] = []
    for table in rows.tables:
        values += table.cells.columns.get(name) or repeat("", len(table))
    return values


def _check_duplicates(rows: CheckedRows, mapping: ImportMapping) -> None:
    for name in _unique_fields(mapping):
        values = _field_values(rows, name)
        # Asked in C first: a column without a value twice (the usual case) needs no more.
        # ASCII text with no capitals (ID numbers, phones, lower-cased accounts) is its own casefold.
        joined = "".join(values)
        filled = list(filter(None, values if joined.isascii() and joined.lower() == joined else
                             map(str.casefold, values)))
        if len(set(filled)) == len(filled):
            continue
        first: dict[str, CheckedRow] = {}
        same: dict[str, list[CheckedRow]] = {}  # only values more than one row holds
        for row, value in zip(rows, values, strict=True):
            if value and not (row.problems and any(p.column == row.columns[name].letter for p in row.problems)):
                key = value.casefold()
                earlier = first.setdefault(key, row)
                if earlier is not row:
                    same.setdefault(key, [earlier]).append(row)
        for group in same.values():
            for row in group:
                others = [f"{o.sheet}!{o.row}" if o.sheet != row.sheet else str(o.row) for o in group if o is not row]
                row.flag(name, phrase("users.duplicate", rows=others))


def _check_taken(rows: CheckedRows, mapping: ImportMapping, target: Target) -> None:
    """A unique value (a phone number) that belongs to another user already in the target."""
    keys: list[str] | None = None
    for name in _unique_fields(mapping):
        if name == mapping.key:
            continue  # the key finding its user is an update, not a clash
        owners = {values[name].casefold(): key for key, values in target.users.items() if values.get(name)}
        if not owners:
            continue
        # Every cell looked up in C; only the rows whose value someone owns are looked at.
        found = list(map(owners.get, map(str.casefold, _field_values(rows, name))))
        if found.count(None) == len(found):
            continue
        keys = _field_values(rows, mapping.key) if keys is None else keys
        for i, owner in enumerate(found):
            if owner is not None and owner.casefold() != keys[i].casefold():
                rows[i].flag(name, phrase("users.taken", owner=owner))
