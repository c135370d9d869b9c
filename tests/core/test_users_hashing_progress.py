"""The passwords hashed so far of an unfinished import: kept a chunk at a time, read back by a
resume under the same policy only, a line a kill cut short left out, removed with an audit."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from launchpad.users import hashing_progress
from launchpad.users.annotate import CannotWrite
from launchpad.users.hashing_progress import FILE_NAME, HashingProgress, remove_progress
from launchpad.users.passwords import Issued, PasswordPolicy

POLICY = PasswordPolicy(cost=4)


def issued(n: int) -> Issued:
    return Issued(f"user{n}", f"Pw#{n}张", f"$2a$04$hash{n}", None)


def progress(folder: Path, policy: PasswordPolicy = POLICY) -> tuple[HashingProgress, list[tuple[str, str, Any]]]:
    said: list[tuple[str, str, Any]] = []
    return HashingProgress(folder, policy, lambda action, target, detail: said.append((action, target, detail))), said


def test_users_are_written_once_the_interval_passed_private_and_read_back_by_key(tmp_path: Path,
                                                                                 monkeypatch: Any) -> None:
    monkeypatch.setattr(hashing_progress, "FLUSH_SECONDS", 3600.0)
    folder = tmp_path / "handouts" / "import-7"
    kept, _ = progress(folder)
    for n in range(2):
        kept.keep(issued(n))
    assert not (folder / FILE_NAME).exists()  # held until the interval passed
    monkeypatch.setattr(hashing_progress, "FLUSH_SECONDS", 0.0)
    kept.keep(issued(2))
    assert set(progress(folder)[0].kept()) == {"user0", "user1", "user2"}
    monkeypatch.setattr(hashing_progress, "FLUSH_SECONDS", 3600.0)
    kept.keep(issued(3))
    kept.flush()
    again = progress(folder)[0].kept()
    assert again["user3"] == issued(3) and len(again) == 4
    assert stat.S_IMODE(os.stat(folder / FILE_NAME).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


def test_a_line_a_kill_cut_short_is_left_out(tmp_path: Path) -> None:
    kept, _ = progress(tmp_path)
    kept.keep(issued(1))
    kept.keep(issued(2))
    kept.flush()
    path = tmp_path / FILE_NAME
    whole = path.read_bytes()
    path.write_bytes(whole[:-20])  # the last user's line cut short, no newline after it
    assert list(progress(tmp_path)[0].kept()) == ["user1"]


def test_a_file_hashed_under_another_policy_is_removed_and_nothing_is_kept(tmp_path: Path) -> None:
    kept, _ = progress(tmp_path)
    kept.keep(issued(1))
    kept.flush()
    other, said = progress(tmp_path, PasswordPolicy(cost=5))
    assert other.kept() == {}
    assert not (tmp_path / FILE_NAME).exists()
    assert said == [("user_import_hashing_progress_removed", str(tmp_path / FILE_NAME), {"why": "another_policy"})]


def test_removing_audits_only_a_file_that_was_there(tmp_path: Path) -> None:
    said: list[str] = []
    remove_progress(tmp_path, lambda action, target, detail: said.append(detail["why"]), "rolled_back")
    assert said == []
    kept, _ = progress(tmp_path)
    kept.keep(issued(1))
    kept.flush()
    remove_progress(tmp_path, lambda action, target, detail: said.append(detail["why"]), "rolled_back")
    assert said == ["rolled_back"] and not (tmp_path / FILE_NAME).exists()


def test_a_folder_that_cannot_be_written_says_so_and_that_nothing_was_imported(tmp_path: Path) -> None:
    (tmp_path / "handouts").write_text("a file where the hand-out folder should be")
    kept, _ = progress(tmp_path / "handouts" / "import-3")
    kept.keep(issued(1))
    with pytest.raises(CannotWrite) as failed:
        kept.flush()
    assert "handouts/import-3" in failed.value.render("en") and "nothing was imported" in failed.value.render("en")


def test_a_line_that_is_not_text_is_left_out(tmp_path: Path) -> None:
    kept, _ = progress(tmp_path)
    kept.keep(issued(1))
    kept.flush()
    with open(tmp_path / FILE_NAME, "ab") as damaged:
        damaged.write(b'{"key": "\xe5\xbc\n')  # a UTF-8 character cut in two
        damaged.write(b'{"key": "user9"}\n')  # a user without a password
    kept.keep(issued(2))
    kept.flush()
    assert sorted(progress(tmp_path)[0].kept()) == ["user1", "user2"]
