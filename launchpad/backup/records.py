"""The store's record of backups and restores (tables from `backup.schema`).

A backup row is inserted once, after its file is complete and in place; verification, drills
and deletion by retention update it. Each write is its own durable transaction, as everywhere
in the store, so a `kill -9` never loses an acknowledged backup.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import Phrase, Said, dumps, loads, phrase
from launchpad.sitetime import utc_now
from launchpad.store.db import Store, as_shown, process_gone
from launchpad.store.migrations import to_json
from launchpad.store.owner import this_process

_JSON = ("tool_versions", "inventory", "drill_detail")


@dataclass(frozen=True)
class BackupRecord:
    id: int
    uid: str
    environment: str
    target: str
    driver: str
    host: str
    file: str  # relative to the backups folder
    compression: str
    started: str
    finished: str
    size: int
    sha256: str
    tool_versions: dict[str, str]
    inventory: dict[str, Any] | None
    purpose: str
    actor: str
    run_id: int | None
    step_id: str | None
    verified_at: str | None
    verify_status: str | None
    verify_detail: str | None
    drilled_at: str | None
    drill_status: str | None
    drill_detail: dict[str, Any] | None
    deleted_at: str | None
    deleted_reason: str | None
    verify_phrase: str | None = None  # the verify detail as a phrase (JSON), see phrases.py
    deleted_phrase: str | None = None  # why it was deleted, as a phrase (JSON)

    def path(self, backups_dir: Path) -> Path:
        return backups_dir / self.file

    def manifest_path(self, backups_dir: Path) -> Path:
        return manifest_path_for(self.path(backups_dir))

    @property
    def verified(self) -> bool:
        return self.verify_status == "ok"

    def verify_said(self) -> Said:
        """The last verification's detail, to render in the reader's language."""
        return loads(self.verify_detail, self.verify_phrase)

    def deleted_said(self) -> Said:
        """Why it was deleted, in the reader's language (a row deleted before phrases were kept
        for it, or by a person's words, says its text as stored)."""
        return loads(self.deleted_reason, self.deleted_phrase)

    def drill_said(self) -> Said:
        detail = self.drill_detail or {}
        return loads(detail.get("summary"), detail.get("summary_phrase"))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Standing:
    """What a backup can be relied on for now, as the CLI's and the TUI's lists show it.

    `checksum` is the last verification's `ok` or `failed`, None when never verified,
    `changed` when the file is missing or its size is not the recorded one — a stat, cheap on
    every listing, that catches a truncated file before anyone runs a full verify — or
    `deleted` once retention (or a person) deleted the backup, whatever its last check said.
    `drill` is the last drill's status, but a pass is `void` once the backup is deleted, its
    file has changed or failed a later verification: the drill proved a file that is no longer
    there. `usable` is the one answer to "can a rollback use it?" (see `freshness.usable`)."""

    checksum: str | None
    drill: str | None
    problem: Said | None  # why the file is not usable now, when it is not

    @property
    def usable(self) -> bool:
        return self.checksum == "ok"


def file_problem(record: BackupRecord, backups_dir: Path) -> Phrase | None:
    """The file missing, or not the recorded size (a stat, no reading); None otherwise."""
    path = record.path(backups_dir)
    try:
        size = path.stat().st_size
    except OSError:
        return phrase("check.file_missing", path=str(path))
    return None if size == record.size else phrase("check.size_differs", size=size, recorded=record.size)


def standing(record: BackupRecord, backups_dir: Path) -> Standing:
    if record.deleted_at:
        # Deleted is final: its file is gone (or no longer kept), so no stat and no old check counts.
        voided = record.drill_status == "passed"
        return Standing("deleted", "void" if voided else record.drill_status,
                        phrase("backup.deleted", id=record.id, reason=record.deleted_said()))
    changed = file_problem(record, backups_dir)
    failed = record.verify_status == "failed"
    # A verification that failed after the drill voids it; one that failed before, then a drill
    # that passed (the drill checks the checksum first), leaves the pass standing.
    failed_since_drill = failed and (record.drilled_at is None or (record.verified_at or "") >= record.drilled_at)
    checksum = "changed" if changed is not None and not failed else record.verify_status
    voided = record.drill_status == "passed" and (changed is not None or failed_since_drill)
    problem = changed if changed is not None else record.verify_said() if failed else None
    return Standing(checksum, "void" if voided else record.drill_status, problem)


def manifest_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _record(row: dict[str, Any]) -> BackupRecord:
    for column in _JSON:
        if isinstance(row.get(column), str):
            row[column] = json.loads(row[column])
    row["tool_versions"] = row.get("tool_versions") or {}
    names = {f.name for f in fields(BackupRecord)}
    return BackupRecord(**{k: v for k, v in row.items() if k in names})


def insert_backup(store: Store, row: dict[str, Any]) -> BackupRecord:
    values = {k: (to_json(v) if k in _JSON and v is not None else v) for k, v in row.items()}
    with store.transaction():
        backup_id = int(store.db.table("backups").insert(values).last_pk or 0)
    return require_backup(store, backup_id)


def get_backup(store: Store, backup_id: int) -> BackupRecord | None:
    rows = store.read("SELECT * FROM backups WHERE id = ?", [backup_id])
    return _record(rows[0]) if rows else None


def require_backup(store: Store, backup_id: int) -> BackupRecord:
    record = get_backup(store, backup_id)
    if record is None:
        raise UsageError(phrase("records.no_backup", id=backup_id), hint=phrase("records.see_backups"))
    return record


def list_backups(store: Store, environment: str | None = None, target: str | None = None, *,
                 include_deleted: bool = False, limit: int = 1000) -> list[BackupRecord]:
    """Newest first."""
    where, params = ["1 = 1"], []
    if environment is not None:
        where.append("environment = ?")
        params.append(environment)
    if target is not None:
        where.append("target = ?")
        params.append(target)
    if not include_deleted:
        where.append("deleted_at IS NULL")
    sql = f"SELECT * FROM backups WHERE {' AND '.join(where)} ORDER BY finished DESC, id DESC LIMIT ?"
    return [_record(row) for row in store.read(sql, [*params, limit])]


def finished_between(store: Store, start: str, end: str, limit: int) -> list[BackupRecord]:
    """Backups finished in [start, end) (UTC ISO text), deleted ones too, oldest first."""
    rows = store.read("SELECT * FROM backups WHERE finished >= ? AND finished < ? ORDER BY id LIMIT ?",
                      [start, end, limit])
    return [_record(row) for row in rows]


def newest_verified(store: Store, environment: str, target: str | None = None) -> BackupRecord | None:
    rows = list_backups(store, environment, target)
    return next((r for r in rows if r.verified), None)


def _update(store: Store, backup_id: int, changes: dict[str, Any]) -> None:
    with store.transaction():
        store.db.table("backups").update(backup_id, changes)


def set_verified(store: Store, backup_id: int, ok: bool, detail: Said) -> None:
    _update(store, backup_id, {"verified_at": utc_now(), "verify_status": "ok" if ok else "failed",
                               "verify_detail": str(detail), "verify_phrase": dumps(detail)})


def set_drilled(store: Store, backup_id: int, status: str, detail: dict[str, Any]) -> None:
    _update(store, backup_id, {"drilled_at": utc_now(), "drill_status": status, "drill_detail": to_json(detail)})


def mark_deleted(store: Store, backup_id: int, reason: Said) -> None:
    _update(store, backup_id, {"deleted_at": utc_now(), "deleted_reason": str(reason),
                               "deleted_phrase": dumps(reason)})


def start_restore(store: Store, backup: BackupRecord, actor: str, run_id: int | None,
                  step_id: str | None) -> int:
    row = {"backup_id": backup.id, "environment": backup.environment, "target": backup.target,
           "actor": actor, "run_id": run_id, "step_id": step_id, "started": utc_now(), "status": "running",
           **this_process()}
    with store.transaction():
        return int(store.db.table("backup_restores").insert(row).last_pk or 0)


def finish_restore(store: Store, restore_id: int, status: str, detail: str,
                   safety_backup_id: int | None) -> None:
    with store.transaction():
        store.db.table("backup_restores").update(
            restore_id, {"finished": utc_now(), "status": status, "detail": detail,
                         "safety_backup_id": safety_backup_id})


def restores(store: Store, backup_id: int | None = None) -> list[dict[str, Any]]:
    """Newest first, as shown: one whose process died mid-way is `interrupted` (store.as_shown)."""
    where, params = ("WHERE backup_id = ?", [backup_id]) if backup_id is not None else ("", [])
    return [as_shown(row) for row in store.read(f"SELECT * FROM backup_restores {where} ORDER BY id DESC", params)]


def close_dead_restores(store: Store) -> list[dict[str, Any]]:
    """Record as `interrupted` the restores whose process died mid-way; returns them. Their
    target is between states: the audit log and the safety backup (if any) say how far it got."""
    dead = [row for row in store.read("SELECT * FROM backup_restores WHERE status = 'running'", [])
            if process_gone(row)]
    with store.transaction():
        for row in dead:
            store.db.execute("UPDATE backup_restores SET status = 'interrupted', finished = ?, detail = ? "
                             "WHERE id = ? AND status = 'running'",
                             [utc_now(), "its process was killed mid-way: the target may be between states", row["id"]])
    return dead
