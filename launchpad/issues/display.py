"""Issues as terminal text: the one-line summary after `issue add`, the aligned table of
`issue list`, and the detail of `issue show` — with overdue marked in every one of them.

Chinese characters take two terminal columns, so columns are padded by display width, not by
`len`; otherwise every row with a Chinese title would push its owner and due date out of line.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from launchpad.issues.model import Issue
from launchpad.phrases import CATALOG, listed, render, word
from launchpad.sitetime import local_text

TITLE_WIDTH = 40


def value_label(value: str | None, lang: str) -> str:
    """How an issue value (a status, a severity, a type …) reads; the store keeps the code."""
    if not value:
        return "—"
    key = f"issue.value.{value}"
    return word(key, lang) if key in CATALOG else value


def field_label(name: str, lang: str) -> str:
    key = f"issue.field.{name}"
    return word(key, lang) if key in CATALOG else name


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def fit(text: str, columns: int) -> str:
    """`text` cut (with …) or padded to exactly `columns` display columns."""
    if width(text) > columns:
        kept = ""
        for char in text:
            if width(kept + char) > columns - 1:
                break
            kept += char
        text = kept + "…"
    return text + " " * (columns - width(text))


def overdue_mark(issue: Issue, today: date, lang: str) -> str:
    if not issue.overdue_on(today):
        return ""
    days = (today - date.fromisoformat(issue.due or today.isoformat())).days
    return word("issue.overdue_days", lang, days=days)


def summary_line(issue: Issue, today: date, lang: str) -> str:
    """`#12 [P1] 登录页白屏｜负责人 张三｜截止 2025-11-21｜新建`."""
    parts = [f"#{issue.id} [{issue.severity}] {issue.title}"]
    for name in ("module", "owner", "due"):
        value = getattr(issue, name)
        if value:
            parts.append(f"{field_label(name, lang)} {value}")
    parts.append(value_label(issue.status, lang))
    mark = overdue_mark(issue, today, lang)
    if mark:
        parts.append(mark)
    return word("issue.separator", lang).join(parts)


def table_rows(issues: list[Issue], today: date, lang: str) -> list[tuple[str, bool]]:
    """The header and one aligned line per issue, each with whether it is overdue."""
    columns = [("id", 6), ("severity", 8), ("status", 12), ("owner", 10), ("due", 11), ("module", 10),
               ("title", TITLE_WIDTH)]
    header = " ".join(fit(field_label(name, lang), size) for name, size in columns)
    rows = [(header.rstrip(), False)]
    for issue in issues:
        values = {"id": f"#{issue.id}", "severity": issue.severity,
                  "status": value_label(issue.status, lang), "owner": issue.owner or "—",
                  "due": issue.due or "—", "module": issue.module or "—", "title": issue.title}
        line = " ".join(fit(values[name], size) for name, size in columns).rstrip()
        mark = overdue_mark(issue, today, lang)
        rows.append((f"{line}  {mark}" if mark else line, bool(mark)))
    return rows


def detail_lines(issue: Issue, history: list[dict[str, Any]], today: date, lang: str,
                 zone: ZoneInfo) -> list[str]:
    lines = [f"#{issue.id} {issue.title}"]
    mark = overdue_mark(issue, today, lang)
    if mark:
        lines.append(mark)
    coded = {"severity", "type", "status", "channel"}
    for name in ("status", "severity", "type", "module", "owner", "due", "reporter", "channel",
                 "reported_at", "resolved_at", "resolution", "fixed_in"):
        value = getattr(issue, name)
        if name in ("reported_at", "resolved_at"):
            value = local_text(value, zone) if value else ""
        elif name in coded:
            value = value_label(value, lang)
        if value:
            lines.append(f"  {fit(field_label(name, lang), 14)}{value}")
    if issue.attachments:
        lines.append(f"  {fit(field_label('attachments', lang), 14)}{render(listed(issue.attachments), lang)}")
    if issue.description:
        lines += ["", *[f"  {line}" for line in issue.description.splitlines()]]
    lines += ["", f"{field_label('history', lang)}:"]
    for row in history:
        lines.append(f"  {local_text(row['at'], zone)}  {row['actor']}  {_change(row, lang)}")
    return lines


def _change(row: dict[str, Any], lang: str) -> str:
    field = row["field"]
    if field == "created":
        return field_label("created", lang)
    if field == "note":
        return f"{field_label('note', lang)}: {row['note']}"
    old, new = row["old_value"], row["new_value"]
    if field in ("status", "severity", "type", "channel"):
        old, new = value_label(old, lang), value_label(new, lang)
    return f"{field_label(field, lang)}: {old or '—'} → {new or '—'}"
