"""The import's batch stream against real MariaDB and PostgreSQL through a real sshd: one
command carries every bulk-loaded batch; a batch whose rows arrive cut short commits nothing,
whether its statements still arrive (the closing row's check stops it) or the stream ends with
it (it never reaches its COMMIT); the same import run again then writes every user once; a
client slow to let go of a batch's rows never gets the next batch's."""

from __future__ import annotations

import shlex
import time
from dataclasses import replace

import pytest

from launchpad.backup.sqlclient import MySqlClient
from launchpad.store.db import Store
from launchpad.users import records
from launchpad.users.apply import ApplyOutcome, ImportTarget, apply_plan
from launchpad.users.operations import file_sha256, plan_file
from launchpad.users.plan import PlannedUser
from launchpad.users.staged import INCOMPLETE, ROWS_PIPE, Staged, staged_batch
from launchpad.users.stream import BatchStream
from launchpad.users.target import TargetFailed, TargetSession
from launchpad.users.writes import ALREADY_THERE
from tests.core.users_sheets import write_xlsx
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, lab, session
from tests.integration.test_users_import_staged import SHEET, apply

__all__ = ["lab"]

pytestmark = pytest.mark.integration

HASH = "$2a$04$7JB720yubVSZvUI0rEqK/.VqGOZTH.ulu33dHOiBE8ByOhJIrdAu2"
MARK = "import:99"
ENVS = ["test", "test-pg"]  # MariaDB, PostgreSQL


def batches(lab: RuoYiLab, target: TargetSession, env: str, size: int) -> list[tuple[list[PlannedUser], Staged]]:
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": SHEET})
    planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)
    writes = planned.plan.writes()
    found = []
    for start in range(0, len(writes), size):
        batch = writes[start:start + size]
        found.append((batch, staged_batch(target.sql, batch, {u.key: HASH for u in batch}, MARK,
                                          planned.mapping.profile)))
    return found


def marked(lab: RuoYiLab, env: str) -> list[list[str]]:
    return lab.sql(env, f"SELECT user_name FROM sys_user WHERE create_by = '{MARK}' ORDER BY user_name")


@pytest.mark.parametrize("env", ENVS)
def test_rows_cut_short_before_the_statements_stop_the_batch_at_the_closing_row_check(lab: RuoYiLab,
                                                                                        env: str) -> None:
    with session(lab, env, FAST_HASH) as (_, target):
        [(first, staged), *_] = batches(lab, target, env, 3)
        lines = staged.data.split(b"\n")
        for cut in (lines[:-2], lines[:2], [*lines[:-3], lines[-2]]):  # no closing line; half; one row lost
            stream = BatchStream(target, 1).open()
            try:
                with pytest.raises(TargetFailed, match=INCOMPLETE):
                    stream.run(1, replace(staged, data=b"\n".join(cut) + b"\n"))
            finally:
                stream.close()
        assert marked(lab, env) == []
        stream = BatchStream(target, 1).open()
        try:
            stream.run(1, staged)  # the same batch whole goes in
        finally:
            stream.close()
    assert marked(lab, env) == sorted([u.key] for u in first)


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("where", ["in the rows", "before the commit"])
def test_a_stream_cut_mid_batch_commits_nothing_of_it_and_the_same_import_finishes(lab: RuoYiLab, env: str,
                                                                                   where: str) -> None:
    with session(lab, env, FAST_HASH) as (_, target):
        (first, staged_first), (_second, staged_second), *_ = batches(lab, target, env, 2)
        stream = BatchStream(target, 2).open()
        try:
            stream.run(1, staged_first)
            framed = stream.framed(2, staged_second)
            end = framed.index(staged_second.data) + (len(staged_second.data) // 2 if where == "in the rows" else
                                                      len(staged_second.data))
            if where == "before the commit":
                end = framed.rindex(b"COMMIT;")
            stream.send(framed[:end])  # then the stream ends, as when launchpad or the link dies
        finally:
            stream.close()
        with pytest.raises(TargetFailed):
            stream.wait(2)
    assert marked(lab, env) == sorted([u.key] for u in first)

    finished = apply(lab, env, SHEET, batch_size=2)
    assert finished.counts == {"insert": 3, "update": 0, "unchanged": 2, "rejected": 0}
    assert lab.sql(env, "SELECT COUNT(*), COUNT(DISTINCT user_name) FROM sys_user WHERE user_name IN "
                        "('zhaoliu', 'sunqi', 'zhouba', 'wujiu', 'zhengshi')") == [["5", "5"]]


@pytest.mark.parametrize("env", ENVS)
def test_every_batch_goes_through_one_command_and_is_answered_after_its_commit(lab: RuoYiLab, env: str) -> None:
    with session(lab, env, FAST_HASH) as (_, target):
        staged = batches(lab, target, env, 2)
        stream = BatchStream(target, len(staged)).open()
        try:
            for number, (batch, one) in enumerate(staged, 1):
                stream.run(number, one)
                # answered: the batch is committed, seen from another session
                assert len(marked(lab, env)) == sum(len(b) for b, _ in staged[:number])
                assert all([u.key] in marked(lab, env) for u in batch)
        finally:
            stream.close()


@pytest.mark.parametrize("taken_by", [2, 3])
def test_a_user_added_between_two_batches_stops_the_batch_with_its_login_name(lab: RuoYiLab,
                                                                             taken_by: int) -> None:
    # MariaDB's guard does not read again the ids the session's earlier batches gave the
    # import's users (a span kept in the session), and joins the next batch's ids to that span
    # only when no row lies between them: the user someone adds after batch 1 stays in the
    # guard of batch 2 and of every later batch.
    env = "test"
    with session(lab, env, FAST_HASH) as (_, target):
        made = batches(lab, target, env, 2)
        assert all("@launchpad_ours_hi" in " ".join(staged.after) for _, staged in made)
        stream = BatchStream(target, len(made)).open()
        try:
            stream.run(1, made[0][1])
            lab.sql(env, "INSERT INTO sys_user (user_name, nick_name, create_by) "
                         f"VALUES ('{made[taken_by - 1][0][0].key}', '先到', 'admin')")
            for number in range(2, taken_by):
                stream.run(number, made[number - 1][1])
            with pytest.raises(TargetFailed, match=ALREADY_THERE):
                stream.run(taken_by, made[taken_by - 1][1])
        finally:
            stream.close()
    assert marked(lab, env) == sorted([u.key] for batch, _ in made[:taken_by - 1] for u in batch)


# A database client slow to let go of a batch's rows, as on a loaded host: like MariaDB's, it
# reads each batch's statements from its input and the batch's rows from the rows' pipe, then
# prints what it read and the batch's mark; but it closes a batch's pipe only once the next
# batch's rows have begun to come (a read of them is ready), and reads first whatever that pipe
# still gives: had they gone into the same pipe, they are there to read, every time.
SLOW_CLIENT = """
import os, re, select, sys
held = None
for line in sys.stdin:
    mark = re.search("SELECT '([^']*)';", line)[1]
    rows = os.open("ROWS_PIPE", os.O_RDONLY | os.O_NONBLOCK)
    select.select([rows], [], [])
    if held is not None:
        late = os.read(held, 65536)
        if late:
            sys.exit("the load before read: " + late.decode().strip())
        os.close(held)
    got = b""
    while not got.endswith(b"\\n"):
        select.select([rows], [], [])
        got += os.read(rows, 65536)
    print(got.decode().strip())
    print(mark, flush=True)
    held = rows
""".replace("ROWS_PIPE", ROWS_PIPE)


def test_each_batch_reads_its_own_rows_when_the_client_lets_go_of_the_batch_before_late(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:
    """The client may still hold batch N's rows' pipe (its rows read, its end not yet seen) when
    the loop hands on batch N+1's rows. Through that same pipe they went into batch N's load,
    and batch N+1's load waited for rows that never came: its batch failed after LOAD_TIMEOUT.
    Each batch's rows go through a pipe of their own."""
    with session(lab, "test", FAST_HASH) as (_, target):
        monkeypatch.setattr(MySqlClient, "command", lambda *_args, **_kwargs: f"python3 -c {shlex.quote(SLOW_CLIENT)}")
        stream = BatchStream(target, 3).open()
        try:
            read = [stream.run(number, Staged([], "LOAD;", f"rows of batch {number}\n".encode(), []))
                    for number in (1, 2, 3)]
        finally:
            stream.close()
    assert read == [f"rows of batch {number}" for number in (1, 2, 3)]


def test_a_postgresql_batch_is_on_the_host_before_its_rows_are_recorded_and_commits_only_after(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:
    # Batch 2 goes to psql before its rows are recorded in the store, all but its COMMIT: the
    # host loads it meanwhile, in a transaction left open. A record that fails then (a full disk
    # under the store) ends the command, and nothing of the batch is committed.
    env = "test-pg"
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": SHEET})  # once: the same import to continue
    record_rows = records.record_rows
    seen: list[str] = []

    def record_failing_at_2(store: Store, import_id: int, batch: int, rows: list[records.RecordedRow]) -> int:
        if batch != 2:
            return record_rows(store, import_id, batch, rows)
        deadline = time.monotonic() + 60
        while not seen and time.monotonic() < deadline:  # the host's own word, not a wait of ours
            seen.extend(state for [state] in lab.sql(env, "SELECT state FROM pg_stat_activity WHERE "
                                                           "state = 'idle in transaction'"))
        raise OSError(28, "No space left on device")

    def apply_sheet() -> ApplyOutcome:
        with session(lab, env, FAST_HASH) as (store, target):
            planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)
            return apply_plan(ImportTarget(store, target, lab.root, env, "app", "tester"), planned, file=sheet,
                              file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml", batch_size=2)

    monkeypatch.setattr(records, "record_rows", record_failing_at_2)
    with pytest.raises(OSError):
        apply_sheet()
    assert seen == ["idle in transaction"]
    imported = "SELECT COUNT(*), COUNT(DISTINCT user_name) FROM sys_user WHERE create_by LIKE 'import:%'"
    assert lab.sql(env, imported) == [["2", "2"]]  # batch 1 only

    monkeypatch.setattr(records, "record_rows", record_rows)
    finished = apply_sheet()
    assert finished.resumed
    assert finished.counts == {"insert": 3, "update": 0, "unchanged": 2, "rejected": 0}  # batch 2 again, and 3
    assert lab.sql(env, imported) == [["5", "5"]]
