"""The annotated copy of the client's sheet: the same sheets, rows and columns (so row 37 is
still row 37), each bad cell filled red with the reason as its comment, and a last column
listing every problem of the row. The client fixes it and sends it back; checked again, that
copy's own problems column is written afresh, not a second one added beside it.

Written with openpyxl's write-only mode (a 100,000-row copy in seconds, not minutes); merged
title cells come back unmerged, their text kept. Every value is written as text, so a
formula-looking value stays what the person typed — except a number Excel had already rounded
(an 18-digit ID number kept as a number): it stays that number, so the copy checked again still
says the digits were lost instead of blaming the check digit. The file holds ID numbers and phone
numbers: it is created 0600 and appears complete or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from launchpad.errors import LaunchpadError
from launchpad.oserrors import os_reason
from launchpad.phrases import Lang, parts, phrase, render
from launchpad.users.checks import CheckResult, RowProblem
from launchpad.users.sources import Workbook
from launchpad.workspace.durable import workbook_bytes, write_complete

BAD_FILL = "FFC7CE"


def write_annotated(workbook: Workbook, result: CheckResult, out: Path, lang: Lang = "zh") -> Path:
    from openpyxl import Workbook as XlsxWorkbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    by_cell: dict[tuple[str, int], dict[str, list[RowProblem]]] = defaultdict(lambda: defaultdict(list))
    for problem in result.problems:
        by_cell[(problem.sheet, problem.row)][problem.column].append(problem)
    header_rows = {t.sheet.name: t.header_rows for t in result.tables}
    # an annotated copy sent back: its problems column says this check's problems, or nothing
    earlier = {t.sheet.name: t.problems.index for t in result.tables if t.problems is not None}
    fill = PatternFill("solid", start_color=BAD_FILL, end_color=BAD_FILL)
    bold = Font(bold=True)
    book = XlsxWorkbook(write_only=True)
    for sheet in workbook.sheets:
        ws = book.create_sheet(sheet.name)
        width = max((len(r) for r in sheet.rows), default=0)
        headers = header_rows.get(sheet.name, ())
        at = earlier.get(sheet.name)
        rounded: dict[int, set[int]] = defaultdict(set)  # row → its columns Excel had rounded
        for r, c in sheet.lossy:
            rounded[r].add(c)
        for r, cells in enumerate(sheet.rows):
            marks = by_cell.get((sheet.name, r + sheet.first_number), {})
            numbers = rounded.get(r, ())
            if at is not None and r not in headers and at < len(cells) and cells[at]:
                cells = [*cells[:at], "", *cells[at + 1:]]  # what an earlier check said
            if not marks and r not in headers:  # most rows: plain values, a fraction of a cell's cost
                ws.append([float(value) if c in numbers else _plain(ws, value) for c, value in enumerate(cells)]
                          if numbers else [_plain(ws, value) for value in cells])
                continue
            out_row = []
            for c, value in enumerate(cells):
                if c in numbers:
                    cell = WriteOnlyCell(ws, value=float(value))  # the number Excel kept, as it kept it
                else:
                    cell = WriteOnlyCell(ws, value=value or None)
                    cell.data_type = "s"  # text, never a formula
                if r in headers:
                    cell.font = bold
                problems = marks.get(sheet.rows[0][c] if sheet.records else _letter(c))
                if problems:
                    cell.fill = fill
                    cell.comment = Comment("\n".join(render(p.reason, lang) for p in problems), "launchpad")
                out_row.append(cell)
            out_row += [WriteOnlyCell(ws, value=None) for _ in range(width - len(cells))]
            if headers and r == headers[-1] and at is None:
                out_row.append(WriteOnlyCell(ws, value=render(phrase("users.problems_header"), lang)))
            elif marks:
                summary = WriteOnlyCell(ws, value=render(parts(
                    [phrase("users.cell_problem", cell=_cell(p), header=p.header, reason=p.reason)
                     for column in marks.values() for p in column]), lang))
                summary.data_type = "s"
                if at is None:
                    out_row.append(summary)
                else:
                    out_row[at] = summary
            ws.append(out_row)
    save_private(book, out)
    return out


def _plain(ws: object, value: str) -> object:
    """A clean cell's value; text that starts with = stays text, never a formula."""
    if not value.startswith("="):
        return value or None
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def _letter(index: int) -> str:
    from launchpad.users.layout import column_letter

    return column_letter(index)


class CannotWrite(LaunchpadError):
    title = "cannot write the file"


def save_private(book: object, out: Path) -> None:
    """The workbook, owner-only (it names people; a hand-out holds passwords), complete or absent."""
    try:
        write_complete(out, workbook_bytes(book))
    except OSError as exc:
        raise CannotWrite(phrase("users.os_error", path=str(out), reason=os_reason(exc)),
                          hint=phrase("users.cannot_write_hint")) from None


def _cell(problem: RowProblem) -> str:
    # A record's column is named in the header beside it; its row is the line it is on.
    return f"{problem.column}{problem.row}" if not problem.records else f"#{problem.row}"
