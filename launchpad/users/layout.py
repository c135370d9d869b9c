"""Where the table starts: the header row under any title rows, or two header rows where the
top one has merged cells (单位 over 实际单位 | 挂职单位).

The mapping's header synonyms decide: among the first rows of a sheet, the header is the row
(or pair of rows) whose cells name the most fields. Headers nobody mapped are kept, with the
closest known header, because a misspelled header silently ignored is how a column of ID
numbers goes missing. The one header launchpad knows without the mapping is its own: the
problems column an earlier check added to its annotated copy (annotate.py), which comes back
once the client has fixed it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter

from launchpad.phrases import phrase, render
from launchpad.users.mapping import ImportMapping, normalise_header
from launchpad.users.sources import Sheet

SEARCHED_ROWS = 30
# How like a known header an unmapped one must be to be named beside it: two-character headers
# sharing one character (序号 and 账号: 0.5) are not.
CLOSE_HEADER = 0.6


@dataclass(frozen=True)
class Column:
    index: int  # 0-based
    header: str  # as the sheet shows it ("单位/实际单位" under a merged top cell)
    field: str | None
    named: bool = False  # a query's or an API's column: known by its name, not a letter

    @property
    def letter(self) -> str:
        """How a problem names the column: its letter in a sheet, its name in records."""
        return self.header if self.named else column_letter(self.index)


@dataclass
class Table:
    """A sheet laid out: which rows are the header, which column holds which field."""

    sheet: Sheet
    header_rows: tuple[int, ...]  # 0-based
    columns: list[Column]
    unmapped: list[tuple[Column, str | None]] = field(default_factory=list)  # with the closest header
    doubled: list[tuple[Column, Column]] = field(default_factory=list)  # a second column for one field
    problems: Column | None = None  # the problems column of an annotated copy sent back
    # rows (0-based) below the header whose text is all in columns no field reads (a 序号
    # numbered down an empty template): not people, so not rows of the table
    skipped: frozenset[int] = frozenset()

    @property
    def by_field(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns if c.field}

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(sheet row number, cells) of each non-blank row below the header."""
        first = self.sheet.first_number
        for r in range(self.header_rows[-1] + 1, len(self.sheet.rows)):
            cells = self.sheet.rows[r]
            if "".join(cells).strip() and r not in self.skipped:  # some cell holds more than spaces
                yield r + first, cells

    def without_fields(self) -> frozenset[int]:
        """The rows below the header with text, none of it in a column a field reads."""
        indices = sorted({c.index for c in self.columns})
        if not indices:
            return frozenset()
        widest = indices[-1]
        pick = itemgetter(*indices) if len(indices) > 1 else lambda cells: (cells[indices[0]],)
        found = []
        rows = self.sheet.rows
        for r in range(self.header_rows[-1] + 1, len(rows)):
            cells = rows[r]
            if len(cells) > widest:
                if "".join(pick(cells)).strip():
                    continue
            elif "".join(cells[i] for i in indices if i < len(cells)).strip():
                continue
            if "".join(cells).strip():
                found.append(r)
        return frozenset(found)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _filled_top(sheet: Sheet, r: int) -> list[str]:
    """Row r with each horizontally merged cell's text repeated across its range."""
    row = list(sheet.rows[r])
    for r0, c0, r1, c1 in sheet.merged:
        if r0 <= r <= r1 and c0 < len(row):
            for c in range(c0 + 1, min(c1 + 1, len(row))):
                row[c] = row[c] or row[c0]
    return row


def _headers(sheet: Sheet, r: int, double: bool) -> list[list[str]]:
    """For each column, the header texts it may be known by, most specific first."""
    if not double:
        return [[cell] if cell.strip() else [] for cell in sheet.rows[r]]
    top, lower = _filled_top(sheet, r), sheet.rows[r + 1]
    result = []
    for c in range(max(len(top), len(lower))):
        high = top[c].strip() if c < len(top) else ""
        low = lower[c].strip() if c < len(lower) else ""
        if high and low and high != low:
            result.append([low, f"{high}/{low}", f"{high}{low}", high])
        else:
            result.append([t for t in (low or high,) if t])
    return result


def _assign(candidates: list[list[str]], index: dict[str, str]) -> list[Column]:
    columns = []
    for c, names in enumerate(candidates):
        if not names:
            continue
        match = next((n for n in names if normalise_header(n) in index), None)
        if match is not None:
            columns.append(Column(c, match, index[normalise_header(match)]))
        else:
            columns.append(Column(c, names[1] if len(names) > 1 else names[0], None))
    return columns


def locate(sheet: Sheet, mapping: ImportMapping) -> Table | None:
    """The sheet's table, or None when no row of its first rows names any field."""
    index = mapping.header_index()
    # More fields named wins; then the header that ends first (a data row is never taken
    # for a second header row); then one row over two.
    best: tuple[int, int, int] | None = None
    chosen: list[Column] = []
    r = 0
    double = False
    # A query's or an API's column names are its first row, and nothing else is.
    searched = 1 if sheet.records else SEARCHED_ROWS
    for row in range(min(searched, len(sheet.rows))):
        for rows in (1,) if sheet.records else (1, 2):
            if row + rows > len(sheet.rows):
                continue
            columns = _assign(_headers(sheet, row, rows == 2), index)
            named = len({c.field for c in columns if c.field})
            score = (named, -(row + rows), -rows)
            if named and (best is None or score > best):
                best, chosen, r, double = score, columns, row, rows == 2
    if best is None:
        return None
    if sheet.records:
        chosen = [Column(c.index, c.header, c.field, named=True) for c in chosen]
    table = Table(sheet, (r, r + 1) if double else (r,), [])
    known = list(index)
    for column in chosen:
        if column.field is None and _problems_header(column.header) and not sheet.records:
            table.problems = column  # the last such column, which the annotated copy writes last
        elif column.field is None:
            close = difflib.get_close_matches(normalise_header(column.header), known, n=1, cutoff=CLOSE_HEADER)
            table.unmapped.append((column, _original(mapping, close[0]) if close else None))
        elif column.field in table.by_field:
            table.doubled.append((table.by_field[column.field], column))
        else:
            table.columns.append(column)
    return table


def _problems_header(header: str) -> bool:
    """The header annotate.py gives the problems column, in either language it writes."""
    return normalise_header(header) in {normalise_header(render(phrase("users.problems_header"), lang))
                                        for lang in ("zh", "en")}


def _original(mapping: ImportMapping, normalised: str) -> str:
    for spec in mapping.fields.values():
        for header in spec.headers:
            if normalise_header(header) == normalised:
                return header
    return normalised
