"""A critical item marked not applicable no longer stops go-live, so it is never quiet: the
command line asks for its id to be typed (or `--yes`), and every go/no-go — `golive`, its JSON,
the pasted summary, the daily report in each format and the handover — says a go rests on it,
in the verdict's own sentence, and lists it with who set it aside, when (site time) and why."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from launchpad.cli import main
from launchpad.golive.checklist import CHECKLIST_FILE
from launchpad.handover.collect import collect_handover
from launchpad.handover.render import render_handover
from launchpad.report.daily import collect_daily
from launchpad.report.render import render_daily
from launchpad.report.xlsx import write_daily_xlsx
from launchpad.session import open_session
from launchpad.sitetime import local_text
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.core.test_golive import Result, launch
from tests.workspaces import LOCAL_SITE, write_workspace

DAY = date(2026, 12, 10)
NOW = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)  # 10:00 on the site
CHECKLIST = textwrap.dedent("""\
    date: 2026-12-15
    version: V1.0
    items:
      - id: sms
        title: 短信通知通道开通
        owner: zhang
        due: 2026-12-12
        critical: true
      - id: group
        title: 试运行反馈群
        owner: li
        due: 2026-12-07
        status: in_progress
      - id: dict
        title: 字典数据
        owner: zhang
        due: 2026-12-09
        status: in_progress
    """)
REASON = "V1.0 不含短信功能，甲方已书面确认"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = write_workspace(tmp_path / "ws", LOCAL_SITE)
    (root / CHECKLIST_FILE).write_text(CHECKLIST, encoding="utf-8")
    return root


def typed(root: Path, answer: str, *args: str) -> Result:
    """`launchpad` at a terminal where the person types `answer`."""
    with CliRunner().isolation(input=answer + "\n") as streams:
        try:
            main(["--workspace", str(root), *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        output = streams[2].getvalue().decode()
    return Result(code, output)


def marks(root: Path) -> list[dict[str, Any]]:
    with Store.open(load_workspace(root).store_path) as store:
        rows = store.read("SELECT actor, at, detail FROM audit WHERE action = 'golive_marked' ORDER BY id", [])
    return [{"actor": row["actor"], "at": row["at"], **json.loads(row["detail"])} for row in rows]


def set_aside(root: Path) -> None:
    result = launch(root, "golive", "mark", "sms", "not_applicable", "--reason", REASON, "--yes")
    assert result.exit_code == 0, result.output


# -- marking it ------------------------------------------------------------------------------------


def test_without_a_terminal_a_critical_item_is_set_aside_only_with_yes(root: Path) -> None:
    before = (root / CHECKLIST_FILE).read_text(encoding="utf-8")
    refused = launch(root, "golive", "mark", "sms", "not_applicable", "--reason", REASON)
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert "sms（短信通知通道开通）是关键事项：标为不适用后，它不再阻止上线" in refused.output
    assert "→ 确需标记请确认：在终端中按提示输入 sms，或加上 --yes" in refused.output
    assert (root / CHECKLIST_FILE).read_text(encoding="utf-8") == before and marks(root) == []

    set_aside(root)
    assert "status: not_applicable" in (root / CHECKLIST_FILE).read_text(encoding="utf-8")
    assert [(m["to"], m["critical"], m["confirmed"]) for m in marks(root)] == [("not_applicable", True, "--yes")]


def test_at_a_terminal_the_items_id_is_typed(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("launchpad.cli.golive.has_terminal", lambda: True)
    before = (root / CHECKLIST_FILE).read_text(encoding="utf-8")
    wrong = typed(root, "y", "golive", "mark", "sms", "not_applicable", "--reason", REASON)
    assert "sms（短信通知通道开通）是关键事项：标为不适用后，它将不再阻止上线。" in wrong.output
    assert wrong.exit_code == 2 and "输入的是“y”，不是“sms”：未做任何改动" in wrong.output
    assert (root / CHECKLIST_FILE).read_text(encoding="utf-8") == before and marks(root) == []

    right = typed(root, "sms", "golive", "mark", "sms", "not_applicable", "--reason", REASON)
    assert right.exit_code == 0 and "sms：已标记为不适用" in right.output
    assert [m["confirmed"] for m in marks(root)] == ["typed"]


def test_a_mark_that_would_be_refused_is_refused_before_anyone_is_asked(root: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("launchpad.cli.golive.has_terminal", lambda: True)
    no_reason = typed(root, "sms", "golive", "mark", "sms", "not_applicable")
    assert no_reason.exit_code == 2 and "需要写明原因" in no_reason.output
    assert "关键事项" not in no_reason.output  # no question asked for a mark that cannot be made


def test_other_marks_need_no_confirmation(root: Path) -> None:
    assert launch(root, "golive", "mark", "group", "not_applicable", "--reason", "已有群").exit_code == 0
    assert launch(root, "golive", "mark", "sms", "blocked", "--reason", "等运营商").exit_code == 0
    assert [m.get("confirmed") for m in marks(root)] == [None, None]


# -- the verdict -------------------------------------------------------------------------------------


def test_a_go_that_rests_on_a_critical_item_set_aside_says_so_and_who_when_why(root: Path) -> None:
    before = launch(root, "golive")
    assert before.exit_code == 1 and "暂不具备上线条件" in before.output
    set_aside(root)
    at = local_text(marks(root)[-1]["at"], load_workspace(root).site.tz)

    shown = json.loads(launch(root, "golive", "--json").output)
    assert shown["go"] is True
    assert shown["verdict"] == "具备上线条件（1 项关键事项被标为不适用：短信通知通道开通）"
    assert [(s["id"], s["by"], s["reason"]) for s in shown["set_aside"]] == [("sms", "tester", REASON)]
    assert shown["set_aside"][0]["at"].startswith(at.replace(" ", "T"))
    summary = shown["summary"].splitlines()
    assert summary[0].endswith("：具备上线条件（1 项关键事项被标为不适用：短信通知通道开通）")
    line = f"- 短信通知通道开通（tester 于 {at} 标为不适用）：{REASON}"
    assert summary[summary.index("被标为不适用的关键事项：") + 1] == line

    table = launch(root, "golive")
    assert table.exit_code == 0 and line in table.output
    english = launch(root, "golive", "--lang", "en").output
    assert "GO (1 critical item marked not applicable: 短信通知通道开通)" in english
    assert f"- 短信通知通道开通 (marked not applicable by tester, {at}): {REASON}" in english
    # No go anywhere without its reason beside it.
    assert not re.search(r"具备上线条件(?!（)", table.output.replace("暂不具备上线条件", ""))


def test_an_item_set_aside_by_editing_the_file_says_nobody_is_recorded(root: Path) -> None:
    checklist = root / CHECKLIST_FILE
    checklist.write_text(checklist.read_text(encoding="utf-8").replace(
        "    critical: true\n", f"    critical: true\n    status: not_applicable\n    reason: {REASON}\n", 1),
        encoding="utf-8")
    shown = json.loads(launch(root, "golive", "--json").output)
    assert shown["verdict"] == "具备上线条件（1 项关键事项被标为不适用：短信通知通道开通）"
    assert (shown["set_aside"][0]["by"], shown["set_aside"][0]["at"]) == (None, None)
    assert ("- 短信通知通道开通（未经 launchpad 标记，不知由谁、何时标为不适用：golive.yaml 被直接修改）："
            f"{REASON}") in shown["summary"]


def test_a_no_go_still_lists_the_critical_items_set_aside(root: Path) -> None:
    set_aside(root)
    checklist = root / CHECKLIST_FILE
    checklist.write_text(checklist.read_text(encoding="utf-8").replace(
        "    owner: li\n", "    owner: li\n    critical: true\n", 1), encoding="utf-8")
    result = launch(root, "golive")
    assert result.exit_code == 1 and "：暂不具备上线条件\n" in result.output
    assert "被标为不适用的关键事项：\n- 短信通知通道开通（tester 于" in result.output


# -- the daily report and the handover ----------------------------------------------------------------


def daily(root: Path) -> Any:
    workspace = load_workspace(root)
    with Store.open(workspace.store_path) as store:
        return collect_daily(store, workspace.site, DAY, [], root, with_all_issues=True, now=NOW)


def test_the_daily_report_says_the_go_rests_on_it_in_every_format(root: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    set_aside(root)
    at = local_text(marks(root)[-1]["at"], load_workspace(root).site.tz)
    report = daily(root)
    verdict = "具备上线条件（1 项关键事项被标为不适用：短信通知通道开通）"
    line = f"短信通知通道开通（tester 于 {at} 标为不适用）：{REASON}"
    text = render_daily(report, "txt", "zh")
    assert f"已完成 0/2 项；{verdict} ⚠" in text
    assert f"· 被标为不适用的关键事项（1）\n  1) ⚠ {line}" in text
    markdown = render_daily(report, "md", "zh")
    assert verdict in markdown and f"  1. ⚠ {line}" in markdown
    html = render_daily(report, "html", "en")
    assert "GO (1 critical item marked not applicable: 短信通知通道开通)" in html
    assert f"短信通知通道开通 (marked not applicable by tester, {at}): {REASON}" in html
    path = write_daily_xlsx(report, "zh", tmp_path / "daily.xlsx")
    rows = {row[0].value: row[1].value for row in load_workbook(path)["汇总"].iter_rows() if row[0].value}
    assert rows["上线准备进度"].endswith(verdict) and rows["被标为不适用的关键事项 1"] == line


def test_late_days_read_in_words_in_english(root: Path) -> None:
    report = daily(root)
    english = render_daily(report, "txt", "en")
    assert "(3 days overdue)" in english and "(1 day overdue)" in english  # group and dict
    assert "逾期 3 天" in render_daily(report, "txt", "zh") and "逾期 1 天" in render_daily(report, "txt", "zh")


def test_the_handover_lists_the_critical_items_set_aside(root: Path) -> None:
    set_aside(root)
    at = local_text(marks(root)[-1]["at"], load_workspace(root).site.tz)
    session = open_session(root, now=lambda: NOW, actor="王工")
    try:
        handover = collect_handover(session)
    finally:
        session.close()
    facts = handover.as_dict("zh")["sections"]["set_aside"]
    assert [(e["item"], e["by"], e["reason"]) for e in facts] == [("sms", "tester", REASON)]
    text = render_handover(handover, "text", "zh")
    assert f"被标为不适用的关键上线事项（1）\n  · 短信通知通道开通（tester 于 {at} 标为不适用）：{REASON}" in text
