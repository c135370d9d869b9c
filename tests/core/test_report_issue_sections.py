"""The daily report lists each issue once: one reported on the day is news, among the new ones,
and not again among the other open issues."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.report.daily import collect_daily
from launchpad.report.render import render_daily
from launchpad.store.db import Store
from launchpad.workspace.folder import Workspace
from tests.core.test_report import DAY, build_dataset


@pytest.fixture
def dataset(tmp_path: Path) -> tuple[Workspace, Store]:
    return build_dataset(tmp_path / "ws")


def test_each_issue_appears_once(dataset: tuple[Workspace, Store], tmp_path: Path) -> None:
    """Issues 1 and 6, reported today and still open, are news: they are listed among today's new
    issues, not again among the other open ones."""
    workspace, store = dataset
    report = collect_daily(store, workspace.site, DAY, with_all_issues=True)
    assert [i.id for i in report.new_today] == [3, 1, 6]
    assert report.still_open == [] and report.counts.other_open == 0
    assert report.counts.open_total == 3  # the summary still counts every open issue
    for fmt in ("txt", "md", "html"):
        text = render_daily(report, fmt, "zh")
        assert "五、其他未解决（0）" in text, fmt
        issues = text.split("明日计划")[0]  # the plan reminds of what falls due tomorrow, by title
        for title in ("登录页面白屏", "短信收不到"):
            assert issues.count(title) == 1, (fmt, title)


def test_an_open_issue_from_an_earlier_day_stays_among_the_other_open_ones(dataset: tuple[Workspace, Store]) -> None:
    workspace, store = dataset
    report = collect_daily(store, workspace.site, DAY.replace(day=21))
    assert [i.id for i in report.still_open] == [1, 6] and report.counts.other_open == 2
    assert "五、其他未解决（2）" in render_daily(report, "txt", "zh")


def _add_overdue_reported_today(store: Store, workspace: Workspace) -> int:
    """An issue reported on the day with a due date already past (the client says it was due
    on Tuesday)."""
    from datetime import date

    from launchpad.issues.log import IssueLog
    from launchpad.issues.model import IssueDraft
    from tests.core.test_report import at

    log = IssueLog(store, workspace.site.tz, "pm", clock=lambda: "2025-11-20T03:00:00+00:00")
    return log.add(IssueDraft("验证码不显示", severity="P1", owner="李四", due=date(2025, 11, 18),
                              reported_at=at("2025-11-20 11:00"))).id


@pytest.mark.parametrize("listed", [50, 1])
def test_an_overdue_issue_reported_on_the_day_is_listed_once_among_the_new_ones_with_its_overdue_mark(
        dataset: tuple[Workspace, Store], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, listed: int) -> None:
    """Reported today and already past its due date: listed once, among today's new issues and
    marked overdue there; 逾期未解决 lists and counts the overdue issues of earlier days (issue 2),
    and its "N more" counts only those it leaves out."""
    from openpyxl import load_workbook

    from launchpad.report import daily
    from launchpad.report.xlsx import write_daily_xlsx

    monkeypatch.setattr(daily, "LISTED", listed)
    workspace, store = dataset
    issue_id = _add_overdue_reported_today(store, workspace)
    report = collect_daily(store, workspace.site, DAY, with_all_issues=True)
    assert issue_id in [i.id for i in report.new_today] or listed == 1
    assert [i.id for i in report.overdue] == [2]
    assert report.counts.overdue == 2  # the summary counts every overdue issue
    assert report.unlisted("overdue") == 0
    for fmt in ("txt", "md", "html"):
        text = render_daily(report, fmt, "zh")
        assert "四、逾期未解决（1）" in text, fmt
        assert "其中逾期 2 项" in text or "其中逾期 **2** 项" in text, fmt
        assert "另有" not in text.split("四、逾期未解决")[1].split("五、")[0], fmt
        if listed == 50:
            issues = text.split("明日计划")[0]
            assert issues.count("验证码不显示") == 1, fmt
            new = issues.split("二、")[1].split("三、")[0]
            assert "验证码不显示" in new and "逾期 2 天" in new, fmt
    sheet = load_workbook(write_daily_xlsx(report, "zh", tmp_path / "d.xlsx")).worksheets[1]
    titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles.count("验证码不显示") == 1
