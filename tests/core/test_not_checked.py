"""A check that did not run never reads "passed": a step with nothing to check ends not checked,
a run with such steps or with a person's skips ends `partial`, and the run report and the daily
report name every skipped, unchecked and refused step with its reason."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import click
import pytest

from launchpad.errors import InvalidInput
from launchpad.report.daily import collect_daily
from launchpad.report.render import render_daily
from launchpad.report.run import collect_run, render_run
from launchpad.run.engine import PARTIAL_EXIT
from launchpad.run.playbook import load_playbook
from launchpad.run.prompter import FailureChoice, SignOff
from launchpad.workspace.scaffold import copy_bundled_playbooks
from tests.core.test_engine import Harness, playbook_text
from tests.scripted import ScriptedPrompter
from tests.workspaces import write_workspace

NOTHING_TO_CHECK = """\
- id: ports
  name: 应用端口正在监听
  kind: shell
  hosts: app
  run: 'echo "未配置需检查的端口（变量 ports 为空），本项不检查"; exit 100'
  expect: {not_checked_exit: 100}
- id: notice
  name: 发布通知
  kind: shell
  hosts: app1
  run: 'false'
- id: disk
  name: 磁盘空间
  kind: shell
  hosts: app
  run: 'echo ok'
"""


@pytest.fixture
def partial_run(tmp_path: Path) -> tuple[Harness, int]:
    h = Harness(tmp_path / "ws", playbook_text(NOTHING_TO_CHECK))
    result = h.run(ScriptedPrompter(failures=[FailureChoice("skip", "客户要求明早再发通知")]))
    assert (result.status, result.exit_code) == ("partial", PARTIAL_EXIT)
    return h, result.run_id


def test_a_step_with_nothing_to_check_is_not_checked(partial_run: tuple[Harness, int]) -> None:
    h, run_id = partial_run
    assert h.step_status(run_id) == {"ports": "not_checked", "notice": "skipped", "disk": "passed"}
    hosts = h.store.host_rows(run_id, "ports")
    assert {r["status"] for r in hosts} == {"not_checked"}
    summary = h.store.latest_step_states(run_id)["ports"]["summary"]
    assert summary == "未配置需检查的端口（变量 ports 为空），本项不检查"


def test_a_run_whose_steps_all_passed_still_passes(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: ok, name: ok, kind: shell, run: 'exit 100',"
                                               " expect: {exit: 100}}"))
    result = h.run(ScriptedPrompter())
    assert (result.status, result.exit_code) == ("passed", 0)


def test_a_step_not_meant_for_the_environment_does_not_make_the_run_partial(tmp_path: Path) -> None:
    only_prod = "- {id: p, name: 仅生产, kind: shell, environments: [prod], run: 'true'}"
    h = Harness(tmp_path / "ws", playbook_text(only_prod))
    assert h.run(ScriptedPrompter()).status == "passed"


def test_a_manual_skip_makes_the_run_partial(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: call, name: 电话通知客户, kind: manual}"))
    result = h.run(ScriptedPrompter(sign_offs=[SignOff(False, by="张三", skip_reason="客户今天不在")]))
    assert result.status == "partial"


def test_not_checked_exit_cannot_also_be_accepted(tmp_path: Path) -> None:
    write_workspace(tmp_path / "ws", playbooks={"t": playbook_text(
        "- {id: x, name: x, kind: shell, run: 'true', expect: {exit: [0, 100], not_checked_exit: 100}}")})
    with pytest.raises(InvalidInput, match="also an accepted exit code"):
        load_playbook(tmp_path / "ws" / "playbooks" / "t.yaml")


@pytest.mark.parametrize(("fmt", "lang"), [("text", "zh"), ("md", "zh"), ("html", "zh"), ("text", "en")])
def test_the_run_report_says_not_checked_and_skipped(partial_run: tuple[Harness, int], fmt: str, lang: str) -> None:
    h, run_id = partial_run
    text = render_run(collect_run(h.store, h.workspace.site, run_id), fmt, lang)
    if lang == "zh":
        assert "已结束，有跳过或未检查" in text
        assert "未检查" in text and "未配置需检查的端口" in text
        assert "失败后跳过：客户要求明早再发通知" in text
        ports_line = next(line for line in text.splitlines() if "应用端口正在监听" in line)
        assert "通过" not in ports_line
    else:
        assert "[not checked] 阶段 / 应用端口正在监听: 未配置需检查的端口" in text
        assert "skipped after failure: 客户要求明早再发通知" in text
        assert "Result: finished with skips or unchecked steps" in text


@pytest.mark.parametrize("fmt", ["txt", "md", "html"])
def test_the_daily_report_names_skips_and_unchecked_steps(partial_run: tuple[Harness, int], fmt: str) -> None:
    h, run_id = partial_run
    run = h.store.get_run(run_id)
    assert run is not None
    day = datetime.fromisoformat(run["started"]).astimezone(h.workspace.site.tz).date()
    report = collect_daily(h.store, h.workspace.site, day, plan=[])
    [line] = report.runs
    assert [(n.title, n.reason) for n in line.skipped] == [("发布通知", "客户要求明早再发通知")]
    assert [n.title for n in line.not_checked] == ["应用端口正在监听"]
    text = render_daily(report, fmt, "zh").replace("**", "")  # Markdown bolds the status
    assert "已结束，有跳过或未检查，1/3 步通过" in text
    assert "跳过“发布通知”：客户要求明早再发通知" in text
    assert "未检查“应用端口正在监听”：未配置需检查的端口（变量 ports 为空），本项不检查" in text
    checks = [row for row in text.splitlines() if "应用端口正在监听（test）" in row or "应用端口正在监听 (test)" in row]
    assert checks and all("✓" not in row and "通过" not in row for row in checks)


def test_the_daily_report_names_a_refused_gate(tmp_path: Path) -> None:
    gate = "- {id: form, name: 数据变更审批, kind: gate, approval: {form: 数据变更单}}"
    h = Harness(tmp_path / "ws", playbook_text(gate))
    result = h.run(ScriptedPrompter())
    run = h.store.get_run(result.run_id)
    assert run is not None
    day = datetime.fromisoformat(run["started"]).astimezone(h.workspace.site.tz).date()
    text = render_daily(collect_daily(h.store, h.workspace.site, day, plan=[]), "txt", "zh")
    assert "测试（test）被拒绝，0/1 步通过" in text
    assert "⊘ “数据变更审批”被拒绝：未填写数据变更单编号和审批人" in text


def test_bundled_readiness_with_no_ports_or_services_is_not_a_pass(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws")
    copy_bundled_playbooks(root / "playbooks", overwrite=True)
    run = subprocess.run(
        [sys.executable, "-m", "launchpad", "--workspace", str(root), "run", "environment-readiness",
         "--env", "test", "--yes"],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    # urls.login is not set in this site, so the login page check fails and nobody answers;
    # what matters here is that the port and service steps do not read as passed.
    out = run.stdout + run.stderr
    assert "Traceback" not in out
    assert "? 未检查：未配置需检查的端口（变量 ports 为空），本项不检查" in click.unstyle(run.stdout)
    listed = subprocess.run(
        [sys.executable, "-m", "launchpad", "--workspace", str(root), "runs", "show", "1", "--format", "json"],
        capture_output=True, text=True, timeout=60,
    )
    steps = {s["step_id"]: s["status"] for s in json.loads(listed.stdout)["steps"]}
    assert steps["services.ports"] == "not_checked" and steps["services.active"] == "not_checked"


def test_the_xlsx_summary_names_skips_and_unchecked_steps(partial_run: tuple[Harness, int], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from launchpad.report.xlsx import write_daily_xlsx

    h, run_id = partial_run
    run = h.store.get_run(run_id)
    assert run is not None
    day = datetime.fromisoformat(run["started"]).astimezone(h.workspace.site.tz).date()
    path = write_daily_xlsx(collect_daily(h.store, h.workspace.site, day, plan=[]), "zh", tmp_path / "日报.xlsx")
    cells = [str(c.value) for row in load_workbook(path).worksheets[0].iter_rows() for c in row]
    [line] = [c for c in cells if "1/3 步通过" in c]
    assert "跳过“发布通知”：客户要求明早再发通知" in line and "未检查“应用端口正在监听”" in line


def test_a_skip_reason_in_the_html_daily_report_is_text(tmp_path: Path) -> None:
    # The run lines' notes come from a shared macro file: it must escape in the HTML report too.
    h = Harness(tmp_path / "ws", playbook_text(NOTHING_TO_CHECK))
    reason = '<b onclick="x()">客户</b> & 明早'
    result = h.run(ScriptedPrompter(failures=[FailureChoice("skip", reason)]))
    run = h.store.get_run(result.run_id)
    assert run is not None
    day = datetime.fromisoformat(run["started"]).astimezone(h.workspace.site.tz).date()
    report = collect_daily(h.store, h.workspace.site, day, plan=[])
    page = render_daily(report, "html", "zh")
    assert "<b onclick" not in page
    assert "&lt;b onclick=&#34;x()&#34;&gt;客户&lt;/b&gt; &amp; 明早" in page
    text = render_daily(report, "txt", "zh")
    assert reason in text  # the text report keeps the words as they were typed


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "xlsx"])
def test_the_daily_report_says_why_a_run_stopped_with_every_step_passed(tmp_path: Path, fmt: str) -> None:
    """A run stopped because a person did not confirm a step (the release's switch declined, or
    production's name not given) read '已中止，1/1 步通过' and nothing more: the step not run and
    why are named, as a refused gate is."""
    steps = ("- {id: upload, name: 上传安装包, kind: shell, run: 'true'}\n"
             "- {id: switch, name: 切换到新版本, kind: shell, confirm: true, run: touch switched}")
    h = Harness(tmp_path / "ws", playbook_text(steps))
    result = h.run(ScriptedPrompter(confirm_answer=False))
    assert result.status == "aborted" and not (h.root / "switched").exists()
    run = h.store.get_run(result.run_id)
    assert run is not None
    day = datetime.fromisoformat(run["started"]).astimezone(h.workspace.site.tz).date()
    report = collect_daily(h.store, h.workspace.site, day, plan=[])
    if fmt == "xlsx":
        from openpyxl import load_workbook

        from launchpad.report.xlsx import write_daily_xlsx

        path = write_daily_xlsx(report, "zh", tmp_path / "日报.xlsx")
        text = "\n".join(str(c.value) for row in load_workbook(path).worksheets[0].iter_rows() for c in row)
    else:
        text = render_daily(report, fmt, "zh").replace("**", "")
    mark = "" if fmt == "xlsx" else "■ "  # the workbook's cell names the notes without marks
    assert "已中止，1/1 步通过" in text and f"{mark}“切换到新版本”未执行：未确认" in text, text
    assert "■ '切换到新版本' not run: not confirmed" in render_daily(report, "txt", "en")
