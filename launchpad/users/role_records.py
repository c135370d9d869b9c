"""Role assignments in the workspace store: the preview a person read (every changed user's
roles before and after), then the same record as it is applied and rolled back. A batch's users
are marked done after the batch commits, so a killed apply continues where it stopped."""

from __future__ import annotations

import json
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.sitetime import utc_now
from launchpad.store.db import Store
from launchpad.store.owner import owner_of, this_process
from launchpad.users.role_rules import Preview


def record_preview(store: Store, preview: Preview, *, environment: str, database: str, target: str, rules_file: str,
                   rules_sha256: str, operator: str) -> int:
    counts = {"users": len(preview.changes), "per_rule": preview.per_rule, "per_unit": preview.per_unit}
    with store.transaction():
        store.db.table("role_assignments").insert({
            "environment": environment, "database": database, "target": target, "rules_file": rules_file,
            "rules_sha256": rules_sha256, "digest": preview.digest(),
            "counts": json.dumps(counts, ensure_ascii=False), "status": "previewed", "operator": operator,
            "previewed": utc_now()})
        assignment = int(store.db.execute("SELECT last_insert_rowid()").fetchone()[0])
        store.db.table("role_assignment_users").insert_all(
            [{"assignment_id": assignment, "user_id": c.user_id, "account": c.account,
              "before": json.dumps(list(c.before), ensure_ascii=False),
              "after": json.dumps(list(c.after), ensure_ascii=False),
              "rules": json.dumps(list(c.rules), ensure_ascii=False), "unit": c.unit,
              "batch": 1} for c in preview.changes])
    return assignment


def latest(store: Store, environment: str, statuses: tuple[str, ...]) -> dict[str, Any] | None:
    marks = ", ".join("?" for _ in statuses)
    rows = list(store.db.query(f"SELECT * FROM role_assignments WHERE environment = ? AND status IN ({marks}) "
                               "ORDER BY id DESC LIMIT 1", [environment, *statuses]))
    return _loaded(rows[0]) if rows else None


def get(store: Store, assignment: int) -> dict[str, Any]:
    rows = list(store.db.query("SELECT * FROM role_assignments WHERE id = ?", [assignment]))
    if not rows:
        raise UsageError(phrase("error.no_role_assignment", id=assignment),
                         hint=phrase("error.no_role_assignment_hint"))
    return _loaded(rows[0])


def listed(store: Store, limit: int = 50) -> list[dict[str, Any]]:
    return [_loaded(r) for r in store.db.query("SELECT * FROM role_assignments ORDER BY id DESC LIMIT ?", [limit])]


def users(store: Store, assignment: int) -> list[dict[str, Any]]:
    rows = list(store.db.query("SELECT * FROM role_assignment_users WHERE assignment_id = ? ORDER BY batch, rowid",
                               [assignment]))
    for row in rows:
        for column in ("before", "after", "rules"):
            row[column] = json.loads(row[column])
    return rows


def refuse_if_running(record: dict[str, Any], *, title: str | None = None) -> None:
    """Refuse (`RolesRefused`, a gate: exit 4) while the process applying assignment `record`
    still runs, here or on another computer; `title`: a rollback's."""
    if record["status"] == "applying" and owner_of(record) in ("alive", "remote"):
        from launchpad.users.role_apply import RolesRefused  # it applies these records

        raise RolesRefused(phrase("error.roles_busy", id=record["id"], pid=record["pid"], host=record["hostname"]),
                           hint=phrase("error.roles_busy_hint"), title=title)


def set_status(store: Store, assignment: int, status: str, **fields: Any) -> None:
    stamp = {"applied": {"applied": utc_now()}, "rolled_back": {"rolled_back": utc_now()},
             "applying": this_process()}.get(status, {})
    values = {"status": status, **stamp, **fields}
    with store.transaction():
        store.db.table("role_assignments").update(assignment, values)


def batch_done(store: Store, assignment: int, batch: int, done: int = 1) -> None:
    with store.transaction():
        store.db.execute("UPDATE role_assignment_users SET done = ? WHERE assignment_id = ? AND batch = ?",
                         [done, assignment, batch])


def _loaded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "counts": json.loads(row["counts"])}


def set_batches(store: Store, assignment: int, batch_size: int) -> None:
    """Number the users into batches of `batch_size` (in preview order), before the first is sent."""
    with store.transaction():
        rows = list(store.db.execute("SELECT rowid FROM role_assignment_users WHERE assignment_id = ? "
                                     "ORDER BY rowid", [assignment]))
        for i, (rowid,) in enumerate(rows):
            store.db.execute("UPDATE role_assignment_users SET batch = ? WHERE rowid = ?",
                             [i // batch_size + 1, rowid])
