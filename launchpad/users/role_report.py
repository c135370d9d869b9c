"""A role preview as people read it: the terminal's table and an xlsx for the client's
administrator, in the site's language. Accounts, names, unit and role names come from the
target (typed by people): they stay text in every format (launchpad.safetext)."""

from __future__ import annotations

from pathlib import Path

from launchpad.errors import UsageError
from launchpad.phrases import listed, phrase, render
from launchpad.safetext import formula_like, one_line, spreadsheet
from launchpad.users.role_rules import Preview, RoleChange
from launchpad.workspace.durable import write_output

COLUMNS = ("account", "name", "unit", "posts", "before", "after", "rules")


def headers(lang: str) -> list[str]:
    return [render(phrase(f"roles.col.{c}"), lang) for c in COLUMNS]


def cells(change: RoleChange, lang: str) -> list[str]:
    return [change.account, change.name, change.unit,
            *(render(listed(names), lang) for names in (change.posts, change.before, change.after, change.rules))]


def table_lines(shown: Preview, lang: str, limit: int | None = None) -> list[str]:
    """One line per changed user: `account  name  unit  [posts]  now → after  (rules)`."""
    lines = []
    for change in shown.changes[:limit]:
        account, name, unit, posts, before, after, rules = (one_line(c) for c in cells(change, lang))
        lines.append(f"  {account}  {name}  {unit}  [{posts}]  {before or '-'} → {after or '-'}  ({rules})")
    if limit is not None and len(shown.changes) > limit:
        lines.append("  " + render(phrase("roles.more", count=len(shown.changes) - limit), lang))
    return lines


def counts_lines(shown: Preview, lang: str) -> list[str]:
    lines = [render(phrase("roles.by_rule"), lang)]
    lines += ["  " + render(phrase("roles.rule_counts", rule=one_line(name), changed=count,
                                   matched=shown.matched.get(name, 0)), lang)
              for name, count in shown.per_rule.items()]
    lines += [render(phrase("roles.by_unit"), lang)]
    lines += ["  " + render(phrase("roles.unit_count", unit=one_line(unit) or "-", count=count), lang)
              for unit, count in shown.per_unit.items()]
    return lines


def write_xlsx(shown: Preview, path: Path, lang: str, title: str, env: str) -> Path:
    """Users sheet and counts sheet; written beside, then moved, so no half file is left."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if path.suffix.lower() != ".xlsx":
        raise UsageError(phrase("cli.roles.not_xlsx", file=path.name), hint=phrase("cli.roles.not_xlsx_hint"))
    book = Workbook()
    sheet = book.active
    sheet.title = render(phrase("roles.sheet.users"), lang)
    sheet.append([spreadsheet(title)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([render(phrase("roles.summary", users=len(shown.changes), env=env) if shown.changes
                         else phrase("roles.none"), lang)])
    sheet.append([])
    sheet.append(headers(lang))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for change in shown.changes:
        sheet.append([spreadsheet(v) for v in cells(change, lang)])
    counts = book.create_sheet(render(phrase("roles.sheet.counts"), lang))
    counts.append([render(phrase("roles.col.rule"), lang), render(phrase("roles.col.users"), lang)])
    for name, count in shown.per_rule.items():
        counts.append([spreadsheet(name), count])
    counts.append([])
    counts.append([render(phrase("roles.col.unit"), lang), render(phrase("roles.col.users"), lang)])
    for unit, count in shown.per_unit.items():
        counts.append([spreadsheet(unit), count])
    for ws in (sheet, counts):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and formula_like(cell.value):
                    cell.data_type = "s"  # a name typed `=1+1` stays a name
                    cell.quotePrefix = True
    for letter, width in zip("ABCDEFG", (16, 12, 30, 16, 30, 30, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    return write_output(path, book.save, option="--xlsx", make_folder=True)
