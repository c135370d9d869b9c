"""The schema of the workspace store and how a database file comes to have it: created
private to its owner, opened durable (WAL, `synchronous=FULL`), then migrated. It also fixes
what the columns hold: the allowed statuses and kinds, UTC times, JSON.

A workspace outlives launchpad versions: an engineer may upgrade launchpad in the middle of a
go-live week, and yesterday's runs must still resume and report. So the schema only moves
forward, through numbered steps, and the database records in `migrations` which ones it has
received. A released migration is never edited; a change is a new number at the end.

Migrations run inside `BEGIN IMMEDIATE`: the write lock is taken before the ledger is read, so
when two processes open a new workspace at once the second waits, then finds nothing left to
do. A migration that fails leaves no trace.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from launchpad.backup.schema import BACKUPS_V1
from launchpad.baseline.schema import BASELINES_V1, ONSITE_CHANGES_V1
from launchpad.errors import StoreDamaged, StoreError
from launchpad.issues.schema import create_issue_tables
from launchpad.notify.schema import OUTBOX_MAIL, OUTBOX_REASON_PHRASE, OUTBOX_SUPERSEDES, OUTBOX_V1
from launchpad.oserrors import os_reason
from launchpad.phrases import Said, phrase
from launchpad.release.schema import RELEASES_V1
from launchpad.sitetime import utc_now
from launchpad.users.schema import (
    ROLE_ASSIGNMENTS_V1,
    USER_IMPORT_BATCHES_V1,
    USER_IMPORT_PLANS_V1,
    USER_IMPORTS_V1,
)

BUSY_TIMEOUT_MS = 10_000
# How long a write waits for another process's lock, in busy timeouts, before it gives up.
LOCK_WAIT_S = 600.0
# Free bytes below which the store's disk counts as full.
FULL_BELOW = 1024 * 1024
OUTPUT_TAIL_BYTES = 64 * 1024

# Checked in Python rather than by CHECK constraints: a new kind must not need a table rebuild.
# `partial`: the run reached its end, but some steps were skipped by a person or had nothing
# to check; `refused`: a gate stopped it. Neither is a pass (see the engine).
RUN_STATUSES = frozenset({"running", "passed", "partial", "failed", "aborted", "refused", "interrupted"})
STEP_STATUSES = frozenset({
    "running", "passed", "failed", "skipped", "interrupted", "aborted", "refused", "not_checked",
})
DECISION_KINDS = frozenset({
    "confirmed", "signed_off", "skipped", "retried", "retried_failed", "aborted", "overrode",
    "approved", "rerun_interrupted", "declined", "refused",
})


def check_allowed(value: str, allowed: frozenset[str], what: str) -> None:
    if value not in allowed:
        raise StoreError(f"unknown {what} {value!r}", hint=f"one of: {', '.join(sorted(allowed))}")


def output_tail(text: str | None) -> str | None:
    """What output columns hold: the end of a command's output, where the error usually is,
    at most OUTPUT_TAIL_BYTES of it, always valid UTF-8."""
    if text is None:
        return None
    data = text.encode("utf-8", "replace")  # lone surrogates would make SQLite refuse the row
    if len(data) <= OUTPUT_TAIL_BYTES:
        return data.decode("utf-8")
    cut = len(data) - OUTPUT_TAIL_BYTES
    return f"[… {cut} bytes cut …]\n" + data[cut:].decode("utf-8", "ignore")


def to_json(value: Any) -> str:
    # default=str: a Path or a datetime in evidence must not cost the step its record.
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"cannot store {type(value).__name__} as JSON: {exc}") from exc


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    # SQL for schema changes; a function when rows must be rewritten with Python's help.
    change: str | Callable[[Database], None]


_CORE_TABLES = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    playbook TEXT NOT NULL,
    playbook_path TEXT,
    playbook_hash TEXT,
    playbook_snapshot TEXT,  -- JSON: the playbook as run; reports never depend on today's file
    environment TEXT NOT NULL,
    production INTEGER NOT NULL DEFAULT 0,
    variables TEXT,          -- JSON, already free of secret values
    operator TEXT,
    status TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    pid INTEGER,             -- the process running it: a dead one means the run was interrupted
    hostname TEXT,
    boot_id TEXT             -- a different boot means the pid may have been reused
);
CREATE INDEX runs_by_status ON runs(status);

CREATE TABLE run_steps (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    step_id TEXT NOT NULL,
    phase_id TEXT,
    attempt INTEGER NOT NULL,
    status TEXT NOT NULL,
    started TEXT NOT NULL,
    finished TEXT,
    summary TEXT,
    evidence TEXT,           -- JSON
    PRIMARY KEY (run_id, step_id, attempt)
);

CREATE TABLE step_results (
    run_id INTEGER NOT NULL,
    step_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    host TEXT NOT NULL,
    status TEXT NOT NULL,
    exit_code INTEGER,
    started TEXT,
    finished TEXT,
    duration REAL,
    stdout TEXT,             -- the tail only
    stderr TEXT,
    message TEXT,
    PRIMARY KEY (run_id, step_id, attempt, host),
    FOREIGN KEY (run_id, step_id, attempt) REFERENCES run_steps(run_id, step_id, attempt)
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    step_id TEXT,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT,
    detail TEXT,             -- JSON
    at TEXT NOT NULL
);
CREATE INDEX decisions_by_run ON decisions(run_id, id);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,    -- canonical JSON
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
"""

# Indexes that match the issues table's "severity" and "due" sorts (issues/query.py SORTS)
# exactly: a deep page at 100k issues took ~0.5 s with a full sort per page, 4–8 ms with them.
_ISSUE_SORT_INDEXES = """
CREATE INDEX issues_by_severity_order ON issues(severity ASC, due IS NULL, due ASC, id DESC);
CREATE INDEX issues_by_due_order ON issues(due IS NULL, due ASC, severity ASC, id DESC);
"""

# Triggers stop honest mistakes (a stray UPDATE in a sqlite3 shell); deliberate tampering that
# drops them is what launchpad.store.audit.verify_audit is for.
_AUDIT_APPEND_ONLY = """
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted');
END;
CREATE INDEX audit_by_time ON audit(at);
"""


def _add_phrase_columns(db: Database) -> None:
    """The English text stays in `summary`/`message` for every reader that wants text; the
    phrase beside it (key and parameters as JSON, see phrases.py) lets a report render the same
    words in Chinese."""
    db.execute("ALTER TABLE run_steps ADD COLUMN summary_phrase TEXT")
    db.execute("ALTER TABLE step_results ADD COLUMN message_phrase TEXT")


def _add_verify_phrase(db: Database) -> None:
    db.execute("ALTER TABLE backups ADD COLUMN verify_phrase TEXT")


def _add_deleted_phrase(db: Database) -> None:
    """Why a backup was deleted (retention's rule, as a phrase) beside its English text, so the
    lists, a refused restore and the TUI say it in the reader's language; rows deleted before
    keep their text alone, which is what they show."""
    db.execute("ALTER TABLE backups ADD COLUMN deleted_phrase TEXT")


def _add_decision_reason_phrase(db: Database) -> None:
    """A reason launchpad gave for a decision (a refused gate, no one to ask), as a phrase beside
    its English, so the run report says it in the client's language."""
    db.execute("ALTER TABLE decisions ADD COLUMN reason_phrase TEXT")


def _import_rows_by_batch(db: Database) -> None:
    """Each import's rows move from a row per user to a row per batch (users/records.py), in
    the order they were recorded; a batch whose rows were marked done apart (a resumed import)
    becomes one record per state, and the users already in a hand-out are listed apart."""
    for statement in USER_IMPORT_BATCHES_V1.split(";"):
        if statement.strip():
            db.execute(statement)
    groups: dict[tuple[int, int, int], list[list[Any]]] = {}
    handed: list[tuple[int, str]] = []
    for row in db.execute("SELECT import_id, key, action, unit, batch, before, after, roles_added, posts_added, "
                          "done FROM user_import_rows ORDER BY import_id, batch, rowid").fetchall():
        import_id, key, action, unit, batch, before, after, roles, posts, done = row
        cells = [key, action, unit, *(json.loads(c) if c else None for c in (before, after)),
                 json.loads(roles), json.loads(posts)]
        groups.setdefault((import_id, batch, int(bool(done))), []).append(cells)
        if done == 2:
            handed.append((import_id, key))
    for (import_id, batch, done), rows in groups.items():
        db.execute("INSERT INTO user_import_batches (import_id, batch, rows, done) VALUES (?, ?, ?, ?)",
                   [import_id, batch, json.dumps(rows, ensure_ascii=False), done])
    db.conn.executemany("INSERT INTO user_import_handed_out (import_id, key) VALUES (?, ?)", handed)
    db.execute("DROP TABLE user_import_rows")


def _add_restore_owner(db: Database) -> None:
    """The process running a restore (owner.py), so one killed mid-way is known as interrupted
    rather than `running` for ever."""
    for column in ("pid INTEGER", "hostname TEXT", "boot_id TEXT"):
        db.execute(f"ALTER TABLE backup_restores ADD COLUMN {column}")


def _add_step_hints(db: Database) -> None:
    """What to do next after a step that failed with a launchpad error (its hint), kept as the
    summary is — English in `hint`, the phrase beside it — so the run report says it too."""
    db.execute("ALTER TABLE run_steps ADD COLUMN hint TEXT")
    db.execute("ALTER TABLE run_steps ADD COLUMN hint_phrase TEXT")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "runs, steps, host results, decisions, audit", _CORE_TABLES),
    Migration(2, "append-only audit log", _AUDIT_APPEND_ONLY),
    Migration(3, "feedback issues, search indexes, incidents", create_issue_tables),
    Migration(4, "notification outbox", OUTBOX_V1),
    Migration(5, "backups and restores", BACKUPS_V1),
    Migration(6, "issue orderings for paging", _ISSUE_SORT_INDEXES),
    Migration(7, "step summaries and host messages as phrases", _add_phrase_columns),
    Migration(8, "backup verification details as phrases", _add_verify_phrase),
    Migration(9, "outbox: a newer copy of a report replaces a queued one", OUTBOX_SUPERSEDES),
    Migration(10, "the process running each restore", _add_restore_owner),
    Migration(11, "user imports, the rows each wrote, the plans people read", USER_IMPORTS_V1 + USER_IMPORT_PLANS_V1),
    Migration(12, "releases, their changes of status and attached test reports", RELEASES_V1),
    Migration(13, "outbox: e-mail message ids, drafts and attached files", OUTBOX_MAIL),
    Migration(14, "baseline comparisons and the fixes applied", BASELINES_V1),
    Migration(15, "role assignments by rule and the users each changed", ROLE_ASSIGNMENTS_V1),
    Migration(16, "on-site changes to the baseline, for HQ", ONSITE_CHANGES_V1),
    Migration(17, "decision reasons as phrases", _add_decision_reason_phrase),
    Migration(18, "an import's rows recorded a batch at a time", _import_rows_by_batch),
    Migration(19, "what to do next after a failed step", _add_step_hints),
    Migration(20, "why a backup was deleted, as a phrase", _add_deleted_phrase),
    Migration(21, "why an outbox message did not go, as a phrase", OUTBOX_REASON_PHRASE),
)

_LEDGER = ("CREATE TABLE IF NOT EXISTS migrations "
           "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied TEXT NOT NULL)")


@contextlib.contextmanager
def write_transaction(db: Database) -> Iterator[None]:
    """One atomic, durable write under the database's write lock, taken up front so that two
    processes queue instead of deadlocking on a lock upgrade. A lock held by another process
    past the busy timeout is waited for again, up to `LOCK_WAIT_S`: a finished step's result
    must not be lost because a long write elsewhere held the store.
    Nested inside another transaction it is a savepoint: its failure undoes only itself."""
    with _explained_write_errors():
        if db.conn.in_transaction:
            with db.atomic():
                yield
            return
        _begin_immediate(db)
        try:
            yield
            db.conn.execute("COMMIT")
        except BaseException:
            db.rollback()
            raise


def _begin_immediate(db: Database) -> None:
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            db.conn.execute("BEGIN IMMEDIATE")  # waits up to the busy timeout itself
            return
        except sqlite3.OperationalError as exc:
            if not _is_locked(exc) or time.monotonic() >= deadline:
                raise
            note_lock_wait()


def _is_locked(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
    return "locked" in str(exc) or "busy" in str(exc)


_lock_wait_listeners: list[Callable[[], None]] = []


def on_lock_wait(listener: Callable[[], None]) -> None:
    """Have `listener` called each time a write has waited a whole busy timeout (the CLI says
    that it is waiting, rather than seeming to hang)."""
    if listener not in _lock_wait_listeners:
        _lock_wait_listeners.append(listener)


def note_lock_wait() -> None:
    for listener in list(_lock_wait_listeners):
        listener()


@contextlib.contextmanager
def _explained_write_errors() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise store_failure(exc, phrase("store.writing")) from exc


def store_failure(exc: sqlite3.Error, doing: Said, path: Path | str | None = None) -> StoreError:
    """The error a person reads for what SQLite said: a full disk, a damaged file, a disk
    error and a lock each say so and what to do (a full disk is not "is the disk healthy?")."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if code is not None else None
    where = path or ".launchpad/launchpad.db"
    # Opening needs a few KiB for the -shm file: on a full disk that fails as an I/O error.
    if primary == 13 or "disk is full" in str(exc) or (path is not None and disk_full(Path(path))):  # SQLITE_FULL
        return StoreError(phrase("store.full", doing=doing, where=str(where)), hint=phrase("store.full_hint"))
    if primary in (11, 26) or "malformed" in str(exc) or "not a database" in str(exc):  # CORRUPT, NOTADB
        return StoreDamaged(phrase("store.damaged", doing=doing, where=str(where), error=str(exc)),
                            hint=phrase("store.damaged_hint"))
    if primary == 10:  # SQLITE_IOERR
        return StoreError(phrase("store.disk_error", doing=doing, where=str(where), error=str(exc)),
                          hint=phrase("store.disk_error_hint"))
    if _is_locked(exc):
        return StoreError(phrase("store.failed", doing=doing, error=str(exc)), hint=phrase("store.locked_hint"))
    return StoreError(phrase("store.failed", doing=doing, error=str(exc)), hint=phrase("store.other_hint"))


def _switch_to_wal(db: Database) -> str:
    """Ask for WAL mode and return the mode in force. Several processes opening a new store at
    once race to convert it, and SQLite answers a loser "database is locked" at once, without
    waiting in its busy handler; so the attempt is repeated until the busy timeout is spent."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            return str(db.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if not _is_locked(exc) or time.monotonic() >= deadline:
                raise
        time.sleep(pause)  # waiting out another process's lock, as SQLite's own handler does
        pause = min(pause * 2, 0.1)


def open_database(path: Path | None) -> Database:
    """Open the store file at `path` (None: in memory), configured and fully migrated."""
    if path is not None:
        _create_private(path)
    try:
        conn = sqlite3.connect(path or ":memory:", timeout=BUSY_TIMEOUT_MS / 1000,
                               check_same_thread=False)  # the Store's lock serializes threads
    except sqlite3.Error as exc:
        raise StoreError(phrase("store.cannot_open", path=str(path), error=str(exc))) from exc
    db = Database(conn)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if path is not None:
            mode = _switch_to_wal(db)
            if mode != "wal":
                raise StoreError(phrase("store.no_wal", path=str(path), mode=mode),
                                 hint=phrase("store.no_wal_hint"))
        # A confirmed step must survive power loss, not only a crash: fsync every commit.
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        if pending(db):  # checked again under the lock: another process may be migrating
            with write_transaction(db):
                apply_pending(db)
    except (sqlite3.Error, StoreError) as exc:
        conn.close()
        if isinstance(exc, StoreError):
            raise
        raise store_failure(exc, phrase("store.opening"), path) from exc
    return db


def disk_full(path: Path) -> bool:
    """Whether the disk holding `path` has (next to) no room left."""
    try:
        return shutil.disk_usage(path.parent).free < FULL_BELOW
    except OSError:
        return False


def open_read_only(path: Path) -> Database | None:
    """The store for reading only, without the -shm file a normal open must create (it cannot
    on a full disk): exact only when no -wal file holds committed pages, else None."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        db = Database(conn)
        if pending(db):
            conn.close()
            return None
    except (sqlite3.Error, StoreError):
        return None
    return db


def _create_private(path: Path) -> None:
    """Create the directory (0700) and file (0600) before SQLite does, so no other user can
    ever read them; tighten an existing file's mode. SQLite gives -wal/-shm the file's mode."""
    try:
        try:
            path.parent.mkdir(mode=0o700, parents=True)
        except FileExistsError:
            pass  # existing, or another launchpad created it a moment ago: leave its mode be
        else:
            os.chmod(path.parent, 0o700)  # mkdir's mode is filtered by the umask
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if file.exists() and stat.S_IMODE(file.stat().st_mode) & 0o077:
                os.chmod(file, 0o600)
    except OSError as exc:
        raise StoreError(phrase("store.cannot_create", path=str(path), error=os_reason(exc)),
                         hint=phrase("store.cannot_create_hint")) from exc


def applied_numbers(db: Database) -> list[int]:
    """The migration numbers this database has received, in order."""
    if not db.table("migrations").exists():
        return []
    return [row["number"] for row in db.query("SELECT number FROM migrations ORDER BY number")]


def pending(db: Database) -> list[Migration]:
    """The migrations this database still lacks. Refuses a database from a newer launchpad."""
    applied = set(applied_numbers(db))
    unknown = sorted(applied - {migration.number for migration in MIGRATIONS})
    if unknown:
        raise StoreError(phrase("store.newer", number=unknown[-1], known=MIGRATIONS[-1].number),
                         hint=phrase("store.newer_hint"))
    return [migration for migration in MIGRATIONS if migration.number not in applied]


def apply_pending(db: Database) -> list[int]:
    """Apply the missing migrations in order; returns their numbers (empty when up to date).
    Runs inside a write transaction the caller commits: ledger read and changes, one lock."""
    if not db.conn.in_transaction:
        raise StoreError("internal: migrations must run inside a write transaction")
    db.execute(_LEDGER)
    applied: list[int] = []
    for migration in pending(db):
        if isinstance(migration.change, str):
            db.executescript(migration.change)
        else:
            migration.change(db)
        db.table("migrations").insert({
            "number": migration.number,
            "name": migration.name,
            "applied": utc_now(),
        })
        applied.append(migration.number)
    if applied:
        # Mirrored for tools that only read the header (the sqlite3 shell, backup checks).
        db.execute(f"PRAGMA user_version = {MIGRATIONS[-1].number}")
    return applied
