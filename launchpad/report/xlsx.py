"""The daily report as an Excel workbook — what the client used to get by re-typing the chat
into a sheet: a summary sheet with the counts and the day's runs, and an issues sheet listing
every issue reported or resolved that day and every open one, overdue rows in red.

Every text cell holds text, whatever it says: control characters (which XML cannot hold) are
dropped, and text that starts like a formula (`=`, `+`, `-`, `@`) is stored as a string with
Excel's quote prefix, so an issue titled `=HYPERLINK(…)` stays a title even when the client
edits the cell (see launchpad.safetext).

openpyxl is imported here, on use: it costs start-up time for every other command. The
workbook is written in write-only mode, which streams rows and keeps thousands of open issues
fast enough: about 0.1 ms per row, most of it openpyxl's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from launchpad.issues.display import field_label, value_label
from launchpad.phrases import render as render_phrase
from launchpad.phrases import section
from launchpad.report.activity import CheckLine, RunLine
from launchpad.report.daily import DailyReport, IssueLine
from launchpad.report.golive_section import GoliveLine
from launchpad.report.render import days_overdue, golive_headline, onsite_text, release_text, set_aside_text
from launchpad.safetext import formula_like, spreadsheet
from launchpad.workspace.durable import workbook_bytes

ISSUE_COLUMNS = ("id", "severity", "title", "module", "type", "status", "owner", "due", "overdue",
                 "reporter", "channel", "reported_at", "resolved_at", "resolution", "fixed_in")
_WIDTHS = {"id": 7, "severity": 8, "title": 44, "module": 12, "type": 10, "status": 10, "owner": 10,
           "due": 12, "overdue": 10, "reporter": 14, "channel": 8, "reported_at": 17,
           "resolved_at": 17, "resolution": 30, "fixed_in": 14}
_CODED = {"severity", "type", "status", "channel"}


def write_daily_xlsx(report: DailyReport, lang: str, path: Path) -> Path:
    """Write the workbook to `path` (the report must be collected with all issues)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    words = section("daily", lang)
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    # A conditional format's fill is drawn from bgColor by Excel and fgColor by others: set both.
    overdue_fill = PatternFill("solid", fgColor="FDE8E8", bgColor="FDE8E8")

    def cells(sheet: Any, values: list[Any], font: Any = None, fill: Any = None) -> list[Any]:
        row = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_clean(value))
            _keep_text(cell, value)
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            row.append(cell)
        return row

    summary = book.create_sheet(words["sheet_summary"])
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 60
    summary.append(cells(summary, [f"{report.site_name} {words['daily_title']}", report.day.isoformat()], bold))
    for name, value in _summary_rows(report, lang):
        summary.append([_as_text(WriteOnlyCell, summary, v) for v in (name, value)])

    issues = book.create_sheet(words["sheet_issues"])
    for index, column in enumerate(ISSUE_COLUMNS):
        issues.column_dimensions[_letter(index)].width = _WIDTHS[column]
    issues.freeze_panes = "A2"
    issues.auto_filter.ref = f"A1:{_letter(len(ISSUE_COLUMNS) - 1)}{len(report.all_issues) + 1}"
    issues.append(cells(issues, [field_label(c, lang) for c in ISSUE_COLUMNS], bold, header_fill))
    # Overdue rows turn red by a conditional format on the overdue column, not by a style on
    # each cell: openpyxl styles cost more than the values (1 s for 2,700 rows), and the rule
    # keeps working when the client sorts, filters or edits the sheet.
    last = f"{_letter(len(ISSUE_COLUMNS) - 1)}{len(report.all_issues) + 1}"
    overdue_column = _letter(ISSUE_COLUMNS.index("overdue"))
    if report.all_issues:  # no rows, no range: "A2:O1" is not one
        issues.conditional_formatting.add(f"A2:{last}", FormulaRule(formula=[f'LEN(${overdue_column}2)>0'],
                                                                    fill=overdue_fill))
    for line in report.all_issues:
        issues.append([_as_text(WriteOnlyCell, issues, value) for value in _issue_values(line, lang)])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(book))  # not book.save(path): see workbook_bytes
    return path


def _as_text(make: Any, sheet: Any, value: Any) -> Any:
    """`value` ready for a row: text is cleaned, and text Excel would take for a formula
    becomes a cell stored as a string with the quote prefix. The rest stay plain values (a
    cell object for every value would double the time of a large sheet)."""
    if not (isinstance(value, str) and formula_like(value)):
        return _clean(value)
    cell = make(sheet, value=_clean(value))
    _keep_text(cell, value)
    return cell


def _clean(value: Any) -> Any:
    return spreadsheet(value) if isinstance(value, str) else value


def _keep_text(cell: Any, value: Any) -> None:
    """A cell whose text starts like a formula: stored as a string, with the quote prefix
    that keeps it one when the client edits the cell."""
    if isinstance(value, str) and formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def _letter(index: int) -> str:
    return chr(ord("A") + index)  # the sheets have fewer than 26 columns


def _check_cell(check: CheckLine, words: dict[str, str], lang: str) -> str:
    """A check's result, what it found and, when it failed, what to do (its hint)."""
    return " ".join(part for part in (words.get(check.status, check.status), render_phrase(check.summary, lang),
                                      render_phrase(check.hint, lang)) if part)


def _summary_rows(report: DailyReport, lang: str) -> list[tuple[str, Any]]:
    words = section("daily", lang)
    counts = report.counts
    rows: list[tuple[str, Any]] = [
        (words["client"], report.client),
        (words["new_today"], counts.new_today),
        (words["resolved_today"], counts.resolved_today),
        (words["open_total"], counts.open_total),
        *[(f"{words['open_total']} {value_label(s, lang)}", n) for s, n in counts.open_by_severity.items()],
        (words["overdue"], counts.overdue),
        (words["total"], counts.total),
        *_golive_rows(report, words, lang),
    ]
    for run in report.runs:
        status = words.get(run.status, run.status)
        text = words["run_line"].format(playbook=run.title, environment=run.environment, status=status,
                                        passed=run.steps_passed, total=run.steps_total)
        text += "".join(words["semi"] + note for note in _step_notes(run, words, lang))
        rows.append((f"{words['runs']} #{run.id}", f"{run.started} {text}"))
    for release in report.releases:
        rows.append((f"{words['releases']} #{release.id}", release_text(release, words)))
    for change in report.onsite_changes:
        rows.append((f"{words['onsite_changes']} #{change.id}", onsite_text(change, words)))
    for line in report.monitoring:
        head = words["monitoring_line"].format(environment=line.environment, at=line.finished,
                                               status=words.get(line.status, line.status))
        rows.append((f"{words['checks']}: {words['monitoring_title']} ({line.environment})",
                     head + (words["lp"] + words["monitoring_not_today"] + words["rp"] if not line.this_day else "")))
        for check in line.checks:
            rows.append((f"{words['checks']}: {check.title} ({check.environment})",
                         _check_cell(check, words, lang)))
    for check in report.checks:
        rows.append((f"{words['checks']}: {check.title} ({check.environment})",
                     _check_cell(check, words, lang)))
    for number, item in enumerate(report.plan, 1):
        rows.append((f"{words['plan']} {number}", item))
    rows.append((words["generated"].format(at=report.generated_at), ""))
    return rows


def _golive_rows(report: DailyReport, words: dict[str, str], lang: str) -> list[tuple[str, Any]]:
    """上线准备进度: the head line, then each stopping item, each critical item set aside (who,
    when, why) and each late one, as the chat has them."""
    g = report.golive
    if report.golive_unreadable is not None:  # each row's text is cleaned as it is written
        return [(words["golive"], "\n".join(report.golive_unreadable.lines(lang)))]
    if g is None:
        return []
    rows: list[tuple[str, Any]] = [(words["golive"], golive_headline(g, words))]
    for number, line in enumerate(g.stoppers, 1):
        rows.append((f"{words['golive_stoppers']} {number}", _golive_item(line, words, lang)))
    for number, aside in enumerate(g.set_aside, 1):
        rows.append((f"{words['golive_set_aside']} {number}", set_aside_text(aside, words)))
    for number, line in enumerate(g.late, 1):
        rows.append((f"{words['golive_late']} {number}", _golive_item(line, words, lang)))
    return rows


def _golive_item(line: GoliveLine, words: dict[str, str], lang: str) -> str:
    text = words["golive_item"].format(title=line.title, owner=line.owner, due=line.due,
                                       state=render_phrase(line.state, lang))
    if line.days_late:
        text += words["lp"] + days_overdue(line.days_late, words) + words["rp"]
    why = render_phrase(line.why, lang)
    return text + (words["colon"] + why if why else "")


def _step_notes(run: RunLine, words: dict[str, str], lang: str) -> list[str]:
    """The run's rollback, its refused (or overridden), skipped and unchecked steps with why, as the chat message
    names them."""
    rollback = ([words["run_rollback"].format(passed=run.rollback_passed, total=run.rollback_total)]
                if run.rollback_total else [])
    if run.rollback_declined_by:
        rollback.append(words["rollback_declined"].format(who=run.rollback_declined_by))
    return rollback + [words[key].format(step=note.title, reason=render_phrase(note.reason, lang))
                       for key, notes in (("step_refused", run.refused), ("step_overridden", run.overridden),
                                          ("step_skipped", run.skipped),
                                          ("step_not_checked", run.not_checked), ("step_declined", run.declined))
                       for note in notes]


def _issue_values(line: IssueLine, lang: str) -> list[Any]:
    values: list[Any] = []
    for column in ISSUE_COLUMNS:
        if column == "overdue":
            words = section("daily", lang)
            values.append(days_overdue(line.days_overdue, words) if line.overdue else "")
        elif column in _CODED:
            values.append(value_label(getattr(line, column), lang))
        else:
            values.append(getattr(line, column) or "")
    return values
