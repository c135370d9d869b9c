"""The audit log: who did what to which system, append-only and hash-chained, in the store.

After a go-live the client asks who approved the production change, who skipped the backup
check and when. The answer must be one nobody could quietly rewrite afterwards. So:

- SQL triggers (migration 2) refuse UPDATE and DELETE of `audit`: an honest mistake in a
  sqlite3 shell cannot change history;
- each entry's hash covers the previous entry's hash and its own content, so `verify_audit`
  finds the first entry that was altered, removed or reordered by someone who dropped them.

A chain without a secret proves consistency, not authorship: someone able to rewrite the file
could recompute every hash. Sending `audit_head()` out with each daily report pins the history
up to that point to a copy outside the laptop.

Appending takes the write lock (`BEGIN IMMEDIATE`) before reading the chain's head, so two
processes appending at once still build one chain.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from launchpad.errors import StoreDamaged, StoreError
from launchpad.phrases import Said, phrase
from launchpad.sitetime import to_stamp, utc_now
from launchpad.store.db import Store
from launchpad.store.migrations import write_transaction

GENESIS_HASH = "0" * 64
_PAGE = 1000  # rows read per lock hold: streams 100k entries without blocking writers for long


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditReport:
    ok: bool
    entries: int  # entries found sound: all of them when ok, those before first_bad otherwise
    first_bad: int | None  # id of the first altered entry, or of the first missing one
    reason: Said  # a phrase: the command line says it in its language, the English text is str(reason)
    damaged: bool = False  # SQLite could not read the log to its end: the file is damaged


def canonical_json(value: Any) -> str:
    """The one serialization hashes are computed over: stable key order, no whitespace."""
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                          default=str)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"audit detail cannot be stored as JSON: {exc}") from exc


def entry_hash(prev_hash: str, entry_id: int, at: str, actor: str, action: str, target: str,
               detail: dict[str, Any]) -> str:
    content = {"id": entry_id, "at": at, "actor": actor, "action": action, "target": target,
               "detail": detail}
    return hashlib.sha256((prev_hash + canonical_json(content)).encode("utf-8")).hexdigest()


def append_audit(store_or_db: Store | Database, actor: str, action: str, target: str,
                 detail: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry, committed before returning. `detail` must hold no secret values."""
    db, lock = _parts(store_or_db)
    # Stored and hashed in the form it reads back as (tuples become lists, Paths strings), so
    # verification recomputes exactly what was hashed here.
    detail_text = canonical_json(detail or {})
    stored_detail = json.loads(detail_text)
    with lock:
        if isinstance(store_or_db, Store) and not db.conn.in_transaction:
            store_or_db.check_present()  # an entry written into a deleted file is an entry lost
        with write_transaction(db):
            head = db.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
            # The sequence outlives deleted tail entries: a new entry then shows the gap.
            sequence = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").fetchone()
            entry_id = max(head[0] if head else 0, sequence[0] if sequence else 0) + 1
            prev_hash = head[1] if head else GENESIS_HASH
            at = utc_now()  # taken under the lock, so time order and id order agree
            digest = entry_hash(prev_hash, entry_id, at, actor, action, target, stored_detail)
            db.table("audit").insert({
                "id": entry_id, "at": at, "actor": actor, "action": action, "target": target,
                "detail": detail_text, "prev_hash": prev_hash, "hash": digest,
            })
    return AuditEntry(entry_id, at, actor, action, target, stored_detail, prev_hash, digest)


def iter_audit(store_or_db: Store | Database, since: datetime | None = None
               ) -> Iterator[AuditEntry]:
    """Entries in order, oldest first; with `since`, those at or after it (naive = local time)."""
    since_text = to_stamp(since) if since else None
    for row in _stream(store_or_db, since_text):
        yield AuditEntry(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]),
                         row[6], row[7])


def audit_head(store_or_db: Store | Database) -> tuple[int, str] | None:
    """The latest entry's id and hash: quote it outside the laptop to pin history so far."""
    db, lock = _parts(store_or_db)
    with lock:
        head = db.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return (head[0], head[1]) if head else None


def verify_audit(store_or_db: Store | Database) -> AuditReport:
    """Recompute the whole chain and name the first entry that does not fit; a log SQLite
    cannot read to its end is reported damaged, with the entries read until then."""
    progress = [1, 0]  # the next id expected, entries found sound
    try:
        return _verify(store_or_db, progress)
    except (sqlite3.DatabaseError, StoreDamaged) as exc:
        reason = exc.said if isinstance(exc, StoreDamaged) else str(exc)
        return AuditReport(False, progress[1], progress[0], phrase("audit.unreadable", error=reason), damaged=True)


def store_damage(store_or_db: Store | Database) -> str | None:
    """What SQLite's own check finds wrong with the file (`PRAGMA quick_check`), or None."""
    db, lock = _parts(store_or_db)
    try:
        with lock:
            found = [row[0] for row in db.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if found == ["ok"] else "; ".join(found)


def _verify(store_or_db: Store | Database, progress: list[int]) -> AuditReport:
    expected_id, prev_hash, sound = 1, GENESIS_HASH, 0
    for entry_id, at, actor, action, target, detail_text, stored_prev, stored_hash in _stream(
            store_or_db, None):
        if entry_id != expected_id:
            return _bad(sound, expected_id, phrase("audit.missing", first=expected_id, last=entry_id - 1))
        if stored_prev != prev_hash:
            return _bad(sound, entry_id, phrase("audit.not_following", id=entry_id, previous=entry_id - 1))
        try:
            detail = json.loads(detail_text)
        except (TypeError, ValueError):
            return _bad(sound, entry_id, phrase("audit.unreadable_detail", id=entry_id))
        if entry_hash(prev_hash, entry_id, at, actor, action, target, detail) != stored_hash:
            return _bad(sound, entry_id, phrase("audit.hash_mismatch", id=entry_id))
        expected_id, prev_hash, sound = entry_id + 1, stored_hash, sound + 1
        progress[:] = [expected_id, sound]
    db, lock = _parts(store_or_db)
    with lock:
        sequence = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit'").fetchone()
    if sequence and sequence[0] >= expected_id:
        return _bad(sound, expected_id, phrase("audit.missing_at_end", first=expected_id, last=sequence[0]))
    return AuditReport(True, sound, None, phrase("audit.intact", count=sound))


def _bad(sound: int, first_bad: int, reason: Said) -> AuditReport:
    return AuditReport(False, sound, first_bad, reason)


def _parts(store_or_db: Store | Database) -> tuple[Database, AbstractContextManager[Any]]:
    # A Store may be shared between threads: its lock keeps our reads and writes whole.
    if isinstance(store_or_db, Store):
        return store_or_db.db, store_or_db.lock
    return store_or_db, nullcontext()


def _stream(store_or_db: Store | Database, since: str | None) -> Iterator[tuple[Any, ...]]:
    """Rows in id order, a page at a time: memory stays flat for any log length, and a Store's
    lock is held per page, never while the caller works on an entry."""
    db, lock = _parts(store_or_db)
    last_id = 0
    time_filter, time_params = ("AND at >= ?", [since]) if since else ("", [])
    while True:
        with lock:
            page = db.execute(
                "SELECT id, at, actor, action, target, detail, prev_hash, hash FROM audit "
                f"WHERE id > ? {time_filter} ORDER BY id LIMIT ?",
                [last_id, *time_params, _PAGE]).fetchall()
        yield from page
        if len(page) < _PAGE:
            return
        last_id = page[-1][0]
