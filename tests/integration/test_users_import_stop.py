"""A stop the person asks for (the TUI's stop key) between batches and between hashes: what was
written stays, the import stays resumable, the passwords of the users already written are handed
out at once, and running the same import again finishes it without a double insert and without
listing those users as having lost their password."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from launchpad.users import records
from launchpad.users.apply import ApplyOutcome, ApplyProgress, ImportStopped, ImportTarget, apply_plan
from launchpad.users.handout import list_handouts
from launchpad.users.operations import file_sha256, plan_file
from tests.core.users_sheets import write_xlsx
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, GOOD_SHEET, lab, session  # noqa: F401

pytestmark = pytest.mark.integration


def apply_stopping(lab: RuoYiLab, stop_when: Callable[[list[ApplyProgress]], bool]) -> ApplyOutcome:  # noqa: F811
    sheet = lab.root / "名单.xlsx"
    if not sheet.exists():  # written once: the same bytes, the same import to continue
        write_xlsx(sheet, {"名单": GOOD_SHEET})
    seen: list[ApplyProgress] = []
    with session(lab, "test", FAST_HASH) as (store, target):
        planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, "test")
        to = ImportTarget(store, target, lab.root, "test", "app", "tester")
        return apply_plan(to, planned, file=sheet, file_sha256=file_sha256(sheet), mapping_name="ruoyi.yaml",
                          batch_size=1, progress=seen.append, should_stop=lambda: stop_when(seen))


def never(_seen: list[ApplyProgress]) -> bool:
    return False


def count(ruoyi: RuoYiLab, login: str) -> str:
    return ruoyi.sql("test", f"SELECT COUNT(*) FROM sys_user WHERE user_name = '{login}'")[0][0]


def status(ruoyi: RuoYiLab, import_id: int) -> str:
    from launchpad.store.db import Store

    with Store.open(ruoyi.workspace.store_path) as store:
        return str(records.get_import(store, import_id)["status"])


def test_a_stop_between_batches_hands_out_what_was_written_and_the_same_import_finishes_it(
        lab: RuoYiLab) -> None:  # noqa: F811
    from openpyxl import load_workbook

    def after_first_batch(seen: list[ApplyProgress]) -> bool:
        return any(p.phase == "writing" and p.done >= 1 for p in seen)

    with pytest.raises(ImportStopped) as stopped:
        apply_stopping(lab, after_first_batch)
    error = stopped.value
    assert (error.done, error.total) == (1, 2)  # zhangsan inserted; lisi's update not sent
    assert count(lab, "zhangsan") == "1"
    assert lab.sql("test", "SELECT COUNT(*) FROM sys_user WHERE user_name = 'lisi' AND email <> ''") == [["0"]]
    assert status(lab, error.import_id) == "applying"
    [handout] = error.handouts
    assert handout.parent.name.startswith("stopped-")
    rows = list(load_workbook(handout).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[2:]] == ["zhangsan"]

    resumed = apply_stopping(lab, never)
    assert resumed.resumed and resumed.import_id == error.import_id
    assert resumed.counts == {"insert": 0, "update": 1, "unchanged": 2, "rejected": 0}
    assert resumed.without_password == []  # zhangsan's password is in the stopped hand-out
    assert count(lab, "zhangsan") == "1"
    assert lab.sql("test", "SELECT email FROM sys_user WHERE user_name = 'lisi'") == [["ls@example.cn"]]
    assert status(lab, error.import_id) == "applied"
    assert list_handouts(Path(lab.root / "handouts" / f"import-{error.import_id}")) == [handout]


def test_a_stop_while_hashing_writes_nothing_and_stays_resumable(lab: RuoYiLab) -> None:  # noqa: F811
    def at_once(seen: list[ApplyProgress]) -> bool:
        return True

    with pytest.raises(ImportStopped) as stopped:
        apply_stopping(lab, at_once)
    assert (stopped.value.done, stopped.value.handouts) == (0, [])
    assert count(lab, "zhangsan") == "0"
    assert status(lab, stopped.value.import_id) == "applying"

    resumed = apply_stopping(lab, never)
    assert resumed.resumed and resumed.counts["insert"] == 1 and resumed.without_password == []
    assert count(lab, "zhangsan") == "1" and len(resumed.handouts) == 1
