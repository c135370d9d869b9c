"""What each import did, in the workspace store, so `users rollback ID` can undo it and a
killed apply can be resumed.

A row is recorded — key, action, unit, the fields an update changes as they were and as they
become (of a new user only its name, for the hand-out), the roles and posts added — before the
batch holding it is sent, and marked done after the batch commits;
both a batch at a time (one store row per batch, see schema.py's migration 18).
The target's own `create_by`/`update_by` carry the import's mark, so after a kill -9 between
the commit and the mark the target still tells which rows this import wrote. No password,
plain or hashed, is ever recorded here.
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from launchpad.errors import Refusal, UsageError
from launchpad.phrases import phrase
from launchpad.sitetime import utc_now
from launchpad.store.db import Store
from launchpad.store.owner import owner_of, this_process
from launchpad.users.guard import ImportRefused

# `abandoned`: unfinished, its pending passwords discarded on purpose (abandon.py); never resumed,
# still rolled back.
STATUSES = ("applying", "applied", "rolled_back", "abandoned")
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


def unfinished_import(store: Store, environment: str,
                      refusal: type[Refusal] = ImportRefused) -> dict[str, Any] | None:
    """An import of `environment` still applying: resumed when its process is gone, refused
    while it runs (`refusal`: a gate, exit 4)."""
    found = applying_import(store, environment)
    if found is None:
        return None
    refuse_if_running(found, refusal)
    return found


def refuse_if_running(record: dict[str, Any], refusal: type[Refusal] = ImportRefused, *,
                      title: str | None = None) -> None:
    """Refuse (`refusal`, exit 4) while the process that holds import `record` still runs, here
    or on another computer: nothing the person typed is wrong; it can be asked again once that
    process is done."""
    if owner_of(record) not in ("alive", "remote"):
        return
    raise refusal(phrase("users.import_busy", id=str(record["id"]), env=record["environment"], pid=str(record["pid"]),
                         host=record["hostname"]), hint=phrase("users.import_busy_hint"), title=title)


def applying_import(store: Store, environment: str) -> dict[str, Any] | None:
    """The latest import of `environment` still applying, whoever holds it."""
    rows = list(store.db.query("SELECT * FROM user_imports WHERE environment = ? AND status = 'applying' "
                               "ORDER BY id DESC LIMIT 1", [environment]))
    return rows[0] if rows else None


def adopt_import(store: Store, import_id: int) -> None:
    with store.transaction():
        store.db.execute("UPDATE user_imports SET pid = ?, hostname = ?, boot_id = ? WHERE id = ?",
                         [*this_process().values(), import_id])


# What a recorded row holds, in this order (its JSON is a list, not an object: a batch of
# 10,000 rows is one JSON text, and the names would be most of it).
ROW_FIELDS = ("key", "action", "unit", "before", "after", "roles_added", "posts_added")
RecordedRow = tuple[str, str, str | None, dict[str, str] | None, dict[str, str] | None, list[str], list[str]]
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def record_rows(store: Store, import_id: int, batch: int, rows: list[RecordedRow]) -> int:
    """Record a batch's rows (ROW_FIELDS, in order) before it is sent; returns the record's id,
    which `rows_done` takes once the batch committed."""
    text = _text(rows)
    with store.transaction():
        store.db.conn.execute("INSERT INTO user_import_batches (import_id, batch, rows) VALUES (?, ?, ?)",
                              [import_id, batch, text])
        return int(store.db.execute("SELECT last_insert_rowid()").fetchone()[0])


def rows_done(store: Store, import_id: int, record: int) -> None:
    """The batch recorded as `record` committed in the target."""
    with store.transaction():
        store.db.conn.execute("UPDATE user_import_batches SET done = 1 WHERE id = ? AND import_id = ?",
                              [record, import_id])


def handed_out(store: Store, import_id: int, keys: list[str]) -> None:
    with store.transaction():
        store.db.conn.executemany("INSERT OR IGNORE INTO user_import_handed_out (import_id, key) VALUES (?, ?)",
                                  [(import_id, key) for key in keys])


def finish_import(store: Store, import_id: int, status: str) -> None:
    column = "rolled_back" if status == "rolled_back" else "finished"
    with store.transaction():
        store.db.execute(f"UPDATE user_imports SET status = ?, {column} = ? WHERE id = ?",
                         [status, utc_now(), import_id])


def rolled_back_by(store: Store, import_id: int) -> str | None:
    """Who rolled import `import_id` back, as the audit trail keeps it (None: not found there)."""
    for row in store.read("SELECT actor, detail FROM audit WHERE action = ? ORDER BY id DESC",
                          ["user_import_rolled_back"]):
        detail = json.loads(row["detail"]) if isinstance(row["detail"], str) else row["detail"]
        if isinstance(detail, dict) and detail.get("import") == import_id:
            return str(row["actor"])
    return None


def get_import(store: Store, import_id: int) -> dict[str, Any]:
    rows = list(store.db.query("SELECT * FROM user_imports WHERE id = ?", [import_id]))
    if not rows:
        raise UsageError(phrase("users.no_import", id=import_id), hint=phrase("users.no_import_hint"))
    found = rows[0]
    found["planned"] = json.loads(found["planned"])
    return found


def rollback_counts(store: Store, import_id: int) -> dict[str, int]:
    """The users a rollback of `import_id` deletes (insert) and restores (update): the rows the
    import recorded, which for one stopped before its end are fewer than it planned."""
    rows = import_rows(store, import_id)
    return {action: sum(row["action"] == action for row in rows) for action in ("insert", "update")}


def list_imports(store: Store, limit: int = 50) -> list[dict[str, Any]]:
    rows = list(store.db.query("SELECT * FROM user_imports ORDER BY id DESC LIMIT ?", [limit]))
    for row in rows:
        row["planned"] = json.loads(row["planned"])
    return rows


def import_rows(store: Store, import_id: int) -> list[dict[str, Any]]:
    """Every row the import recorded, each as its latest record says (a resumed import records
    again the rows its killed attempt had not committed), in the order first recorded; `done`
    is 0, 1 or HANDED_OUT."""
    found: dict[str, dict[str, Any]] = {}
    for record in store.db.query("SELECT batch, rows, done FROM user_import_batches WHERE import_id = ? "
                                 "ORDER BY id", [import_id]):
        for cells in json.loads(record["rows"]):
            row = dict(zip(ROW_FIELDS, cells, strict=True))
            found[row["key"]] = {"import_id": import_id, **row, "batch": record["batch"], "done": record["done"]}
    for handed in store.db.query("SELECT key FROM user_import_handed_out WHERE import_id = ?", [import_id]):
        if handed["key"] in found:
            found[handed["key"]]["done"] = HANDED_OUT
    return list(found.values())


def _text(value: Any) -> Any:
    """A value's JSON, as `json.dumps(value, ensure_ascii=False)` writes it, from the C encoder
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
