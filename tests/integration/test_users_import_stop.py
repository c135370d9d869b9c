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


def apply_stopping(lab: RuoYiLab, stop_when: Callable[[list[ApplyProgress]], bool],  # noqa: F811
                   rows: list[list[str]] = GOOD_SHEET, env: str = "test") -> ApplyOutcome:
    sheet = lab.root / "名单.xlsx"
    if not sheet.exists():  # written once: the same bytes, the same import to continue
        write_xlsx(sheet, {"名单": rows})
    seen: list[ApplyProgress] = []
    with session(lab, env, FAST_HASH) as (store, target):
        planned = plan_file(sheet, lab.root / "imports" / "ruoyi.yaml", target, env)
        to = ImportTarget(store, target, lab.root, env, "app", "tester")
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
    assert f"导入 {error.import_id} 在 2 行中写完 1 行后停止；已写入的内容保留" in error.render("zh")
    assert "再次运行同一导入即可继续" in error.render("zh")
    assert f"import {error.import_id} stopped after 1 of 2 row(s); what was written stays" in error.render("en")
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


@pytest.mark.parametrize("env", ["test", "test-pg"])
def test_a_stop_with_the_next_batch_already_on_the_host_hands_out_both(lab: RuoYiLab,  # noqa: F811
                                                                     env: str) -> None:
    """Five new users in batches of one through the import's command: once it has committed one,
    the next batch is sent while the one before is still on the host. A stop asked for once two
    are done finds batch 3 already sent: it commits, and every user written is handed out."""
    from openpyxl import load_workbook

    from tests.integration.test_users_import_staged import SHEET

    def after_second_batch(seen: list[ApplyProgress]) -> bool:
        return any(p.phase == "writing" and p.done >= 2 for p in seen)

    with pytest.raises(ImportStopped) as stopped:
        apply_stopping(lab, after_second_batch, SHEET, env)
    error = stopped.value
    assert (error.done, error.total) == (3, 5)
    written = [row[0] for row in lab.sql(env, f"SELECT user_name FROM sys_user WHERE create_by = "
                                              f"'import:{error.import_id}' ORDER BY user_id")]
    assert written == [row[0] for row in SHEET[1:4]]
    handed = [row[1] for handout in error.handouts
              for row in list(load_workbook(handout).active.iter_rows(values_only=True))[2:]]
    assert sorted(handed) == sorted(written)

    resumed = apply_stopping(lab, never, SHEET, env)
    assert resumed.counts["insert"] == 2 and resumed.without_password == []
    assert lab.sql(env, f"SELECT COUNT(*) FROM sys_user WHERE create_by = 'import:{error.import_id}'") == [["5"]]


@pytest.mark.parametrize("env", ["test", "test-pg"])
def test_a_stop_while_hashing_keeps_the_passwords_hashed_so_far_and_the_resume_hashes_only_the_rest(
        lab: RuoYiLab, env: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Hours of bcrypt are not thrown away: the users hashed before the stop are kept (0600, in the
    import's hand-out folder), the resume hashes the others only, every hand-out password is the
    one the target's hash was made from, and the kept file is gone (audited) once handed out."""
    import json
    import os
    import stat

    from launchpad.store.db import Store
    from launchpad.users import passwords
    from launchpad.users.hashing_progress import FILE_NAME
    from launchpad.users.importing import prepare_import
    from launchpad.users.operations import read_rows
    from tests.integration.test_users_import import handout_of, verify_handout
    from tests.integration.test_users_import_staged import SHEET

    hashed: list[str] = []
    real = passwords.hash_password

    def counted(policy: passwords.PasswordPolicy, login: str, password: str) -> passwords.Hashed:
        hashed.append(login)
        return real(policy, login, password)

    monkeypatch.setattr(passwords, "hash_password", counted)

    def after_two_hashes(seen: list[ApplyProgress]) -> bool:
        return any(p.phase == "hashing" and p.done >= 2 for p in seen)

    with pytest.raises(ImportStopped) as stopped:
        apply_stopping(lab, after_two_hashes, SHEET, env)
    import_id = stopped.value.import_id
    folder = lab.root / "handouts" / f"import-{import_id}"
    kept = folder / FILE_NAME
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600 and stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    logins = [row[0] for row in SHEET[1:]]
    kept_logins = [json.loads(line)["key"] for line in kept.read_text(encoding="utf-8").splitlines()[1:]]
    assert 2 <= len(kept_logins) < 5 and set(kept_logins) < set(logins)
    assert lab.sql(env, f"SELECT COUNT(*) FROM sys_user WHERE create_by = 'import:{import_id}'") == [["0"]]
    # what the person reads before saying yes to the resume: only the users left to hash
    mapping = lab.root / "imports" / "ruoyi.yaml"
    with session(lab, env, FAST_HASH) as (store, target):
        planned = plan_file(lab.root / "名单.xlsx", mapping, target, env)
        ready = prepare_import(ImportTarget(store, target, lab.root, env, "app", "tester"), planned,
                               read_rows(lab.root / "名单.xlsx", planned.mapping, mapping, None))
    assert ready.hashing is not None
    assert (ready.hashing.count, ready.hashing.kept) == (5 - len(kept_logins), len(kept_logins))
    assert kept.exists()  # only looked at

    hashed.clear()
    resumed = apply_stopping(lab, never, SHEET, env)
    assert resumed.import_id == import_id and resumed.counts["insert"] == 5
    assert sorted(hashed) == sorted(set(logins) - set(kept_logins))  # the kept were not hashed again
    for login in logins:
        verify_handout(lab, env, handout_of(folder, login), login)
    assert not kept.exists()
    with Store.open(lab.workspace.store_path) as store:
        actions = [row["action"] for row in store.db.query("SELECT action FROM audit ORDER BY id")]
    assert "user_import_hashing_resumed" in actions
    assert actions.index("user_import_hashing_progress_removed") > actions.index("user_handout_written")


def test_rolling_back_an_import_stopped_while_hashing_removes_the_passwords_it_kept(lab: RuoYiLab) -> None:  # noqa: F811
    from launchpad.users.apply import rollback_import
    from launchpad.users.hashing_progress import FILE_NAME
    from tests.integration.test_users_import import session
    from tests.integration.test_users_import_staged import SHEET

    with pytest.raises(ImportStopped) as stopped:
        apply_stopping(lab, lambda seen: any(p.phase == "hashing" and p.done >= 2 for p in seen), SHEET)
    import_id = stopped.value.import_id
    kept = lab.root / "handouts" / f"import-{import_id}" / FILE_NAME
    assert kept.exists()
    with session(lab, "test", FAST_HASH) as (store, target):
        rollback_import(ImportTarget(store, target, lab.root, "test", "app", "tester"), import_id)
        removed = [row["detail"] for row in store.db.query(
            "SELECT detail FROM audit WHERE action = 'user_import_hashing_progress_removed'")]
    assert not kept.exists()
    assert len(removed) == 1 and '"rolled_back"' in removed[0]
    assert status(lab, import_id) == "rolled_back"


def test_an_import_that_died_after_its_last_batch_hands_everyone_out_when_continued(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Every batch committed, then the process died before the import was closed and its hand-out
    written: the next run has nothing left to insert, and hands out every user from the
    passwords kept before the first batch was sent, none listed for --reset."""
    from tests.integration.test_users_import import handout_of, verify_handout
    from tests.integration.test_users_import_staged import SHEET

    dies_before_closing(lab, monkeypatch, SHEET)
    assert lab.sql("test", "SELECT COUNT(*) FROM sys_user WHERE create_by = 'import:1'") == [["5"]]

    resumed = apply_stopping(lab, never, SHEET)
    assert resumed.resumed and resumed.counts["insert"] == 0 and resumed.without_password == []
    folder = lab.root / "handouts" / "import-1"
    for row in SHEET[1:]:
        verify_handout(lab, "test", handout_of(folder, str(row[0])), str(row[0]))
    assert status(lab, 1) == "applied"


def dies_before_closing(lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
                        rows: list[list[str]]) -> None:
    """`rows` applied: every batch commits, then the process dies before the import is closed
    and handed out."""
    real = records.finish_import

    def dies(*args: object) -> None:
        raise RuntimeError("the process died here")

    monkeypatch.setattr(records, "finish_import", dies)
    with pytest.raises(RuntimeError, match="died here"):
        apply_stopping(lab, never, rows)
    monkeypatch.setattr(records, "finish_import", real)


def test_a_user_reset_before_the_resume_is_never_handed_its_old_password_again(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Every batch committed, the process died before the hand-out: the kept file holds every
    user's password. `users handout 1 --reset` gives one of them a new one; the file no longer
    holds the old one (its audit says how many it dropped), and the resume hands out the others
    from the file and not the reset user: the reset's hand-out is the only one listing it, with
    the password its hash was made from. The old password is in no file, output or audit entry."""
    from launchpad.store.audit import iter_audit
    from launchpad.store.db import Store
    from launchpad.users.hashing_progress import FILE_NAME, kept_passwords
    from tests.integration.test_users_import import handout_of, launchpad, verify_handout
    from tests.integration.test_users_import_staged import SHEET

    dies_before_closing(lab, monkeypatch, SHEET)
    folder = lab.root / "handouts" / "import-1"
    logins = [str(row[0]) for row in SHEET[1:]]
    reset_login = logins[0]
    old = kept_passwords(folder)[reset_login].password
    hashed = f"SELECT password FROM sys_user WHERE user_name = '{reset_login}'"
    before = lab.sql("test", hashed)
    # while the import's process lives (here: this one) it holds the kept passwords: refused, nothing changed
    busy = launchpad(lab, "users", "handout", "1", "--reset", reset_login, "--yes")
    assert busy.returncode == 4, busy.stderr
    assert lab.sql("test", hashed) == before and kept_passwords(folder)[reset_login].password == old
    with Store.open(lab.workspace.store_path) as store, store.transaction():  # its process is gone
        store.db.execute("UPDATE user_imports SET pid = 999999999 WHERE id = 1")

    reset = launchpad(lab, "users", "handout", "1", "--reset", reset_login, "--yes")
    assert reset.returncode == 0, reset.stderr
    [reset_handout] = list_handouts(folder)
    assert reset_handout.parent.name.startswith("reset-")
    assert set(kept_passwords(folder)) == set(logins) - {reset_login}  # the others are still kept for the resume

    resumed = launchpad(lab, "users", "import", str(lab.root / "名单.xlsx"), "--env", "test", "--yes")
    assert resumed.returncode == 0, resumed.stderr
    assert not (folder / FILE_NAME).exists()
    for login in logins:  # each listed once, with the password its hash was made from
        verify_handout(lab, "test", handout_of(folder, login), login)
    assert handout_of(folder, reset_login) == reset_handout
    with Store.open(lab.workspace.store_path) as store:
        entries = list(iter_audit(store))
        handed = [row["key"] for row in store.db.query("SELECT key FROM user_import_handed_out WHERE import_id = 1")]
    assert reset_login in handed
    [done] = [e.detail for e in entries if e.action == "user_password_reset"]
    assert (done["kept_passwords_dropped"], done["kept_passwords_left"]) == (1, len(logins) - 1)
    said = busy.stderr + reset.stdout + reset.stderr + resumed.stdout + resumed.stderr
    said += repr([e.detail for e in entries])
    assert old not in said
    assert [path for path in lab.root.rglob("*") if path.is_file() and old in _file_text(path)] == []


def _file_text(path: Path) -> str:
    """What a file holds, a workbook's cells read out (its bytes are compressed)."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        return repr([list(ws.iter_rows(values_only=True)) for ws in load_workbook(path).worksheets])
    return path.read_bytes().decode("latin-1")
