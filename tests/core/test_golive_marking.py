"""Marking a go-live item blocked or open again edits only that item's status and reason lines
of golive.yaml, refuses what would break the file, and is audited."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from launchpad.demo import build_demo
from launchpad.golive.checklist import CHECKLIST_FILE
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.core.test_golive import launch


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return build_demo(tmp_path / "demo")


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


def _item(root: Path, item_id: str) -> dict[str, object]:
    shown = json.loads(launch(root, "golive", "--json").output)
    return next(i for i in shown["items"] if i["id"] == item_id)


def test_blocking_an_item_adds_its_status_and_reason_and_nothing_else(demo: Path) -> None:
    checklist = demo / CHECKLIST_FILE
    before = checklist.read_text(encoding="utf-8")
    reason = "甲方尚未确认  值班电话\n# 不是注释"
    result = launch(demo, "golive", "mark", "login-contact", "blocked", "--reason", reason)
    assert result.exit_code == 0, result.output
    assert "login-contact" in result.output and "受阻" in result.output
    after = checklist.read_text(encoding="utf-8")
    removed, added = _changed_lines(before, after)
    assert removed == ["    status: in_progress"]
    assert added == ["    status: blocked", '    reason: "甲方尚未确认 值班电话 # 不是注释"']
    assert before.splitlines()[0] == after.splitlines()[0]  # the file's own comment stays
    item = _item(demo, "login-contact")
    assert item["state"] == "blocked" and item["reason"] == "甲方尚未确认 值班电话 # 不是注释"


def test_an_item_proved_by_a_run_and_marked_blocked_is_listed_with_the_reason(demo: Path) -> None:
    """The checklist says why an item is blocked, as the workbook and the app do — not only what
    its proof has not found yet."""
    assert launch(demo, "golive", "mark", "test-env", "blocked", "--reason", "等待甲方分配测试服务器").exit_code == 0
    line = next(row for row in launch(demo, "golive").output.splitlines() if " test-env " in row)
    assert "受阻" in line and "等待甲方分配测试服务器" in line, line


def test_an_item_without_a_status_line_gets_one_and_opening_it_again_drops_the_reason(demo: Path) -> None:
    checklist = demo / CHECKLIST_FILE
    assert launch(demo, "golive", "mark", "user-data", "blocked", "--reason", "组织机构表未到").exit_code == 0
    item = _item(demo, "user-data")
    assert item["state"] == "blocked" and item["reason"] == "组织机构表未到"
    text = checklist.read_text(encoding="utf-8")
    block = text[text.index("  - id: user-data"):text.index("  - id: login-contact")]
    assert "    status: blocked\n" in block and "notes: 甲方信息科提供的组织机构表尚缺两个科室" in block

    before = checklist.read_text(encoding="utf-8")
    assert launch(demo, "golive", "mark", "feedback-group", "todo").exit_code == 0
    removed, added = _changed_lines(before, checklist.read_text(encoding="utf-8"))
    assert removed == ["    status: blocked", "    reason: 等待甲方提供各科室联系人名单"]
    assert added == ["    status: todo"]
    assert _item(demo, "feedback-group")["state"] == "open"


def test_every_mark_is_audited_with_what_it_was(demo: Path) -> None:
    assert launch(demo, "golive", "mark", "login-contact", "blocked", "--reason", "等电话").exit_code == 0
    assert launch(demo, "golive", "mark", "login-contact", "in_progress").exit_code == 0
    with Store.open(load_workspace(demo).store_path) as store:
        rows = store.read("SELECT target, detail FROM audit WHERE action = 'golive_marked' ORDER BY id", [])
    marks = [(r["target"], json.loads(r["detail"])["from"], json.loads(r["detail"])["to"],
              json.loads(r["detail"])["reason"]) for r in rows]
    assert marks == [("login-contact", "in_progress", "blocked", "等电话"),
                     ("login-contact", "blocked", "in_progress", "")]


@pytest.mark.parametrize(("args", "said"), [
    (("login-contact", "blocked"), "把 login-contact 标为受阻需要写明原因"),
    (("login-contact", "blocked", "--reason", "   "), "需要写明原因"),
    (("nothing", "todo"), "golive.yaml 中没有检查项“nothing”"),
    (("sms", "not_applicable", "--reason", "V1.0 不含短信功能"), "sms 已经是不适用：V1.0 不含短信功能"),
])
def test_a_refused_mark_changes_nothing(demo: Path, args: tuple[str, ...], said: str) -> None:
    checklist = demo / CHECKLIST_FILE
    before = checklist.read_text(encoding="utf-8")
    result = launch(demo, "golive", "mark", *args)
    assert result.exit_code == 2 and said in result.output and "Traceback" not in result.output
    assert checklist.read_text(encoding="utf-8") == before


def test_a_checklist_with_problems_is_not_edited(demo: Path) -> None:
    checklist = demo / CHECKLIST_FILE
    broken = checklist.read_text(encoding="utf-8").replace("owner: lina", "owner: nobody", 1)
    checklist.write_text(broken, encoding="utf-8")
    result = launch(demo, "golive", "mark", "login-contact", "blocked", "--reason", "等电话")
    assert result.exit_code == 2 and "launchpad check" in result.output
    assert checklist.read_text(encoding="utf-8") == broken


def test_an_item_written_on_one_line_is_refused_with_what_to_do(demo: Path) -> None:
    checklist = demo / CHECKLIST_FILE
    text = checklist.read_text(encoding="utf-8")
    start, end = text.index("  - id: sms"), len(text)
    one_line = text[:start] + "  - {id: sms, title: 短信, owner: wangqiang, due: 2030-01-01}\n"
    checklist.write_text(one_line, encoding="utf-8")
    result = launch(demo, "golive", "mark", "sms", "blocked", "--reason", "等通道")
    assert result.exit_code == 2 and "写在一行里；请改成每行一个键" in result.output
    assert checklist.read_text(encoding="utf-8") == one_line
    assert end > start
