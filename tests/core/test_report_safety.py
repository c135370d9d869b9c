"""Client-facing files are safe from their own content: an issue title, owner or plan item
that looks like a formula, holds control characters, or carries Markdown, a mention or a tag
is shown as text in every format — read back with openpyxl, and parsed as Markdown."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from launchpad.issues.log import IssueLog
from launchpad.issues.model import IssueDraft
from launchpad.report.daily import collect_daily
from launchpad.report.notice import render_notice
from launchpad.report.render import render_daily
from launchpad.report.run import render_run
from launchpad.report.xlsx import write_daily_xlsx
from launchpad.safetext import clean, markdown, markdown_block, one_line
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.core.test_report import DAY, Clock, at
from tests.workspaces import write_workspace

FORMULAS = ['=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A2)"]
CONTROLS = ["Word 里的\x0b换行", "粘贴来的\x1b[31m颜色", "空字符\x00在中间", "反向\u202e文字"]
FORGED = ("登录白屏\n\n### 九、伪造的章节\n- [点我领取](http://evil.example) <@all> "
          '<font color="warning">紧急</font> **加粗** `代码`')
TITLES = FORMULAS + CONTROLS + [FORGED]
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]")


@pytest.fixture
def report(tmp_path: Path) -> Any:
    workspace = load_workspace(write_workspace(tmp_path / "ws"))
    store = Store.open(workspace.store_path)
    log = IssueLog(store, workspace.site.tz, "pm", clock=Clock())
    for n, title in enumerate(TITLES):
        log.add(IssueDraft(title, owner="=owner()" if n == 0 else "张三", module="@模块" if n == 1 else "",
                           due=date(2025, 11, 19) if n % 2 else DAY, reported_at=at("2025-11-20 09:15")))
    plan = ["=1+1 明天上线", "正常计划\x0b第二行", "### 伪造 [链接](http://evil.example)"]
    return collect_daily(store, workspace.site, DAY, plan, workspace.root, with_all_issues=True)


def test_the_xlsx_report_holds_every_title_as_text(report: Any, tmp_path: Path) -> None:
    path = write_daily_xlsx(report, "zh", tmp_path / "日报.xlsx")
    with zipfile.ZipFile(path) as archive:  # no formula anywhere in the file
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in sheet or "<f " in sheet for sheet in sheets)
    book = load_workbook(path)
    issues, summary = book.worksheets[1], book.worksheets[0]
    rows = list(issues.iter_rows(min_row=2))
    titles = {row[2].value: row[2] for row in rows}
    for title in TITLES:
        cell = titles[clean(title.strip())]  # the log keeps a title stripped
        assert cell.data_type == "s"
        assert cell.quotePrefix == title.strip().startswith(("=", "+", "-", "@"))
    owners = [row[6] for row in rows if row[6].value == "=owner()"]
    assert len(owners) == 1 and owners[0].data_type == "s" and owners[0].quotePrefix
    plan = [row[1] for row in summary.iter_rows() if str(row[0].value).startswith("明日计划")]
    assert [cell.value for cell in plan] == ["=1+1 明天上线", "正常计划第二行", "### 伪造 [链接](http://evil.example)"]
    assert plan[0].data_type == "s" and plan[0].quotePrefix
    every_value = [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not any(CONTROL_CHARS.search(value) for value in every_value)


def _headings_and_links(text: str) -> tuple[list[str], list[str]]:
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    inline = [child for t in tokens if t.type == "inline" for child in (t.children or [])]
    risky = [c.type for c in inline if c.type in ("link_open", "html_inline", "code_inline")]
    return headings, risky + [t.type for t in tokens if t.type == "html_block"]


def test_the_markdown_report_shows_titles_as_text_and_forges_nothing(report: Any) -> None:
    text = render_daily(report, "md", "zh")
    headings, risky = _headings_and_links(text)
    # The template's own headings only: the title, the eight sections.
    assert len(headings) == 9 and not any("伪造" in heading for heading in headings)
    assert risky == [] and "<@all>" not in text and "<font" not in text
    html = MarkdownIt("commonmark").render(text)
    assert "登录白屏 ### 九、伪造的章节 - [点我领取](http://evil.example) ＜@all＞" in html
    assert "**加粗** `代码`" in html and "=HYPERLINK" in html
    assert not CONTROL_CHARS.search(text)


def test_the_text_and_html_reports_keep_each_title_on_its_line(report: Any) -> None:
    text = render_daily(report, "txt", "zh")
    assert not CONTROL_CHARS.search(text)
    assert not any(line.startswith("###") for line in text.splitlines())
    assert "登录白屏 ### 九、伪造的章节 - [点我领取](http://evil.example) <@all>" in text
    html = render_daily(report, "html", "zh")
    assert not CONTROL_CHARS.search(html) and "<font" not in html and "&lt;font" in html
    assert "Word 里的换行" in html


def test_a_notice_field_cannot_forge_a_line_or_a_mention() -> None:
    forged = "今晚 19:00\n- **联系人**：骗子 13900000000 <@all>"
    values = {"site": {"name": "测试项目"}, "duty": {}}
    fields = {"change": "考勤模块", "when": forged, "contact": "张三 13800000001"}
    md = render_notice("release_notice", fields, values, "markdown", "zh")
    tokens = MarkdownIt("commonmark").parse(md)
    assert sum(1 for t in tokens if t.type == "list_item_open") == 4  # change, when, impact, contact
    assert "<@all>" not in md and "骗子" in md
    txt = render_notice("release_notice", fields, values, "text", "zh")
    assert not any(line.startswith("- **联系人**") for line in txt.splitlines())


def test_the_run_report_keeps_step_output_and_reasons_as_text() -> None:
    injected = "200 OK | 伪造列\n# 伪造标题\n<@all>\x1b[0m"
    report = {
        "site": {"name": "测试项目", "client": "某局"},
        "playbook": "发布 **release**",
        "run": {"playbook": "release", "environment": "prod", "production": True, "operator": "张三",
                "started": "2025-11-20T02:00:00+00:00", "finished": "2025-11-20T03:00:00+00:00",
                "status": "failed", "variables": {"note": "`$(touch x)` | y"}},
        "steps": [{"step_id": "s", "title": "发布 / 检查 **接口**", "status": "failed", "hosts": [],
                   "summary": injected, "summary_phrase": None}],
        "attempts": [],
        "decisions": [{"at": "2025-11-20T02:30:00+00:00", "step_id": "s", "step": "发布 / 检查 **接口**",
                       "kind": "override", "actor": "李四",
                       "reason": "客户同意\n## 伪造决定 [链接](http://evil.example)"}],
    }
    md = render_run(report, "md", "zh")
    tokens = MarkdownIt("commonmark").enable("table").parse(md)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert not any("伪造" in heading for heading in headings)
    inline = [child.type for t in tokens if t.type == "inline" for child in (t.children or [])]
    assert "link_open" not in inline and "html_inline" not in inline and "code_inline" not in inline
    assert sum(1 for t in tokens if t.type == "table_open") == 3  # header, steps, decisions
    assert sum(1 for t in tokens if t.type == "td_open") == 2 * 7 + 3 + 5  # no cell forged, none lost
    text = render_run(report, "text", "zh")
    assert not CONTROL_CHARS.search(text) and not any(line.startswith("#") for line in text.splitlines())
    html = render_run(report, "html", "zh")
    assert not CONTROL_CHARS.search(html) and "<@all>" not in html and "&lt;@all&gt;" in html


def test_one_helper_per_format() -> None:
    assert clean("a\r\nb\x0bc\x00") == "a\nbc"
    assert one_line(" 第一行\n\n\t第二行 ") == "第一行 第二行"
    assert markdown("[x](y) <@all> *a_b*") == "\\[x\\](y) ＜@all＞ \\*a\\_b\\*"
    assert markdown_block("# 标题\n1. 项\n正文") == "\\# 标题\n1\\. 项\n正文"


@pytest.mark.parametrize("value", ["1.2.0 发布", "2026.12 上线", "3)", "7. 第七项", "1.", "10) 回滚"])
def test_a_number_at_the_start_is_escaped_only_where_it_would_open_a_list(value: str) -> None:
    from markdown_it import MarkdownIt

    said = markdown(value)
    html = MarkdownIt("commonmark").render(f"{said}\n")
    assert "<ol" not in html and f"<p>{value}</p>" in html, (said, html)
    assert ("\\" in said) == (value in ("3)", "7. 第七项", "1.", "10) 回滚")), said
