"""The import's command on the host is opened while the last passwords are hashed, so it is
ready when the first batch is (early_stream.py): against real MariaDB and PostgreSQL through a
real sshd, the command is open before the last hash is reported, the batches go through that
one command, and a stop while hashing ends it with nothing left on the host."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from launchpad.store.audit import iter_audit
from launchpad.store.db import Store
from launchpad.users import early_stream
from launchpad.users.apply import ApplyProgress, ImportStopped, ImportTarget, apply_plan
from launchpad.users.early_stream import OPEN_AHEAD, EarlyStream
from launchpad.users.operations import file_sha256, plan_file
from launchpad.users.stream import BatchStream
from tests.core.users_sheets import HEADER, write_xlsx
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, lab, session

__all__ = ["lab"]

pytestmark = pytest.mark.integration

ENVS = ["test", "test-pg"]  # MariaDB, PostgreSQL
NEWCOMERS = [HEADER, *([f"early{n}", f"新人{n}", "", f"1360013600{n}", "", "男", "办公室", "科长"] for n in range(4))]


class Opened:
    """Counts the import's commands opened and closed, and tells when the first is open."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.opened = threading.Event()
        self.opens, self.closes = 0, 0
        real_open, real_close = BatchStream.open, BatchStream.close

        def open_(stream: BatchStream) -> BatchStream:
            found = real_open(stream)
            self.opens += 1
            self.opened.set()
            return found

        def close(stream: BatchStream) -> None:
            self.closes += 1
            real_close(stream)

        monkeypatch.setattr(BatchStream, "open", open_)
        monkeypatch.setattr(BatchStream, "close", close)


def apply_watching(lab: RuoYiLab, env: str, on_hash: Any, stop: bool = False) -> Any:
    """Apply NEWCOMERS; `on_hash()` runs as the last hash is reported (with `stop`: the first, and
    the import is then stopped at the next)."""
    sheet = write_xlsx(lab.root / "名单.xlsx", {"名单": NEWCOMERS})
    hashed_all: list[bool] = []

    def progress(step: ApplyProgress) -> None:
        if step.phase == "hashing" and step.done == (1 if stop else step.total) and step.total and not hashed_all:
            hashed_all.append(on_hash())

    with session(lab, env, FAST_HASH) as (store, target):
        planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)
        to = ImportTarget(store, target, lab.root, env, "app", "tester")
        outcome = apply_plan(to, planned, file=sheet, file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml",
                             progress=progress, should_stop=lambda: stop and bool(hashed_all))
    return outcome, hashed_all


def private_dirs(lab: RuoYiLab) -> list[Path]:
    with Store.open(lab.workspace.store_path) as store:
        return [Path(entry.detail["private_dir"]) for entry in iter_audit(store)
                if entry.action == "remote_command" and "private_dir" in entry.detail]


@pytest.mark.parametrize("env", ENVS)
def test_the_command_is_open_before_the_last_hash_and_carries_every_batch(lab: RuoYiLab, env: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(early_stream, "OPEN_AHEAD", 1e9)  # this sheet's hashing is always "nearly done"
    watch = Opened(monkeypatch)
    outcome, hashed_all = apply_watching(lab, env, lambda: watch.opened.wait(timeout=60))
    assert hashed_all == [True]  # open while hashing was still being reported
    assert outcome.counts["insert"] > 1 and (watch.opens, watch.closes) == (1, 1)
    written = lab.sql(env, f"SELECT COUNT(*) FROM sys_user WHERE create_by = 'import:{outcome.import_id}'")
    assert int(written[0][0]) == outcome.counts["insert"]


@pytest.mark.parametrize("env", ENVS)
def test_a_stop_while_hashing_ends_the_command_opened_early_and_leaves_nothing_on_the_host(
        lab: RuoYiLab, env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(early_stream, "OPEN_AHEAD", 1e9)
    watch = Opened(monkeypatch)
    with pytest.raises(ImportStopped) as stopped:
        apply_watching(lab, env, lambda: watch.opened.wait(timeout=60), stop=True)
    assert (stopped.value.done, stopped.value.total) == (0, stopped.value.total) and stopped.value.total > 1
    assert (watch.opens, watch.closes) == (1, 1)
    folders = private_dirs(lab)
    assert folders and not any(folder.exists() for folder in folders)
    assert lab.sql(env, f"SELECT COUNT(*) FROM sys_user WHERE create_by = 'import:{stopped.value.import_id}'") \
        == [["0"]]


def test_the_command_waits_for_the_last_seconds_of_hashing() -> None:
    """Hours of bcrypt do not keep a command idle on the host: it opens at OPEN_AHEAD seconds left."""
    opened: list[bool] = []

    class Early(EarlyStream):
        def open_soon(self) -> None:
            opened.append(True)

    early = Early(None, True, 3)  # type: ignore[arg-type]  # never opens a command here
    for left in (7200.0, 60.0, OPEN_AHEAD + 0.1, None):
        early.hashing_left(left)
    assert opened == []
    early.hashing_left(OPEN_AHEAD)
    assert opened == [True]


def test_an_import_with_nothing_for_the_command_opens_none() -> None:
    early = EarlyStream(None, False, 0)  # type: ignore[arg-type]
    early.open_soon()
    with early.ready() as stream:
        assert stream is None
    early.close()


def test_a_command_that_could_not_be_opened_is_said_as_its_own_error_when_the_batches_want_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Opened on its own thread, a failure (an unreachable host) is kept and raised as it came —
    what, where and what next — on the import's thread, not lost with the thread."""
    from launchpad.errors import LaunchpadError

    unreachable = LaunchpadError("app1 (10.0.0.9:22) did not answer", hint="check the VPN")

    def refuses(stream: BatchStream) -> BatchStream:
        raise unreachable

    monkeypatch.setattr(BatchStream, "open", refuses)
    early = EarlyStream(None, True, 2)  # type: ignore[arg-type]
    early.open_soon()
    with pytest.raises(LaunchpadError) as raised, early.ready():
        pass
    assert raised.value is unreachable and raised.value.hint == "check the VPN"
    early.close()
