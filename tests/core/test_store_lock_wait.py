"""A lock wait never kills a run: a write that finds the store locked past the busy timeout
waits again instead of failing with "database is locked", and long writes (a paste of
thousands of messages) go in short transactions, so nothing holds the lock that long."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from launchpad.errors import StoreError, UsageError
from launchpad.issues import log as issue_log
from launchpad.issues.log import IssueLog
from launchpad.issues.model import IssueDraft
from launchpad.store import migrations
from launchpad.store.db import Store
from tests.core.test_store import new_run


def test_a_step_result_waits_for_a_lock_held_past_the_busy_timeout(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / ".launchpad" / "launchpad.db"
    store = Store.open(path)
    store.db.execute("PRAGMA busy_timeout = 50")  # a short timeout, so the test waits past it quickly
    run_id = new_run(store)
    waited = threading.Event()
    monkeypatch.setattr(migrations, "_lock_wait_listeners", [])
    migrations.on_lock_wait(waited.set)  # as the CLI does, to say it is waiting
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")  # another process's long write
    failures: list[BaseException] = []

    def write() -> None:
        try:
            store.step_started(run_id, "deploy", "p", 1, ["app1"])
        except BaseException as exc:
            failures.append(exc)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert waited.wait(30), f"the write did not wait: {failures}"
    finally:
        holder.rollback()
        holder.close()
    writer.join(30)
    assert not writer.is_alive() and failures == []
    assert store.latest_step_states(run_id)["deploy"]["status"] == "running"
    store.close()


def test_a_write_still_gives_up_on_an_error_that_is_not_a_lock(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "launchpad.db")
    with pytest.raises(StoreError):
        store.step_started(4242, "deploy", "p", 1, ["app1"])  # no such run: refused at once
    store.close()


def drafts(count: int) -> list[IssueDraft]:
    return [IssueDraft(title=f"第{n}条反馈") for n in range(1, count + 1)]


def test_a_long_paste_is_written_in_short_transactions(monkeypatch: pytest.MonkeyPatch) -> None:
    log = IssueLog(Store.memory(), ZoneInfo("Asia/Shanghai"), "pm")
    monkeypatch.setattr(issue_log, "ADD_CHUNK", 10)
    transactions = 0
    original = log.store.transaction

    def counted() -> AbstractContextManager[None]:
        nonlocal transactions
        transactions += 1
        return original()

    monkeypatch.setattr(log.store, "transaction", counted)
    added = log.add_many(drafts(25))
    assert [issue.title for issue in added] == [f"第{n}条反馈" for n in range(1, 26)]
    # Three chunks; the audit entries are savepoints inside them, not transactions of their own.
    assert transactions == 3


def test_bad_input_anywhere_in_a_paste_adds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    log = IssueLog(Store.memory(), ZoneInfo("Asia/Shanghai"), "pm")
    monkeypatch.setattr(issue_log, "ADD_CHUNK", 10)
    with pytest.raises(UsageError):
        log.add_many([*drafts(24), IssueDraft(title="  ")])
    assert log.count() == 0


def test_a_failure_between_chunks_says_what_was_added(monkeypatch: pytest.MonkeyPatch) -> None:
    log = IssueLog(Store.memory(), ZoneInfo("Asia/Shanghai"), "pm")
    monkeypatch.setattr(issue_log, "ADD_CHUNK", 10)
    original = log._insert_issue

    def failing(draft: IssueDraft) -> int:
        if draft.title == "第15条反馈":
            raise StoreError("could not write to the workspace store: disk I/O error")
        return original(draft)

    monkeypatch.setattr(log, "_insert_issue", failing)
    with pytest.raises(StoreError, match="10 of 25") as raised:
        log.add_many(drafts(25))
    assert "number 11" in (raised.value.hint or "")
    assert log.count() == 10  # the first chunk, whole; nothing of the failed one
