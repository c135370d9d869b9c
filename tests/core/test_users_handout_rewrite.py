"""After `users handout ID --reset`, every earlier hand-out of the import tells the truth: the
reset user's old password is gone from it, its cell names the new hand-out, the other rows are
as they were, the file stays owner-only; and `--remove --keep-resets` keeps the resets' hand-outs
that still give a working password."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from launchpad.users.handout import remove_handouts, write_handouts
from launchpad.users.handout_rewrite import EarlierHandout, current_resets, rewrite_earlier, unreadable_resets

PEOPLE = [{"unit": "办公室", "key": "a", "name": "甲", "password": "Secret#1"},
          {"unit": "办公室", "key": "b", "name": "乙", "password": "=Secret#2"},
          {"unit": "信息中心", "key": "c", "name": "丙", "password": "Secret#3"}]


def rows(path: Path) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook

    return list(load_workbook(path).worksheets[0].iter_rows(values_only=True))


def raw(path: Path) -> bytes:
    """Every part of the workbook unpacked: no cell, shared string or leftover holds it."""
    with zipfile.ZipFile(path) as book:
        return b"".join(book.read(name) for name in book.namelist())


def test_the_earlier_handout_names_the_new_one_instead_of_the_old_password(tmp_path: Path) -> None:
    folder = tmp_path / "handouts" / "import-1"
    centre, office = write_handouts(folder, PEOPLE, lambda *entry: None)
    before = rows(office)
    [new] = write_handouts(folder / "reset-20261207T101000", [{**PEOPLE[0], "password": "Fresh#1"}],
                           lambda *entry: None)
    damaged = folder / "stopped-1" / "办公室.xlsx"
    damaged.parent.mkdir()
    damaged.write_bytes(b"PK\x03\x04 cut off")

    earlier = rewrite_earlier(folder, {"a": new})

    assert set(earlier) == {EarlierHandout(office, 1, True), EarlierHandout(damaged, None, False)}
    after = rows(office)
    assert after[:2] == before[:2] and after[3] == before[3]  # the note, the headers, b's row
    assert after[2] == ("办公室", "a", "甲", "密码已重置，新密码见 reset-20261207T101000/办公室.xlsx")
    assert b"Secret#1" not in raw(office) and b"=Secret#2" in raw(office)
    assert stat.S_IMODE(os.stat(office).st_mode) == 0o600
    assert [p.name for p in office.parent.iterdir() if p.name.startswith(".")] == []  # no partial left
    assert rows(centre)[2][3] == "Secret#3" and rows(new)[2][3] == "Fresh#1"  # not listing a; the new one


def test_an_earlier_handout_that_cannot_be_written_is_named_with_why(tmp_path: Path) -> None:
    folder = tmp_path / "handouts" / "import-1"
    _, office = write_handouts(folder, PEOPLE, lambda *entry: None)
    [new] = write_handouts(folder / "reset-1", PEOPLE[:1], lambda *entry: None)
    (folder / f".{office.name}.{os.getpid()}.partial").mkdir()  # where its new copy would be written

    [one] = rewrite_earlier(folder, {"a": new})

    assert (one.path, one.users, one.rewritten) == (office, 1, False)
    assert str(one.reason) == "it is a folder, not a file"
    assert rows(office)[2][3] == "Secret#1"  # untouched, never half-written


def test_keep_resets_keeps_the_reset_handouts_still_giving_a_working_password(tmp_path: Path) -> None:
    folder = tmp_path / "handouts" / "import-1"
    said: list[tuple[str, str, dict[str, object]]] = []
    write_handouts(folder, PEOPLE, lambda *entry: None)
    [first] = write_handouts(folder / "reset-20261207T100000", PEOPLE[:1], lambda *entry: None)
    second = write_handouts(folder / "reset-20261207T110000", [PEOPLE[0], PEOPLE[2]], lambda *entry: None)
    [third] = write_handouts(folder / "reset-20261207T110000-2", PEOPLE[1:2], lambda *entry: None)
    assert first not in current_resets(folder)  # a was reset again since: it gives nobody a working password
    assert current_resets(folder) == {*second, third}

    removed = remove_handouts(folder, lambda *entry: said.append(entry), frozenset(current_resets(folder)))

    assert len(removed) == 3 and first in removed
    assert sorted(folder.rglob("*.xlsx")) == sorted([*second, third])
    assert said[-1][0] == "user_handout_removed"
    assert said[-1][2]["kept"] == sorted(str(p.relative_to(folder)) for p in [*second, third])
    assert "Secret" not in repr(said)


def test_a_reset_handout_that_cannot_be_read_is_named_and_supersedes_nothing(tmp_path: Path) -> None:
    """Which logins a damaged reset hand-out gives is unknown: it is named (to be kept), and an
    earlier reset of the same users still counts as giving them their working password."""
    folder = tmp_path / "handouts" / "import-1"
    write_handouts(folder, PEOPLE, lambda *entry: None)
    [first] = write_handouts(folder / "reset-20261207T100000", PEOPLE[:1], lambda *entry: None)
    [damaged] = write_handouts(folder / "reset-20261207T110000", PEOPLE[:1], lambda *entry: None)
    damaged.write_bytes(b"PK\x03\x04 cut off")

    assert unreadable_resets(folder) == {damaged: None}
    assert current_resets(folder) == {first}


def test_units_whose_names_make_one_file_name_get_a_file_each(tmp_path: Path) -> None:
    """`财务部/会计科` and `财务部 会计科` both become 财务部_会计科.xlsx: written one over the
    other, the first unit's new passwords would be nowhere."""
    people = [{"unit": "财务部/会计科", "key": "a", "name": "甲", "password": "Secret#1"},
              {"unit": "财务部 会计科", "key": "b", "name": "乙", "password": "Secret#2"},
              {"unit": "人事处", "key": "c", "name": "丙", "password": "Secret#3"}]
    written = write_handouts(tmp_path / "import-1", people, lambda *entry: None)

    assert sorted(path.name for path in written) == ["人事处.xlsx", "财务部_会计科-2.xlsx", "财务部_会计科.xlsx"]
    given = {row[1]: row[3] for path in written for row in rows(path)[2:]}
    assert given == {"a": "Secret#1", "b": "Secret#2", "c": "Secret#3"}
