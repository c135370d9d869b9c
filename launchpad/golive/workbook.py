"""The checklist as an Excel workbook for the client's project office: every item with its
owner, due date, state, why it is not done and what proves it, and the go/no-go summary.

Every cell is text (dates as YYYY-MM-DD, which sort as dates do); text that starts like a formula (an item
titled `=HYPERLINK(…)`) is stored as a string with Excel's quote prefix, so it stays a title
when someone edits the cell. openpyxl is imported on use: it costs start-up time elsewhere.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from launchpad.golive.progress import ItemProgress, Progress, owner_name, state_word, summary_text
from launchpad.phrases import Lang, parts, phrase, render
from launchpad.safetext import formula_like, spreadsheet
from launchpad.workspace.durable import workbook_bytes
from launchpad.workspace.site import Site

COLUMNS = ("id", "title", "owner", "due", "critical", "state", "late", "why", "proof", "notes")
_WIDTHS = {"id": 14, "title": 36, "owner": 10, "due": 12, "critical": 6, "state": 10, "late": 12,
           "why": 40, "proof": 40, "notes": 30}


def write_checklist_xlsx(progress: Progress, site: Site, lang: Lang, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = render(phrase("golive.sheet_items"), lang)
    sheet.append([render(phrase(f"golive.col.{column}"), lang) for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    late_fill = PatternFill("solid", fgColor="FDE8E8")
    for number, p in enumerate(progress.items, start=2):
        for position, value in enumerate(_values(p, progress, site, lang), start=1):
            cell = sheet.cell(row=number, column=position)
            _put(cell, value)
            if p.late or p.stops_golive:
                cell.fill = late_fill
    for index, name in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = _WIDTHS[name]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{chr(ord('A') + len(COLUMNS) - 1)}{len(progress.items) + 1}"
    summary = book.create_sheet(render(phrase("golive.sheet_summary"), lang))
    summary.column_dimensions["A"].width = 100
    for number, line in enumerate(summary_text(progress, site, lang).splitlines(), start=1):
        _put(summary.cell(row=number, column=1), line)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(book))  # not book.save(path): see workbook_bytes
    return path


def _values(p: ItemProgress, progress: Progress, site: Site, lang: Lang) -> list[str]:
    item, finding = p.item, p.finding
    why = item.reason if p.state in ("blocked", "not_applicable") else (
        render(finding.said, lang) if finding is not None and not finding.holds else "")
    if p.waiting_on:
        waiting = render(progress.waiting_said(p), lang)
        why = render(parts([why, waiting]), lang) if why else waiting
    return [item.id, item.title, owner_name(site, item.owner), item.due.isoformat(),
            render(phrase("golive.yes"), lang) if item.critical else "",
            render(state_word(p), lang),
            _days_late(progress.today, item.due, lang) if p.late else "",
            why, render(finding.said, lang) if finding is not None and finding.holds else "", item.notes]


def _days_late(today: date, due: date, lang: Lang) -> str:
    days = (today - due).days
    return render(phrase("golive.days_late_one" if days == 1 else "golive.days_late", days=days), lang)


def _put(cell: Any, value: str) -> None:
    """Text cleaned of what XML cannot hold; text Excel would read as a formula is stored as a
    string with the quote prefix."""
    cell.value = spreadsheet(value)
    if formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
