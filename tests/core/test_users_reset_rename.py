"""A password reset whose new hand-out cannot be renamed to its final name once the database took
the new passwords (here a folder someone made at that name, which stops root as well): the old
passwords no longer work all the same, so the import's earlier hand-outs are rewritten to name
the new hand-out by the name the person is told to give it, and the command says which files
were rewritten, where the new hand-out is and to rename it so."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.demo import build_demo
from launchpad.demo.signin import sign_in
from tests.commandline import launch
from tests.core.test_users_reset_lock import first_login, password_in
from tests.core.test_users_rollback_handouts import audited, imported


def test_earlier_handouts_are_rewritten_when_the_new_one_cannot_be_renamed(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from launchpad.users import reset as resetting

    demo = build_demo(tmp_path / "demo")
    import_id, folder = imported(demo)
    login = first_login(folder)
    [original] = [path for path in sorted(folder.glob("*.xlsx")) if login in _logins(path)]
    old_password = password_in(original, login)
    chosen = resetting._reset_folder

    def taken_meanwhile(where: Path) -> Path:
        """The reset's final name, at which a folder with a file in it appears before the rename."""
        final = chosen(where)
        final.mkdir()
        (final / "someone-elses.txt").write_text("not a hand-out")
        return final

    monkeypatch.setattr(resetting, "_reset_folder", taken_meanwhile)
    code, said = launch(demo, "users", "handout", str(import_id), "--reset", login, "--yes")
    monkeypatch.undo()

    assert code == 2, said
    [final] = [path for path in folder.iterdir() if path.name.startswith("reset-")]
    pending = final.with_name(f".{final.name}.pending")
    [new] = sorted(pending.glob("*.xlsx"))
    assert sign_in(demo / "data" / "test-users.db", login, password_in(new, login)).ok  # the pending one works
    assert not sign_in(demo / "data" / "test-users.db", login, old_password).ok
    assert password_in(original, login) == f"密码已重置，新密码见 {final.name}/{new.name}"
    assert f"已改写此前的交接文件 {original}：其中 1 名刚重置密码的用户不再列出旧密码，" \
           "改为注明新的交接文件" in said, said
    assert f"导入 {import_id} 的密码已重置，但其新交接文件未能生效（" in said and f"）：它在 {pending}" in said, said
    assert f"→ 请将 {pending} 改名为 {final}：其中的密码才是有效的，" \
           "上面已改写的此前交接文件已按这个名称注明新的交接文件" in said, said
    [rewritten] = audited(demo, "user_handout_rewritten")
    assert rewritten["detail"] == {"import": import_id, "new": [f"{final.name}/{new.name}"],
                                   "files": {original.name: 1}, "users": 1}
    assert audited(demo, "user_password_reset_handout_pending")
    assert not audited(demo, "user_handout_outdated")

    # The person does what the hint says: the earlier hand-out then names a file that is there.
    for path in final.iterdir():
        path.unlink()
    final.rmdir()
    pending.rename(final)
    assert (folder / password_in(original, login).removeprefix("密码已重置，新密码见 ")).is_file()


def _logins(path: Path) -> set[str]:
    from openpyxl import load_workbook

    from launchpad.users.handout_rewrite import FIRST_PERSON_ROW, LOGIN

    book = load_workbook(path, read_only=True)
    found = {str(row[LOGIN]) for row in book.worksheets[0].iter_rows(min_row=FIRST_PERSON_ROW, values_only=True)}
    book.close()
    return found
