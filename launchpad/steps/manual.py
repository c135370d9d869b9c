"""`manual`: a person does something by hand (click through the main flow, phone the client)
and signs it off with a note. Critical manual steps can never be skipped."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from launchpad.phrases import phrase
from launchpad.prompter import SignOffRequest
from launchpad.steps.base import StepContext, StepKind, StepOutcome, StepSpec
from launchpad.templating import render


class ManualStep(StepSpec):
    kind: Literal["manual"]
    instructions: str = Field("", description="What to do and what to look for.")
    evidence: bool = Field(False, description="Ask for evidence (a screenshot path, a form number).")

    def templates(self) -> dict[str, str]:
        return {"instructions": self.instructions}


def sign_off(step: ManualStep, ctx: StepContext) -> StepOutcome:
    request = SignOffRequest(
        step_id=ctx.step_id,
        title=step.name,
        instructions=render(step.instructions, ctx.values),
        critical=step.critical,
        evidence=step.evidence,
    )
    answer = ctx.prompter.sign_off(request)
    if answer.signed:
        detail = {"note": answer.note, "evidence": answer.evidence}
        return StepOutcome(
            "passed",
            phrase("manual.signed_note", by=answer.by, note=answer.note) if answer.note
            else phrase("manual.signed", by=answer.by),
            evidence={"signed_by": answer.by, **detail},
            decision=("signed_off", answer.note, {"by": answer.by, **detail}),
        )
    if answer.skip_reason and not step.critical:
        return StepOutcome(
            "skipped",
            phrase("manual.skipped", reason=answer.skip_reason),
            decision=("skipped", answer.skip_reason, {"by": answer.by}),
        )
    return StepOutcome("failed", phrase("manual.not_signed"))


STEP_KIND = StepKind("manual", ManualStep, sign_off, idempotent=True)
