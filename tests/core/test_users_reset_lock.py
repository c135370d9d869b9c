"""Two password resets of one import never run at once: while one holds the import's reset lock
(another process: a second terminal, a second engineer on the workspace), `users handout ID
--reset` is refused as a gate (exit 4), says which import, that another reset of it runs and to
run the same command again once it is done, is audited, and has changed nothing — no password,
no hand-out. Once the lock is let go the same command works. Another import's reset is not
held up."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from launchpad.demo import build_demo
from launchpad.demo.signin import sign_in
from launchpad.users.handout_rewrite import FIRST_PERSON_ROW, LOGIN, PASSWORD
from tests.commandline import launch
from tests.core.test_users_reset_kept import hash_of
from tests.core.test_users_rollback_handouts import audited, imported

HOLD = """
import fcntl, os, sys

os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
print("held", flush=True)
sys.stdin.read()  # until the test closes it
"""


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return build_demo(tmp_path / "demo")


@contextlib.contextmanager
def reset_running(root: Path, import_id: int) -> Iterator[None]:
    """Another process holding import `import_id`'s reset lock, as a reset in another terminal does,
    until the block ends."""
    lock = root / ".launchpad" / "locks" / f"reset-import-{import_id}.lock"  # as reset.reset_lock takes it
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        assert holder.wait() == 0


def first_login(folder: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(sorted(folder.glob("*.xlsx"))[0], read_only=True)
    row = next(book.worksheets[0].iter_rows(min_row=FIRST_PERSON_ROW, values_only=True))
    book.close()
    return str(row[LOGIN])


def password_in(path: Path, login: str) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    [password] = [row[PASSWORD] for row in book.worksheets[0].iter_rows(min_row=FIRST_PERSON_ROW, values_only=True)
                  if row[LOGIN] == login]
    book.close()
    return str(password)


def test_a_reset_while_another_reset_of_the_import_runs_is_refused_and_changes_nothing(demo: Path) -> None:
    import_id, folder = imported(demo)
    login = first_login(folder)
    files = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    hashed = hash_of(demo, login)

    with reset_running(demo, import_id):
        code, said = launch(demo, "users", "handout", str(import_id), "--reset", login, "--yes")

    assert code == 4, said
    assert said.startswith("重置初始密码被拒绝："), said
    assert f"导入 {import_id} 的另一个密码重置正在进行（在另一个终端，或有人在同一工作区操作）；" \
           "本次没有更改任何内容" in said, said
    assert "→ 请等那个重置完成，然后再次运行同一命令" in said, said
    assert hash_of(demo, login) == hashed
    assert {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()} == files  # no hand-out
    [refused] = audited(demo, "user_password_reset_refused")
    assert refused["detail"] == {"import": import_id, "users": [login],
                                 "reason": "another reset of the import is running"}
    assert not audited(demo, "user_password_reset")

    code, said = launch(demo, "users", "handout", str(import_id), "--reset", login, "--yes")  # run again

    assert code == 0, said
    [new] = [path for path in folder.rglob("*.xlsx") if path.parent.name.startswith("reset-")]
    assert sign_in(demo / "data" / "test-users.db", login, password_in(new, login)).ok
    assert len(audited(demo, "user_password_reset")) == 1


def test_a_reset_holds_the_lock_only_for_its_own_import(demo: Path) -> None:
    import_id, folder = imported(demo)
    login = first_login(folder)

    with reset_running(demo, import_id + 1):
        code, said = launch(demo, "users", "handout", str(import_id), "--reset", login, "--yes")

    assert code == 0, said
    assert not audited(demo, "user_password_reset_refused")
