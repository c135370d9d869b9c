"""`launchpad users handout ID --reset` of an import that still keeps its users' passwords (its
hand-out was never written: a full disk after the users went in). The reset first drops the
reset users' old passwords from that file; when the file cannot be rewritten, the reset names
it and the reason, says no password was reset and to run the same reset again: it is not an
import, and nothing else changed. Once the cause is gone the same reset works."""

from __future__ import annotations

import contextlib
import errno
import json
import sqlite3
from pathlib import Path

import pytest

from launchpad.demo import build_demo
from launchpad.demo.sheet import SHEET_FILE
from launchpad.users.hashing_progress import FILE_NAME
from tests.commandline import launch
from tests.core.test_users_rollback_handouts import audited


def hash_of(demo: Path, login: str) -> object:
    with contextlib.closing(sqlite3.connect(demo / "data" / "test-users.db")) as db:
        [(hashed,)] = db.execute("SELECT password FROM sys_user WHERE user_name = ?", [login]).fetchall()
    return hashed


def test_a_reset_whose_kept_passwords_cannot_be_rewritten_resets_nothing(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.users import apply as apply_module

    demo = build_demo(tmp_path / "demo")

    def disk_full(*_: object, **__: object) -> list[Path]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(apply_module, "write_handouts", disk_full)
    code, said = launch(demo, "users", "import", str(demo / SHEET_FILE), "--env", "test", "--skip-rejected", "--yes")
    monkeypatch.undo()
    folder = demo / "handouts" / "import-1"
    kept = folder / FILE_NAME
    assert code != 0 and kept.is_file() and not list(folder.glob("*.xlsx")), said
    login = json.loads(kept.read_text(encoding="utf-8").splitlines()[1])["key"]
    kept_before, hashed = kept.read_bytes(), hash_of(demo, login)
    (folder / (FILE_NAME + ".new")).mkdir()  # where the rewritten file must go: it cannot be written

    code, said = launch(demo, "users", "handout", "1", "--reset", login, "--yes")

    assert code == 2, said
    assert f"无法改写导入 1 保存的密码文件（{kept}），去掉待重置用户的旧密码" in said, said
    assert "没有重置任何密码" in said and "→ 请腾出磁盘空间或让该文件夹可写，然后再次运行同一重置" in said, said
    assert "什么都没有导入" not in said and "再次运行导入" not in said, said
    assert kept.read_bytes() == kept_before and hash_of(demo, login) == hashed
    assert sorted(p.name for p in folder.iterdir()) == sorted([FILE_NAME, FILE_NAME + ".new"])  # no hand-out
    [failed] = audited(demo, "user_password_reset_failed")
    assert failed["detail"]["step"] == "kept_passwords" and failed["detail"]["users"] == [login]  # type: ignore[index]

    (folder / (FILE_NAME + ".new")).rmdir()
    code, said = launch(demo, "users", "handout", "1", "--reset", login, "--yes")
    assert code == 0, said
    assert hash_of(demo, login) != hashed
    assert login not in {json.loads(line).get("key") for line in kept.read_text(encoding="utf-8").splitlines()[1:]}
