"""A golive.yaml with mistakes does not stop the daily report: at 22:00 the PM still sends the
day's issues, and where 上线准备进度 would be, every format says the checklist could not be read,
where (file:line:col) and what to do, as text in that format; stderr says it too, exit 0."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from launchpad.cli import main
from launchpad.golive.checklist import CHECKLIST_FILE
from launchpad.issues.log import IssueLog
from launchpad.issues.model import IssueDraft
from launchpad.report.daily import collect_daily
from launchpad.report.render import render_daily
from launchpad.report.xlsx import write_daily_xlsx
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.workspaces import LOCAL_SITE, write_workspace

DAY = date(2026, 12, 10)
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
HEAD = "date: 2026-12-15\nversion: V1.0\nitems:\n"
# Each mistake, and where `launchpad golive` locates it.
MISTAKES = {
    "malformed": (HEAD + "  - id: envs\n    title: [测试环境\n", "golive.yaml:6:1: YAML"),
    "unknown key": (HEAD + "  - {id: envs, title: 环境, owner: zhang, due: 2026-12-12, <b>**老板**</b>: 1}\n",
                    "golive.yaml:4:"),
    "bad value": (HEAD + "  - {id: envs, title: 环境, owner: zhang, due: 十二月十二日}\n", "golive.yaml:4:"),
}


@pytest.fixture(params=sorted(MISTAKES))
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    root = write_workspace(tmp_path / "ws", LOCAL_SITE)
    body, where = MISTAKES[request.param]
    (root / CHECKLIST_FILE).write_text(body, encoding="utf-8")
    workspace = load_workspace(root)
    with Store.open(workspace.store_path) as store:
        IssueLog(store, workspace.site.tz, "pm", clock=lambda: NOW.isoformat()).add(
            IssueDraft("登录页面白屏", owner="张三", reported_at=NOW))
    return root, where


def _report(root: Path, *, all_issues: bool = False):  # type: ignore[no-untyped-def]
    workspace = load_workspace(root)
    with Store.open(workspace.store_path) as store:
        return collect_daily(store, workspace.site, DAY, [], root, with_all_issues=all_issues, now=NOW)


def test_every_format_is_written_whole_and_says_where_the_checklist_is_wrong(
        broken: tuple[Path, str], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    root, where = broken
    report = _report(root, all_issues=True)
    assert report.golive is None and report.golive_unreadable is not None
    for fmt in ("txt", "md", "html"):
        text = render_daily(report, fmt, "zh")
        assert "登录页面白屏" in text, fmt  # the day's issues are all there
        assert "上线准备进度" in text and "上线检查清单 golive.yaml 无法读取" in text, fmt
        assert where in text and "再重新生成日报" in text, fmt
    english = render_daily(report, "txt", "en")
    assert "The go-live checklist golive.yaml could not be read" in english and where in english
    book = load_workbook(write_daily_xlsx(report, "zh", tmp_path / "daily.xlsx"))
    rows = {row[0].value: row[1].value for row in book["汇总"].iter_rows() if row[0].value}
    assert "上线检查清单 golive.yaml 无法读取" in rows["上线准备进度"] and where in rows["上线准备进度"]
    assert [row[2].value for row in book["问题清单"].iter_rows(min_row=2)] == ["登录页面白屏"]


def test_a_quoted_key_is_text_in_every_format(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", LOCAL_SITE)
    (root / CHECKLIST_FILE).write_text(MISTAKES["unknown key"][0], encoding="utf-8")
    report = _report(root)
    markdown = render_daily(report, "md", "zh")
    assert "**老板**" not in markdown and "\\*\\*老板\\*\\*" in markdown and "<b>" not in markdown
    html = render_daily(report, "html", "zh")
    assert "<b>" not in html and "&lt;b&gt;" in html


def _daily(root: Path, *args: str) -> tuple[int, str, str]:
    """`report daily` through `main`, whose error handling gives exit codes: code, stdout, stderr."""
    code = 0
    with CliRunner().isolation() as (out, err, _):
        try:
            main(["--workspace", str(root), "report", "daily", "--date", DAY.isoformat(), *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        return code, out.getvalue().decode(), err.getvalue().decode()


def test_report_daily_exits_0_and_says_the_note_on_stderr(broken: tuple[Path, str], tmp_path: Path) -> None:
    root, where = broken
    code, text, said = _daily(root)
    assert code == 0, said
    assert "登录页面白屏" in text and where in text
    assert "上线检查清单 golive.yaml 无法读取" in said and where in said and "Traceback" not in said
    for args in (("--format", "markdown"), ("--out", str(tmp_path / "日报.xlsx"))):
        code, _, said = _daily(root, *args)
        assert code == 0 and where in said, said
    assert (tmp_path / "日报.xlsx").is_file()
