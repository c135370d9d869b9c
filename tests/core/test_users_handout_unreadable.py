"""`launchpad users handout ID --remove --keep-resets` and a reset's hand-out that cannot be read
(damaged, cut off): nobody can tell which users it gives a password, and it may give the only
ones that work, so it is kept, named with why it cannot be read and what to do, and audited;
the other hand-outs are removed as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.demo import build_demo
from launchpad.users.handout import list_handouts
from tests.commandline import launch
from tests.core.test_users_reset_lock import first_login
from tests.core.test_users_rollback_handouts import audited, imported


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return build_demo(tmp_path / "demo")


def test_remove_keep_resets_keeps_a_reset_handout_it_cannot_read_and_says_why(demo: Path) -> None:
    import_id, folder = imported(demo)
    code, said = launch(demo, "users", "handout", str(import_id), "--reset", first_login(folder), "--yes")
    assert code == 0, said
    [damaged] = [path for path in list_handouts(folder) if path.parent.name.startswith("reset-")]
    damaged.write_bytes(damaged.read_bytes()[:200])  # cut off: no longer a workbook anything can read

    code, said = launch(demo, "users", "handout", str(import_id), "--remove", "--keep-resets")

    assert code == 0, said
    assert list_handouts(folder) == [damaged]  # every other hand-out removed
    assert f"已保留（无法读取的重置交接文件：不是可读取的工作簿；其中可能是唯一有效的密码）：{damaged}" in said, said
    assert "→ 请尝试打开它（也可用备份中或他人手中的副本）：若能打开，照常交接；若不能，其中的密码已无法找回：" \
           f"请再次重置其中的用户（`launchpad users handout {import_id} --reset 登录名 ...`" in said, said
    assert "已保留（重置后仍有效的交接文件）" not in said  # not called one still giving working passwords
    name = str(damaged.relative_to(folder))
    [kept] = audited(demo, "user_handout_unreadable_kept")
    assert kept["detail"] == {"import": import_id, "files": {name: None}}
    [removed] = audited(demo, "user_handout_removed")
    assert removed["detail"]["kept"] == [name]  # type: ignore[index]

    code, said = launch(demo, "users", "handout", str(import_id), "--remove")  # removing everything still does
    assert code == 0, said
    assert not folder.exists()
