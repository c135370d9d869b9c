"""A failed check in the daily report and in the monitoring message says what to do, as the
command line said it when the check failed (the step's recorded hint)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from launchpad.report.daily import collect_daily
from launchpad.report.monitoring import MONITORING_PLAYBOOK, monitoring_message
from launchpad.report.render import render_daily
from launchpad.report.xlsx import write_daily_xlsx
from launchpad.store.db import Store
from launchpad.workspace.folder import Workspace
from tests.core.test_report import DAY, build_dataset

HINT = "检查 nginx 是否在运行"


@pytest.fixture
def dataset(tmp_path: Path) -> tuple[Workspace, Store]:
    return build_dataset(tmp_path / "ws")


def _run(store: Store, playbook: str, title: str, started: str) -> None:
    snapshot = {"name": playbook, "title": title, "phases": [{"id": "p", "name": "检查", "steps": [
        {"id": "portal", "name": "门户首页可用", "kind": "http"},
        {"id": "disk", "name": "磁盘空间", "kind": "shell"}]}]}
    run_id = store.create_run(playbook=playbook, playbook_path=f"{playbook}.yaml", playbook_hash="x",
                              playbook_snapshot=snapshot, environment="test", production=False,
                              variables={}, operator="张三")
    store.step_started(run_id, "portal", "p", 1, [])
    store.step_finished(run_id, "portal", 1, "failed", "connection refused", {}, HINT)
    store.step_started(run_id, "disk", "p", 1, [])
    store.step_finished(run_id, "disk", 1, "passed", "2 host(s) passed", {})
    store.set_run_status(run_id, "failed", finished=True)
    with store.transaction():
        store.db.execute("UPDATE runs SET started = ?, finished = ? WHERE id = ?",
                         [started, started.replace("T12", "T13"), run_id])


@pytest.mark.parametrize("playbook", [MONITORING_PLAYBOOK, "environment-readiness"])
def test_a_failed_check_in_the_daily_report_says_what_to_do(dataset: tuple[Workspace, Store], playbook: str,
                                                            tmp_path: Path) -> None:
    workspace, store = dataset
    _run(store, playbook, "检查", "2025-11-20T12:00:00+00:00")
    report = collect_daily(store, workspace.site, DAY)
    for fmt in ("txt", "md", "html"):
        checks = render_daily(report, fmt, "zh").split("七、")[1].split("八、")[0]
        assert "门户首页可用" in checks and f"建议：{HINT}" in checks, fmt
        assert checks.count("建议") == 1, fmt  # the passed check has nothing to do
    summary = load_workbook(write_daily_xlsx(report, "zh", tmp_path / "d.xlsx")).worksheets[0]
    cells = [str(value) for row in summary.iter_rows(values_only=True) for value in row if value]
    assert any("connection refused" in cell and f"建议：{HINT}" in cell for cell in cells)


def test_the_monitoring_message_says_what_to_do_about_a_failed_check(dataset: tuple[Workspace, Store]) -> None:
    workspace, store = dataset
    _run(store, MONITORING_PLAYBOOK, "日常监控", "2025-11-20T12:00:00+00:00")
    for fmt in ("text", "markdown"):
        text = monitoring_message(store, workspace.site, DAY, "zh", fmt)
        assert f"建议：{HINT}" in text, fmt
