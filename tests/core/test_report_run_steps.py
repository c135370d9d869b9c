"""The daily report counts a run's steps as the run meant them: the steps of its playbook it ran,
the rollback (run only after a failure) apart, and without steps not meant for its environment —
in every format alike."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from launchpad.report.daily import collect_daily
from launchpad.report.render import render_daily
from launchpad.report.xlsx import write_daily_xlsx
from launchpad.store.db import Store
from launchpad.workspace.folder import Workspace
from tests.core.test_report import DAY, build_dataset


@pytest.fixture
def dataset(tmp_path: Path) -> tuple[Workspace, Store]:
    return build_dataset(tmp_path / "ws")


def _rolled_back_release(store: Store) -> None:
    """A release on production whose switch failed, rolled back; a test-only step skipped as not for prod."""
    snapshot = {"name": "after-hours-release", "title": "下班后发布", "phases": [
        {"id": "deploy", "name": "部署", "steps": [
            {"id": "deploy.upload", "name": "上传安装包", "kind": "upload"},
            {"id": "deploy.smoke", "name": "测试环境冒烟", "kind": "shell", "environments": ["test"]},
            {"id": "deploy.switch", "name": "切换到新版本", "kind": "shell"},
            {"id": "deploy.ready", "name": "等待新版本", "kind": "wait"}],
         "rollback": [
            {"id": "deploy.switch-back", "name": "切回旧版本", "kind": "shell"},
            {"id": "deploy.rolled-back", "name": "发布记录改为已回退", "kind": "release_status"}]}]}
    _aborted_run(store, snapshot, (("deploy.upload", "passed"), ("deploy.smoke", "skipped"),
                                   ("deploy.switch", "failed"), ("deploy.switch-back", "passed"),
                                   ("deploy.rolled-back", "passed")))


def _aborted_run(store: Store, snapshot: dict[str, Any], steps: tuple[tuple[str, str], ...],
                 decided: Callable[[int], None] = lambda run_id: None) -> None:
    """The release run of `snapshot` on production, its steps ended as `steps` say, its decisions
    recorded by `decided`, aborted on the report's day."""
    run_id = store.create_run(playbook="after-hours-release", playbook_path="a.yaml", playbook_hash="x",
                              playbook_snapshot=snapshot, environment="prod", production=True,
                              variables={}, operator="张三")
    for step, status in steps:
        store.step_started(run_id, step, "deploy", 1, [])
        store.step_finished(run_id, step, 1, status, "", {})
    decided(run_id)
    store.set_run_status(run_id, "aborted", finished=True)
    with store.transaction():
        store.db.execute("UPDATE runs SET started = ?, finished = ? WHERE id = ?",
                         ["2025-11-20T12:00:00+00:00", "2025-11-20T12:20:00+00:00", run_id])


def test_a_rolled_back_release_counts_what_it_ran_and_its_rollback_apart(
        dataset: tuple[Workspace, Store], tmp_path: Path) -> None:
    workspace, store = dataset
    _rolled_back_release(store)
    report = collect_daily(store, workspace.site, DAY)
    run = report.runs[-1]
    assert (run.steps_passed, run.steps_total, run.rollback_passed, run.rollback_total) == (1, 2, 2, 2)
    assert run.failures == ("切换到新版本",)
    line = "下班后发布（prod）已中止，1/2 步通过"
    rollback = "回滚 2/2 步通过"
    for fmt in ("txt", "md", "html"):
        text = render_daily(report, fmt, "zh").replace("**", "")
        assert line in text and rollback in text, fmt
        assert "/5 步" not in text and "/4 步" not in text and "/3 步通过；" not in text
    assert "rollback: 2/2 steps passed" in render_daily(report, "txt", "en")
    summary = load_workbook(write_daily_xlsx(report, "zh", tmp_path / "d.xlsx")).worksheets[0]
    cells = [str(value) for row in summary.iter_rows(values_only=True) for value in row if value]
    assert any(line in cell and rollback in cell for cell in cells)


def test_a_run_without_a_rollback_says_none(dataset: tuple[Workspace, Store]) -> None:
    workspace, store = dataset
    text = render_daily(collect_daily(store, workspace.site, DAY), "txt", "zh")
    assert "版本发布（prod）失败，2/3 步通过" in text and "回滚" not in text


def test_a_rollback_step_a_person_declined_is_named_and_the_rollback_not_said_complete(
        dataset: tuple[Workspace, Store], tmp_path: Path) -> None:
    """The rollback switched back, then the person answered no to restoring the database: the run's
    line counts that step among the rollback's, not passed, and names it as not run, with why."""
    from launchpad.phrases import phrase

    workspace, store = dataset
    snapshot = {"name": "after-hours-release", "title": "下班后发布", "phases": [
        {"id": "deploy", "name": "部署", "steps": [
            {"id": "deploy.upload", "name": "上传安装包", "kind": "upload"},
            {"id": "deploy.switch", "name": "切换到新版本", "kind": "shell"}],
         "rollback": [
            {"id": "deploy.switch-back", "name": "切回旧版本", "kind": "shell"},
            {"id": "deploy.restore", "name": "恢复数据库", "kind": "restore"}]}]}

    def decided(run_id: int) -> None:
        store.record_decision(run_id, "rollback", "confirmed", "张三", phrase("engine.reason.rollback"))
        store.record_decision(run_id, "deploy.restore", "declined", "张三", phrase("engine.reason.not_confirmed"))

    _aborted_run(store, snapshot, (("deploy.upload", "passed"), ("deploy.switch", "failed"),
                                   ("deploy.switch-back", "passed")), decided)
    report = collect_daily(store, workspace.site, DAY)
    run = report.runs[-1]
    assert (run.rollback_passed, run.rollback_total) == (1, 2)
    assert [note.title for note in run.declined] == ["恢复数据库"]
    for fmt in ("txt", "md", "html"):
        text = render_daily(report, fmt, "zh").replace("**", "")
        assert "回滚 1/2 步通过" in text and "“恢复数据库”未执行" in text, fmt
        assert "回滚 1/1 步通过" not in text, fmt
    summary = load_workbook(write_daily_xlsx(report, "zh", tmp_path / "d.xlsx")).worksheets[0]
    cells = [str(value) for row in summary.iter_rows(values_only=True) for value in row if value]
    assert any("回滚 1/2 步通过" in cell and "“恢复数据库”未执行" in cell for cell in cells)


def test_a_rollback_the_person_declined_is_named_with_who_in_every_format(
        dataset: tuple[Workspace, Store], tmp_path: Path) -> None:
    """After the switch failed the person answered no to the whole rollback: none of it ran, and
    the run's line says so and who, rather than nothing at all (no rollback steps ran to count)."""
    from launchpad.phrases import phrase

    workspace, store = dataset
    snapshot = {"name": "after-hours-release", "title": "下班后发布", "phases": [
        {"id": "deploy", "name": "部署", "steps": [{"id": "deploy.note", "name": "<i>公告</i>", "kind": "shell"},
                                                   {"id": "deploy.switch", "name": "切换到新版本", "kind": "shell"}],
         "rollback": [{"id": "deploy.switch-back", "name": "切回旧版本", "kind": "shell"}]}]}

    def decided(run_id: int) -> None:
        store.record_decision(run_id, "deploy.note", "skipped", "张三", "已人工公告")
        store.record_decision(run_id, "rollback", "declined", "**李四**", phrase("engine.reason.rollback_not_run"))

    _aborted_run(store, snapshot, (("deploy.note", "skipped"), ("deploy.switch", "failed")), decided)
    report = collect_daily(store, workspace.site, DAY)
    run = report.runs[-1]
    assert (run.rollback_total, run.rollback_declined_by) == (0, "**李四**")
    for fmt in ("txt", "md", "html"):
        text = render_daily(report, fmt, "zh")
        assert "失败后提出的回滚未执行：" in text and "未确认" in text, fmt
        assert "**李四**" not in text or fmt != "md", fmt  # a person's name is text, never markup
        assert "已人工公告" in text and ("<i>" not in text or fmt != "html"), fmt  # a step's title too
    english = render_daily(report, "txt", "en")
    assert "rollback offered after the failure not run: **李四** did not confirm it" in english
    summary = load_workbook(write_daily_xlsx(report, "zh", tmp_path / "d.xlsx")).worksheets[0]
    cells = [str(value) for row in summary.iter_rows(values_only=True) for value in row if value]
    assert any("失败后提出的回滚未执行：**李四** 未确认" in cell for cell in cells)


def test_a_rollback_declined_and_then_confirmed_on_resume_is_not_said_declined(
        dataset: tuple[Workspace, Store]) -> None:
    from launchpad.phrases import phrase

    workspace, store = dataset
    snapshot = {"name": "after-hours-release", "title": "下班后发布", "phases": [
        {"id": "deploy", "name": "部署", "steps": [{"id": "deploy.switch", "name": "切换到新版本", "kind": "shell"}],
         "rollback": [{"id": "deploy.switch-back", "name": "切回旧版本", "kind": "shell"}]}]}

    def decided(run_id: int) -> None:
        store.record_decision(run_id, "rollback", "declined", "张三", phrase("engine.reason.rollback_not_run"))
        store.record_decision(run_id, "rollback", "confirmed", "张三", phrase("engine.reason.rollback"))

    _aborted_run(store, snapshot, (("deploy.switch", "failed"), ("deploy.switch-back", "passed")), decided)
    run = collect_daily(store, workspace.site, DAY).runs[-1]
    assert (run.rollback_passed, run.rollback_total, run.rollback_declined_by) == (1, 1, "")
    assert "回滚未执行" not in render_daily(collect_daily(store, workspace.site, DAY), "txt", "zh")


OVERRIDDEN = """\
name: after-hours
title: 下班后更新
phases:
  - id: prepare
    name: 准备
    steps:
      - {id: prepare.window, name: 在变更窗口内, kind: gate, window: never_today, critical: true}
      - {id: prepare.hello, name: 打个招呼, kind: shell, hosts: app, run: 'echo ok'}
"""


def test_a_gate_a_person_overrode_is_named_with_the_reason_in_every_format(tmp_path: Path) -> None:
    """The run reads passed, but the client reads that its window gate refused and the person who
    ran it went past with a reason — the person's words staying text."""
    from tests.commandline import launch
    from tests.workspaces import write_workspace

    root = write_workspace(tmp_path / "ws", playbooks={"after-hours": OVERRIDDEN})
    answers = tmp_path / "answers.yaml"
    answers.write_text('override: {prepare.window: "=1+1 <b>甲方同意</b> **白天**"}\n', encoding="utf-8")
    code, output = launch(root, "run", "after-hours", "--env", "test", "--answers", str(answers), "--yes")
    assert code == 0, output

    said = "“在变更窗口内”未通过，经人工越过："
    code, text = launch(root, "report", "daily")
    assert code == 0 and said + "=1+1 <b>甲方同意</b> **白天**" in text, text
    code, markdown = launch(root, "report", "daily", "--format", "markdown")
    assert code == 0 and said + "\\=1+1 ＜b＞甲方同意＜/b＞ \\*\\*白天\\*\\*" in markdown, markdown
    code, html = launch(root, "report", "daily", "--format", "html")
    assert code == 0 and said + "=1+1 &lt;b&gt;甲方同意&lt;/b&gt; **白天**" in html, html
    book = tmp_path / "d.xlsx"
    assert launch(root, "report", "daily", "--out", str(book))[0] == 0
    cells = [c for row in load_workbook(book).worksheets[0].iter_rows() for c in row if c.value]
    cell = next(c for c in cells if said in str(c.value))
    assert cell.data_type == "s" and "=1+1 <b>甲方同意</b>" in str(cell.value)
    code, english = launch(root, "--lang", "en", "report", "daily", "--lang", "en")
    assert "refused, overridden by a person: =1+1" in english, english


def test_the_html_report_joins_a_runs_failures_and_notes_with_the_parts_separator(
        dataset: tuple[Workspace, Store]) -> None:
    workspace, store = dataset
    _rolled_back_release(store)
    report = collect_daily(store, workspace.site, DAY)
    chinese = render_daily(report, "html", "zh")
    assert "；✗ 切换到新版本；↺ 回滚 2/2 步通过" in chinese and "; ✗" not in chinese
    assert "; ✗ 切换到新版本; ↺ rollback: 2/2 steps passed" in render_daily(report, "html", "en")
