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
