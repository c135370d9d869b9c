"""The workspace store keeps every record through kill -9, concurrent processes and reopening.

Processes are real subprocesses released together by a line on stdin, never by sleeping.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from launchpad.errors import StoreError
from launchpad.store.db import Store
from launchpad.store.migrations import MIGRATIONS, OUTPUT_TAIL_BYTES

REPO = Path(__file__).resolve().parents[2]

# Children import first, say "ready", then wait for "go": they start their work together.
CHILD_PRELUDE = """
import sys
from pathlib import Path
from launchpad.store.db import Store
path = Path(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
"""


def start_children(script: str, *argv_per_child: list[str]) -> list[subprocess.Popen[str]]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    children = [
        subprocess.Popen([sys.executable, "-c", CHILD_PRELUDE + script, *argv], env=env,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for argv in argv_per_child
    ]
    for child in children:
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            child.kill()
            pytest.fail(f"child failed to start: {child.communicate()[1]}")
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    return children


def kill_hard(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)  # reaps it, so its pid is really gone
    assert child.returncode == -signal.SIGKILL


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "ws" / ".launchpad" / "launchpad.db"


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.memory() as store:
        yield store


def new_run(store: Store, **changes: object) -> int:
    fields: dict = dict(playbook="golive", playbook_path="playbooks/golive.yaml",
                        playbook_hash="abc", playbook_snapshot={"phases": ["prep"]},
                        environment="prod", production=True, variables={"version": "2.1"},
                        operator="li.wei")
    return store.create_run(**{**fields, **changes})


# -- opening and migrating --------------------------------------------------------------------

def test_a_new_store_records_each_migration_once(store_path: Path) -> None:
    with Store.open(store_path) as store:
        rows = list(store.db.query("SELECT number, name, applied FROM migrations"))
        user_version = store.db.execute("PRAGMA user_version").fetchone()[0]
    assert [row["number"] for row in rows] == [m.number for m in MIGRATIONS]
    assert all(row["applied"] for row in rows)
    assert user_version == MIGRATIONS[-1].number


def test_reopening_is_a_no_op(store_path: Path) -> None:
    with Store.open(store_path) as store:
        before = list(store.db.query("SELECT * FROM migrations"))
        run_id = new_run(store)
    with Store.open(store_path) as store:
        assert list(store.db.query("SELECT * FROM migrations")) == before
        assert store.get_run(run_id) is not None


def test_the_store_is_private_to_its_owner(store_path: Path) -> None:
    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    with Store.open(store_path) as store:
        new_run(store)
        assert mode(Path(f"{store_path}-wal")) == 0o600
    assert (mode(store_path), mode(store_path.parent)) == (0o600, 0o700)
    os.chmod(store_path, 0o644)
    Store.open(store_path).close()
    assert mode(store_path) == 0o600  # a store left readable by others is tightened


def test_durability_settings(store_path: Path) -> None:
    with Store.open(store_path) as store:
        def pragma(name: str) -> object:
            return store.db.execute(f"PRAGMA {name}").fetchone()[0]

        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 10_000


def test_a_store_from_a_newer_launchpad_is_refused(store_path: Path) -> None:
    with Store.open(store_path) as store:
        store.db.execute("INSERT INTO migrations VALUES (999, 'future', 'later')")
    with pytest.raises(StoreError, match="migration 999") as caught:
        Store.open(store_path)
    assert "upgrade launchpad" in caught.value.hint


def test_a_file_that_is_not_a_database_is_refused(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    store_path.write_bytes(b"not a database, just text " * 100)
    with pytest.raises(StoreError, match="cannot open the workspace store"):
        Store.open(store_path)


def test_processes_opening_a_new_store_at_once_migrate_it_once(store_path: Path) -> None:
    script = """
with Store.open(path) as store:
    store.create_run(playbook="p", playbook_path="", playbook_hash="", playbook_snapshot={},
                     environment="test", production=False, variables={}, operator="op")
"""
    for child in start_children(script, *[[str(store_path)]] * 6):
        _, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
    with Store.open(store_path) as store:
        numbers = [row["number"] for row in store.db.query("SELECT number FROM migrations")]
        assert numbers == [m.number for m in MIGRATIONS]
        assert len(store.list_runs()) == 6


# -- runs ---------------------------------------------------------------------------------------

def test_runs_are_listed_newest_first_and_by_status(store: Store) -> None:
    first, second, third = new_run(store), new_run(store), new_run(store)
    store.set_run_status(second, "passed", finished=True)
    assert [run["id"] for run in store.list_runs()] == [third, second, first]
    assert [run["id"] for run in store.list_runs(limit=1)] == [third]
    assert [run["id"] for run in store.list_runs(status="passed")] == [second]
    passed = store.get_run(second)
    assert passed is not None and passed["finished"] and passed["status"] == "passed"


def test_a_run_reads_back_with_json_decoded(store: Store) -> None:
    run = store.get_run(new_run(store))
    assert run is not None
    assert run["playbook_snapshot"] == {"phases": ["prep"]}
    assert run["variables"] == {"version": "2.1"}
    assert run["production"] == 1 and run["status"] == "running" and run["finished"] is None
    assert (run["pid"], run["hostname"]) == (os.getpid(), socket.gethostname())
    assert store.get_run(9999) is None


def test_unknown_values_and_runs_are_refused(store: Store) -> None:
    run_id = new_run(store)
    with pytest.raises(StoreError, match="unknown run status"):
        store.set_run_status(run_id, "done", finished=True)
    with pytest.raises(StoreError, match="no run 42"):
        store.set_run_status(42, "passed", finished=True)
    with pytest.raises(StoreError, match="unknown decision kind"):
        store.record_decision(run_id, "s1", "shrugged", "li.wei", "", {})
    with pytest.raises(StoreError):
        store.step_started(42, "s1", "prep", 1, ["app1"])  # no such run: foreign key
    with pytest.raises(StoreError, match="never started"):
        store.step_finished(run_id, "ghost", 1, "passed", "", {})


# -- steps and host results ----------------------------------------------------------------------

def test_step_started_is_all_or_nothing(store: Store) -> None:
    run_id = new_run(store)
    with pytest.raises(StoreError, match="step_results"):
        store.step_started(run_id, "s1", "prep", 1, ["app1", "app1"])
    assert store.step_rows(run_id) == [] and store.host_rows(run_id) == []
    store.step_started(run_id, "s1", "prep", 1, ["app1", "app2"])
    with pytest.raises(StoreError, match="run_steps"):
        store.step_started(run_id, "s1", "prep", 1, ["app1"])


def test_step_and_host_results(store: Store) -> None:
    run_id = new_run(store)
    store.step_started(run_id, "check", "prep", 1, ["app1", "app2"])
    assert {row["status"] for row in store.host_rows(run_id)} == {"running"}
    store.host_finished(run_id, "check", 1, "app1", "failed", 3, 0.5, "out", "err", "exit 3")
    store.step_finished(run_id, "check", 1, "failed", "app1 failed", {"failed": ["app1"]})
    store.step_started(run_id, "check", "prep", 2, ["app1"])
    store.host_finished(run_id, "check", 2, "app1", "passed", 0, 0.2, "ok", "", "")
    store.step_finished(run_id, "check", 2, "passed", "all passed", {})

    latest = store.latest_step_states(run_id)
    assert latest["check"]["attempt"] == 2 and latest["check"]["status"] == "passed"
    assert store.last_attempt(run_id, "check") == 2
    assert store.last_attempt(run_id, "never") == 0
    assert [(r["attempt"], r["status"]) for r in store.step_rows(run_id)] == [
        (1, "failed"), (2, "passed")]
    assert store.step_rows(run_id)[0]["evidence"] == {"failed": ["app1"]}
    first = {(r["attempt"], r["host"]): r for r in store.host_rows(run_id, "check")}
    assert first[(1, "app1")]["exit_code"] == 3 and first[(1, "app1")]["stderr"] == "err"
    assert first[(1, "app2")]["status"] == "aborted"  # never reported before the step ended
    store.host_finished(run_id, "check", 2, "app3", "passed", 0, 0.1, "", "", "late joiner")
    assert store.host_rows(run_id, "check")[-1]["message"] == "late joiner"  # kept, not lost
    assert store.host_rows(run_id, "other") == []


def test_output_keeps_its_tail_as_valid_text(store: Store) -> None:
    run_id = new_run(store)
    store.step_started(run_id, "dump", "prep", 1, ["db1"])
    output = "开始\n" + "行" * OUTPUT_TAIL_BYTES + "\nlast line: error 42"
    store.host_finished(run_id, "dump", 1, "db1", "failed", 1, 9.0, output, "\udcff", "")
    row = store.host_rows(run_id)[0]
    assert row["stdout"].startswith("[… ") and row["stdout"].endswith("last line: error 42")
    assert len(row["stdout"].encode("utf-8")) <= OUTPUT_TAIL_BYTES + 64
    assert row["stderr"] == "?"  # an undecodable byte no longer makes the row unstorable


def test_decisions_are_kept_in_order(store: Store) -> None:
    run_id = new_run(store)
    first = store.record_decision(run_id, "s1", "confirmed", "li.wei", "window open", {"n": 1})
    second = store.record_decision(run_id, "", "approved", "zhang.san", "form 7", {})
    rows = store.decisions(run_id)
    assert [row["id"] for row in rows] == [first, second]
    assert rows[0]["detail"] == {"n": 1} and rows[1]["actor"] == "zhang.san"


def test_threads_sharing_one_store_lose_nothing(store_path: Path) -> None:
    with Store.open(store_path) as store:
        run_id = new_run(store)

        def decide(actor: str) -> None:
            for n in range(40):
                store.record_decision(run_id, "s1", "confirmed", actor, str(n), {})

        threads = [threading.Thread(target=decide, args=(f"t{i}",)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(store.decisions(run_id)) == 160


# -- kill -9 and interrupted runs ----------------------------------------------------------------

RUN_ONE_STEP_THEN_WAIT = """
store = Store.open(path)
run_id = store.create_run(playbook="golive", playbook_path="", playbook_hash="",
                          playbook_snapshot={}, environment="prod", production=True,
                          variables={}, operator="li.wei")
store.step_started(run_id, "backup", "prep", 1, ["db1"])
if sys.argv[2] == "finish":
    store.host_finished(run_id, "backup", 1, "db1", "passed", 0, 1.0, "dumped", "", "")
    store.step_finished(run_id, "backup", 1, "passed", "backup taken", {"bytes": 1024})
print(run_id, flush=True)
sys.stdin.readline()  # never answered: the parent kills us here
"""


def test_a_finished_step_survives_sigkill(store_path: Path) -> None:
    [child] = start_children(RUN_ONE_STEP_THEN_WAIT, [str(store_path), "finish"])
    assert child.stdout is not None
    run_id = int(child.stdout.readline())
    kill_hard(child)
    with Store.open(store_path) as store:
        step = store.latest_step_states(run_id)["backup"]
        assert (step["status"], step["summary"]) == ("passed", "backup taken")
        assert step["evidence"] == {"bytes": 1024}
        assert store.host_rows(run_id)[0]["stdout"] == "dumped"


def test_a_killed_run_is_found_interrupted(store_path: Path) -> None:
    [child] = start_children(RUN_ONE_STEP_THEN_WAIT, [str(store_path), "start-only"])
    assert child.stdout is not None
    run_id = int(child.stdout.readline())
    with Store.open(store_path) as store:
        assert store.interrupted_runs() == []  # its process is alive: not ours to take over
        with pytest.raises(StoreError, match="still running"):
            store.mark_interrupted(run_id)
        kill_hard(child)

        assert [run["id"] for run in store.interrupted_runs()] == [run_id]
        assert store.mark_interrupted(run_id) == ["backup"]
        run = store.get_run(run_id)
        assert run is not None and run["status"] == "interrupted"
        assert store.latest_step_states(run_id)["backup"]["status"] == "interrupted"
        assert store.host_rows(run_id)[0]["status"] == "interrupted"

        store.resume_run(run_id)
        run = store.get_run(run_id)
        assert run is not None and (run["status"], run["pid"]) == ("running", os.getpid())
        assert store.interrupted_runs() == []


def test_a_run_from_before_a_reboot_is_interrupted(store: Store) -> None:
    run_id = new_run(store)
    run = store.get_run(run_id)
    if run is None or run["boot_id"] is None:
        pytest.skip("no boot id on this platform")
    store.db.execute("UPDATE runs SET boot_id = 'an-earlier-boot' WHERE id = ?", [run_id])
    assert [run["id"] for run in store.interrupted_runs()] == [run_id]


def test_a_run_owned_by_another_computer_is_left_alone(store: Store) -> None:
    run_id = new_run(store)
    store.db.execute("UPDATE runs SET hostname = 'other-laptop', pid = 1 WHERE id = ?", [run_id])
    assert store.interrupted_runs() == []
    with pytest.raises(StoreError, match="other-laptop"):
        store.mark_interrupted(run_id)


def test_this_process_may_interrupt_its_own_run(store: Store) -> None:
    run_id = new_run(store)
    store.step_started(run_id, "s1", "prep", 1, [])
    assert store.interrupted_runs() == []  # alive: it is us
    assert store.mark_interrupted(run_id) == ["s1"]
    assert [run["id"] for run in store.interrupted_runs()] == [run_id]


def test_a_finished_run_stays_finished(store: Store) -> None:
    run_id = new_run(store)
    store.set_run_status(run_id, "passed", finished=True)
    assert store.mark_interrupted(run_id) == []
    run = store.get_run(run_id)
    assert run is not None and run["status"] == "passed"
    with pytest.raises(StoreError, match="already ended"):
        store.resume_run(run_id)


def test_a_failed_write_is_an_explained_error(store: Store) -> None:
    run_id = new_run(store)
    store.db.execute("PRAGMA query_only = ON")  # stands for a full disk or a read-only mount
    with pytest.raises(StoreError, match="could not write") as caught:
        store.record_decision(run_id, "s1", "confirmed", "li.wei", "", {})
    assert isinstance(caught.value.__cause__, sqlite3.Error)
    store.db.execute("PRAGMA query_only = OFF")
    assert store.decisions(run_id) == []  # nothing half-written


def test_a_failure_inside_a_transaction_undoes_only_itself(store: Store) -> None:
    run_id = new_run(store)
    with store.transaction():
        store.record_decision(run_id, "s1", "confirmed", "li.wei", "before", {})
        with pytest.raises(StoreError):
            store.step_started(run_id, "s1", "prep", 1, ["app1", "app1"])
        store.record_decision(run_id, "s1", "approved", "zhang.san", "after", {})
    assert [d["reason"] for d in store.decisions(run_id)] == ["before", "after"]
    assert store.step_rows(run_id) == []
