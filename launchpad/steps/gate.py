"""`gate`: a condition a release must meet before it goes on — inside a named time window,
after an earlier phase passed, with a written approval (data-change form and approver), with
a verified backup of every target younger than a given age (`fresh_backup: 2h`), or with a file
on this machine (`file:`, the release's package, looked for before the group is told the release
starts rather than at the upload after it).

A window gate refused outside its window can be overridden, but only with a reason, which the
engine writes to the audit log. The other gates cannot be overridden: a missing approval is
never a formality.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from launchpad.backup.freshness import AGE_PATTERN, parse_age, said_age
from launchpad.phrases import Said, phrase, status_word
from launchpad.run.prompter import ApprovalRequest
from launchpad.run.templating import render
from launchpad.steps.base import Reference, StepContext, StepKind, StepOutcome, StepSpec


class ApprovalSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    form: str = Field("data-change form", description="What the form is called on this site.")
    description: str = ""


class GateStep(StepSpec):
    kind: Literal["gate"]
    window: str | None = Field(None, description="Name of a window in site.yaml.")
    phase_passed: str | None = Field(None, description="Id of an earlier phase that must pass.")
    approval: ApprovalSpec | None = None
    fresh_backup: str | None = Field(
        None, pattern=AGE_PATTERN, description="Age a verified backup must be younger than: 90m, 2h, 1d."
    )
    backup_targets: list[str] | None = Field(None, description="Targets fresh_backup checks (default: all).")
    file: str | None = Field(None, description="A file that must be on this machine (relative to the workspace), "
                                               "such as the release's package; may use {{ vars.* }}.")

    @model_validator(mode="after")
    def _exactly_one_condition(self) -> GateStep:
        given = [n for n in ("window", "phase_passed", "approval", "fresh_backup", "file")
                 if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError(phrase("rule.gate_one"))
        if self.backup_targets is not None and self.fresh_backup is None:
            raise ValueError(phrase("rule.gate_targets"))
        return self

    def overridable(self) -> bool:
        return self.window is not None

    def references(self) -> list[Reference]:
        found = super().references()
        if self.window is not None:
            found.append(Reference("window", "window", (self.window,)))
        if self.phase_passed is not None:
            found.append(Reference("phase_passed", "phase", (self.phase_passed,)))
        if self.backup_targets is not None:
            found.append(Reference("backup_targets", "backup target", tuple(self.backup_targets)))
        return found

    def templates(self) -> dict[str, str]:
        return {"file": self.file} if self.file is not None else {}

    def describe(self) -> Said:
        if self.file is not None:
            return phrase("describe.gate_file", path=self.file)
        if self.window:
            return phrase("describe.gate_window", window=self.window)
        if self.phase_passed:
            return phrase("describe.gate_phase", phase=self.phase_passed)
        if self.fresh_backup:
            return phrase("describe.gate_backup", age=said_age(self.fresh_backup))
        return phrase("describe.gate_approval", form=self.approval.form if self.approval else "")


def check_gate(step: GateStep, ctx: StepContext) -> StepOutcome:
    if step.window is not None:
        return _window(step.window, ctx)
    if step.phase_passed is not None:
        status = ctx.phase_status(step.phase_passed)
        if status == "passed":
            return StepOutcome("passed", phrase("gate.phase_passed", phase=step.phase_passed))
        return StepOutcome("refused", phrase("gate.phase_not_passed", phase=step.phase_passed,
                                             status=status_word(status)))
    if step.fresh_backup is not None:
        return _fresh_backup(step.fresh_backup, step.backup_targets, ctx)
    if step.file is not None:
        return _file_here(step.file, ctx)
    assert step.approval is not None
    answer = ctx.prompter.approve(
        ApprovalRequest(ctx.step_id, step.name, step.approval.description or step.approval.form)
    )
    if answer is None or not answer.form_number.strip() or not answer.approver.strip():
        return StepOutcome("refused", phrase("gate.no_approval", form=step.approval.form))
    detail = {"form_number": answer.form_number, "approver": answer.approver}
    return StepOutcome(
        "passed",
        phrase("gate.approved", form=step.approval.form, number=answer.form_number, approver=answer.approver),
        evidence=detail,
        decision=("approved", "", detail),
    )


def _window(name: str, ctx: StepContext) -> StepOutcome:
    window = ctx.site.windows.get(name)
    if window is None:  # `launchpad check` reports this; a run still refuses safely
        return StepOutcome("refused", phrase("gate.window_undefined", window=name))
    schedule = window.schedule()
    now = ctx.now()
    span = schedule.open_span(now)
    if span is not None:
        return StepOutcome("passed", phrase("gate.inside_window", window=name, closes=f"{span[1]:%H:%M}"))
    opens = schedule.next_opening(now)
    return StepOutcome(
        "refused",
        phrase("gate.outside_window", window=name, start=str(window.start), end=str(window.end),
               weekday=phrase(f"weekday.{opens.weekday()}"), opens=f"{opens:%m-%d %H:%M}"),
    )


def _fresh_backup(age: str, targets: list[str] | None, ctx: StepContext) -> StepOutcome:
    """Every target needs a verified backup younger than `age`, whose file is still there."""
    from launchpad.backup.freshness import fresh_backup
    from launchpad.steps.backup_session import step_session

    names = targets if targets is not None else list(ctx.environment.backups)
    if not names:
        return StepOutcome("refused", phrase("gate.no_backup_targets", env=ctx.env_name))
    limit = parse_age(age)
    now = ctx.now()
    found, missing = {}, []
    with step_session(ctx) as session:
        for name in names:
            fresh = fresh_backup(session.store, session.backups_dir, ctx.env_name, name, now, limit)
            if fresh is None:
                missing.append(name)
            else:
                found[name] = fresh.id
    if missing:
        # The command that takes them, as it can be pasted: this environment, these targets.
        return StepOutcome("refused", phrase("gate.backup_stale", age=said_age(age), targets=missing,
                                             env=ctx.env_name, command_targets=" ".join(missing)))
    listed = [phrase("gate.backup_ref", target=name, id=backup_id) for name, backup_id in found.items()]
    return StepOutcome("passed", phrase("gate.backup_fresh", age=said_age(age), backups=listed),
                       evidence={"backups": found})


def _file_here(template: str, ctx: StepContext) -> StepOutcome:
    """The file, named with the run's values, is a file on this machine."""
    given = render(template, ctx.values)
    path = ctx.local_path(given)
    if not path.is_file():
        return StepOutcome("refused", phrase("gate.file_missing", path=given), hint=phrase("gate.file_missing_hint"))
    size = path.stat().st_size
    return StepOutcome("passed", phrase("gate.file_here", path=given, mib=f"{size / 2**20:.1f}"),
                       evidence={"file": str(path), "bytes": size})


STEP_KIND = StepKind("gate", GateStep, check_gate, idempotent=True, gate=True)
