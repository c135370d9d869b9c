"""A drift as people read it: the terminal's table, and Markdown, HTML and xlsx reports a client
or HQ can read, in the site's language. Item names, labels and values come from people (a
dictionary label typed on site): they stay text in every format (launchpad.safetext), and the
templates are the report package's (a workspace may replace them, like the daily report's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from launchpad.baseline.drift import Difference, Drift
from launchpad.phrases import CATALOG, listed, parts, phrase, render
from launchpad.safetext import formula_like, one_line, spreadsheet
from launchpad.workspace.durable import workbook_bytes

FORMATS = ("md", "html", "xlsx")
COLUMNS = ("id", "severity", "kind", "change", "item", "fields")


def shown_value(value: Any, lang: str = "en") -> str:
    """A field's value as the reports show it."""
    if isinstance(value, bool):  # is_default: RuoYi's own pages say 是/否 for its Y/N
        return render(phrase("baseline.yes" if value else "baseline.no"), lang)
    if isinstance(value, list):
        return render(listed(str(v) for v in value), lang)
    return "" if value is None else str(value)


def field_name(name: str, lang: str) -> str:
    """A field of an item (`label`, `css_class`) in the words the drift screen uses."""
    key = f"baseline.field.{name}"
    return render(phrase(key), lang) if key in CATALOG else name


def field_value(name: str, value: str, lang: str) -> str:
    return render(phrase("baseline.field_value", field=field_name(name, lang), value=value), lang)


def field_change(name: str, before: str, after: str, lang: str) -> str:
    return render(phrase("baseline.field_change", field=field_name(name, lang), before=before, after=after), lang)


def details(d: Difference, lang: str = "en") -> str:
    """`field: expected → actual` for a change, the item's values for a missing or extra one."""
    if d.fields:
        return render(parts([field_change(name, shown_value(a, lang), shown_value(b, lang), lang)
                             for name, (a, b) in d.fields.items()]), lang)
    # An empty field (no CSS class) says nothing, as in the on-site changes.
    shown = {k: v for k, v in d.detail.items() if k not in ("role", "permission", "type", "value") and v != ""}
    text = render(parts([field_value(k, shown_value(v, lang), lang) for k, v in shown.items()]), lang)
    return f"{text} ({render(d.note, lang)})" if d.note else text


def row(d: Difference, lang: str) -> list[str]:
    return [d.id, render(phrase(f"baseline.severity.{d.severity}"), lang),
            render(phrase(f"baseline.kind.{d.kind}"), lang), render(phrase(f"baseline.change.{d.change}"), lang),
            d.item, details(d, lang)]


def headers(lang: str) -> list[str]:
    # the change column is headed as the app's drift table heads it (screens/drift.py)
    return [render(phrase("drift.col_change" if c == "change" else f"baseline.col.{c}"), lang) for c in COLUMNS]


def summary(drift: Drift) -> Any:
    counts = drift.counts()
    if not drift.differences:
        said = phrase("baseline.clean", target=drift.target, reference=drift.reference, version=drift.reference_version)
    else:
        said = phrase("baseline.drift", target=drift.target, reference=drift.reference,
                      version=drift.reference_version, **counts)
    if not drift.not_compared:
        return said
    left_out = phrase("baseline.not_compared",
                      sections=[phrase(f"baseline.section.{section}") for section in drift.not_compared])
    return parts([said, left_out])


def table_lines(drift: Drift, lang: str, limit: int | None = None) -> list[str]:
    """The terminal's table: one line per difference, on one line whatever the values hold."""
    shown = drift.differences if limit is None else drift.differences[:limit]
    rows = [[one_line(cell) for cell in row(d, lang)] for d in shown]
    if not rows:
        return []
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(COLUMNS) - 1)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < len(widths) else cell for i, cell in enumerate(r)) for r in rows]
    if limit is not None and len(drift.differences) > limit:
        lines.append(render(phrase("baseline.more", count=len(drift.differences) - limit), lang))
    return lines


def write_report(drift: Drift, path: Path, lang: str, actor: str, at: str, workspace_root: Path | None,
                 option: str = "--report") -> Path:
    """`path`'s suffix picks the format: .md, .html or .xlsx. Written beside, then moved; a
    place that cannot be written is said as such (`option` is what the person named it with)."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        from launchpad.errors import UsageError

        raise UsageError(phrase("baseline.report_suffix", file=path.name), hint=phrase("baseline.report_suffix_hint"))
    from launchpad.workspace.durable import write_output, write_output_text

    if fmt == "xlsx":
        return write_output(path, lambda partial: _write_xlsx(drift, partial, lang, actor, at), option=option,
                            make_folder=True)
    from launchpad.report.render import render_template

    context = {"title": render(phrase("baseline.title", target=drift.target, reference=drift.reference), lang),
               "said": render(summary(drift), lang),
               "stamp": render(phrase("baseline.compared_at", at=at, actor=actor,
                                      version=drift.reference_version), lang),
               "none": render(phrase("baseline.none"), lang),
               "headers": headers(lang), "rows": [row(d, lang) for d in drift.differences]}
    text = render_template(f"baseline_drift.{fmt}.j2", context, lang, workspace_root)
    return write_output_text(path, text, option=option, make_folder=True)


def _write_xlsx(drift: Drift, path: Path, lang: str, actor: str, at: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = render(phrase("baseline.sheet"), lang)
    sheet.append([_cell(render(phrase("baseline.title", target=drift.target, reference=drift.reference), lang))])
    sheet["A1"].font = Font(bold=True)
    sheet.append([_cell(render(summary(drift), lang))])
    sheet.append([_cell(render(phrase("baseline.compared_at", at=at, actor=actor,
                                      version=drift.reference_version), lang))])
    sheet.append([])
    sheet.append(headers(lang))
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for d in drift.differences:
        sheet.append([_cell(v) for v in row(d, lang)])
    for r in sheet.iter_rows(min_row=6):
        for cell in r:
            if isinstance(cell.value, str) and formula_like(cell.value):
                # Stored as text with the quote prefix: a label typed `=1+1` stays a label.
                cell.data_type = "s"
                cell.quotePrefix = True
    for letter, width in zip("ABCDEF", (36, 8, 12, 8, 30, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    path.write_bytes(workbook_bytes(book))  # not book.save(path): see workbook_bytes


def _cell(value: str) -> str:
    return spreadsheet(value)
