"""What each import did, in the workspace store, so `users rollback ID` can undo it and a
killed apply can be resumed.

A row is recorded — key, action, the fields as they were and as they become, the roles and
posts added — before the batch holding it is sent, and marked done after the batch commits.
The target's own `create_by`/`update_by` carry the import's mark, so after a kill -9 between
the commit and the mark the target still tells which rows this import wrote. No password,
plain or hashed, is ever recorded here.
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.sitetime import utc_now
from launchpad.store.db import Store
from launchpad.store.owner import owner_of, this_process

STATUSES = ("applying", "applied", "rolled_back")
# A row's `done`: 0 recorded, 1 committed in the target, HANDED_OUT committed and its initial
# password already in a hand-out (written when the person stopped the apply), so a resume does
# not list the user as one whose password was lost.
HANDED_OUT = 2


def mark(import_id: int) -> str:
    """What the target's create_by/update_by say for rows this import wrote."""
    return f"import:{import_id}"


def start_import(store: Store, **fields: Any) -> int:
    row = {**fields, "planned": json.dumps(fields["planned"]), "status": "applying", "started": utc_now(),
           **this_process()}
    with store.transaction():
        table = store.db.table("user_imports")
        table.insert(row)
        return int(store.db.execute("SELECT last_insert_rowid()").fetchone()[0])


def unfinished_import(store: Store, environment: str) -> dict[str, Any] | None:
    """An import of `environment` still applying: resumed when its process is gone, refused
    while it runs."""
    rows = list(store.db.query("SELECT * FROM user_imports WHERE environment = ? AND status = 'applying' "
                               "ORDER BY id DESC LIMIT 1", [environment]))
    if not rows:
        return None
    found = rows[0]
    if owner_of(found) in ("alive", "remote"):
        raise UsageError(phrase("users.import_busy", id=str(found["id"]), env=environment, pid=str(found["pid"]),
                                host=found["hostname"]), hint=phrase("users.import_busy_hint"))
    return found


def adopt_import(store: Store, import_id: int) -> None:
    with store.transaction():
        store.db.execute("UPDATE user_imports SET pid = ?, hostname = ?, boot_id = ? WHERE id = ?",
                         [*this_process().values(), import_id])


ROW_COLUMNS = ("import_id", "key", "action", "unit", "batch", "before", "after", "roles_added", "posts_added", "done")
# One statement for a whole batch of 10,000 rows (a row recorded again on a resume takes its new
# batch and values, keeping its place).
QUOTED = [f'"{c}"' for c in ROW_COLUMNS]
RECORD_ROW = (f"INSERT INTO user_import_rows ({', '.join(QUOTED)}) VALUES ({', '.join('?' for _ in QUOTED)}) "
              "ON CONFLICT (import_id, key) DO UPDATE SET "
              + ", ".join(f"{q} = excluded.{q}" for c, q in zip(ROW_COLUMNS, QUOTED, strict=True)
                          if c not in ("import_id", "key")))
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def record_rows(store: Store, import_id: int, batch: int, rows: list[dict[str, Any]]) -> None:
    recorded = [(import_id, row["key"], row["action"], row.get("unit"), batch, _text(row.get("before")),
                 _text(row.get("after")), _text(row.get("roles_added", [])), _text(row.get("posts_added", [])), 0)
                for row in rows]
    with store.transaction():
        store.db.conn.executemany(RECORD_ROW, recorded)


def rows_done(store: Store, import_id: int, keys: list[str]) -> None:
    with store.transaction():
        store.db.conn.executemany("UPDATE user_import_rows SET done = 1 WHERE import_id = ? AND key = ?",
                                  [(import_id, key) for key in keys])


def handed_out(store: Store, import_id: int, keys: list[str]) -> None:
    with store.transaction():
        for key in keys:
            store.db.execute("UPDATE user_import_rows SET done = ? WHERE import_id = ? AND key = ?",
                             [HANDED_OUT, import_id, key])


def finish_import(store: Store, import_id: int, status: str) -> None:
    column = "rolled_back" if status == "rolled_back" else "finished"
    with store.transaction():
        store.db.execute(f"UPDATE user_imports SET status = ?, {column} = ? WHERE id = ?",
                         [status, utc_now(), import_id])


def get_import(store: Store, import_id: int) -> dict[str, Any]:
    rows = list(store.db.query("SELECT * FROM user_imports WHERE id = ?", [import_id]))
    if not rows:
        raise UsageError(phrase("users.no_import", id=import_id), hint=phrase("users.no_import_hint"))
    found = rows[0]
    found["planned"] = json.loads(found["planned"])
    return found


def list_imports(store: Store, limit: int = 50) -> list[dict[str, Any]]:
    rows = list(store.db.query("SELECT * FROM user_imports ORDER BY id DESC LIMIT ?", [limit]))
    for row in rows:
        row["planned"] = json.loads(row["planned"])
    return rows


def import_rows(store: Store, import_id: int) -> list[dict[str, Any]]:
    rows = list(store.db.query("SELECT * FROM user_import_rows WHERE import_id = ? ORDER BY batch, rowid",
                               [import_id]))
    for row in rows:
        for column in ("before", "after", "roles_added", "posts_added"):
            row[column] = json.loads(row[column]) if row[column] else None
    return rows


def _text(value: Any) -> Any:
    """A cell's JSON, as `json.dumps(value, ensure_ascii=False)` writes it, from the C encoder
    made once (`json.dumps` makes one per call, which was most of the time a batch of 10,000
    took to record)."""
    if isinstance(value, dict | list):
        return "".join(_C_ENCODE(value, 0)) if _C_ENCODE is not None else _ENCODE(value)
    return value


def _not_json(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON")


# Arguments: markers (no cycle check: rows are plain), default, string encoder, indent, the key
# and item separators json.dumps uses, sort_keys, skipkeys, allow_nan.
_C_ENCODE = c_make_encoder(None, _not_json, encode_basestring, None, ": ", ", ", False, False, True) \
    if c_make_encoder is not None else None
