"""The audit log is append-only in SQL and its hash chain names the first tampered entry.

Tampering needs the triggers gone first, exactly as a real tamperer would have to do.
Concurrent writers are real processes released together by a line on stdin, never by sleeping.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from launchpad.phrases import phrase
from launchpad.store import audit
from launchpad.store.audit import (
    GENESIS_HASH,
    AuditReport,
    append_audit,
    audit_head,
    iter_audit,
    verify_audit,
)
from launchpad.store.db import Store

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.memory() as store:
        yield store


def fill(store: Store, count: int) -> None:
    for n in range(1, count + 1):
        store.audit("li.wei", "step_confirmed", f"run 1 step s{n}", {"n": n, "note": "确认"})


def tamper(store: Store, sql: str, params: list[object] | None = None) -> None:
    store.db.execute("DROP TRIGGER audit_no_update")
    store.db.execute("DROP TRIGGER audit_no_delete")
    store.db.execute(sql, params or [])


# -- appending ----------------------------------------------------------------------------------

def test_entries_form_a_chain_over_canonical_json(store: Store) -> None:
    first = store.audit("li.wei", "run_started", "run 1", {"playbook": "上线", "b": 1, "a": [1]})
    second = append_audit(store, "zhang.san", "approved", "run 1", None)
    assert (first.id, second.id) == (1, 2)
    assert first.prev_hash == GENESIS_HASH and second.prev_hash == first.hash
    content = json.dumps(
        {"id": 1, "at": first.at, "actor": "li.wei", "action": "run_started", "target": "run 1",
         "detail": {"a": [1], "b": 1, "playbook": "上线"}},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert first.hash == hashlib.sha256((GENESIS_HASH + content).encode()).hexdigest()
    assert second.detail == {}


def test_detail_reads_back_as_it_was_hashed(store: Store) -> None:
    entry = store.audit("li.wei", "backup_taken", "db1", {"file": Path("/b/x.sql"), "t": (1, 2)})
    assert entry.detail == {"file": "/b/x.sql", "t": [1, 2]}
    assert list(iter_audit(store)) == [entry]
    assert verify_audit(store).ok


def test_an_empty_log_verifies(store: Store) -> None:
    assert verify_audit(store) == AuditReport(True, 0, None, phrase("audit.intact", count=0))
    assert audit_head(store) is None


def test_a_whole_log_verifies_and_reports_its_head(store: Store) -> None:
    fill(store, 5)
    report = verify_audit(store)
    assert (report.ok, report.entries, report.first_bad) == (True, 5, None)
    head = audit_head(store)
    assert head is not None and head[0] == 5
    assert head[1] == list(iter_audit(store))[-1].hash


def test_a_plain_database_works_too(store: Store) -> None:
    append_audit(store.db, "li.wei", "note", "site", {})
    assert verify_audit(store.db).entries == 1


# -- append-only in SQL --------------------------------------------------------------------------

def test_sql_cannot_change_or_delete_entries(store: Store) -> None:
    fill(store, 2)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.conn.execute("UPDATE audit SET actor = 'someone else' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.conn.execute("DELETE FROM audit WHERE id = 2")
    assert [entry.actor for entry in iter_audit(store)] == ["li.wei", "li.wei"]


# -- verification names the first bad entry ------------------------------------------------------

def test_an_altered_entry_is_named(store: Store) -> None:
    fill(store, 5)
    tamper(store, "UPDATE audit SET detail = ? WHERE id = 3", ['{"n":3,"note":"没确认"}'])
    report = verify_audit(store)
    assert (report.ok, report.first_bad, report.entries) == (False, 3, 2)
    assert "altered" in str(report.reason)


def test_a_deleted_entry_is_named(store: Store) -> None:
    fill(store, 5)
    tamper(store, "DELETE FROM audit WHERE id = 3")
    report = verify_audit(store)
    assert (report.ok, report.first_bad) == (False, 3)
    assert "missing" in str(report.reason)


def test_an_edited_hash_is_named(store: Store) -> None:
    fill(store, 5)
    tamper(store, "UPDATE audit SET hash = ? WHERE id = 3", ["f" * 64])
    report = verify_audit(store)
    assert (report.ok, report.first_bad) == (False, 3)


def test_a_broken_link_is_named(store: Store) -> None:
    fill(store, 5)
    tamper(store, "UPDATE audit SET prev_hash = ? WHERE id = 4", [GENESIS_HASH])
    report = verify_audit(store)
    assert (report.ok, report.first_bad) == (False, 4)
    assert "removed or the log was reordered" in str(report.reason)


def test_reordered_entries_are_named(store: Store) -> None:
    fill(store, 4)
    columns = "at, actor, action, target, detail, prev_hash, hash"
    tamper(store, f"CREATE TEMP TABLE swap AS SELECT id, {columns} FROM audit WHERE id IN (2, 3)")
    store.db.execute(f"UPDATE audit SET ({columns}) = (SELECT {columns} FROM swap "
                     "WHERE swap.id = 5 - audit.id) WHERE id IN (2, 3)")
    assert verify_audit(store).first_bad == 2


def test_entries_deleted_from_the_end_are_named(store: Store) -> None:
    fill(store, 5)
    tamper(store, "DELETE FROM audit WHERE id >= 4")
    report = verify_audit(store)
    assert (report.ok, report.first_bad) == (False, 4)
    store.audit("li.wei", "note", "after the deletion", {})  # the gap stays visible
    assert verify_audit(store).first_bad == 4


# -- reading --------------------------------------------------------------------------------------

def test_reading_streams_page_by_page(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit, "_PAGE", 2)
    fill(store, 7)
    assert [entry.id for entry in iter_audit(store)] == list(range(1, 8))
    assert verify_audit(store).entries == 7
    tamper(store, "UPDATE audit SET actor = 'x' WHERE id = 6")
    assert verify_audit(store).first_bad == 6


def test_iter_audit_since(store: Store) -> None:
    fill(store, 4)
    third = list(iter_audit(store))[2]
    since = datetime.fromisoformat(third.at)
    assert [entry.id for entry in iter_audit(store, since=since)] == [3, 4]


# -- concurrent writers ----------------------------------------------------------------------------

APPEND_MANY = """
import sys
from pathlib import Path
from launchpad.store.db import Store
store = Store.open(Path(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
for n in range(int(sys.argv[3])):
    store.audit(sys.argv[2], "tick", "test", {"n": n})
store.close()
"""


def test_processes_appending_at_once_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / ".launchpad" / "launchpad.db"
    Store.open(path).close()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    writers = [
        subprocess.Popen([sys.executable, "-c", APPEND_MANY, str(path), f"writer{i}", "60"],
                         env=env, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
        for i in range(4)
    ]
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    with Store.open(path) as store:
        assert verify_audit(store) == AuditReport(True, 240, None, phrase("audit.intact", count=240))
        written = {(entry.actor, entry.detail["n"]) for entry in iter_audit(store)}
    assert written == {(f"writer{i}", n) for i in range(4) for n in range(60)}


def test_two_connections_in_threads_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / ".launchpad" / "launchpad.db"
    stores = [Store.open(path), Store.open(path)]
    start = threading.Barrier(len(stores))

    def append(store: Store, actor: str) -> None:
        start.wait()
        for n in range(50):
            store.audit(actor, "tick", "test", {"n": n})

    threads = [threading.Thread(target=append, args=(s, f"conn{i}")) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert verify_audit(stores[0]).entries == 100
    for store in stores:
        store.close()
