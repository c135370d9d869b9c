"""What a rolled-back import's hand-out files became is said by the command line and the import
screen alike: its words are the users area's, not the command line's."""

from __future__ import annotations

from pathlib import Path

from launchpad.phrases import render
from launchpad.users.rollback_handouts import HandoutsAfterRollback, said_after_rollback


def test_the_words_after_a_rollback_belong_to_no_front_end(tmp_path: Path) -> None:
    removed = HandoutsAfterRollback(tmp_path, removed=[tmp_path / "a.xlsx"])
    kept = HandoutsAfterRollback(tmp_path, kept=[tmp_path / "a.xlsx"], still_there=["zhang"])
    failed = HandoutsAfterRollback(tmp_path, kept=[tmp_path / "a.xlsx"], error="permission denied")
    for handouts in (removed, kept, failed):
        said = said_after_rollback(3, "prod", handouts)
        assert said is not None and said.key.startswith("users.rollback.")
    assert "已删除导入 3 的 1 个初始密码交接文件" in render(said_after_rollback(3, "prod", removed) or "", "zh")
