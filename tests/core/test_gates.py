"""Gates and sign-offs: a refused gate stops the run whatever anyone answers, the only way past
is a window gate's override with a reason, and a sign-off names a person."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from launchpad.run.prompter import Approval, FailureChoice, FailureRequest, SignOff
from launchpad.store.audit import iter_audit
from launchpad.workspace.scaffold import copy_bundled_playbooks
from tests.core.test_engine import Harness, playbook_text
from tests.scripted import ScriptedPrompter
from tests.workspaces import write_workspace

# These tests read the command line's English words.
pytestmark = pytest.mark.usefixtures("english_cli")

GATES = {
    "window": "window: never_today",
    "approval": "approval: {form: 数据变更单}",
    "fresh_backup": "fresh_backup: 2h",
}
EVERY_SKIP = [FailureChoice("skip", "客户同意先跳过")] * 3


def gated(condition: str, critical: str = "false") -> str:
    return playbook_text(
        f"- {{id: gate, name: 关卡, kind: gate, critical: {critical}, {condition}}}\n"
        "- {id: change, name: 数据变更, kind: shell, run: touch changed}"
    )


def audit_actions(h: Harness) -> list[str]:
    return [e["action"] if isinstance(e, dict) else e.action for e in iter_audit(h.store.db)]


@pytest.mark.parametrize("kind", sorted(GATES))
@pytest.mark.parametrize(("env", "critical"), [("test", "false"), ("prod", "false"), ("prod", "true")])
def test_a_refused_gate_is_never_skipped(tmp_path: Path, kind: str, env: str, critical: str) -> None:
    h = Harness(tmp_path / "ws", gated(GATES[kind], critical))
    prompter = ScriptedPrompter(failures=list(EVERY_SKIP), override_reason="   ")
    result = h.run(prompter, env=env)
    assert (result.status, result.exit_code) == ("refused", 4)
    assert h.step_status(result.run_id) == {"gate": "refused"}
    assert not (h.root / "changed").exists()
    # No failure question, so no "skip with a reason" was ever offered.
    assert not any(isinstance(r, FailureRequest) for r in prompter.asked)
    decision = h.decisions(result.run_id)[-1]
    assert decision["kind"] == "refused" and decision["step_id"] == "gate"
    assert "decision:refused" in audit_actions(h)


def test_an_earlier_phase_gate_refuses_when_that_phase_had_a_skip(tmp_path: Path) -> None:
    text = """\
name: t
title: 测试
phases:
  - id: first
    name: 准备
    steps:
      - {id: flaky, name: 可跳过, kind: shell, run: 'false'}
  - id: second
    name: 发布
    steps:
      - {id: gate, name: 准备已通过, kind: gate, phase_passed: first}
      - {id: change, name: 数据变更, kind: shell, run: touch changed}
"""
    h = Harness(tmp_path / "ws", text)
    result = h.run(ScriptedPrompter(failures=list(EVERY_SKIP)))
    assert result.status == "refused"
    assert h.step_status(result.run_id) == {"flaky": "skipped", "gate": "refused"}
    assert not (h.root / "changed").exists()


def test_a_gate_that_fails_to_check_is_refused_not_failed(tmp_path: Path) -> None:
    # A fresh-backup gate naming a target the environment does not have cannot be checked.
    h = Harness(tmp_path / "ws", gated("fresh_backup: 2h, backup_targets: [nowhere]"))
    result = h.run(ScriptedPrompter(failures=list(EVERY_SKIP)), env="prod")
    assert result.status == "refused"
    assert h.step_status(result.run_id)["gate"] == "refused"


def test_a_window_override_needs_a_reason_and_is_the_only_way_past(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", gated(GATES["window"], critical="false"))
    declined = ScriptedPrompter(failures=list(EVERY_SKIP), override_reason="")
    assert h.run(declined, env="prod").status == "refused"
    assert [type(r).__name__ for r in declined.asked] == ["OverrideRequest"]
    overridden = h.run(ScriptedPrompter(override_reason="客户书面同意延长窗口"), env="prod")
    assert overridden.status == "passed" and (h.root / "changed").exists()
    assert h.decisions(overridden.run_id)[0]["reason"] == "客户书面同意延长窗口"
    assert "decision:overrode" in audit_actions(h)


def test_only_window_gates_ask_for_an_override(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", gated(GATES["approval"]))
    prompter = ScriptedPrompter(override_reason="领导口头同意")
    assert h.run(prompter, env="prod").status == "refused"
    assert [type(r).__name__ for r in prompter.asked] == ["ApprovalRequest"]


def test_an_approval_gate_passes_with_form_and_approver(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", gated(GATES["approval"]))
    result = h.run(ScriptedPrompter(approval=Approval("BG-2026-017", "李四")), env="prod")
    assert result.status == "passed" and (h.root / "changed").exists()


# -- sign-offs --------------------------------------------------------------------------------


def manual(critical: bool) -> str:
    return playbook_text(f"- {{id: check, name: 点验主流程, kind: manual, critical: {str(critical).lower()}}}")


@pytest.mark.parametrize("by", ["", "   "])
def test_a_blank_signer_is_not_a_sign_off(tmp_path: Path, by: str) -> None:
    h = Harness(tmp_path / "ws", manual(critical=False))
    prompter = ScriptedPrompter(sign_offs=[SignOff(True, by=by, note="看过了")])
    result = h.run(prompter)
    assert result.status == "failed"
    assert h.step_status(result.run_id) == {"check": "failed"}
    assert "signed_off" not in [d["kind"] for d in h.decisions(result.run_id)]
    assert h.store.latest_step_states(result.run_id)["check"]["summary"].startswith("a sign-off needs the name")


def test_a_critical_sign_off_carries_a_note(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", manual(critical=True))
    without = h.run(ScriptedPrompter(sign_offs=[SignOff(True, by="王五", note=" ")]))
    assert without.status == "failed"
    assert "note" in h.store.latest_step_states(without.run_id)["check"]["summary"]
    signed = h.run(ScriptedPrompter(sign_offs=[SignOff(True, by=" 王五 ", note="主流程正常")]))
    assert signed.status == "passed"
    decision = h.decisions(signed.run_id)[0]
    assert (decision["kind"], decision["actor"], decision["reason"]) == ("signed_off", "王五", "主流程正常")


# -- skip reasons ---------------------------------------------------------------------------------


def test_an_empty_skip_reason_is_refused_as_needing_a_reason(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: flaky, name: 可跳过, kind: shell, run: 'false'}"))
    result = h.run(ScriptedPrompter(failures=[FailureChoice("skip", "  ")]))
    assert result.status == "failed"
    assert h.decisions(result.run_id)[-1]["reason"].startswith("skipping 可跳过 needs a reason")


def test_a_critical_steps_skip_refusal_says_it_is_critical(tmp_path: Path) -> None:
    h = Harness(tmp_path / "ws", playbook_text("- {id: must, name: 必须, kind: shell, critical: true, run: 'false'}"))
    result = h.run(ScriptedPrompter(failures=[FailureChoice("skip", "客户说可以")]))
    assert result.status == "failed"
    reasons = [d["reason"] for d in h.decisions(result.run_id)]
    assert reasons == ["必须 is critical and cannot be skipped: the run stops here"]
    assert not any("客户说可以" in r for r in reasons)


# -- the command line: answers file, --yes, the bundled acceptance playbook on production ----


def launchpad(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launchpad", "--workspace", str(root), *args],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def acceptance(tmp_path: Path) -> Path:
    root = write_workspace(tmp_path / "ws")
    copy_bundled_playbooks(root / "playbooks", overwrite=True)
    return root


SIGN_EVERYTHING = """\
sign_off:
  prepare.scope: {by: 张三, note: 甲方王科长参加}
  login.test-account: {by: 张三, note: 登录正常}
  flows.main: {by: 张三, note: 申报到办结走通}
  flows.attachments: {by: 张三, note: 附件正常}
  reports.numbers: {by: 张三, note: 报表一致}
  data.users: {by: 张三, note: 抽查 10 人一致}
  data.migrated: {by: 张三, note: 无迁移数据}
  permissions.roles: {by: 张三, note: 权限一致}
  signoff.form: {by: 张三, note: 已盖章, evidence: scans/form.pdf}
on_failure:
  default: {action: skip, reason: 先跳过，明天补}
"""


def test_acceptance_on_production_cannot_skip_its_approval_gate(acceptance: Path) -> None:
    answers = acceptance / "answers.yaml"
    answers.write_text(SIGN_EVERYTHING, encoding="utf-8")
    run = launchpad(acceptance, "run", "onsite-acceptance", "--env", "prod", "--answers", str(answers),
                    "--yes", "--confirm", "prod")
    assert run.returncode == 4, run.stdout + run.stderr
    assert "Run 1 refused." in run.stdout
    assert "Traceback" not in run.stderr
    shown = launchpad(acceptance, "runs", "--json")
    assert '"status": "refused"' in shown.stdout and '"status": "passed"' not in shown.stdout


def test_answers_that_skip_without_a_reason_or_sign_for_nobody_are_bad_input(acceptance: Path) -> None:
    answers = acceptance / "answers.yaml"
    for text, said in (("sign_off:\n  prepare.scope: {by: ''}\n", "signer's name"),
                       ("on_failure:\n  default: {action: skip}\n", "needs a reason"),
                       ("override:\n  release.window: ' '\n", "an override needs a reason")):
        answers.write_text(text, encoding="utf-8")
        run = launchpad(acceptance, "run", "onsite-acceptance", "--env", "test", "--answers", str(answers))
        assert run.returncode == 2, run.stderr
        assert said in run.stderr and "answers.yaml:2" in run.stderr and "Traceback" not in run.stderr
        assert "literal" not in run.stderr  # one error per mistake, not one per union member
        assert launchpad(acceptance, "runs", "--json").stdout.strip() == "[]"


def test_yes_does_not_get_past_a_refused_window_on_production(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"t": gated(GATES["window"])})
    run = launchpad(root, "run", "t", "--env", "prod", "--yes", "--confirm", "prod")
    assert run.returncode == 4 and "Run 1 refused." in run.stdout
    assert not (root / "changed").exists()


# -- the terminal: the CLI prompter reading a person's keys -----------------------------------


def test_in_a_terminal_a_declined_override_offers_no_skip(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from launchpad.cli.prompter import CliPrompter

    h = Harness(tmp_path / "ws", gated(GATES["window"]))
    # Yes to overriding, then no reason; the lines after it would answer a skip if one were offered.
    keys = "y\n\ns\n客户同意\n"
    with CliRunner().isolation(input=keys):
        result = h.run(CliPrompter("张三", interactive=True), env="prod")
        left = sys.stdin.read()
    assert result.status == "refused" and not (h.root / "changed").exists()
    assert left == "s\n客户同意\n", "nothing was asked after the declined override"


def test_in_a_terminal_a_critical_sign_off_asks_again_for_a_name_and_a_note(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from launchpad.cli.prompter import CliPrompter

    h = Harness(tmp_path / "ws", manual(critical=True))
    keys = "y\n   \n王五\n\n  \n主流程正常\n"  # blank name, then blank notes, are asked again
    with CliRunner().isolation(input=keys):
        result = h.run(CliPrompter("", interactive=True), env="test")
    assert result.status == "passed"
    decision = h.decisions(result.run_id)[0]
    assert (decision["kind"], decision["actor"], decision["reason"]) == ("signed_off", "王五", "主流程正常")


def test_in_a_terminal_a_skip_asks_again_for_a_reason(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from launchpad.cli.prompter import CliPrompter

    h = Harness(tmp_path / "ws", playbook_text("- {id: flaky, name: 可跳过, kind: shell, run: 'false'}"))
    with CliRunner().isolation(input="s\n  \n磁盘下周扩容\n"):
        result = h.run(CliPrompter("张三", interactive=True))
    assert result.status == "partial"
    assert [(d["kind"], d["reason"]) for d in h.decisions(result.run_id)] == [("skipped", "磁盘下周扩容")]


def test_an_overridden_gate_reads_overridden_in_the_report_not_passed(tmp_path: Path) -> None:
    """The client's report must not say a refused window passed: the step reads 已越过 with the
    refusal and the reason; the run's other steps still read 通过."""
    from launchpad.report.run import collect_run, render_run

    h = Harness(tmp_path / "ws", gated(GATES["window"], critical="false"))
    overridden = h.run(ScriptedPrompter(override_reason="客户书面同意延长窗口"), env="prod")
    report = collect_run(h.store, h.workspace.site, overridden.run_id)
    text = render_run(report, "text", "zh")
    gate_line = next(line for line in text.splitlines() if "关卡" in line)
    assert gate_line.startswith("[已越过]") and "客户书面同意延长窗口" in gate_line
    assert next(line for line in text.splitlines() if "数据变更" in line).startswith("[通过]")
    assert "| 已越过 |" in render_run(report, "md", "zh")
    assert '<td class="overridden">已越过</td>' in render_run(report, "html", "zh")
    assert "[overridden]" in render_run(report, "text", "en")


@pytest.mark.parametrize(("ask", "keys", "answer"), [
    ("confirm", "是\ny\n", True),
    ("sign_off", "好\ny\n   \n王五\n主流程正常\n", True),
    ("on_failure", "x\na\n", "abort"),
])
def test_in_a_terminal_an_answer_not_offered_is_asked_again_in_the_command_lines_language(
        ask: str, keys: str, answer: object) -> None:
    """Click's own loops said "Error: invalid input" (and "Error: 'x' is not one of …") in
    English under a Chinese question."""
    from click.testing import CliRunner

    from launchpad.cli import door
    from launchpad.cli.prompter import CliPrompter
    from launchpad.run.prompter import ConfirmRequest, FailureRequest, SignOffRequest

    requests = {
        "confirm": ConfirmRequest("s", "修改 prod 的角色", "prod", production=True),
        "sign_off": SignOffRequest("s", "复核", "核对差异", critical=True),
        "on_failure": FailureRequest("s", "检查", ("app1",), ("app1",), "失败", critical=False),
    }
    door.speak("zh")
    try:
        with CliRunner().isolation(input=keys) as (_, stderr, *_rest):
            got = getattr(CliPrompter("张三", interactive=True), ask)(requests[ask])
            said = stderr.getvalue().decode("utf-8")
    finally:
        door.speak(None)
    assert (got.signed if ask == "sign_off" else got.action if ask == "on_failure" else got) == answer
    assert "Error" not in said and "invalid" not in said and "not one of" not in said, said
    assert said.count("错误：") == (2 if ask == "sign_off" else 1), said


def test_without_a_terminal_a_refused_window_says_how_to_override_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Nobody is there to give a reason: the run says so, and where the reason can be written
    (the answers file's override, under the step's id), instead of recording the refusal silently."""
    from launchpad.cli.prompter import CliPrompter

    h = Harness(tmp_path / "ws", gated(GATES["window"]))
    result = h.run(CliPrompter("张三", interactive=False, offers_answers=True), env="prod")
    assert result.status == "refused" and not (h.root / "changed").exists()
    said = capsys.readouterr().err
    assert "关卡：越过关卡须由人写明原因" in said  # the site's language: no command line chose another
    assert "override: {gate: 原因}" in said and "--answers" in said


def test_a_refused_run_exits_with_its_own_code_not_a_failed_steps(tmp_path: Path) -> None:
    """A script must tell "a condition was not met, nothing went wrong" (a gate refused: 4)
    from "a step failed" (1) by the exit code alone, in every language."""
    root = write_workspace(tmp_path / "ws", playbooks={
        "gated": gated(GATES["window"]),
        "broken": playbook_text("- {id: broken, name: 坏步骤, kind: shell, run: 'false'}"),
    })
    refused = launchpad(root, "run", "gated", "--env", "test", "--yes")
    assert refused.returncode == 4 and "Run 1 refused." in refused.stdout, refused.stdout + refused.stderr
    failed = launchpad(root, "run", "broken", "--env", "test", "--yes")
    assert failed.returncode == 1 and "Run 2 failed." in failed.stdout, failed.stdout + failed.stderr


def test_without_a_terminal_an_unoverridden_window_says_nobody_could_override_it(tmp_path: Path) -> None:
    """`--yes` and no terminal: nobody was asked for a reason. The run, its report and the audit
    log say the refusal stood because no person was there — not "refused by tester", as if the
    one who started it had said no."""
    root = write_workspace(tmp_path / "ws", playbooks={"t": gated(GATES["window"])})
    run = launchpad(root, "run", "t", "--env", "test", "--yes")
    assert run.returncode == 4, run.stdout + run.stderr
    nobody = "not overridden: nobody was there to give a reason (not a terminal)"
    assert f"recorded: gate refused — {nobody}" in run.stdout, run.stdout
    assert "refused by tester" not in run.stdout and "override declined" not in run.stdout
    zh = launchpad(root, "--lang", "zh", "run", "t", "--env", "test", "--yes")
    assert "已记录：关卡拒绝 — 未越过：无人在场写明越过原因（不是终端）" in zh.stdout, zh.stdout
    assert "tester 拒绝" not in zh.stdout
    audited = [e for e in iter_audit_json(root) if e["action"] == "decision:refused"]
    assert [e["detail"]["reason"] for e in audited] == [nobody, nobody]
    shown = launchpad(root, "runs", "show", "1")
    assert nobody in shown.stdout and "override declined" not in shown.stdout


def iter_audit_json(root: Path) -> list[dict[str, Any]]:
    import json

    listed = launchpad(root, "audit", "show", "--json")
    assert listed.returncode == 0, listed.stderr
    entries: list[dict[str, Any]] = json.loads(listed.stdout)
    return entries
