"""A step that fails with a launchpad error keeps what the error says to do next (its hint):
the engine keeps it for every step kind, and it reaches the live run output, the stored step,
the run report in each format and the release test report, the question asked after the
failure, and a gate's refusal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from launchpad.errors import UsageError
from launchpad.phrases import phrase, render
from launchpad.report.run import collect_run, render_run
from launchpad.run.events import GateRefused, StepFinished
from launchpad.run.prompter import FailureChoice, FailureRequest
from launchpad.steps import step_kinds
from launchpad.steps.base import StepOutcome
from launchpad.workspace.site import Site
from tests.core.test_engine import Harness, playbook_text
from tests.core.test_release import MORNING, SITE, launch, record, store_of
from tests.scripted import ScriptedPrompter
from tests.workspaces import write_workspace

# The brief's example: a `done` notice for release 1, which is only planned, does not fit it.
NOTICE = """\
name: notice
title: 发布通知
phases:
  - id: tell
    name: 通知
    steps:
      - {id: done, name: 发布完成通知, kind: announce, template: release_done, release: '1'}
"""
MISFIT = "发布 1（v2.3.1）当前为计划中，不能发“done”通知"
HINT_ZH = "→ 建议：与之相符的通知：`launchpad release notice 1 --kind before`"
HINT_EN = "→ the notice that fits it: `launchpad release notice 1 --kind before`"


@pytest.fixture
def planned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with release 1 recorded (planned) and a playbook announcing it as done."""
    monkeypatch.setattr(Site, "now", lambda self: MORNING)
    root = write_workspace(tmp_path / "ws", SITE, {"notice": NOTICE})
    assert record(root).exit_code == 0
    return root


def test_an_announce_step_refused_by_the_records_status_says_what_to_do_everywhere(planned: Path) -> None:
    run = launch(planned, "run", "notice", "--env", "test", "--yes")
    assert run.exit_code == 1, run.output
    lines = run.output.splitlines()
    failed = next(i for i, line in enumerate(lines) if MISFIT in line)
    assert lines[failed + 1].strip() == HINT_ZH, run.output  # under the step's line, as it runs

    with store_of(planned) as store:
        stored = store.latest_step_states(1)["done"]
    assert stored["status"] == "failed"
    assert stored["hint"] == "the notice that fits it: `launchpad release notice 1 --kind before`"

    text = launch(planned, "runs", "show", "1").output
    assert f"{MISFIT} {HINT_ZH}" in text
    for fmt in ("markdown", "html"):
        shown = launch(planned, "runs", "show", "1", "--format", fmt).output
        assert MISFIT in shown and "建议：与之相符的通知" in shown and "--kind before" in shown, shown
    english = launch(planned, "runs", "show", "1", "--lang", "en").output
    assert HINT_EN in english


def test_the_hint_comes_from_the_engine_for_a_kind_running_on_hosts_too(tmp_path: Path) -> None:
    """A step on hosts that fails before any host answers: its report line says why and what to
    do, not "0/2 hosts passed"; the person deciding about the failure is told both."""
    # An upload of an artifact that is not there fails in the engine's hands, with a hint.
    h = Harness(tmp_path / "ws", playbook_text(
        "- {id: ship, name: 上传, kind: upload, hosts: app, artifact: missing.jar, to: /tmp/x.jar}"))
    prompter = ScriptedPrompter(failures=[FailureChoice("abort", "")])
    result = h.run(prompter)
    stored = h.store.latest_step_states(result.run_id)["ship"]
    assert stored["status"] == "failed" and stored["hint"], stored
    asked = next(r for r in prompter.asked if isinstance(r, FailureRequest))
    assert str(asked.hint) == stored["hint"]
    finished = next(e for e in h.events if isinstance(e, StepFinished) and e.step_id == "ship")
    assert str(finished.hint) == stored["hint"]
    report = render_run(collect_run(h.store, h.workspace.site, result.run_id), "text", "zh")
    step_line = next(line for line in report.splitlines() if "上传" in line)
    assert "台主机通过" not in step_line and "→ 建议：" in step_line
    assert render(finished.summary, "zh") in step_line


def test_a_gate_that_cannot_be_checked_keeps_its_hint_with_the_refusal(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the gate: its check raising a launchpad error refuses it, hint and all."""

    def cannot_check(_step: object, _ctx: object) -> StepOutcome:
        raise UsageError(phrase("error.no_run", id=7), hint=phrase("store.see_runs"))

    monkeypatch.setitem(step_kinds(), "gate", replace(step_kinds()["gate"], execute=cannot_check))
    h = Harness(tmp_path / "ws", playbook_text("- {id: gate, name: 关卡, kind: gate, window: always}"))
    result = h.run(ScriptedPrompter(), env="prod")
    assert result.status == "refused"
    stored = h.store.latest_step_states(result.run_id)["gate"]
    refused = next(e for e in h.events if isinstance(e, GateRefused))
    finished = next(e for e in h.events if isinstance(e, StepFinished))
    assert stored["status"] == "refused" and stored["hint"] == str(phrase("store.see_runs"))
    assert refused.hint == finished.hint == phrase("store.see_runs")
    report = render_run(collect_run(h.store, h.workspace.site, result.run_id), "text", "zh")
    assert render(phrase("step.hint", hint=phrase("store.see_runs")), "zh") in report


def test_a_step_failing_without_a_launchpad_error_has_no_hint(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: broken, name: 失败, kind: shell, hosts: app, run: 'false'}"))
    result = h.run(ScriptedPrompter(failures=[FailureChoice("abort", "")]))
    assert h.store.latest_step_states(result.run_id)["broken"]["hint"] is None
    report = render_run(collect_run(h.store, h.workspace.site, result.run_id), "text", "zh")
    assert "建议" not in report and "0/2 台主机通过" in report


@pytest.mark.parametrize("fmt", ["text", "md", "html"])
def test_a_failed_step_a_person_skipped_still_says_what_failed_and_what_to_do(tmp_path: Path, fmt: str) -> None:
    """Skipping records the skip and its reason beside the failure, never instead of it: the
    stored step and the report keep what failed and its hint."""
    h = Harness(tmp_path / "ws", playbook_text(
        "- {id: ship, name: 上传, kind: upload, hosts: app, artifact: missing.jar, to: /tmp/x.jar}\n"
        "- {id: after, name: 之后, kind: shell, hosts: app, run: 'true'}"))
    result = h.run(ScriptedPrompter(failures=[FailureChoice("skip", "客户同意明天再传")]))
    assert result.status == "partial"
    failure = next(e for e in h.events if isinstance(e, StepFinished) and e.status == "failed")
    assert failure.hint, "the upload's refusal says what to do"
    stored = h.store.latest_step_states(result.run_id)["ship"]
    assert stored["status"] == "skipped" and stored["hint"] == str(failure.hint)
    assert stored["summary"] == f"skipped after failure: 客户同意明天再传; what failed: {failure.summary}"
    skipped = next(e for e in h.events if isinstance(e, StepFinished) and e.status == "skipped")
    assert skipped.hint == failure.hint and str(skipped.summary) == stored["summary"]

    # Markdown escapes the test folder's underscores
    report = render_run(collect_run(h.store, h.workspace.site, result.run_id), fmt, "zh").replace("\\_", "_")
    what_failed, hint = render(failure.summary, "zh"), render(failure.hint, "zh")
    assert f"失败后跳过：客户同意明天再传；失败情况：{what_failed}" in report, report
    assert hint in report and "建议" in report
    english = render_run(collect_run(h.store, h.workspace.site, result.run_id), fmt, "en").replace("\\_", "_")
    assert f"skipped after failure: 客户同意明天再传; what failed: {failure.summary}" in english
    assert str(failure.hint) in english
