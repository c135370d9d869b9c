"""The run report lists a step a person did not confirm among the run's steps, by its title, though
it never started (a restore answered no in a rollback): the client reads what did not run where it
reads what did, and the decisions name steps by title too."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchpad.phrases import phrase
from launchpad.report.run import collect_run, render_run
from launchpad.store.db import Store
from launchpad.workspace.folder import Workspace
from tests.core.test_report import build_dataset
from tests.core.test_report_run_steps import _aborted_run

SNAPSHOT = {"name": "after-hours-release", "title": "下班后发布", "phases": [
    {"id": "deploy", "name": "部署", "steps": [{"id": "deploy.switch", "name": "切换到新版本", "kind": "shell"}],
     "rollback": [{"id": "deploy.switch-back", "name": "切回旧版本", "kind": "shell"},
                  {"id": "deploy.restore", "name": "恢复数据库", "kind": "restore"}]}]}


@pytest.fixture
def report(tmp_path: Path) -> dict[str, object]:
    workspace, store = build_dataset(tmp_path / "ws")

    def decided(run_id: int) -> None:
        store.record_decision(run_id, "rollback", "confirmed", "张三", phrase("engine.reason.rollback"))
        store.record_decision(run_id, "deploy.restore", "declined", "张三", phrase("engine.reason.not_confirmed"))

    _aborted_run(store, SNAPSHOT, (("deploy.switch", "failed"), ("deploy.switch-back", "passed")), decided)
    return _latest(store, workspace)


def _latest(store: Store, workspace: Workspace) -> dict[str, object]:
    [[run_id]] = store.db.execute("SELECT MAX(id) FROM runs").fetchall()
    return collect_run(store, workspace.site, run_id)


def test_the_declined_step_is_among_the_steps_after_those_that_ran(report: dict[str, object]) -> None:
    steps = report["steps"]
    assert isinstance(steps, list)
    assert [(s["title"], s["status"]) for s in steps] == [
        ("部署 / 切换到新版本", "failed"), ("部署 / 切回旧版本", "passed"), ("部署 / 恢复数据库", "declined")]


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_every_format_names_the_declined_step_as_not_run_and_decisions_by_title(
        report: dict[str, object], fmt: str) -> None:
    text = render_run(report, fmt, "zh")
    steps_part, decisions_part = text.split("确认与决定")[:2]
    assert "部署 / 恢复数据库" in steps_part and "未执行（未同意）" in steps_part, steps_part
    assert "部署 / 恢复数据库" in decisions_part and "deploy.restore" not in text, decisions_part
    assert "not run (declined)" in render_run(report, fmt, "en")


def test_a_step_declined_then_confirmed_and_run_is_listed_once_as_it_ran(tmp_path: Path) -> None:
    workspace, store = build_dataset(tmp_path / "ws")

    def decided(run_id: int) -> None:
        store.record_decision(run_id, "deploy.restore", "declined", "张三", phrase("engine.reason.not_confirmed"))
        store.record_decision(run_id, "deploy.restore", "confirmed", "张三", phrase("engine.reason.rollback"))

    _aborted_run(store, SNAPSHOT, (("deploy.switch", "failed"), ("deploy.restore", "passed")), decided)
    steps = _latest(store, workspace)["steps"]
    assert isinstance(steps, list)
    assert [(s["title"], s["status"]) for s in steps] == [("部署 / 切换到新版本", "failed"),
                                                          ("部署 / 恢复数据库", "passed")]


def test_a_runs_variables_are_joined_in_the_reports_language(tmp_path: Path) -> None:
    workspace, store = build_dataset(tmp_path / "ws")
    store.create_run(playbook="release", playbook_path="release.yaml", playbook_hash="x", playbook_snapshot=SNAPSHOT,
                     environment="prod", production=True, variables={"version": "v1.3", "batch": "2"},
                     operator="张三")
    report = _latest(store, workspace)
    assert "batch=2； version=v1.3 |" in render_run(report, "md", "zh")
    assert "batch=2; version=v1.3 |" in render_run(report, "md", "en")  # a full-width ； before
