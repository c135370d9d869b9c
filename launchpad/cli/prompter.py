"""The command line's Prompter: answers from an answers file first, then `--yes` for plain
confirmations, then the terminal when there is one; otherwise the safe refusal.

`--yes` never signs off a critical manual step, never types a production environment's name
(that takes `--confirm ENV`, the answers file or a person), never overrides a gate and never
skips a failed step.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from launchpad.errors import UsageError
from launchpad.run.answers import Answers
from launchpad.run.prompter import (
    Approval,
    ApprovalRequest,
    ConfirmRequest,
    FailureChoice,
    FailureRequest,
    OverrideRequest,
    RerunRequest,
    SignOff,
    SignOffRequest,
    TypeNameRequest,
    VariableRequest,
)


def _required(what: str) -> Callable[[str], str]:
    """A click `value_proc` that asks again while the answer is blank."""

    def check(value: str) -> str:
        if not str(value).strip():
            raise click.UsageError(f"{what} is needed")
        return str(value).strip()

    return check


class CliPrompter:
    def __init__(
        self,
        actor: str,
        *,
        answers: Answers | None = None,
        yes: bool = False,
        confirm_env: str | None = None,
        interactive: bool | None = None,
    ) -> None:
        self.answers = answers or Answers()
        self.actor = self.answers.actor or actor
        self.yes = yes
        self.confirm_env = confirm_env
        self.interactive = sys.stdin.isatty() if interactive is None else interactive

    def _say(self, text: str) -> None:
        click.echo(text, err=True)

    def confirm(self, request: ConfirmRequest) -> bool:
        if self.answers.confirms(request.step_id) or self.yes:
            return True
        if request.production and self.confirm_env == request.environment:
            return True  # `--confirm prod` names production on purpose: a stronger yes than --yes
        if not self.interactive:
            self._say(f"  ✗ {request.title}: needs confirmation (answer it in a terminal, --yes or --answers)")
            return False
        where = "PRODUCTION " if request.production else ""
        self._say(f"\n  {request.title} on {where}{request.environment}:\n    {request.detail}")
        return click.confirm("  Run it?", default=False, err=True)

    def type_environment(self, request: TypeNameRequest) -> str:
        if self.confirm_env is not None:
            return self.confirm_env
        if self.answers.environment_name is not None:
            return self.answers.environment_name
        if not self.interactive:
            self._say(
                f"  ✗ {request.title}: production needs the environment's name typed (--confirm {request.environment})"
            )
            return ""
        self._say(click.style(f"  {request.environment} is PRODUCTION.", fg="red", bold=True))
        return str(click.prompt("  Type the environment's name to go on", default="", show_default=False, err=True))

    def sign_off(self, request: SignOffRequest) -> SignOff:
        answer = self.answers.sign_off.get(request.step_id)
        if answer is not None:
            if answer.skip:
                return SignOff(False, by=answer.by, skip_reason=answer.skip)
            return SignOff(True, by=answer.by, note=answer.note, evidence=answer.evidence)
        if self.yes and not request.critical:
            return SignOff(True, by=self.actor, note="signed with --yes")
        if not self.interactive:
            need = "a critical step needs a person's sign-off" if request.critical else "needs a sign-off"
            self._say(f"  ✗ {request.title}: {need} (answer it in a terminal or in --answers)")
            return SignOff(False)
        self._say(f"\n  {request.title}\n    {request.instructions}")
        choices = ["y", "n"] if request.critical else ["y", "n", "s"]
        answer_key = click.prompt(
            "  Done? y = sign off, n = not done" + ("" if request.critical else ", s = skip"),
            type=click.Choice(choices),
            default="n",
            err=True,
        )
        if answer_key == "s":
            reason = click.prompt("  Reason for skipping", err=True, value_proc=_required("a reason"))
            return SignOff(False, by=self.actor, skip_reason=reason)
        if answer_key == "n":
            return SignOff(False)
        by = click.prompt("  Signed by", default=self.actor or None, err=True, value_proc=_required("a name"))
        note = (
            click.prompt("  Note (what was checked)", err=True, value_proc=_required("a note"))
            if request.critical
            else click.prompt("  Note", default="", show_default=False, err=True)
        )
        evidence = (
            click.prompt("  Evidence (file or form number)", default="", show_default=False, err=True)
            if request.evidence
            else ""
        )
        return SignOff(True, by=by, note=note, evidence=evidence)

    def approve(self, request: ApprovalRequest) -> Approval | None:
        answer = self.answers.approvals.get(request.step_id)
        if answer is not None:
            return Approval(answer.form_number, answer.approver)
        if not self.interactive:
            self._say(f"  ✗ {request.title}: needs a form number and approver (in a terminal or --answers)")
            return None
        self._say(f"\n  {request.title}: {request.description}")
        form = click.prompt("  Form number", default="", show_default=False, err=True)
        approver = click.prompt("  Approved by", default="", show_default=False, err=True)
        return Approval(form, approver) if form and approver else None

    def on_failure(self, request: FailureRequest) -> FailureChoice:
        answer = self.answers.on_failure.get(request.step_id) or self.answers.on_failure.get("default")
        if answer is not None:
            return FailureChoice(answer.action, answer.reason)
        if not self.interactive:
            return FailureChoice("abort", "no one to ask (not a terminal)", unanswered=True)
        options = "r = retry all, f = retry failed hosts, " + ("" if request.critical else "s = skip, ") + "a = abort"
        keys = ["r", "f", "a"] if request.critical else ["r", "f", "s", "a"]
        key = click.prompt(f"  {request.title} failed. {options}", type=click.Choice(keys), default="a", err=True)
        if key == "s":
            reason = click.prompt("  Reason for skipping", err=True, value_proc=_required("a reason"))
            return FailureChoice("skip", reason)
        return FailureChoice({"r": "retry_all", "f": "retry_failed", "a": "abort"}[key])  # type: ignore[arg-type]

    def override_gate(self, request: OverrideRequest) -> str:
        reason = self.answers.override.get(request.step_id)
        if reason is not None:
            return reason
        if not self.interactive:
            return ""
        self._say(f"  {request.title} refused: {request.refusal}")
        if not click.confirm("  Override it (the reason goes to the audit log)?", default=False, err=True):
            return ""
        reason = str(click.prompt("  Reason", default="", show_default=False, err=True)).strip()
        if not reason:
            self._say("  No reason given: the refusal stands.")
        return reason

    def rerun_interrupted(self, request: RerunRequest) -> bool:
        if self.answers.reruns(request.step_id):
            return True
        if not self.interactive:
            self._say(
                f"  ✗ {request.title} was interrupted and is not safe to repeat blindly; "
                f"check the host, then answer in a terminal or with rerun_interrupted in --answers"
            )
            return False
        self._say(f"  {request.title} was running when the last session died; it may have half-run.")
        return click.confirm("  Run it again?", default=False, err=True)

    def variable(self, request: VariableRequest) -> str:
        if request.name in self.answers.variables:
            return self.answers.variables[request.name]
        if request.default is not None and (self.yes or not self.interactive):
            return request.default
        if not self.interactive:
            raise UsageError(f"variable {request.name} needs a value", hint=f"pass --var {request.name}=…")
        choices = click.Choice(list(request.choices)) if request.choices else None
        return str(click.prompt(f"  {request.prompt}", default=request.default, type=choices, err=True))
