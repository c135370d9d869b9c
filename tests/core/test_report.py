"""The daily report on a fixed dataset: its content in Chinese and English, as text, Markdown,
HTML and xlsx (read back with openpyxl), workspace templates, the plan, and the CLI."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from launchpad.errors import UsageError
from launchpad.issues.log import IssueLog
from launchpad.issues.model import IssueDraft
from launchpad.report import daily
from launchpad.report.daily import DailyReport, collect_daily
from launchpad.report.render import render_daily
from launchpad.report.xlsx import write_daily_xlsx
from launchpad.store.db import Store
from launchpad.workspace.folder import Workspace, load_workspace
from tests.core.test_issues import run_cli
from tests.workspaces import write_workspace

DAY = date(2025, 11, 20)  # a Thursday; the site is in Asia/Shanghai (UTC+8)


class Clock:
    now = "2025-11-20T10:00:00+00:00"

    def __call__(self) -> str:
        return self.now


def at(local: str) -> datetime:
    """A Shanghai wall-clock time as UTC."""
    return datetime.fromisoformat(local + "+08:00").astimezone(UTC)


def build_dataset(root: Path) -> tuple[Workspace, Store]:
    workspace = load_workspace(write_workspace(root))
    store = Store.open(workspace.store_path)
    clock = Clock()
    log = IssueLog(store, workspace.site.tz, "pm", clock=clock)
    add = log.add
    add(IssueDraft("登录页面白屏", module="登录", severity="P1", owner="张三", due=date(2025, 11, 21),
                   reporter="王芳", reported_at=at("2025-11-20 09:15")))
    add(IssueDraft("报表导出乱码", module="报表", owner="李四", due=date(2025, 11, 19),
                   reported_at=at("2025-11-18 10:00")))
    add(IssueDraft("市级接口推送失败", module="接口", severity="P0", owner="张三", due=DAY,
                   reported_at=at("2025-11-20 08:50")))
    add(IssueDraft("考勤报表少一列", severity="P3", owner="王五", due=date(2025, 11, 14),
                   reported_at=at("2025-11-10 09:00")))
    add(IssueDraft("新增用户怎么填挂职单位", type="question", owner="李四", due=DAY,
                   reported_at=at("2025-11-19 15:00")))
    add(IssueDraft("短信收不到 <script>", reported_at=at("2025-11-20 16:00")))
    for issue_id in (1, 2):
        log.update(issue_id, {"status": "in_progress"})
    clock.now = "2025-11-15T02:00:00+00:00"
    log.update(4, {"status": "fixed"})
    log.update(4, {"status": "closed"})
    clock.now = "2025-11-20T02:10:00+00:00"
    log.update(3, {"status": "fixed", "resolution": "补齐配置", "fixed_in": "run 1"})
    clock.now = "2025-11-20T03:00:00+00:00"
    log.update(5, {"status": "by_design", "resolution": "已培训"})
    _add_release_run(store)
    return workspace, store


def _add_release_run(store: Store) -> None:
    snapshot = {"name": "release", "title": "版本发布", "phases": [{"id": "p", "name": "发布", "steps": [
        {"id": "backup", "name": "发布前备份", "kind": "manual"},
        {"id": "login", "name": "登录页可用", "kind": "http"},
        {"id": "disk", "name": "磁盘空间", "kind": "shell"},
        {"id": "released", "name": "发布记录改为已发布", "kind": "release_status"}]}]}
    run_id = store.create_run(playbook="release", playbook_path="release.yaml", playbook_hash="x",
                              playbook_snapshot=snapshot, environment="prod", production=True,
                              variables={}, operator="张三")
    for step, status, summary in (("backup", "passed", "signed off"), ("login", "failed", "status 500"),
                                  ("disk", "passed", "2 host(s) passed")):
        store.step_started(run_id, step, "p", 1, [])
        store.step_finished(run_id, step, 1, status, summary, {})
    store.set_run_status(run_id, "failed", finished=True)
    with store.transaction():
        store.db.execute("UPDATE runs SET started = ?, finished = ? WHERE id = ?",
                         ["2025-11-20T11:00:00+00:00", "2025-11-20T11:20:00+00:00", run_id])


@pytest.fixture
def dataset(tmp_path: Path) -> tuple[Workspace, Store]:
    return build_dataset(tmp_path / "ws")


@pytest.fixture
def report(dataset: tuple[Workspace, Store]) -> DailyReport:
    workspace, store = dataset
    return collect_daily(store, workspace.site, DAY, plan=["上午发布 v1.3", "第二批用户培训"], with_all_issues=True)


def test_counts_and_sections(report: DailyReport) -> None:
    counts = report.counts
    assert (counts.new_today, counts.resolved_today, counts.open_total, counts.overdue, counts.total) == (3, 2, 3, 1, 6)
    assert counts.open_by_severity == {"P0": 0, "P1": 1, "P2": 2, "P3": 0}
    assert [i.id for i in report.new_today] == [3, 1, 6]
    assert [i.id for i in report.resolved_today] == [3, 5]
    assert [(i.id, i.days_overdue) for i in report.overdue] == [(2, 1)]
    assert report.still_open == []  # 1 and 6 were reported today: listed among the new ones
    assert [i.id for i in report.due_tomorrow] == [1]
    assert [(r.title, r.status, r.steps_passed, r.steps_total, r.failures) for r in report.runs] == [
        ("版本发布", "failed", 2, 3, ("登录页可用",))]
    assert [(c.title, c.status) for c in report.checks] == [("登录页可用", "failed"), ("磁盘空间", "passed")]
    assert sorted(i.id for i in report.all_issues) == [1, 2, 3, 5, 6]


def test_only_a_release_run_on_production_is_labelled_a_release(dataset: tuple[Workspace, Store]) -> None:
    """pre-release-backup on prod backs up and checks freshness: it runs on production, releases nothing."""
    workspace, store = dataset
    snapshot = {"name": "pre-release-backup", "title": "上线前备份", "phases": [{"id": "b", "name": "备份", "steps": [
        {"id": "backup.all", "name": "备份全部目标并校验", "kind": "backup"},
        {"id": "backup.fresh", "name": "有新鲜备份", "kind": "gate"}]}]}
    run_id = store.create_run(playbook="pre-release-backup", playbook_path="p.yaml", playbook_hash="x",
                              playbook_snapshot=snapshot, environment="prod", production=True, variables={},
                              operator="李四")
    for step in ("backup.all", "backup.fresh"):
        store.step_started(run_id, step, "b", 1, [])
        store.step_finished(run_id, step, 1, "passed", "ok", {})
    store.set_run_status(run_id, "passed", finished=True)
    with store.transaction():
        store.db.execute("UPDATE runs SET started = ?, finished = ? WHERE id = ?",
                         ["2025-11-20T10:00:00+00:00", "2025-11-20T10:05:00+00:00", run_id])
    report = collect_daily(store, workspace.site, DAY)
    assert [(run.playbook, run.release) for run in report.runs] == [("release", True), ("pre-release-backup", False)]
    text = render_daily(report, "txt", "zh")
    assert "1. 【发布】版本发布（prod）" in text and "2. 上线前备份（prod）通过，2/2 步通过" in text
    assert "【发布】上线前备份" not in text
    assert "**发布** 上线前备份" not in render_daily(report, "md", "zh")
    assert "[发布] 上线前备份" not in render_daily(report, "html", "zh")


def test_text_in_chinese_reads_well_in_wechat(report: DailyReport) -> None:
    text = render_daily(report, "txt", "zh")
    assert text.startswith("【测试项目】试运行日报 2025-11-20（周四）\n客户：测试客户\n")
    assert "· 今日新增 3 项，今日解决 2 项" in text
    assert "· 未解决 3 项（P0 0 / P1 1 / P2 2 / P3 0），其中逾期 1 项 ⚠" in text
    assert "1. [P0] 市级接口推送失败 — 接口\n   负责人 张三｜截止 11-20｜已修复" in text
    assert "1. [P0] 市级接口推送失败 — 已修复｜处理：补齐配置｜修复于 run 1" in text
    assert "1. ⚠[P2] 报表导出乱码\n   负责人 李四｜截止 11-19（逾期 1 天）｜处理中" in text
    assert "负责人 未指派｜截止 未定｜新建" in text
    assert "1. 【发布】版本发布（prod）失败，2/3 步通过\n   19:00–19:20｜执行人 张三｜✗ 登录页可用" in text
    assert "· ✗ 登录页可用（prod）失败：status 500" in text
    assert "1. 上午发布 v1.3\n2. 第二批用户培训\n· 明日到期：[P1] 登录页面白屏（张三）" in text
    assert "\n\n\n" not in text and "审计链 #" in text


def test_text_in_english(report: DailyReport) -> None:
    text = render_daily(report, "txt", "en")
    assert text.startswith("[测试项目] Trial operation daily report 2025-11-20 (Thu)\nClient: 测试客户\n")
    assert "· 3 reported today, 2 resolved today" in text
    assert "4. Overdue (1) ⚠\n1. ⚠[P2] 报表导出乱码\n   owner 李四 | due 11-19 (1 day overdue) | in progress" in text
    assert "[release] 版本发布 (prod) failed, 2/3 steps passed" in text
    assert "（" not in text.replace("（周", "")


def test_markdown_for_robots_has_no_tables(report: DailyReport) -> None:
    for lang, heading in (("zh", "### 四、逾期未解决（1） ⚠"), ("en", "### 4. Overdue (1) ⚠")):
        text = render_daily(report, "md", lang)
        assert heading in text and "|---" not in text
    assert "⚠ **[P2] 报表导出乱码**｜负责人 李四｜截止 11-19（**逾期 1 天**）" in render_daily(report, "md", "zh")


def test_html_escapes_and_marks_overdue_rows(report: DailyReport) -> None:
    page = render_daily(report, "html", "zh")
    assert "<script>" not in page and "短信收不到 &lt;script&gt;" in page
    assert '<tr class="overdue"><td>2</td>' in page and "逾期 1 天" in page
    assert "Overdue" in render_daily(report, "html", "en")


@pytest.mark.parametrize("lang, sheets, header", [
    ("zh", ["汇总", "问题清单"], ["编号", "严重程度", "标题"]),
    ("en", ["Summary", "Issues"], ["ID", "Severity", "Title"]),
])
def test_xlsx_summary_and_issues_sheets(report: DailyReport, tmp_path: Path, lang: str, sheets: list[str],
                                        header: list[str]) -> None:
    from openpyxl import load_workbook

    book = load_workbook(write_daily_xlsx(report, lang, tmp_path / "daily.xlsx"))
    assert book.sheetnames == sheets
    summary = {row[0]: row[1] for row in book[sheets[0]].iter_rows(values_only=True)}
    assert summary["今日新增" if lang == "zh" else "Reported today"] == 3
    assert summary["逾期未解决" if lang == "zh" else "Overdue"] == 1
    rows = list(book[sheets[1]].iter_rows())
    assert [cell.value for cell in rows[0][:3]] == header
    by_id = {row[0].value: row for row in rows[1:]}
    assert sorted(by_id) == [1, 2, 3, 5, 6]
    assert by_id[2][8].value == ("逾期 1 天" if lang == "zh" else "1 day overdue")
    formats = list(book[sheets[1]].conditional_formatting)
    assert str(formats[0].sqref) == "A2:O6"
    rule = formats[0].rules[0]
    assert rule.formula == ["LEN($I2)>0"] and rule.dxf.fill.bgColor.rgb.endswith("FDE8E8")
    assert by_id[1][8].value is None  # not overdue: the rule leaves the row white


def test_long_sections_are_capped_with_a_pointer_to_the_sheet(dataset: tuple[Workspace, Store],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    workspace, store = dataset
    monkeypatch.setattr(daily, "LISTED", 1)
    text = render_daily(collect_daily(store, workspace.site, DAY), "txt", "zh")
    assert "（另有 2 项未列出，详见 Excel 清单）" in text


def test_a_whole_description_typed_as_a_title_is_cut_in_the_chat_message_not_in_the_sheet(
        dataset: tuple[Workspace, Store], tmp_path: Path) -> None:
    # 3000 characters typed on the phone were sent twice, whole, in the group's daily report.
    workspace, store = dataset
    title = "点提交后白屏" * 500
    IssueLog(store, workspace.site.tz, "pm", clock=Clock()).add(IssueDraft(title, reported_at=at("2025-11-20 17:00")))
    report = collect_daily(store, workspace.site, DAY, with_all_issues=True)
    for fmt in ("txt", "md"):
        text = render_daily(report, fmt, "zh")
        assert title[:200] not in text and title[:20] in text and "…" in text
        assert len(text.encode("utf-8")) < 4096  # one robot message, as before the long issue came
    assert title in render_daily(report, "html", "zh")
    from openpyxl import load_workbook
    sheet = load_workbook(write_daily_xlsx(report, "zh", tmp_path / "d.xlsx")).worksheets[1]
    assert any(row[2] == title for row in sheet.iter_rows(values_only=True))


def test_workspace_templates_win_and_errors_name_the_file(dataset: tuple[Workspace, Store]) -> None:
    workspace, store = dataset
    (workspace.root / "templates").mkdir()
    (workspace.root / "templates" / "daily.txt.j2").write_text(
        "{{ r.site_name }} 未解决 {{ r.counts.open_total }} {{ t.overdue }}\n", encoding="utf-8")
    report = collect_daily(store, workspace.site, DAY)
    assert render_daily(report, "txt", "zh", workspace.root) == "测试项目 未解决 3 逾期未解决\n"
    (workspace.root / "templates" / "daily.md.j2").write_text("{{ r.nothing_here }}", encoding="utf-8")
    with pytest.raises(UsageError, match=r"templates/daily\.md\.j2.*nothing_here"):
        render_daily(report, "md", "zh", workspace.root)


def test_plan_kept_in_the_workspace(dataset: tuple[Workspace, Store]) -> None:
    workspace, store = dataset
    (workspace.root / "data").mkdir()
    (workspace.root / "data" / "plan.txt").write_text("# 明日\n- 回访刘科长\n\n- 发布 v1.3\n", encoding="utf-8")
    report = collect_daily(store, workspace.site, DAY, workspace_root=workspace.root)
    assert report.plan == ["回访刘科长", "发布 v1.3"]


def test_cli_daily_in_every_format(dataset: tuple[Workspace, Store], tmp_path: Path) -> None:
    workspace, _store = dataset
    root = workspace.root
    text = run_cli(root, "report", "daily", "--date", "2025-11-20", "--plan", "回访；发布")
    assert text.returncode == 0, text.stderr
    assert "今日新增 3 项" in text.stdout and "1. 回访\n2. 发布" in text.stdout
    for fmt in ("md", "html"):
        out = tmp_path / f"daily.{fmt}"
        written = run_cli(root, "report", "daily", "--date", "2025-11-20", "--format", fmt, "--lang", "en",
                          "--out", str(out))
        assert written.returncode == 0 and "3 reported today" in out.read_text(encoding="utf-8")
    sheet = run_cli(root, "report", "daily", "--date", "2025-11-20", "--format", "xlsx", "--out",
                    str(tmp_path / "d.xlsx"))
    assert sheet.returncode == 0 and (tmp_path / "d.xlsx").stat().st_size > 0
    bad = run_cli(root, "report", "daily", "--date", "下个月")
    assert bad.returncode == 2 and "无法把“下个月”解读为日期" in bad.stderr


def test_out_names_the_format_and_a_contradicting_format_is_refused(dataset: tuple[Workspace, Store],
                                                                    tmp_path: Path) -> None:
    # `--out 日报.xlsx` without --format wrote the text report into a file Excel could not open.
    from openpyxl import load_workbook
    root = dataset[0].root
    sheet, page = tmp_path / "日报.xlsx", tmp_path / "日报.html"
    assert run_cli(root, "report", "daily", "--date", "2025-11-20", "--out", str(sheet)).returncode == 0
    assert load_workbook(sheet).sheetnames[0] == "汇总"
    assert run_cli(root, "report", "daily", "--date", "2025-11-20", "--out", str(page)).returncode == 0
    assert page.read_text(encoding="utf-8").lstrip().startswith("<")
    wrong = tmp_path / "日报2.xlsx"
    refused = run_cli(root, "report", "daily", "--date", "2025-11-20", "--format", "md", "--out", str(wrong))
    assert refused.returncode == 2 and "--format" in refused.stderr and "xlsx" in refused.stderr
    assert "Traceback" not in refused.stderr and not wrong.exists()


def test_an_xlsx_report_of_a_workspace_without_issues_is_written(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    workspace = load_workspace(write_workspace(tmp_path / "ws"))
    store = Store.open(workspace.store_path)
    report = collect_daily(store, workspace.site, DAY, plan=[], with_all_issues=True)
    path = write_daily_xlsx(report, "zh", tmp_path / "日报.xlsx")
    assert [sheet.max_row for sheet in load_workbook(path).worksheets][1] == 1  # the header alone
