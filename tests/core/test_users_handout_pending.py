"""`launchpad users handout ID --remove` and a reset's hand-out never made final
(`.reset-STAMP.pending/`, left by reset.py when the target could not say whether it took the
new passwords, or when the rename after it did failed): it may hold the only passwords that
work. `--keep-resets` keeps it and says what to do about it; plain `--remove` is refused (exit 4)
and removes nothing while it is there."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.demo import build_demo
from launchpad.users.handout import list_handouts
from launchpad.users.handout_rewrite import FIRST_PERSON_ROW, LOGIN
from tests.commandline import launch
from tests.core.test_users_rollback_handouts import audited, imported


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return build_demo(tmp_path / "demo")


def left_pending(demo: Path) -> tuple[int, Path, Path]:
    """The demo's sheet imported, one user's password reset for real, and its new hand-out
    under the name reset.py leaves when the rename after the update fails: the import's id,
    its hand-out folder and the pending folder (whose passwords are the ones that work)."""
    from openpyxl import load_workbook

    import_id, folder = imported(demo)
    book = load_workbook(sorted(folder.glob("*.xlsx"))[0], read_only=True)
    login = str(next(book.worksheets[0].iter_rows(min_row=FIRST_PERSON_ROW, values_only=True))[LOGIN])
    book.close()
    code, said = launch(demo, "users", "handout", str(import_id), "--reset", login, "--yes")
    assert code == 0, said
    [final] = [p for p in folder.iterdir() if p.name.startswith("reset-")]
    pending = final.with_name(f".{final.name}.pending")
    final.rename(pending)
    return import_id, folder, pending


def test_remove_keep_resets_keeps_a_pending_reset_and_says_what_to_do(demo: Path) -> None:
    import_id, folder, pending = left_pending(demo)
    files = sorted(pending.glob("*.xlsx"))
    assert files

    code, said = launch(demo, "users", "handout", str(import_id), "--remove", "--keep-resets")

    assert code == 0, said
    assert sorted(pending.glob("*.xlsx")) == files
    assert list_handouts(folder) == files  # every other hand-out removed
    assert f"已保留（未生效的重置交接文件，其中可能是唯一有效的密码）：{pending}" in said, said
    assert "用该文件中的密码登录其中一个用户：若可以登录，将该文件夹改名" in said, said
    assert "已保留（重置后仍有效的交接文件）" not in said  # not called a final reset's hand-out
    [removed] = audited(demo, "user_handout_removed")
    assert removed["detail"]["kept"] == [str(p.relative_to(folder)) for p in files]  # type: ignore[index]


def test_plain_remove_is_refused_while_a_pending_reset_is_there(demo: Path) -> None:
    import_id, folder, pending = left_pending(demo)
    before = sorted(p for p in folder.rglob("*") if p.is_file())

    code, said = launch(demo, "users", "handout", str(import_id), "--remove")

    assert code == 4, said
    assert sorted(p for p in folder.rglob("*") if p.is_file()) == before
    assert f"导入 {import_id} 有未生效的重置密码交接文件（{pending}）" in said, said
    assert "其中可能是唯一有效的密码，因此没有删除任何交接文件" in said, said
    assert f"`launchpad users handout {import_id} --remove --keep-resets` 删除其他交接文件并保留它" in said, said
    assert not audited(demo, "user_handout_removed")

    pending.rename(pending.with_name(pending.name[1:-len(".pending")]))  # the engineer made it final
    code, said = launch(demo, "users", "handout", str(import_id), "--remove")
    assert code == 0, said
    assert not folder.exists()
