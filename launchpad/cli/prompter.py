"""The command line's Prompter: answers from an answers file first, then `--yes` for plain
confirmations, then the terminal when there is one; otherwise the safe refusal.

`--yes` never signs off a critical manual step, never types a production environment's name
(that takes `--confirm ENV`, the answers file or a person), never overrides a gate and never
skips a failed step.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from launchpad.cli.door import language, say
from launchpad.phrases import Said, phrase, render
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
    VariableNeeded,
    VariableRequest,
)


def _required(what: str) -> Callable[[str], str]:
    """A `check` for `_ask`: asks again while the answer is blank (`what`: a catalog key)."""

    def check(value: str) -> str:
        if not str(value).strip():
            raise click.UsageError(say("cli.ask.needed", what=say(what)))
        return str(value).strip()

    return check


def _one_of(keys: list[str]) -> Callable[[str], str]:
    """A `check` for `_ask`: one of the keys offered, in any case."""

    def check(value: str) -> str:
        given = str(value).strip()
        for key in keys:
            if given.lower() == key.lower():
                return key
        raise click.UsageError(say("click.not_a_choice", value=given, choices=keys))

    return check


def _ask(text: str, check: Callable[[str], str], **options: Any) -> str:
    """`click.prompt`, asking again while `check` refuses the answer. Click's own loop (its
    `value_proc`, its `type`, `click.confirm`) says the refusal after an English "Error:"."""
    while True:
        value = str(click.prompt(text, err=True, **options))
        try:
            return check(value)
        except click.UsageError as exc:
            click.echo("  " + say("click.error", message=exc.message), err=True)


def _yes(text: str) -> bool:
    """`click.confirm` (y or n, no by default) in the command line's language."""
    answer = _ask(text, _one_of(["y", "yes", "n", "no"]), default="n", show_default=False, prompt_suffix=" [y/N]: ")
    return answer in ("y", "yes")


def _in_language(said: Said) -> str:
    """A step's detail or a gate's refusal, in the command line's language."""
    return render(said, language())


class CliPrompter:
    def __init__(
        self,
        actor: str,
        *,
        answers: Answers | None = None,
        yes: bool = False,
        confirm_env: str | None = None,
        interactive: bool | None = None,
        offers_answers: bool = False,
    ) -> None:
        self.answers = answers or Answers()
        self.offers_answers = offers_answers  # the command has --answers, so a refusal may name it
        self.actor = self.answers.actor or actor
        self.yes = yes
        self.confirm_env = confirm_env
        self.interactive = sys.stdin.isatty() if interactive is None else interactive

    def _say(self, text: str) -> None:
        click.echo(text, err=True)

    def confirm(self, request: ConfirmRequest) -> bool:
        if self.answers.names(request.step_id):
            return True
        if request.by_yes and (self.answers.confirms(request.step_id) or self.yes):
            return True
        if request.by_yes and request.production and self.confirm_env == request.environment:
            return True  # `--confirm prod` names production on purpose: a stronger yes than --yes
        if not self.interactive and not request.by_yes:
            self._say("  ✗ " + say("cli.ask.needs_a_person", title=request.title, step=request.step_id))
            return False
        if not self.interactive:
            need = "cli.ask.needs_confirmation" + ("_production" if request.production else "") + \
                ("_answers" if self.offers_answers else "")
            self._say("  ✗ " + say(need, title=request.title, env=request.environment))
            return False
        where = say("cli.run.production", env=request.environment) if request.production else request.environment
        self._say("\n  " + say("cli.ask.confirm", title=request.title, where=where,
                                 detail=_in_language(request.detail)))
        return _yes("  " + say("cli.ask.run_it"))

    def type_environment(self, request: TypeNameRequest) -> str:
        if self.confirm_env is not None:
            return self.confirm_env
        if self.answers.environment_name is not None:
            return self.answers.environment_name
        if not self.interactive:
            self._say("  ✗ " + say("cli.ask.needs_name", title=request.title, env=request.environment))
            return ""
        self._say(click.style("  " + say("cli.ask.is_production", env=request.environment), fg="red", bold=True))
        return str(click.prompt("  " + say("cli.ask.type_name"), default="", show_default=False, err=True))

    def sign_off(self, request: SignOffRequest) -> SignOff:
        answer = self.answers.sign_off.get(request.step_id)
        if answer is not None:
            if answer.skip:
                return SignOff(False, by=answer.by, skip_reason=answer.skip)
            return SignOff(True, by=answer.by, note=answer.note, evidence=answer.evidence)
        if self.yes and not request.critical:
            return SignOff(True, by=self.actor, note="signed with --yes")
        if not self.interactive:
            need = "cli.ask.needs_critical_sign_off" if request.critical else "cli.ask.needs_sign_off"
            self._say("  ✗ " + say(need, title=request.title))
            return SignOff(False)
        self._say(f"\n  {request.title}\n    {_in_language(request.instructions)}")
        choices = ["y", "n"] if request.critical else ["y", "n", "s"]
        answer_key = _ask("  " + say("cli.ask.done_critical" if request.critical else "cli.ask.done") +
                          f" ({', '.join(choices)})", _one_of(choices), default="n")
        if answer_key == "s":
            reason = _ask("  " + say("cli.ask.skip_reason"), _required("cli.ask.a_reason"))
            return SignOff(False, by=self.actor, skip_reason=reason)
        if answer_key == "n":
            return SignOff(False)
        by = _ask("  " + say("cli.ask.signed_by"), _required("cli.ask.a_name"), default=self.actor or None)
        note = (
            _ask("  " + say("cli.ask.note_checked"), _required("cli.ask.a_note"))
            if request.critical
            else click.prompt("  " + say("cli.ask.note"), default="", show_default=False, err=True)
        )
        evidence = (
            click.prompt("  " + say("cli.ask.evidence"), default="", show_default=False, err=True)
            if request.evidence
            else ""
        )
        return SignOff(True, by=by, note=note, evidence=evidence)

    def approve(self, request: ApprovalRequest) -> Approval | None:
        answer = self.answers.approvals.get(request.step_id)
        if answer is not None:
            return Approval(answer.form_number, answer.approver)
        if not self.interactive:
            self._say("  ✗ " + say("cli.ask.needs_approval", title=request.title))
            return None
        self._say("\n  " + say("cli.ask.titled", title=request.title, text=_in_language(request.description)))
        form = click.prompt("  " + say("cli.ask.form"), default="", show_default=False, err=True)
        approver = click.prompt("  " + say("cli.ask.approver"), default="", show_default=False, err=True)
        return Approval(form, approver) if form and approver else None

    def on_failure(self, request: FailureRequest) -> FailureChoice:
        answer = self.answers.on_failure.get(request.step_id) or self.answers.on_failure.get("default")
        if answer is not None:
            return FailureChoice(answer.action, answer.reason)
        if not self.interactive:
            return FailureChoice("abort", phrase("engine.reason.no_one_to_ask"), unanswered=True)
        options = say("cli.ask.on_failure_critical" if request.critical else "cli.ask.on_failure")
        keys = ["r", "f", "a"] if request.critical else ["r", "f", "s", "a"]
        key = _ask("  " + say("cli.ask.failed", title=request.title, options=options) + f" ({', '.join(keys)})",
                   _one_of(keys), default="a")
        if key == "s":
            reason = _ask("  " + say("cli.ask.skip_reason"), _required("cli.ask.a_reason"))
            return FailureChoice("skip", reason)
        return FailureChoice({"r": "retry_all", "f": "retry_failed", "a": "abort"}[key])  # type: ignore[arg-type]

    def override_gate(self, request: OverrideRequest) -> str | None:
        reason = self.answers.override.get(request.step_id)
        if reason is not None:
            return reason
        if not self.interactive:
            self._say("  ✗ " + say("cli.ask.needs_override", title=request.title, step=request.step_id))
            return None
        self._say("  " + say("cli.ask.refused", title=request.title, refusal=_in_language(request.refusal)))
        if not _yes("  " + say("cli.ask.override")):
            return ""
        reason = str(click.prompt("  " + say("cli.ask.reason"), default="", show_default=False, err=True)).strip()
        if not reason:
            self._say("  " + say("cli.ask.no_reason"))
        return reason

    def rerun_interrupted(self, request: RerunRequest) -> bool:
        if self.answers.reruns(request.step_id):
            return True
        if not self.interactive:
            self._say("  ✗ " + say("cli.ask.not_safe_to_repeat", title=request.title))
            return False
        self._say("  " + say("cli.ask.half_run", title=request.title))
        return _yes("  " + say("cli.ask.run_again"))

    def variable(self, request: VariableRequest) -> str:
        if request.name in self.answers.variables:
            return self.answers.variables[request.name]
        if request.default is not None and (self.yes or not self.interactive):
            return request.default
        if not self.interactive:
            raise VariableNeeded(request)
        if request.choices:
            return _ask(f"  {request.prompt} ({', '.join(request.choices)})", _one_of(list(request.choices)),
                        default=request.default)
        return str(click.prompt(f"  {request.prompt}", default=request.default, err=True))
