"""The workspace store, `.launchpad/launchpad.db`: runs, their steps, per-host results and the
decisions people made, kept so that a kill -9 or a closed laptop lid loses nothing.

Every write method is its own `BEGIN IMMEDIATE … COMMIT` (WAL, `synchronous=FULL`): when it
returns, the row is on disk, and two processes on one workspace queue rather than overwrite
each other. Opening and migrating the file is `launchpad.store.migrations`' job.

Rows come back as plain dicts keyed by column name, JSON columns (`playbook_snapshot`,
`variables`, `evidence`, `detail`) already decoded. Callers pass text that is already free of
secret values; nothing here can tell a password from any other string.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from launchpad.errors import StoreError, StoreGone
from launchpad.phrases import Said, dumps, phrase, status_word
from launchpad.sitetime import utc_now
from launchpad.store.migrations import (
    DECISION_KINDS,
    RUN_STATUSES,
    STEP_STATUSES,
    check_allowed,
    disk_full,
    open_database,
    open_read_only,
    output_tail,
    store_failure,
    to_json,
    write_transaction,
)
from launchpad.store.owner import owner_of, this_process

if TYPE_CHECKING:
    from launchpad.store.audit import AuditEntry

_JSON_COLUMNS = ("playbook_snapshot", "variables", "evidence", "detail")


class Store:
    """The store of one workspace. Safe to share between threads: one lock serializes use."""

    def __init__(self, db: Database, path: Path | None) -> None:
        self.db, self.path = db, path
        self.lock = threading.RLock()
        self._identity = _file_identity(path) if path is not None else None
        self.read_only: StoreError | None = None  # why only reading works (a full disk)

    def check_present(self) -> None:
        """Refuse to write once the file was deleted or replaced: SQLite would go on writing
        into the open, unlinked file, and a run would pass with nothing of it kept. Refuse too
        when the store could only be opened for reading."""
        if self.read_only is not None:
            raise StoreError(self.read_only.said, hint=self.read_only.said_hint)
        if self.path is None:
            return
        if _file_identity(self.path) != self._identity:
            raise StoreGone(phrase("store.gone", path=str(self.path)), hint=phrase("store.gone_hint"))

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open the store at `path`, creating it (owner-only) and migrating it as needed. On a
        full disk it is opened for reading only, when that reads it exactly: writes then say
        the disk is full, and everything that only reads still works."""
        try:
            return cls(open_database(path), path)
        except StoreError as exc:
            reader = open_read_only(path) if disk_full(path) else None
            if reader is None:
                raise
            store = cls(reader, path)
            store.read_only = exc
            return store

    @classmethod
    def memory(cls) -> Store:
        """A private in-memory store with the full schema, for unit tests."""
        return cls(open_database(None), None)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several writes into one durable transaction (most callers never need this)."""
        with self.lock:
            if not self.db.conn.in_transaction:
                self.check_present()
            with write_transaction(self.db):
                yield

    def audit(self, actor: str, action: str, target: str,
              detail: dict[str, Any] | None = None) -> AuditEntry:
        """Append to the hash-chained audit log: see `launchpad.store.audit.append_audit`."""
        from launchpad.store.audit import append_audit  # audit imports this module: import late

        return append_audit(self, actor, action, target, detail)

    def read(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        """Rows of any query as plain dicts, under the store's lock (a Store is shared between
        the TUI's threads). Every reader of every table goes through here."""
        with self.lock:
            try:
                return list(self.db.query(sql, params))
            except sqlite3.Error as exc:
                raise store_failure(exc, phrase("store.reading"), self.path) from exc

    def _rows(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        rows = self.read(sql, params)
        for row in rows:
            row.update({c: json.loads(row[c]) for c in _JSON_COLUMNS if isinstance(row.get(c), str)})
        return rows

    # -- runs -------------------------------------------------------------------------------

    def create_run(self, *, playbook: str, playbook_path: str, playbook_hash: str,
                   playbook_snapshot: Any, environment: str, production: bool,
                   variables: dict[str, Any], operator: str) -> int:
        row = {"playbook": playbook, "playbook_path": playbook_path,
               "playbook_hash": playbook_hash, "playbook_snapshot": to_json(playbook_snapshot),
               "environment": environment, "production": int(production),
               "variables": to_json(variables), "operator": operator, "status": "running",
               "started": utc_now(), **this_process()}
        with self.transaction():
            return int(self._insert("runs", row))

    def get_run(self, run_id: int) -> dict[str, Any] | None:
        """The run as it is to be shown: `interrupted` when stored `running` by a dead process."""
        return next(iter(map(as_shown, self._rows("SELECT * FROM runs WHERE id = ?", [run_id]))), None)

    def list_runs(self, limit: int = 50, status: str | None = None) -> list[dict[str, Any]]:
        """Newest first, as shown (`get_run`); `status` filters on the stored status."""
        where, params = ("WHERE status = ?", [status]) if status else ("", [])
        return [as_shown(row) for row in
                self._rows(f"SELECT * FROM runs {where} ORDER BY id DESC LIMIT ?", [*params, limit])]

    def set_run_status(self, run_id: int, status: str, finished: bool) -> None:
        """`finished=True` stamps the end time; False clears it (the run may go on)."""
        check_allowed(status, RUN_STATUSES, "run status")
        changes: dict[str, Any] = {"status": status, "finished": utc_now() if finished else None}
        if status == "running":
            changes.update(this_process())  # whoever sets it running now owns it
        with self.transaction():
            self._existing_run(run_id)
            self.db.table("runs").update(run_id, changes)

    def resume_run(self, run_id: int) -> list[str]:
        """Take over an unfinished run in this process: steps left `running` become
        `interrupted` (their ids returned), and the run is `running` again, owned by us."""
        with self.transaction():
            run = self._existing_run(run_id)
            if run["status"] not in ("running", "interrupted"):
                raise StoreError(phrase("store.run_ended", id=run_id, status=status_word(run["status"])))
            interrupted = self.mark_interrupted(run_id)  # refuses a run alive elsewhere
            self.set_run_status(run_id, "running", finished=False)
        return interrupted

    def interrupted_runs(self) -> list[dict[str, Any]]:
        """Runs to offer for resuming, newest first: `interrupted`, or `running` in a process
        that died (status as stored). Runs owned by another computer are left out: unknowable."""
        rows = self._rows("SELECT * FROM runs WHERE status IN ('running', 'interrupted') "
                          "ORDER BY id DESC", [])
        return [as_shown(row) for row in rows if row["status"] == "interrupted" or owner_of(row) == "dead"]

    def mark_interrupted(self, run_id: int) -> list[str]:
        """`running` steps, host results and run become `interrupted`; returns the step ids in
        start order. Refuses a run that a live process elsewhere may still be running."""
        with self.transaction():
            run = self._existing_run(run_id)
            _refuse_if_owned_elsewhere(run)
            step_ids = [row["step_id"] for row in self.db.query(
                "SELECT step_id FROM run_steps WHERE run_id = ? AND status = 'running' "
                "ORDER BY started, step_id", [run_id])]
            for table in ("run_steps", "step_results"):
                self.db.execute(f"UPDATE {table} SET status = 'interrupted' "
                                "WHERE run_id = ? AND status = 'running'", [run_id])
            if run["status"] == "running":
                self.db.table("runs").update(run_id, {"status": "interrupted"})
        return list(dict.fromkeys(step_ids))

    def _existing_run(self, run_id: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM runs WHERE id = ?", [run_id]))
        if not rows:
            raise StoreError(phrase("error.no_run", id=run_id), hint=phrase("store.see_runs"))
        return rows[0]

    # -- steps, host results, decisions ------------------------------------------------------

    def step_started(self, run_id: int, step_id: str, phase_id: str, attempt: int,
                     hosts: list[str]) -> None:
        """Record an attempt as `running`, with one `running` result per host: all or nothing."""
        key = {"run_id": run_id, "step_id": step_id, "attempt": attempt}
        running = {"status": "running", "started": utc_now()}
        with self.transaction():
            self._insert("run_steps", {**key, "phase_id": phase_id, **running})
            for host in hosts:
                self._insert("step_results", {**key, "host": host, **running})

    def host_finished(self, run_id: int, step_id: str, attempt: int, host: str, status: str,
                      exit_code: int | None, duration: float | None, stdout: str | None,
                      stderr: str | None, message: Said | None) -> None:
        """Record one host's result; of its output only the tail is kept (`output_tail`)."""
        check_allowed(status, STEP_STATUSES, "host status")
        row = {"run_id": run_id, "step_id": step_id, "attempt": attempt, "host": host,
               "status": status, "exit_code": exit_code, "finished": utc_now(),
               "duration": duration, "stdout": output_tail(stdout),
               "stderr": output_tail(stderr),
               "message": output_tail(None if message is None else str(message)),
               "message_phrase": dumps(message)}
        with self.transaction():
            # An upsert, so a host missing from step_started still gets its result kept.
            self.db.table("step_results").upsert(row, pk=("run_id", "step_id", "attempt", "host"))

    def step_finished(self, run_id: int, step_id: str, attempt: int, status: str,
                      summary: Said, evidence: dict[str, Any], hint: Said = "") -> None:
        """The attempt's result; `hint` (what to do next) is kept as the summary is, or NULL."""
        check_allowed(status, STEP_STATUSES, "step status")
        finished = utc_now()
        key = [run_id, step_id, attempt]
        with self.transaction():
            updated = self.db.execute(
                "UPDATE run_steps SET status = ?, finished = ?, summary = ?, summary_phrase = ?, "
                "evidence = ?, hint = ?, hint_phrase = ? WHERE run_id = ? AND step_id = ? AND attempt = ?",
                [status, finished, str(summary), dumps(summary), to_json(evidence), str(hint) or None,
                 dumps(hint), *key])
            if updated.rowcount == 0:
                raise StoreError(f"step {step_id} (attempt {attempt}) of run {run_id} was "
                                 "never started", hint="call step_started first")
            # A host that never reported did not pass: it stopped with the step.
            leftover = "interrupted" if status == "interrupted" else "aborted"
            self.db.execute("UPDATE step_results SET status = ?, finished = ? WHERE run_id = ? "
                            "AND step_id = ? AND attempt = ? AND status = 'running'",
                            [leftover, finished, *key])

    def latest_step_states(self, run_id: int) -> dict[str, dict[str, Any]]:
        """Each step's row of its latest attempt (a dead process's `running` shown `interrupted`)."""
        rows = self._rows(
            "SELECT * FROM run_steps AS s WHERE run_id = ? AND attempt = (SELECT MAX(attempt) "
            "FROM run_steps WHERE run_id = s.run_id AND step_id = s.step_id) ORDER BY started",
            [run_id])
        return {row["step_id"]: row for row in self._as_shown_in(run_id, rows)}

    def last_attempt(self, run_id: int, step_id: str) -> int:
        """The highest attempt recorded for the step; 0 when it never started."""
        rows = self._rows("SELECT MAX(attempt) AS latest FROM run_steps "
                          "WHERE run_id = ? AND step_id = ?", [run_id, step_id])
        return int(rows[0]["latest"] or 0)

    def step_rows(self, run_id: int) -> list[dict[str, Any]]:
        """Every attempt of every step, in the order they started."""
        return self._as_shown_in(run_id, self._rows("SELECT * FROM run_steps WHERE run_id = ? "
                                                    "ORDER BY started, step_id, attempt", [run_id]))

    def host_rows(self, run_id: int, step_id: str | None = None) -> list[dict[str, Any]]:
        where, params = ("AND step_id = ?", [step_id]) if step_id is not None else ("", [])
        return self._as_shown_in(run_id, self._rows(
            f"SELECT * FROM step_results WHERE run_id = ? {where} "
            "ORDER BY started NULLS LAST, step_id, attempt, host", [run_id, *params]))

    def _as_shown_in(self, run_id: int, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows of a run whose process died: what was `running` stopped with it."""
        run = next(iter(self._rows("SELECT * FROM runs WHERE id = ?", [run_id])), None)
        if run is None or not process_gone(run):
            return rows
        return [{**row, "status": "interrupted"} if row["status"] == "running" else row for row in rows]

    def record_decision(self, run_id: int, step_id: str | None, kind: str, actor: str,
                        reason: Said, detail: dict[str, Any] | None = None) -> int:
        """The reason is kept in English (`reason`) and, when launchpad said it, as a phrase
        beside it (`reason_phrase`) that a report renders in its language."""
        check_allowed(kind, DECISION_KINDS, "decision kind")
        row = {"run_id": run_id, "step_id": step_id, "kind": kind, "actor": actor,
               "reason": str(reason), "reason_phrase": dumps(reason), "detail": to_json(detail or {}),
               "at": utc_now()}
        with self.transaction():
            return int(self._insert("decisions", row))

    def decisions(self, run_id: int) -> list[dict[str, Any]]:
        return self._rows("SELECT * FROM decisions WHERE run_id = ? ORDER BY id", [run_id])

    def _insert(self, table: str, row: dict[str, Any]) -> Any:
        # A plain INSERT: a duplicate key or a missing run must fail loudly, never replace.
        try:
            return self.db.table(table).insert(row).last_pk
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"cannot add {row} to {table}: {exc}") from exc


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


# -- which process owns a running run ---------------------------------------------------------

def process_gone(record: dict[str, Any]) -> bool:
    """A record stored `running` whose process is gone: killed, crashed, or its computer
    restarted. Nothing will finish it; it must never be shown as still running."""
    return record["status"] == "running" and record.get("hostname") is not None and owner_of(record) == "dead"


def as_shown(record: dict[str, Any]) -> dict[str, Any]:
    """`record` with a dead process's `running` shown as `interrupted` (`process_gone` says so)."""
    if not process_gone(record):
        return record
    return {**record, "status": "interrupted", "process_gone": True}


def _refuse_if_owned_elsewhere(run: dict[str, Any]) -> None:
    if run["status"] == "running" and owner_of(run) in ("alive", "remote"):
        raise StoreError(phrase("store.run_elsewhere", id=str(run["id"]), pid=str(run["pid"]), host=run["hostname"]),
                         hint=phrase("store.run_elsewhere_hint"))
