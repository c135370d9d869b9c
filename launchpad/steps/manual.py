"""`manual`: a person does something by hand (click through the main flow, phone the client)
and signs it off with a note. Critical manual steps can never be skipped.

A sign-off names a person: a blank signer is not a sign-off, whichever front end gave it, and a
critical step's sign-off also says what was checked (a non-blank note)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from launchpad.phrases import phrase
from launchpad.run.prompter import SignOffRequest
from launchpad.run.templating import render
from launchpad.steps.base import StepContext, StepKind, StepOutcome, StepSpec


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
        by, note = answer.by.strip(), answer.note.strip()
        if not by:
            return StepOutcome("failed", phrase("manual.no_signer"))
        if step.critical and not note:
            return StepOutcome("failed", phrase("manual.no_note"))
        detail = {"note": note, "evidence": answer.evidence}
        return StepOutcome(
            "passed",
            phrase("manual.signed_note", by=by, note=note) if note else phrase("manual.signed", by=by),
            evidence={"signed_by": by, **detail},
            decision=("signed_off", note, {"by": by, **detail}),
        )
    if answer.skip_reason.strip() and not step.critical:
        return StepOutcome(
            "skipped",
            phrase("manual.skipped", reason=answer.skip_reason),
            decision=("skipped", answer.skip_reason, {"by": answer.by}),
        )
    return StepOutcome("failed", phrase("manual.not_signed"))


STEP_KIND = StepKind("manual", ManualStep, sign_off, idempotent=True)
