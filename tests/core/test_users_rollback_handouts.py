"""`launchpad users rollback ID` and the import's hand-out files: once the users it inserted are
deleted, their plain initial passwords go too (audited as `users handout ID --remove` is) and
the rollback says so; while one of them is still in the target the files stay and it says why.
A second rollback is refused as a rollback, with when and by whom, not as a usage mistake."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from pathlib import Path

import pytest

from launchpad.demo import build_demo
from launchpad.demo.sheet import SHEET_FILE
from tests.commandline import launch


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return build_demo(tmp_path / "demo")


def imported(demo: Path) -> tuple[int, Path]:
    """The demo's sheet imported into test: the import's id and its hand-out folder."""
    code, said = launch(demo, "users", "import", str(demo / SHEET_FILE), "--env", "test", "--skip-rejected", "--yes")
    assert code == 0, said
    found = re.search(r"导入 (\d+)", said)
    assert found is not None, said
    folder = demo / "handouts" / f"import-{found[1]}"
    assert len(list(folder.glob("*.xlsx"))) > 1
    return int(found[1]), folder


def audited(demo: Path, action: str) -> list[dict[str, object]]:
    code, said = launch(demo, "audit", "show", "--json")
    assert code == 0
    return [entry for entry in json.loads(said[said.index("["):]) if entry["action"] == action]


def test_a_rollback_removes_the_hand_outs_of_the_users_it_deleted_and_says_so(demo: Path) -> None:
    import_id, folder = imported(demo)
    files = sorted(p.name for p in folder.glob("*.xlsx"))
    code, said = launch(demo, "users", "rollback", str(import_id), "--yes")
    assert code == 0, said
    assert f"导入 {import_id} 已回滚：删除 60 个用户" in said
    assert f"已删除导入 {import_id} 的 {len(files)} 个初始密码交接文件（{folder}）：其中的用户已不存在" in said, said
    assert not folder.exists()
    [removed] = audited(demo, "user_handout_removed")  # what `users handout ID --remove` writes
    assert removed["target"] == str(folder) and removed["detail"] == {"files": files}


def test_hand_outs_stay_while_a_user_the_import_created_is_still_there(demo: Path) -> None:
    import_id, folder = imported(demo)
    # A user the import created that its rollback does not delete (not among its recorded rows).
    with contextlib.closing(sqlite3.connect(demo / "data" / "test-users.db")) as db, db:
        db.execute("INSERT INTO sys_user (dept_id, user_name, nick_name, create_by, del_flag) "
                   "VALUES (100, 'stray', '未记录', ?, '0')", [f"import:{import_id}"])
    code, said = launch(demo, "users", "rollback", str(import_id), "--yes")
    assert code == 0, said
    count = len(list(folder.glob("*.xlsx")))
    assert count > 1 and not audited(demo, "user_handout_removed")
    assert (f"导入 {import_id} 的 {count} 个初始密码交接文件保留在 {folder}：它新增的 1 个用户仍在 test 中（stray）"
            in said), said
    assert f"`launchpad users handout {import_id} --remove`" in said


def test_a_second_rollback_is_refused_as_a_rollback_with_when_and_by_whom(demo: Path) -> None:
    import_id, _ = imported(demo)
    assert launch(demo, "users", "rollback", str(import_id), "--yes")[0] == 0
    code, said = launch(demo, "users", "rollback", str(import_id), "--yes")
    assert code == 4, said  # the import's state refuses it: not a usage mistake (2), nor a failure (1)
    assert said.startswith(f"回滚被拒绝：导入 {import_id} 已回滚过（"), said
    assert "用法有误" not in said
    [rolled_back] = audited(demo, "user_import_rolled_back")
    assert f"执行人 {rolled_back['actor']}）" in said, said
