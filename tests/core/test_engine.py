"""The engine on the local transport: results stored per host, people asked through the
Prompter, every decision recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from launchpad.hosts.connect import HostConnections
from launchpad.phrases import render
from launchpad.run.engine import Engine, RunResult
from launchpad.run.events import CommandSent, Event, GateRefused, Notice, OutputLine, StepFinished
from launchpad.run.playbook import load_playbook
from launchpad.run.prompter import FailureChoice, Prompter, SignOff
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.scripted import ScriptedPrompter
from tests.workspaces import write_workspace


def playbook_text(steps: str, vars_: str = "") -> str:
    return (
        "name: t\ntitle: 测试\n"
        + vars_
        + "phases:\n  - id: p\n    name: 阶段\n    steps:\n"
        + "".join(f"      {line}\n" for line in steps.strip("\n").splitlines())
    )


class Harness:
    def __init__(self, root: Path, playbook: str) -> None:
        write_workspace(root, playbooks={"t": playbook})
        self.root = root
        self.workspace = load_workspace(root)
        self.store = Store.open(self.workspace.store_path)
        self.events: list[Event] = []

    def run(
        self,
        prompter: Prompter,
        env: str = "test",
        variables: dict[str, str] | None = None,
        resume: int | None = None,
    ) -> RunResult:
        loaded = load_playbook(self.root / "playbooks" / "t.yaml")
        with HostConnections(self.workspace, env) as connections:
            engine = Engine(self.workspace, self.store, prompter, connections.transport_for, emit=self.events.append)
            if resume is not None:
                return engine.resume(resume, loaded)
            return engine.start(loaded, env, variables or {})

    def decisions(self, run_id: int) -> list[dict[str, Any]]:
        return self.store.decisions(run_id)

    def step_status(self, run_id: int) -> dict[str, str]:
        return {k: v["status"] for k, v in self.store.latest_step_states(run_id).items()}


def test_shell_step_runs_on_every_host_of_the_group(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: hello, name: 问好, kind: shell, hosts: app, run: echo 你好}"))
    result = h.run(ScriptedPrompter())
    assert result.status == "passed" and result.exit_code == 0
    rows = h.store.host_rows(result.run_id, "hello")
    assert sorted(r["host"] for r in rows) == ["app1", "app2"]
    assert all(r["status"] == "passed" and r["exit_code"] == 0 and "你好" in r["stdout"] for r in rows)
    assert {e.host for e in h.events if isinstance(e, OutputLine)} == {"app1", "app2"}
    assert [e.command for e in h.events if isinstance(e, CommandSent)] == ["echo 你好"] * 2


def test_expectations_fail_the_step(tmp_path: Path) -> None:
    steps = """
- id: code
  name: exit code
  kind: shell
  run: exit 3
- id: number
  name: disk
  kind: shell
  run: echo 'used 93%'
  expect: {number: {pattern: '(\\d+)%', max: 90, label: disk}}
"""
    h = Harness(tmp_path / "ws", playbook_text(steps))
    prompter = ScriptedPrompter(failures=[FailureChoice("skip", "known"), FailureChoice("abort")])
    result = h.run(prompter)
    # The person chose to abort: the run is recorded as aborted, the step as failed.
    assert result.status == "aborted" and result.exit_code == 1
    assert h.step_status(result.run_id) == {"code": "skipped", "number": "failed"}
    messages = [r["message"] for r in h.store.host_rows(result.run_id, "number")]
    assert all("disk 93 is above the maximum 90" in m for m in messages)


def test_variable_reaches_the_command_as_a_literal(tmp_path: Path) -> None:
    evil = "$(touch /tmp/launchpad-pwned-x); rm -rf ~"
    h = Harness(
        tmp_path / "ws",
        playbook_text(
            "- {id: echo, name: echo, kind: shell, hosts: app1, run: 'printf %s {{ value }} > value.txt'}",
            vars_="vars:\n  value: {prompt: 值}\n",
        ),
    )
    result = h.run(ScriptedPrompter(), variables={"value": evil})
    assert result.status == "passed"
    assert (h.root / "value.txt").read_text() == evil
    assert not Path("/tmp/launchpad-pwned-x").exists()


def test_retry_only_the_failed_hosts(tmp_path: Path) -> None:
    # mkdir is atomic: exactly one of the two hosts creates the directory, the other fails.
    h = Harness(tmp_path / "ws", playbook_text("- {id: once, name: once, kind: shell, hosts: app, run: mkdir lock}"))

    def clear_and_retry(request: Any) -> FailureChoice:
        assert len(request.failed_hosts) == 1
        (h.root / "lock").rmdir()
        return FailureChoice("retry_failed")

    result = h.run(ScriptedPrompter(failures=[clear_and_retry]))
    assert result.status == "passed"
    second = [r for r in h.store.host_rows(result.run_id, "once") if r["attempt"] == 2]
    assert len(second) == 1 and second[0]["status"] == "passed"
    assert [d["kind"] for d in h.decisions(result.run_id)] == ["retried_failed"]


def test_critical_step_cannot_be_skipped(tmp_path: Path) -> None:
    h = Harness(
        tmp_path / "ws",
        playbook_text(
            "- {id: must, name: 必须, kind: shell, critical: true, run: 'false'}\n"
            "- {id: after, name: after, kind: shell, run: touch after}"
        ),
    )
    result = h.run(ScriptedPrompter(failures=[FailureChoice("skip", "please")]))
    assert result.status == "failed"
    assert not (h.root / "after").exists()
    assert h.decisions(result.run_id)[-1]["kind"] == "aborted"


def test_production_needs_the_typed_name(tmp_path: Path) -> None:
    steps = "- {id: danger, name: 重启服务, kind: shell, confirm: true, run: touch restarted}"
    h = Harness(tmp_path / "ws", playbook_text(steps))
    wrong = h.run(ScriptedPrompter(typed_name="prdo"), env="prod")
    assert wrong.status == "aborted"
    assert not (h.root / "restarted").exists()
    assert h.decisions(wrong.run_id)[-1]["reason"] == "environment name typed wrong"
    right = h.run(ScriptedPrompter(typed_name="prod"), env="prod")
    assert right.status == "passed" and (h.root / "restarted").exists()


def test_manual_sign_off_is_recorded(tmp_path: Path) -> None:
    h = Harness(
        tmp_path / "ws",
        playbook_text(
            "- {id: click, name: 点击主流程, kind: manual, critical: true,"
            " instructions: '登录后点击 {{ site.client }}'}"
        ),
    )
    prompter = ScriptedPrompter(sign_offs=[SignOff(True, by="王五", note="主流程正常")])
    result = h.run(prompter)
    assert result.status == "passed"
    assert "测试客户" in prompter.asked[0].instructions
    decision = h.decisions(result.run_id)[0]
    assert (decision["kind"], decision["actor"], decision["reason"]) == ("signed_off", "王五", "主流程正常")


def test_window_gate_override_needs_a_reason_and_is_audited(tmp_path: Path) -> None:
    from launchpad.store.audit import iter_audit

    h = Harness(tmp_path / "ws", playbook_text("- {id: window, name: 发布窗口, kind: gate, window: never_today}"))
    refused = h.run(ScriptedPrompter())
    assert refused.status == "refused" and refused.exit_code == 4
    assert any(isinstance(e, GateRefused) for e in h.events)
    overridden = h.run(ScriptedPrompter(override_reason="客户书面同意"))
    assert overridden.status == "passed"
    actions = [(e["action"] if isinstance(e, dict) else e.action) for e in iter_audit(h.store.db)]
    assert "decision:overrode" in actions


def test_approval_gate_records_form_and_approver(tmp_path: Path) -> None:
    from launchpad.run.prompter import Approval

    h = Harness(
        tmp_path / "ws", playbook_text("- {id: form, name: 数据变更审批, kind: gate, approval: {form: 数据变更单}}")
    )
    assert h.run(ScriptedPrompter()).status == "refused"
    result = h.run(ScriptedPrompter(approval=Approval("BG-2026-017", "李四")))
    assert result.status == "passed"
    decision = h.decisions(result.run_id)[0]
    assert decision["kind"] == "approved" and "BG-2026-017" in str(decision["detail"])


def test_resume_asks_before_rerunning_an_interrupted_step(tmp_path: Path) -> None:
    steps = (
        "- {id: first, name: first, kind: shell, run: echo 1 >> log}\n"
        "- {id: second, name: second, kind: shell, run: echo 2 >> log}"
    )
    h = Harness(tmp_path / "ws", playbook_text(steps))
    loaded = load_playbook(h.root / "playbooks" / "t.yaml")
    pb = loaded.playbook
    run_id = h.store.create_run(
        playbook=pb.name,
        playbook_path=str(loaded.path),
        playbook_hash=pb.digest(),
        playbook_snapshot=pb.snapshot(),
        environment="test",
        production=False,
        variables={},
        operator="tester",
    )
    h.store.step_started(run_id, "first", "p", 1, ["app1"])
    h.store.step_finished(run_id, "first", 1, "passed", "done", {})
    h.store.step_started(run_id, "second", "p", 1, ["app1"])  # died here
    h.store.set_run_status(run_id, "interrupted", finished=False)
    declined = ScriptedPrompter(rerun=False)
    assert h.run(declined, resume=run_id).status == "interrupted"
    assert not (h.root / "log").exists()
    assert h.step_status(run_id)["second"] == "interrupted"
    result = h.run(ScriptedPrompter(rerun=True), resume=run_id)
    assert result.status == "passed"
    assert (h.root / "log").read_text().split() == ["2", "2"]  # two hosts, second step only


def test_resume_says_what_changed(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: a, name: a, kind: shell, run: 'false'}"))
    first = h.run(ScriptedPrompter())
    assert first.status == "failed"
    h.store.set_run_status(first.run_id, "interrupted", finished=False)
    (h.root / "playbooks" / "t.yaml").write_text(
        playbook_text("- {id: a, name: a, kind: shell, run: 'true'}\n- {id: b, name: b, kind: shell, run: 'true'}")
    )
    result = h.run(ScriptedPrompter(), resume=first.run_id)
    assert result.status == "passed"
    notices = [e.text for e in h.events if isinstance(e, Notice)]
    assert any("step a was changed" in str(n) and "step b was added" in str(n) for n in notices)
    assert any(render(n, "zh") == "本次运行开始后，操作手册有改动：新增了步骤 b；步骤 a 有改动" for n in notices)


def test_steps_limited_to_environments_are_skipped_elsewhere(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: p, name: p, kind: shell, environments: [prod], run: 'false'}"))
    result = h.run(ScriptedPrompter())
    assert result.status == "passed"
    assert [e.status for e in h.events if isinstance(e, StepFinished)] == []
    assert h.step_status(result.run_id) == {"p": "skipped"}


@pytest.mark.parametrize("bad", ["1.2", "abc"])
def test_variable_validation(tmp_path: Path, bad: str) -> None:
    from launchpad.errors import UsageError

    h = Harness(
        tmp_path / "ws",
        playbook_text(
            "- {id: a, name: a, kind: shell, run: 'true'}", vars_="vars:\n  version: {pattern: '\\d+\\.\\d+\\.\\d+'}\n"
        ),
    )
    with pytest.raises(UsageError, match="does not have the form this playbook asks for"):
        h.run(ScriptedPrompter(), variables={"version": bad})


def test_a_last_line_without_newline_is_shown(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: p, name: p, kind: shell, hosts: app1, run: printf 末行}"))
    assert h.run(ScriptedPrompter()).status == "passed"
    assert [e.line for e in h.events if isinstance(e, OutputLine)] == ["末行"]


def test_production_name_not_given_is_not_called_typed_wrong(tmp_path: Path) -> None:
    # No terminal and no --confirm: nobody typed anything, so the record must not say a name
    # was typed wrong (typed '', not 'prod'), only that none was given.
    steps = "- {id: danger, name: 重启服务, kind: shell, confirm: true, run: touch restarted}"
    h = Harness(tmp_path / "ws", playbook_text(steps))
    result = h.run(ScriptedPrompter(typed_name="  "), env="prod")
    assert result.status == "aborted" and not (h.root / "restarted").exists()
    assert h.decisions(result.run_id)[-1]["reason"] == "environment name not typed"
    notices = [render(e.text, "zh") for e in h.events if isinstance(e, Notice)]
    assert notices == ["未输入环境名称“prod”：步骤未执行"]


class DeclinesStep(ScriptedPrompter):
    """Yes to every confirmation but the one of step `declined`."""

    def __init__(self, declined: str) -> None:
        super().__init__(failures=[FailureChoice("abort")])
        self.declined = declined

    def confirm(self, request: Any) -> bool:
        self.asked.append(request)
        return request.step_id != self.declined


@pytest.mark.parametrize(("order", "says_stopped"), [(["undo", "restore"], False), (["restore", "undo"], True)])
def test_a_rollback_step_declined_says_the_rest_was_not_run_only_when_some_was_left(
        tmp_path: Path, order: list[str], says_stopped: bool) -> None:
    # The bundled release's last rollback step, the restore, is declined whenever the release
    # changed no data: nothing of the rollback is left then, and the run must not say otherwise.
    rollback = {"undo": "{id: undo, name: 切回, kind: shell, run: touch undone}",
                "restore": "{id: restore, name: 恢复备份, kind: shell, confirm: true, run: touch restored}"}
    text = playbook_text("- {id: switch, name: 切换, kind: shell, run: 'false'}") + "    rollback:\n" + "".join(
        f"      - {rollback[step]}\n" for step in order)
    h = Harness(tmp_path / "ws", text)
    result = h.run(DeclinesStep("restore"))
    assert result.status == "aborted"
    assert (h.root / "undone").exists() is (order[0] == "undo") and not (h.root / "restored").exists()
    notices = [render(e.text, "zh") for e in h.events if isinstance(e, Notice)]
    assert any(n.startswith("回滚已停止") for n in notices) is says_stopped, notices


def test_a_variable_refused_says_what_to_give_instead(tmp_path: Path) -> None:
    # The pattern alone (^[0-9]{1,9}$) does not tell a field engineer what the value is: the
    # refusal names the option to give again and the playbook's own question for it.
    from launchpad.errors import UsageError

    h = Harness(tmp_path / "ws", playbook_text(
        "- {id: a, name: a, kind: shell, run: 'true'}",
        vars_="vars:\n  release: {prompt: 发布编号（launchpad release list 中的编号）, pattern: '^[0-9]{1,9}$'}\n"))
    with pytest.raises(UsageError) as refused:
        h.run(ScriptedPrompter(), variables={"release": "abc"})
    assert render(refused.value.said_hint, "zh") == \
        "请重新给出 --var release=…：发布编号（launchpad release list 中的编号）"


def test_every_variable_nobody_can_be_asked_for_is_named_at_once(tmp_path: Path) -> None:
    """Without a terminal the run does not refuse one missing value at a time (three tries for
    three values): every variable without one is named, with its question, before anything runs."""
    from launchpad.cli.prompter import CliPrompter
    from launchpad.errors import UsageError

    h = Harness(tmp_path / "ws", playbook_text(
        "- {id: a, name: a, kind: shell, run: 'true'}",
        vars_="vars:\n  release: {prompt: 发布编号}\n  package: {prompt: 包名, default: portal}\n"
              "  version: {prompt: 版本号}\n"))
    with pytest.raises(UsageError) as refused:
        h.run(CliPrompter("tester", interactive=False))
    assert render(refused.value.said, "zh") == "变量 release、version 需要值（release = 发布编号、version = 版本号）"
    assert render(refused.value.said_hint, "zh") == "请传入 --var release=… --var version=…"
    assert h.store.read("SELECT COUNT(*) AS n FROM runs", [])[0]["n"] == 0  # nothing ran
    with pytest.raises(UsageError) as one:
        h.run(CliPrompter("tester", interactive=False), variables={"release": "1"})
    assert render(one.value.said, "zh") == "变量 version 需要一个值"
