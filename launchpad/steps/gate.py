"""`gate`: a condition a release must meet before it goes on — inside a named time window,
after an earlier phase passed, or with a written approval (data-change form and approver).

A window gate refused outside its window can be overridden, but only with a reason, which the
engine writes to the audit log. The other gates cannot be overridden: a missing approval is
never a formality.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from launchpad.prompter import ApprovalRequest
from launchpad.steps.base import StepContext, StepKind, StepOutcome, StepSpec


class ApprovalSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    form: str = Field("data-change form", description="What the form is called on this site.")
    description: str = ""


class GateStep(StepSpec):
    kind: Literal["gate"]
    window: str | None = Field(None, description="Name of a window in site.yaml.")
    phase_passed: str | None = Field(None, description="Id of an earlier phase that must pass.")
    approval: ApprovalSpec | None = None

    @model_validator(mode="after")
    def _exactly_one_condition(self) -> GateStep:
        given = [n for n in ("window", "phase_passed", "approval") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("a gate needs exactly one of window, phase_passed, approval")
        return self

    def overridable(self) -> bool:
        return self.window is not None

    def describe(self) -> str:
        if self.window:
            return f"inside the {self.window} window"
        if self.phase_passed:
            return f"phase {self.phase_passed} passed"
        return f"approval ({self.approval.form if self.approval else ''})"


def check_gate(step: GateStep, ctx: StepContext) -> StepOutcome:
    if step.window is not None:
        return _window(step.window, ctx)
    if step.phase_passed is not None:
        status = ctx.phase_status(step.phase_passed)
        if status == "passed":
            return StepOutcome("passed", f"phase {step.phase_passed} passed")
        return StepOutcome("refused", f"phase {step.phase_passed} has not passed ({status or 'not run'})")
    assert step.approval is not None
    answer = ctx.prompter.approve(
        ApprovalRequest(ctx.step_id, step.name, step.approval.description or step.approval.form)
    )
    if answer is None or not answer.form_number.strip() or not answer.approver.strip():
        return StepOutcome("refused", f"no {step.approval.form} number and approver given")
    detail = {"form_number": answer.form_number, "approver": answer.approver}
    return StepOutcome(
        "passed",
        f"{step.approval.form} {answer.form_number}, approved by {answer.approver}",
        evidence=detail,
        decision=("approved", "", detail),
    )


def _window(name: str, ctx: StepContext) -> StepOutcome:
    window = ctx.site.windows.get(name)
    if window is None:  # `launchpad check` reports this; a run still refuses safely
        return StepOutcome("refused", f"window {name!r} is not defined in site.yaml")
    schedule = window.schedule()
    now = ctx.now()
    span = schedule.open_span(now)
    if span is not None:
        return StepOutcome("passed", f"inside {name} (closes {span[1]:%H:%M})")
    opens = schedule.next_opening(now)
    return StepOutcome(
        "refused",
        f"outside the {name} window ({window.start}–{window.end}); it opens {opens:%a %m-%d %H:%M}",
    )


STEP_KIND = StepKind("gate", GateStep, check_gate, idempotent=True)
