"""A record's state that refuses what was asked — an import or a role assignment another process
is still writing, a file whose import was abandoned, the hand-outs of an import not finished,
a role rollback with nothing to take back — is a refused gate, exit 4, as every gate is; the
words stay as they were, nothing is changed. On the demo's SQLite target, as a person runs it."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

import pytest

from launchpad.demo import build_demo
from launchpad.demo.sheet import SHEET_FILE
from launchpad.workspace.folder import load_workspace
from tests.commandline import launch
from tests.core.test_users_rollback_handouts import imported

ELSEWHERE = "another-computer"  # a holder on another computer: nothing here can tell it is gone


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return build_demo(tmp_path / "demo")


def store_sql(demo: Path, sql: str, params: list[object]) -> None:
    with contextlib.closing(sqlite3.connect(load_workspace(demo).store_path)) as db, db:
        db.execute(sql, params)


def status_of(demo: Path, table: str, record: int) -> str:
    with contextlib.closing(sqlite3.connect(load_workspace(demo).store_path)) as db:
        return str(db.execute(f"SELECT status FROM {table} WHERE id = ?", [record]).fetchone()[0])


def test_an_import_another_process_is_writing_refuses_import_rollback_abandon_and_removal(demo: Path) -> None:
    import_id, folder = imported(demo)
    store_sql(demo, "UPDATE user_imports SET status = 'applying', pid = 4242, hostname = ? WHERE id = ?",
              [ELSEWHERE, import_id])
    busy = f"导入 {import_id} 正由 {ELSEWHERE} 上的进程 4242 写入 test"

    code, said = launch(demo, "users", "import", str(demo / SHEET_FILE), "--env", "test", "--skip-rejected",
                        "--yes")
    assert code == 4, said
    assert f"导入被拒绝：{busy}" in said and "请等它完成" in said, said
    code, said = launch(demo, "users", "rollback", str(import_id), "--yes")
    assert code == 4, said
    assert f"回滚被拒绝：{busy}" in said, said
    code, said = launch(demo, "users", "abandon", str(import_id), "--yes")
    assert code == 4, said
    assert f"放弃导入被拒绝：{busy}" in said, said
    code, said = launch(demo, "users", "handout", str(import_id), "--remove")
    assert code == 4, said
    assert f"删除初始密码交接文件被拒绝：导入 {import_id} 未完成" in said, said
    assert "用法有误" not in said
    assert status_of(demo, "user_imports", import_id) == "applying" and list(folder.glob("*.xlsx"))


def test_the_hand_outs_of_an_import_whose_hand_out_is_owed_are_not_removed(demo: Path) -> None:
    import_id, folder = imported(demo)
    (folder / "hashing-in-progress.jsonl").write_text("", encoding="utf-8")  # kept: its hand-out never written
    code, said = launch(demo, "users", "handout", str(import_id), "--remove")
    assert code == 4, said
    assert f"删除初始密码交接文件被拒绝：导入 {import_id} 的发放单从未写出" in said, said
    assert (folder / "hashing-in-progress.jsonl").exists() and list(folder.glob("*.xlsx"))


def test_a_file_whose_import_was_abandoned_is_not_run_again(demo: Path) -> None:
    import_id, _ = imported(demo)
    store_sql(demo, "UPDATE user_imports SET status = 'abandoned' WHERE id = ?", [import_id])
    code, said = launch(demo, "users", "import", str(demo / SHEET_FILE), "--env", "test", "--skip-rejected",
                        "--yes")
    assert code == 4, said
    assert f"导入被拒绝：导入 {import_id}（{Path(SHEET_FILE).name} 写入 test）已放弃" in said, said
    assert f"launchpad users rollback {import_id}" in said, said


def previewed(demo: Path) -> int:
    code, said = launch(demo, "roles", "preview", "--env", "test")
    assert code == 0, said
    found = re.match(r"预览 (\d+)：", said)
    assert found is not None, said
    return int(found[1])


def test_a_role_rollback_with_nothing_to_take_back_is_refused_as_a_rollback(demo: Path) -> None:
    assignment = previewed(demo)
    code, said = launch(demo, "roles", "rollback", str(assignment), "--yes")
    assert code == 4, said
    assert f"角色分配回滚被拒绝：角色分配 {assignment} 只是预览，从未执行" in said, said
    code, said = launch(demo, "roles", "apply", "--env", "test", "--yes")
    assert code == 0, said
    assert launch(demo, "roles", "rollback", str(assignment), "--yes")[0] == 0
    code, said = launch(demo, "roles", "rollback", str(assignment), "--yes")
    assert code == 4, said
    assert f"角色分配回滚被拒绝：角色分配 {assignment} 已回滚（" in said and "用法有误" not in said, said


def test_a_role_assignment_another_process_is_applying_refuses_apply_and_rollback(demo: Path) -> None:
    assignment = previewed(demo)
    store_sql(demo, "UPDATE role_assignments SET status = 'applying', pid = 4242, hostname = ? WHERE id = ?",
              [ELSEWHERE, assignment])
    busy = f"角色分配 {assignment} 正由 {ELSEWHERE} 上的进程 4242 执行"
    code, said = launch(demo, "roles", "apply", "--env", "test", "--yes")
    assert code == 4, said
    assert f"角色分配被拒绝：{busy}" in said and "请等它结束" in said, said
    code, said = launch(demo, "roles", "rollback", str(assignment), "--yes")
    assert code == 4, said
    assert f"角色分配回滚被拒绝：{busy}" in said, said
    assert status_of(demo, "role_assignments", assignment) == "applying"


def test_a_rollback_of_an_import_another_process_is_writing_is_refused_before_anyone_is_asked(demo: Path) -> None:
    """Nobody is asked to confirm (or, without a terminal, refused as unconfirmed) a rollback that
    cannot happen: the import's own process is still writing it."""
    import_id, _ = imported(demo)
    store_sql(demo, "UPDATE user_imports SET status = 'applying', pid = 4242, hostname = ? WHERE id = ?",
              [ELSEWHERE, import_id])
    code, said = launch(demo, "users", "rollback", str(import_id))  # no --yes, no terminal
    assert code == 4, said
    assert f"回滚被拒绝：导入 {import_id} 正由 {ELSEWHERE} 上的进程 4242 写入 test" in said, said
    assert status_of(demo, "user_imports", import_id) == "applying"


def test_abandoning_an_import_that_went_in_is_refused_by_its_state(demo: Path) -> None:
    import_id, folder = imported(demo)
    code, said = launch(demo, "users", "abandon", str(import_id), "--yes")
    assert code == 4, said
    assert f"放弃导入被拒绝：导入 {import_id} 已导入：只有未完成的导入可以放弃" in said, said
    assert f"launchpad users rollback {import_id}" in said and "用法有误" not in said, said
    assert status_of(demo, "user_imports", import_id) == "applied" and list(folder.glob("*.xlsx"))
