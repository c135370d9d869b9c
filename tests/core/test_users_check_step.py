"""The `user-import` playbook's check step and `launchpad users check FILE --env ENV` are one use
case: on the demo's messy sheet they find the same problems, units not in the target included."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.demo import build_demo
from launchpad.demo.sheet import SHEET_FILE
from tests.commandline import launch


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("check-step") / "demo")


def annotated_problems(demo: Path) -> dict[str, str]:
    """Cell → the reasons its comment gives, in the annotated copy (taken away after reading)."""
    from openpyxl import load_workbook

    copy = demo / SHEET_FILE.replace(".xlsx", ".checked.xlsx")
    book = load_workbook(copy)
    found = {f"{sheet.title}!{cell.coordinate}": cell.comment.text for sheet in book.worksheets
             for row in sheet.iter_rows() for cell in row if cell.comment is not None}
    copy.unlink()
    return found


def test_the_playbooks_check_step_finds_what_users_check_on_that_environment_finds(demo: Path) -> None:
    code, ran = launch(demo, "run", "user-import", "--env", "test", "--var", f"file={SHEET_FILE}", "--yes")
    assert code != 0 and "71 行：6 行有 6 个问题" in ran, ran  # the check step stops the run
    by_step = annotated_problems(demo)
    code, checked = launch(demo, "users", "check", str(demo / SHEET_FILE), "--env", "test")
    assert code == 1 and "71 行：6 行有 6 个问题" in checked, checked
    by_command = annotated_problems(demo)
    assert by_step == by_command
    assert len(by_step) == 6
    assert any("找不到" in reason or "对应多个单位" in reason for reason in by_step.values())  # units, in the target
