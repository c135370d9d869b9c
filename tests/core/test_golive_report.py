"""The daily report's 上线准备进度: progress, days to go-live, the critical items that stop it and
the late ones with owner and due, in every format (the workbook opened back), until go-live."""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from launchpad.golive.checklist import CHECKLIST_FILE
from launchpad.report.daily import collect_daily
from launchpad.report.render import render_daily
from launchpad.report.xlsx import write_daily_xlsx
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.workspaces import LOCAL_SITE, write_workspace

DAY = date(2026, 12, 10)
NOW = datetime(2026, 12, 10, 10, 0, tzinfo=UTC)
GOLIVE = date(2026, 12, 15)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = write_workspace(tmp_path / "ws", LOCAL_SITE)
    (root / CHECKLIST_FILE).write_text(f"date: {GOLIVE.isoformat()}\nversion: V1.0 <i>\nitems:\n" + textwrap.indent(
        textwrap.dedent("""\
        - id: envs
          title: 测试环境就绪
          owner: zhang
          due: 2026-12-12
          critical: true
          proof: {playbook: environment-readiness, env: test}
        - id: users
          title: "=HYPERLINK(\\"http://x\\") <b>名单</b> **导入**\\n伪造一行"
          owner: li
          due: 2026-12-07
          status: in_progress
        - id: group
          title: 试运行反馈群
          owner: li
          due: 2026-12-08
          status: blocked
          reason: 等甲方名单
        - id: dict
          title: 字典数据
          owner: zhang
          due: 2026-12-01
          status: done
        """), "  "), encoding="utf-8")
    return root


def _report(root: Path, day: date = DAY, *, all_issues: bool = False):  # type: ignore[no-untyped-def]
    workspace = load_workspace(root)
    with Store.open(workspace.store_path) as store:
        return collect_daily(store, workspace.site, day, [], root, with_all_issues=all_issues, now=NOW)


def test_the_section_counts_days_stoppers_and_late_items(root: Path) -> None:
    section = _report(root).golive
    assert section is not None
    assert (section.done, section.total, section.days_to_go, section.go) == (1, 4, 5, False)
    assert [line.title for line in section.stoppers] == ["测试环境就绪"]
    assert [(line.owner, line.due, line.days_late) for line in section.late] == [
        ("李四", "2026-12-07", 3), ("李四", "2026-12-08", 2)]
    assert section.late[1].why == "等甲方名单"


def test_the_text_report_shows_the_section_with_owner_due_and_why(root: Path) -> None:
    text = render_daily(_report(root), "txt", "zh")
    assert "【上线准备进度】" in text
    assert "V1.0 <i> 计划于 2026-12-15 上线，距上线 5 天；已完成 1/4 项；暂不具备上线条件" in text
    assert "✗ 测试环境就绪（张三，截止 2026-12-12，未完成）：“环境就绪检查”尚未在 test 运行" in text
    assert "⚠ 试运行反馈群（李四，截止 2026-12-08，受阻）（逾期 2 天）：等甲方名单" in text
    # A title's line break cannot start a line of its own in the chat.
    assert not any(line.startswith("伪造一行") for line in text.splitlines())


def test_the_markdown_report_keeps_a_title_text(root: Path) -> None:
    text = render_daily(_report(root), "md", "zh")
    assert "### 上线准备进度" in text
    assert "**导入**" not in text and "\\*\\*导入\\*\\*" in text


def test_the_html_report_escapes_a_title(root: Path) -> None:
    text = render_daily(_report(root), "html", "en")
    assert "<h2 class=\"failed\">Go-live readiness</h2>" in text
    assert "<b>名单</b>" not in text and "&lt;b&gt;名单&lt;/b&gt;" in text
    assert "V1.0 &lt;i&gt; goes live on 2026-12-15, 5 days to go; 1 of 4 items done; NO-GO" in text


def test_the_workbook_carries_the_section_as_text(root: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_daily_xlsx(_report(root, all_issues=True), "zh", tmp_path / "daily.xlsx")
    rows = {row[0].value: row[1] for row in load_workbook(path)["汇总"].iter_rows() if row[0].value}
    assert rows["上线准备进度"].value == "V1.0 <i> 计划于 2026-12-15 上线，距上线 5 天；已完成 1/4 项；暂不具备上线条件"
    assert rows["影响上线的关键事项 1"].value.startswith("测试环境就绪（张三，截止 2026-12-12，未完成）")
    late = rows["逾期事项 1"]
    assert late.data_type == "s" and late.value.startswith("=HYPERLINK") and "（逾期 3 天）" in late.value
    assert late.quotePrefix


def test_the_day_before_go_live_is_one_day_to_go_in_every_format(root: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    report = _report(root, date(2026, 12, 14))
    head = "V1.0 <i> goes live on 2026-12-15, 1 day to go; 1 of 4 items done; NO-GO"
    assert head in render_daily(report, "txt", "en")
    assert head.replace("<i>", "&lt;i&gt;") in render_daily(report, "html", "en")
    assert "V1.0 <i> 计划于 2026-12-15 上线，距上线 1 天" in render_daily(report, "txt", "zh")
    path = write_daily_xlsx(report, "en", tmp_path / "daily.xlsx")
    assert head in [row[1].value for row in load_workbook(path).worksheets[0].iter_rows() if len(row) > 1]


def test_the_checklists_summary_and_workbook_say_one_day_in_the_singular(root: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from launchpad.golive.checklist import load_checklist
    from launchpad.golive.progress import evaluate, summary_text
    from launchpad.golive.workbook import write_checklist_xlsx

    workspace = load_workspace(root)
    checklist = load_checklist(root, workspace.site, {"environment-readiness"})
    with Store.open(workspace.store_path) as store:
        day_before = evaluate(checklist, workspace.site, store, workspace.backups_dir,
                              today=date(2026, 12, 14), now=NOW)
        envs_one_day_late = evaluate(checklist, workspace.site, store, workspace.backups_dir,
                                     today=date(2026, 12, 13), now=NOW)
    assert "go-live on 2026-12-15 (1 day to go): NO-GO" in summary_text(day_before, workspace.site, "en")
    assert "go-live on 2026-12-15 (2 days to go): NO-GO" in summary_text(envs_one_day_late, workspace.site, "en")
    sheet = load_workbook(write_checklist_xlsx(envs_one_day_late, workspace.site, "en", tmp_path / "c.xlsx")).active
    late = {row[0]: row[6] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert (late["envs"], late["group"], late["dict"]) == ("1 day late", "5 days late", None)


def test_no_section_after_go_live_or_without_a_checklist(root: Path) -> None:
    assert _report(root, date(2026, 12, 15)).golive is not None  # the day itself still shows it
    assert _report(root, date(2026, 12, 16)).golive is None
    (root / CHECKLIST_FILE).unlink()
    report = _report(root)
    assert report.golive is None
    assert "上线准备进度" not in render_daily(report, "txt", "zh")


def test_golive_export_writes_the_checklist_as_text_cells(root: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.core.test_golive import launch

    out = tmp_path / "清单.xlsx"
    result = launch(root, "golive", "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"已写入 {out}" in result.output
    book = load_workbook(out)
    sheet = book["上线清单"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["编号", "事项", "负责人", "截止日期", "关键", "状态", "逾期", "原因", "证明", "备注"]
    shown = {row[0]: row for row in rows[1:]}
    assert shown["envs"][2:6] == ["张三", "2026-12-12", "是", "未完成"]
    assert shown["envs"][7] == "“环境就绪检查”尚未在 test 运行"
    assert shown["group"][5:8] == ["受阻", shown["group"][6], "等甲方名单"]
    assert shown["dict"][5] == "已完成"
    title = sheet.cell(row=3, column=2)
    assert title.data_type == "s" and title.value.startswith("=HYPERLINK") and title.quotePrefix
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value is not None)
    assert "暂不具备上线条件" in book["上线结论"]["A1"].value


def test_golive_export_names_the_items_waited_for_by_their_titles(root: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.core.test_golive import launch

    checklist = root / CHECKLIST_FILE
    checklist.write_text(checklist.read_text(encoding="utf-8").replace(
        "    reason: 等甲方名单\n", "    reason: 等甲方名单\n    depends_on: [envs, dict]\n"), encoding="utf-8")
    out = tmp_path / "清单.xlsx"
    assert launch(root, "golive", "export", "--out", str(out)).exit_code == 0
    shown = {row[0].value: row for row in load_workbook(out)["上线清单"].iter_rows(min_row=2)}
    assert shown["group"][7].value == "等甲方名单；等待 测试环境就绪（envs）"  # dict is done: not waited for
    english = tmp_path / "checklist.xlsx"
    assert launch(root, "--lang", "en", "golive", "export", "--out", str(english)).exit_code == 0
    shown = {row[0].value: row for row in load_workbook(english).worksheets[0].iter_rows(min_row=2)}
    assert shown["group"][7].value.startswith("等甲方名单; ")  # the reason as written, then English words


def test_the_english_checklist_workbook_names_its_sheets_as_excel_allows(root: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from launchpad.golive.checklist import load_checklist
    from launchpad.golive.progress import evaluate
    from launchpad.golive.workbook import write_checklist_xlsx

    workspace = load_workspace(root)
    checklist = load_checklist(root, workspace.site, {"environment-readiness"})
    with Store.open(workspace.store_path) as store:
        progress = evaluate(checklist, workspace.site, store, workspace.backups_dir, today=DAY, now=NOW)
    book = load_workbook(write_checklist_xlsx(progress, workspace.site, "en", tmp_path / "checklist.xlsx"))
    assert book.sheetnames == ["Go-live checklist", "Go or no-go"]


def test_golive_export_to_a_missing_folder_exits_2_and_writes_nothing(root: Path, tmp_path: Path,
                                                                    english_cli: None) -> None:
    from tests.core.test_golive import launch

    result = launch(root, "golive", "export", "--out", str(tmp_path / "nowhere" / "x.xlsx"))
    assert result.exit_code == 2
    assert "does not exist" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "nowhere").exists()


def test_golive_export_onto_a_full_disk_exits_2_without_a_traceback_and_leaves_nothing(root: Path,
                                                                                    tmp_path: Path) -> None:
    """The folder is really full (a tmpfs filled to the last byte): the workbook is saved in
    memory, so its write fails cleanly: exit 2, the file and the reason named, no traceback
    after the message (openpyxl's half-written zip archive printed one), no partial file."""
    import subprocess
    import sys

    from tests.small_disk import full_disk

    folder = tmp_path / "full"
    out = folder / "上线清单.xlsx"
    with full_disk(folder):
        done = subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), "golive", "export",
                               "--out", str(out)], capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)

        assert done.returncode == 2, done.stdout + done.stderr
        assert f"无法写入 {out}：磁盘空间已满" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr
        assert sorted(p.name for p in folder.iterdir()) == ["filler"]


def test_golive_export_to_a_file_not_named_xlsx_exits_2_and_writes_nothing(root: Path, tmp_path: Path) -> None:
    # A workbook written as 上线清单.csv or .md opened as garbage in the project office.
    from tests.core.test_golive import launch

    for name in ("上线清单.csv", "上线清单.md", "上线清单"):
        result = launch(root, "golive", "export", "--out", str(tmp_path / name))
        assert result.exit_code == 2 and ".xlsx" in result.output and "Traceback" not in result.output
        assert not (tmp_path / name).exists()
    assert launch(root, "golive", "export", "--out", str(tmp_path / "上线清单.XLSX")).exit_code == 0


def test_a_proof_names_its_playbook_by_title_and_by_id_only_when_the_file_has_none(root: Path) -> None:
    untitled = root / "playbooks" / "environment-readiness.yaml"
    untitled.parent.mkdir(exist_ok=True)
    untitled.write_text("title: ''\nphases: []\n", encoding="utf-8")
    assert "：“environment-readiness”尚未在 test 运行" in render_daily(_report(root), "txt", "zh")
    untitled.write_text("title: [unclosed\n", encoding="utf-8")
    assert "：“environment-readiness”尚未在 test 运行" in render_daily(_report(root), "txt", "zh")
    untitled.unlink()
    text = render_daily(_report(root), "txt", "zh")
    assert "：“环境就绪检查”尚未在 test 运行" in text and "environment-readiness" not in text
