"""What `launchpad users import` tells a person to run next is a command that works as written:
the file and the environment in it, only options that command has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from launchpad.demo import build_demo
from launchpad.demo.sheet import SHEET_FILE
from tests.commandline import launch


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("hints") / "demo")


def named_commands(output: str) -> list[list[str]]:
    """Every `launchpad …` in backquotes, as the words a shell would pass."""
    return [shlex.split(found)[1:] for found in re.findall(r"`(launchpad [^`]+)`", output)]


def test_a_refused_import_names_the_check_of_that_file_on_that_environment(demo: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(demo)
    code, said = launch(demo, "users", "import", SHEET_FILE, "--env", "test", "--yes")
    assert code == 4 and "行被拒绝；什么都没有写入" in said, said  # refused, not failed
    assert f"`launchpad users check {SHEET_FILE} --env test`" in said, said
    [check] = [args for args in named_commands(said) if args[:2] == ["users", "check"]]
    code, checked = launch(demo, *check)
    assert code == 1 and "71 行：6 行有 6 个问题" in checked, checked  # every problem, not a usage error


def test_the_rows_an_import_does_not_list_are_listed_by_a_command_that_works(demo: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(demo)
    code, said = launch(demo, "users", "import", SHEET_FILE, "--env", "test", "--yes")
    assert code == 4  # rejected rows refuse the import
    more = [line for line in said.splitlines() if "另有 18 项" in line]
    assert len(more) == 1 and "--limit 或 --json" not in more[0], said  # import has neither option
    [plan] = named_commands(more[0])
    assert plan == ["users", "plan", SHEET_FILE, "--env", "test", "--limit", "68"]
    code, planned = launch(demo, *plan)
    assert code == 1 and "另有" not in planned
    assert len([line for line in planned.splitlines() if line.startswith(("  + ", "  ~ ", "  ✗ "))]) == 68
    assert "计划：新增 60，更新 2，不变 3，拒绝 6" in planned


def test_the_rows_whose_unit_was_not_found_are_counted_under_words_not_a_dash(demo: Path) -> None:
    code, said = launch(demo, "users", "plan", str(demo / SHEET_FILE), "--env", "test")
    assert code == 1
    assert "  （单位未能确定）: 0 / 0 / 0 / 2" in said.splitlines(), said  # 数据资源科, and 综合科 of two units
    assert not any(line.startswith("  -:") for line in said.splitlines())


def test_a_production_import_says_which_backup_passed_its_gate(demo: Path) -> None:
    code, said = launch(demo, "backup", "--env", "prod", "users")
    assert code == 0, said
    backup = re.search(r"备份 (\d+)：", said)
    assert backup is not None, said
    code, said = launch(demo, "users", "import", str(demo / SHEET_FILE), "--env", "prod", "--yes", "--skip-rejected")
    assert code == 2 and "prod 是生产环境：没有输入其名称" in said, said  # refused before anything is written
    assert f"  备份 {backup[1]} 已校验，且足够新\n" in said, said


def test_the_apply_refusing_rejected_rows_names_the_check_of_that_file_on_that_environment(tmp_path: Path) -> None:
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from launchpad.store.db import Store
    from launchpad.users.apply import ImportTarget, apply_plan
    from launchpad.users.guard import ImportRefused

    sheet = tmp_path / "新员工 名单.xlsx"  # a space: the file is quoted as a shell needs it
    rejected = SimpleNamespace(plan=SimpleNamespace(counts=lambda: {"insert": 3, "update": 0, "unchanged": 0,
                                                                     "rejected": 2}))
    to = ImportTarget(Store.memory(), None, tmp_path, "test", "app", "tester",  # type: ignore[arg-type]
                      ZoneInfo("Asia/Shanghai"))
    with pytest.raises(ImportRefused) as refused:
        apply_plan(to, rejected, file=sheet, file_sha256="0" * 64, mapping_name="ruoyi.yaml")  # type: ignore[arg-type]
    said = refused.value.render("zh")
    assert "新员工 名单.xlsx 中有 2 行被拒绝；什么都没有写入" in said, said
    assert f"`launchpad users check '{sheet}' --env test`" in said, said
    [check] = [args for args in named_commands(said) if args[:2] == ["users", "check"]]
    assert check == ["users", "check", str(sheet), "--env", "test"]


def test_an_import_with_only_rejected_rows_left_does_not_say_the_target_holds_every_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    demo = build_demo(tmp_path / "demo")
    book = Workbook()
    book.active.append(["登录账号", "姓名", "手机号码", "实际单位"])
    book.active.append(["zhouxin", "周新", "1380013800", "某市信息中心/运维科"])  # ten digits: rejected
    book.save(tmp_path / "名单.xlsx")
    code, said = launch(demo, "users", "import", str(tmp_path / "名单.xlsx"), "--env", "test", "--skip-rejected",
                        "--yes")
    assert code == 0, said
    assert "每一行都已与文件一致" not in said, said  # the one row is not in the target at all
    assert "无需写入：可导入的 0 行已与目标系统一致；被拒绝的 1 行没有导入" in said, said
    [check] = [args for args in named_commands(said) if args[:2] == ["users", "check"]]
    code, checked = launch(demo, *check)
    assert code == 1 and "手机号码 '1380013800'" in checked, checked
