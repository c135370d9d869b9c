"""The backups of one environment as a table — id, target, age, size, checksum state, drill
result, purpose — and the highlighted backup in full under it.

A field engineer reads this before restoring at 23:00: the states must read at a glance by glyph
and colour (verified green, failed red, never checked dim), and ages are in words ("3 小时前")
because "is it from before tonight's release?" is the question. An environment keeps tens of
backups (retention prunes the rest), so a DataTable holding every row is fine here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.widgets import DataTable

from launchpad.backup.freshness import finished_at
from launchpad.backup.progress import human_size
from launchpad.backup.records import BackupRecord, Standing
from screens.support.display import age_text, stored_time
from screens.support.i18n import said, t
from screens.widgets.tables import fill_table

CHECKSUM = {"ok": ("✓", "bk.verified", "green"), "failed": ("✗", "bk.verify_failed", "bold red"),
            "changed": ("✗", "bk.file_changed", "bold red"), "deleted": ("✗", "bk.deleted", "dim")}
DRILL = {"passed": ("✓", "bk.drill_passed", "green"), "failed": ("✗", "bk.drill_failed", "bold red"),
         "unsupported": ("–", "bk.drill_unsupported", "yellow"), "void": ("✗", "bk.drill_void", "bold red")}


def checksum_cell(record: BackupRecord, state: Standing | None = None) -> Text:
    """The last check, or, by the file's standing when the list was read (`records.standing`),
    `changed` when the file no longer has its recorded size or `deleted`: neither reads ✓."""
    status = state.checksum if state is not None else record.verify_status
    glyph, key, style = CHECKSUM.get(status or "", ("·", "bk.unverified", "dim"))
    return Text(f"{glyph} {t(key)}", style=style)


def drill_cell(record: BackupRecord, state: Standing | None = None) -> Text:
    """The last drill; a pass is void once the file has changed or failed a later check."""
    status = state.drill if state is not None else record.drill_status
    glyph, key, style = DRILL.get(status or "", ("·", "bk.not_drilled", "dim"))
    return Text(f"{glyph} {t(key)}", style=style)


def purpose_text(record: BackupRecord) -> str:
    if record.run_id is not None:
        return t("bk.purpose_run", id=record.run_id)
    key = f"bk.purpose_{record.purpose}"
    return t(key) if record.purpose in ("manual", "safety", "playbook") else record.purpose


def drill_rows_text(rows: list[dict[str, Any]]) -> str:
    """"users 4→4（当前 4）· about 1→1（当前 1）": counts at backup, restored, in the source now."""
    def cell(value: Any) -> str:
        return "-" if value is None else str(value)[:12]

    return " · ".join(
        t("bk.drill_row", name=row.get("table") or row.get("file") or "?", at=cell(row.get("at_backup")),
          restored=cell(row.get("restored")), now=cell(row.get("source_now")))
        for row in rows
    )


def backup_detail(record: BackupRecord, zone: ZoneInfo) -> Text:
    """Three lines: where and what; the last check; the last drill with its row counts."""
    head = t("bk.detail_head", id=record.id, where=f"{record.environment}/{record.target}",
             at=stored_time(record.finished, zone), host=record.host, driver=record.driver,
             compression=record.compression, sha=record.sha256[:12])
    if record.verify_status:
        verify = Text(t("bk.detail_verify", at=stored_time(record.verified_at, zone),
                        detail=said(record.verify_said())), style="" if record.verified else "bold red")
    else:
        verify = Text(t("bk.detail_unverified"), style="dim")
    if record.drill_status:
        glyph, key, style = DRILL.get(record.drill_status, ("·", "bk.not_drilled", "dim"))
        drill_detail = record.drill_detail or {}
        summary = said(record.drill_said())
        rows = drill_rows_text(list(drill_detail.get("rows") or []))
        # Passed: the row counts are the news. Failed: why comes first, then the counts.
        result = f"{rows} — {summary}" if rows and record.drill_status == "passed" else \
            f"{summary} — {rows}" if rows else summary
        drill = Text(t("bk.detail_drill", at=stored_time(record.drilled_at, zone), state=f"{glyph} {t(key)}",
                       result=result), style=style)
    else:
        drill = Text(t("bk.detail_no_drill"), style="dim")
    return Text("\n").join([Text(head, style="bold"), verify, drill])


class BackupTable(DataTable[Any]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.records: list[BackupRecord] = []
        self.standings: dict[int, Standing] = {}  # each record's file as it stood when read

    @property
    def record(self) -> BackupRecord | None:
        """The highlighted backup."""
        if not self.records or not 0 <= self.cursor_row < len(self.records):
            return None
        return self.records[self.cursor_row]

    def show(self, records: list[BackupRecord], now: datetime, keep: int | None = None,
             standings: dict[int, Standing] | None = None) -> None:
        """Replace the rows; the cursor stays on backup `keep` when it is still listed."""
        self.records = list(records)
        self.standings = dict(standings or {})
        headers = (t("bk.id"), t("bk.col_target"), t("bk.age"), t("bk.size"), t("bk.checksum"), t("bk.drill"),
                   t("bk.purpose"))
        rows: list[tuple[str | None, tuple[Any, ...]]] = [
            (str(r.id), (f"#{r.id}", r.target, age_text(now - finished_at(r)),
                         Text(human_size(r.size), justify="right"), checksum_cell(r, self.standings.get(r.id)),
                         drill_cell(r, self.standings.get(r.id)),
                         purpose_text(r)))
            for r in self.records
        ]
        if not rows:
            rows = [(None, ("", Text(t("bk.none"), style="dim"), "", "", "", "", ""))]
        with self.prevent(DataTable.RowHighlighted):
            fill_table(self, headers, rows)
        ids = [r.id for r in self.records]
        row = ids.index(keep) if keep in ids else 0
        self.move_cursor(row=row)
