"""Comparisons and fixes kept in the store, with the baseline's version, so a report can say
which baseline an environment was held against and what was changed on it, by whom."""

from __future__ import annotations

import json
from typing import Any

from launchpad.baseline.drift import Drift
from launchpad.baseline.fix import Statement, describe
from launchpad.sitetime import utc_now
from launchpad.store.db import Store


def record_comparison(store: Store, drift: Drift, actor: str) -> int:
    body = drift.as_json()
    row = {"reference": drift.reference, "reference_version": drift.reference_version,
           "environment": drift.target, "counts": json.dumps(body["counts"]),
           "differences": json.dumps(body["differences"], ensure_ascii=False), "compared": utc_now(),
           "operator": actor}
    with store.transaction():
        store.db.table("baseline_comparisons").insert(row)
        return int(store.db.execute("SELECT last_insert_rowid()").fetchone()[0])


def record_fix(store: Store, drift: Drift, database: str, chosen: list[Any], statements: list[Statement],
               actor: str, backup_id: int | None, status: str, remaining: int | None) -> int:
    row = {"environment": drift.target, "database": database, "reference": drift.reference,
           "reference_version": drift.reference_version, "backup_id": backup_id, "status": status,
           "operator": actor, "applied": utc_now(), "remaining": remaining}
    with store.transaction():
        store.db.table("baseline_fixes").insert(row)
        fix_id = int(store.db.execute("SELECT last_insert_rowid()").fetchone()[0])
        for d in chosen:
            sql = describe([s for s in statements if s.difference == d.id])
            store.db.table("baseline_fix_changes").insert({
                "fix_id": fix_id, "difference": d.id, "kind": d.kind, "change": d.change, "severity": d.severity,
                "fields": json.dumps(d.as_json()["fields"] or d.detail, ensure_ascii=False),
                "statements": json.dumps(sql, ensure_ascii=False)})
    return fix_id


def comparisons(store: Store, environment: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    where, params = ("WHERE environment = ?", [environment]) if environment else ("", [])
    rows = list(store.db.query(f"SELECT * FROM baseline_comparisons {where} ORDER BY id DESC LIMIT ?",
                               [*params, limit]))
    for row in rows:
        row["counts"] = json.loads(row["counts"])
    return rows
