"""An import left unfinished (the process died after its batches, before it closed) keeps the
plain initial passwords it hashed for its resume. `users imports` and the handover say how many
and where, with the commands that finish, roll back or abandon it; `users abandon ID` deletes
them — only once confirmed (the id typed at a terminal, or --yes without one; otherwise exit 2),
audited — and the record reads abandoned: running the file again is refused (exit 2) until the
import is rolled back, which still undoes what it wrote."""

from __future__ import annotations

import json

import click
import pytest

from launchpad.handover.collect import collect_handover
from launchpad.handover.render import render_handover
from launchpad.session import open_session
from launchpad.store.db import Store
from launchpad.users.hashing_progress import FILE_NAME
from tests.commandline import launch
from tests.integration.ruoyi import RuoYiLab
from tests.integration.test_users_import import FAST_HASH, lab, launchpad  # noqa: F401
from tests.integration.test_users_import_staged import SHEET
from tests.integration.test_users_import_stop import apply_stopping, dies_before_closing, never, status

pytestmark = pytest.mark.integration
LOGINS = [str(row[0]) for row in SHEET[1:]]


def died_before_closing(lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> int:  # noqa: F811
    """Every batch committed, then the process died before the import was closed and handed out."""
    dies_before_closing(lab, monkeypatch, SHEET)
    with Store.open(lab.workspace.store_path) as store, store.transaction():  # its process is gone
        store.db.execute("UPDATE user_imports SET pid = 999999999 WHERE id = 1")
    return 1


def audit_of(lab: RuoYiLab, action: str) -> list[dict[str, object]]:  # noqa: F811
    with Store.open(lab.workspace.store_path) as store:
        return [json.loads(row["detail"]) for row in store.db.query(
            "SELECT detail FROM audit WHERE action = ? ORDER BY id", [action])]


def test_an_unfinished_import_says_what_it_keeps_and_abandoning_it_deletes_them_once_confirmed(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    import_id = died_before_closing(lab, monkeypatch)
    kept = lab.root / "handouts" / f"import-{import_id}" / FILE_NAME
    assert kept.exists() and status(lab, import_id) == "applying"
    assert lab.sql("test", f"SELECT COUNT(*) FROM sys_user WHERE create_by = 'import:{import_id}'") == [["5"]]

    # What is kept, where, and the three ways to close it.
    listed = launchpad(lab, "--lang", "zh", "users", "imports")
    assert f"已生成的 5 个初始密码明文暂存于 {kept}（仅本人可读）" in listed.stdout
    assert f"`launchpad users abandon {import_id}` 放弃导入并删除这些密码" in listed.stdout
    session = open_session(lab.root, actor="张工")
    try:
        handover = render_handover(collect_handover(session), "text", "zh")
    finally:
        session.close()
    assert (f"或运行 launchpad users abandon {import_id} 放弃；在完成、回滚或放弃之前，5 个初始密码明文暂存于 {kept}"
            in handover)

    # No terminal and no --yes: nothing deleted, exit 2, and what to run.
    unconfirmed = launchpad(lab, "--lang", "en", "users", "abandon", str(import_id))
    assert unconfirmed.returncode == 2, unconfirmed.stderr
    assert f"import {import_id} not abandoned: nobody confirmed it" in unconfirmed.stderr
    assert f"launchpad users abandon {import_id} --yes" in unconfirmed.stderr and "Traceback" not in unconfirmed.stderr
    assert kept.exists() and status(lab, import_id) == "applying"

    # At a terminal, another id typed: refused (exit 2), audited, nothing deleted.
    monkeypatch.setattr("launchpad.cli.users_apply.has_terminal", lambda: True)
    typed = iter(["99", "--yes", str(import_id)])
    monkeypatch.setattr(click, "prompt", lambda *args, **kwargs: next(typed))
    code, wrong = launch(lab.root, "--lang", "zh", "users", "abandon", str(import_id))
    assert code == 2 and "输入的是“99”，不是“1”：未删除任何内容" in wrong
    assert f"放弃将删除 {kept}（为继续导入暂存的 5 个初始密码明文）" in wrong
    assert kept.exists() and status(lab, import_id) == "applying"
    assert audit_of(lab, "user_import_abandon_refused") == [{"import": import_id, "typed": "99"}]
    # The flag's name typed is text, not the flag (the app's dialog takes what is typed the same way).
    code, flag = launch(lab.root, "--lang", "zh", "users", "abandon", str(import_id))
    assert code == 2 and "输入的是“--yes”" in flag, flag
    assert kept.exists() and status(lab, import_id) == "applying"

    # Its id typed: the passwords are gone, the record says abandoned, both audited.
    code, done = launch(lab.root, "--lang", "zh", "users", "abandon", str(import_id))
    assert code == 0, done
    assert f"导入 {import_id} 已放弃：已删除暂存的 5 个初始密码" in done
    assert "它已写入的 5 个用户现在没有可用的初始密码" in done and f"launchpad users rollback {import_id}" in done
    assert not kept.exists() and status(lab, import_id) == "abandoned"
    assert {"import": import_id, "why": "abandoned"} in audit_of(lab, "user_import_hashing_progress_removed")
    (abandoned,) = audit_of(lab, "user_import_abandoned")
    assert abandoned["passwords_discarded"] == 5 and abandoned["confirmed"] == "typed"
    assert sorted(str(login) for login in abandoned["written_without_handout"]) == sorted(LOGINS)  # type: ignore[attr-defined]
    listed = launchpad(lab, "--lang", "zh", "users", "imports")
    assert "已放弃" in listed.stdout and "暂存于" not in listed.stdout
    again = launchpad(lab, "--lang", "en", "users", "abandon", str(import_id), "--yes")
    assert again.returncode == 4 and f"import {import_id} is abandoned: only an unfinished import" in again.stderr

    # Running the same file again is refused: the users it wrote would keep passwords nobody knows.
    resumed = launchpad(lab, "--lang", "en", "users", "import", str(lab.root / "名单.xlsx"), "--env", "test", "--yes")
    assert resumed.returncode == 4, resumed.stderr  # the import's state refuses it: a gate
    assert f"import {import_id} of 名单.xlsx into test was abandoned" in resumed.stderr
    assert f"launchpad users rollback {import_id}" in resumed.stderr and "Traceback" not in resumed.stderr
    assert lab.sql("test", f"SELECT COUNT(*) FROM sys_user WHERE create_by = 'import:{import_id}'") == [["5"]]

    # Rolled back, what it wrote is gone, and the file imports afresh with every password handed out.
    rolled = launchpad(lab, "--lang", "en", "users", "rollback", str(import_id), "--yes")
    assert rolled.returncode == 0, rolled.stderr
    assert f"✓ import {import_id} rolled back: 5 user(s) deleted" in rolled.stdout
    assert lab.sql("test", f"SELECT COUNT(*) FROM sys_user WHERE create_by = 'import:{import_id}'") == [["0"]]
    fresh = apply_stopping(lab, never, SHEET)
    assert fresh.import_id != import_id and fresh.counts["insert"] == 5 and not fresh.resumed
    assert len(fresh.handouts) >= 1 and fresh.without_password == []


def test_abandoning_asks_nothing_of_a_script_given_yes_and_refuses_a_finished_import(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    import_id = died_before_closing(lab, monkeypatch)
    done = launchpad(lab, "--lang", "en", "users", "abandon", str(import_id), "--yes")
    assert done.returncode == 0, done.stderr
    assert f"import {import_id} abandoned: 5 kept password(s) discarded" in done.stdout
    assert audit_of(lab, "user_import_abandoned")[0]["confirmed"] == "--yes"
    rolled = launchpad(lab, "--lang", "en", "users", "rollback", str(import_id), "--yes")
    assert rolled.returncode == 0, rolled.stderr
    finished = launchpad(lab, "--lang", "en", "users", "abandon", str(import_id), "--yes")
    assert finished.returncode == 4 and f"import {import_id} is rolled back" in finished.stderr


def test_removing_the_hand_outs_of_an_unfinished_import_is_refused_until_it_is_abandoned(
        lab: RuoYiLab, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    import_id = died_before_closing(lab, monkeypatch)
    kept = lab.root / "handouts" / f"import-{import_id}" / FILE_NAME

    # --remove would have deleted the kept passwords unasked, the import still resumable.
    refused = launchpad(lab, "--lang", "en", "users", "handout", str(import_id), "--remove")
    assert refused.returncode == 4, refused.stderr  # the import's state refuses it: a gate
    assert (f"import {import_id} did not finish (5 plain initial password(s) kept for its resume): its hand-outs "
            "are not removed, nothing was deleted") in refused.stderr
    assert f"launchpad users abandon {import_id}" in refused.stderr and "Traceback" not in refused.stderr
    assert kept.exists() and status(lab, import_id) == "applying"
    assert audit_of(lab, "user_handout_removed") == [] and audit_of(lab, "user_import_hashing_progress_removed") == []
    zh = launchpad(lab, "--lang", "zh", "users", "handout", str(import_id), "--remove")
    assert zh.returncode == 4 and f"导入 {import_id} 未完成（为继续导入暂存了 5 个初始密码明文）" in zh.stderr

    # Abandoned, the import is closed: --remove removes what is left of its folder, audited.
    assert launchpad(lab, "users", "abandon", str(import_id), "--yes").returncode == 0
    removed = launchpad(lab, "--lang", "en", "users", "handout", str(import_id), "--remove")
    assert removed.returncode == 0, removed.stderr
    assert "0 hand-out file(s) removed." in removed.stdout
    assert not (lab.root / "handouts" / f"import-{import_id}").exists()
    assert len(audit_of(lab, "user_handout_removed")) == 1
