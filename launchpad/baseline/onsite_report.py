"""On-site changes as HQ reads them: the terminal's table, Markdown and xlsx. Labels, reasons
and issue titles are people's words: they stay text in every format (launchpad.safetext)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from launchpad.baseline.onsite import OnsiteChange
from launchpad.baseline.reports import field_change, field_value, shown_value
from launchpad.phrases import parts, phrase, render
from launchpad.safetext import formula_like, markdown, one_line, spreadsheet
from launchpad.workspace.durable import workbook_bytes

COLUMNS = ("id", "recorded", "environment", "kind", "item", "change", "value", "why", "issue", "operator", "status")


def _plain(value: Any, lang: str) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return shown_value(value, lang)


def value_text(change: OnsiteChange, lang: str) -> str:
    """What HQ copies: the changed fields (baseline → site), or the item the site added."""
    if change.fields:
        return render(parts([field_change(name, _plain(pair["baseline"], lang), _plain(pair["site"], lang), lang)
                             for name, pair in change.fields.items()]), lang)
    if isinstance(change.site_value, dict):
        return render(parts([field_value(k, _plain(v, lang), lang) for k, v in change.site_value.items()
                             if k not in ("permissions", "items") and v != ""]), lang)
    return _plain(change.site_value, lang)


def row(change: OnsiteChange, lang: str, zone_stamp: str) -> list[str]:
    return [str(change.id), zone_stamp, change.environment, render(phrase(f"baseline.kind.{change.kind}"), lang),
            change.item, render(phrase(f"baseline.onsite.change.{change.change}"), lang), value_text(change, lang),
            change.why, f"#{change.issue_id} {change.issue_title}".strip(), change.operator,
            render(phrase(f"baseline.onsite.status.{change.status}"), lang)]


def headers(lang: str) -> list[str]:
    return [render(phrase(f"baseline.onsite.col.{c}"), lang) for c in COLUMNS]


def table_lines(rows: list[list[str]]) -> list[str]:
    cleaned = [[one_line(cell) for cell in r] for r in rows]
    if not cleaned:
        return []
    widths = [min(30, max(len(r[i]) for r in cleaned)) for i in range(len(COLUMNS) - 1)]
    return ["  ".join(cell.ljust(widths[i]) if i < len(widths) else cell for i, cell in enumerate(r))
            for r in cleaned]


def markdown_text(rows: list[list[str]], lang: str, stamp: str) -> str:
    lines = [f"# {render(phrase('baseline.onsite.title'), lang)}", "", stamp, ""]
    if not rows:
        return "\n".join([*lines, render(phrase("baseline.onsite.none"), lang), ""])
    lines += ["| " + " | ".join(headers(lang)) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(markdown(cell) for cell in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def write_xlsx(rows: list[list[str]], path: Path, lang: str, stamp: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = render(phrase("baseline.onsite.sheet"), lang)
    sheet.append([render(phrase("baseline.onsite.title"), lang)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([spreadsheet(stamp)])
    sheet.append([])
    sheet.append(headers(lang))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append([spreadsheet(v) for v in r])
    for cells in sheet.iter_rows(min_row=5):
        for cell in cells:
            if isinstance(cell.value, str) and formula_like(cell.value):
                # Stored as text with the quote prefix: a label typed `=1+1` stays a label.
                cell.data_type = "s"
                cell.quotePrefix = True
    for letter, width in zip("ABCDEFGHIJK", (6, 18, 8, 10, 30, 10, 40, 40, 30, 10, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    path.write_bytes(workbook_bytes(book))  # not book.save(path): see workbook_bytes


def write(rows: list[list[str]], path: Path, fmt: str, lang: str, stamp: str, option: str = "--out") -> Path:
    """Written beside, then moved: never a half-written export, and a place that cannot be
    written is said as such (`option` is what the person named it with)."""
    from launchpad.workspace.durable import write_output, write_output_text

    if fmt == "xlsx":
        return write_output(path, lambda partial: write_xlsx(rows, partial, lang, stamp), option=option,
                            make_folder=True)
    text = markdown_text(rows, lang, stamp)
    return write_output_text(path, text, option=option, make_folder=True)


def export_pending(store: Any, site: Any, path: Path, lang: str, actor: str) -> int:
    """The on-site changes waiting for HQ, written to `path` (.md or .xlsx), for a playbook's
    last step; how many there were."""
    from launchpad.baseline.onsite import list_changes
    from launchpad.sitetime import local_text, utc_now, zoned_text

    zone = site.tz
    changes = list_changes(store, zone, status="pending")
    rows = [row(c, lang, local_text(c.recorded, zone)) for c in changes]
    stamp = render(phrase("baseline.onsite.stamp", at=zoned_text(utc_now(), zone), actor=actor, count=len(changes)),
                   lang)
    write(rows, path, "xlsx" if path.suffix.lower() == ".xlsx" else "md", lang, stamp, option="`report:`")
    return len(changes)
