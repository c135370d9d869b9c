"""A sheet with its header and no rows under it holds no users: `users check`, `plan` and
`import` all say so (the file, the sheet, what to do) and exit 2, never "0 rows, no problems"."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.demo import build_demo
from launchpad.demo.sheet import SHEET_FILE
from launchpad.users.checks import NoUsersToImport, check_workbook
from launchpad.users.mapping import load_mapping
from launchpad.users.sources import read_workbook
from tests.commandline import launch
from tests.core.users_sheets import GOOD, HEADER, write_csv, write_mapping, write_xlsx


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("header-only") / "demo")


def header_only_copy(demo: Path) -> Path:
    """The demo's sheet with its title, note and two header rows, and not one person."""
    from openpyxl import load_workbook

    book = load_workbook(demo / SHEET_FILE)
    sheet = book.worksheets[0]
    sheet.delete_rows(5, sheet.max_row)
    path = demo / "imports" / "空名单.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("command", [("check",), ("check", "--env", "test"), ("plan", "--env", "test"),
                                     ("import", "--env", "test", "--yes")])
def test_a_sheet_with_only_its_header_is_refused_by_check_plan_and_import(demo: Path, command: tuple[str, ...]) -> None:
    sheet = header_only_copy(demo)
    code, said = launch(demo, "users", command[0], str(sheet), *command[1:])
    assert code == 2, said
    assert f"没有可导入的用户：{sheet}：工作表 新进人员 只有表头，没有数据行" in said, said
    assert "请让客户在表头下填好人员后重新发送该文件" in said
    assert "没有问题" not in said and "计划：" not in said


@pytest.mark.parametrize("rows", [[HEADER], [HEADER, [""] * len(HEADER), []]])
def test_a_csv_with_only_its_header_is_refused(tmp_path: Path, rows: list[list[str]]) -> None:
    sheet = write_csv(tmp_path / "名单.csv", rows)
    code, said = launch(tmp_path, "users", "check", str(sheet), "--mapping", str(write_mapping(tmp_path)))
    assert code == 2, said
    assert f"没有可导入的用户：{sheet} 只有表头，没有数据行" in said, said


def test_the_rule_is_the_checks_own_and_a_header_only_sheet_beside_others_is_a_note(tmp_path: Path) -> None:
    mapping = load_mapping(write_mapping(tmp_path))
    empty = read_workbook(write_xlsx(tmp_path / "a.xlsx", {"一处": [HEADER], "二处": [["标题"], HEADER]}))
    with pytest.raises(NoUsersToImport) as raised:
        check_workbook(empty, mapping)
    said = raised.value.render("en")
    assert said.startswith(f"no users to import: {tmp_path / 'a.xlsx'}: no rows below the header of sheet 一处, 二处")
    mixed = read_workbook(write_xlsx(tmp_path / "b.xlsx", {"一处": [HEADER, *GOOD], "二处": [HEADER]}))
    result = check_workbook(mixed, mapping)
    assert len(result.rows) == 2
    assert "sheet '二处' has a header but no rows: nothing from it" in [str(note) for note in result.notes]
