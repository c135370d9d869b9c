"""Publishing the daily report is one use case in the core (`report.publish`), whichever front
end asks: the plan is read one way, an export is named one way and lands in one folder, and a
message that did not go is copied the same way."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from launchpad.report.daily import plan_items, read_plan
from launchpad.report.publish import ReportRequest, collect_report, export_path, export_report, render_preview
from launchpad.session import Session, open_session
from tests.core.test_issues import run_cli
from tests.core.test_report import DAY, build_dataset


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    workspace, store = build_dataset(tmp_path / "ws")
    store.close()
    opened = open_session(workspace.root, now=lambda: datetime.fromisoformat("2025-11-20T20:00:00+08:00"))
    yield opened
    opened.close()


def test_a_plan_typed_on_one_line_is_split_on_full_width_semicolons_everywhere(session: Session) -> None:
    # The CLI split `--plan "回访；发布"`, the TUI's plan box did not: one rule now, for both
    # and for the plan file.
    assert plan_items("回访刘科长；发布 v1.3\n- 培训") == ["回访刘科长", "发布 v1.3", "培训"]
    typed = collect_report(session, ReportRequest(DAY, "zh", "txt", "回访；发布"))
    assert typed.plan == ["回访", "发布"]
    assert "1. 回访\n2. 发布" in render_preview(session, ReportRequest(DAY, "zh", "md", "回访；发布"))
    (session.workspace.root / "data").mkdir()
    (session.workspace.root / "data" / "plan.txt").write_text("回访；发布\n", encoding="utf-8")
    assert read_plan(session.workspace.root, DAY) == ["回访", "发布"]
    assert collect_report(session, ReportRequest(DAY, "zh", "txt")).plan == ["回访", "发布"]


def test_a_typed_plan_keeps_its_words_and_only_the_plan_file_has_comments(session: Session) -> None:
    # `**` was read as two list marks and `#12 …` as a comment: the PM's words vanished.
    typed = "**重点**回访刘科长；#12 验证码问题回访；-5 号楼断网排查；- 培训；·发布"
    assert plan_items(typed) == ["**重点**回访刘科长", "#12 验证码问题回访", "-5 号楼断网排查", "培训", "发布"]
    assert collect_report(session, ReportRequest(DAY, "zh", "txt", "#12 验证码问题回访")).plan == ["#12 验证码问题回访"]
    (session.workspace.root / "data").mkdir()
    (session.workspace.root / "data" / "plan.txt").write_text("# 明日计划\n* 回访\n", encoding="utf-8")
    assert read_plan(session.workspace.root, DAY) == ["回访"]


def test_an_export_is_named_one_way_and_lands_in_the_workspace_reports_folder(session: Session,
                                                                              tmp_path: Path) -> None:
    root = session.workspace.root
    zh, en = ReportRequest(DAY, "zh", "xlsx", ""), ReportRequest(DAY, "en", "html", "")
    assert export_path(session, zh) == root / "reports" / "日报-2025-11-20.xlsx"
    assert export_path(session, en) == root / "reports" / "daily-report-2025-11-20.html"
    # The CLI wrote an xlsx without --out into the current folder; it now goes where the TUI's
    # export goes, whatever folder the command runs in.
    sheet = run_cli(root, "report", "daily", "--date", "2025-11-20", "--format", "xlsx")
    assert sheet.returncode == 0, sheet.stderr
    assert export_path(session, zh).stat().st_size > 0 and str(export_path(session, zh)) in sheet.stdout
    assert export_report(session, en) == export_path(session, en)
    assert "3 reported today" in export_path(session, en).read_text(encoding="utf-8")
    named = tmp_path / "elsewhere.html"
    assert export_report(session, en, named) == named and named.is_file()  # --out still names the file
