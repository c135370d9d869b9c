"""`release_status`: the run moves its release record — in progress when it starts changing
things, released once verified, rolled back when the rollback phase put the old version back —
so `release list`, the handover and the daily report say where the release stands with no
extra typing. The seed: after a release broke, nobody could tell what had gone out.

The move goes through `release.record.move_release` (a row of the record's history and an
audit entry, in one transaction); a move the record's state does not allow (a cancelled
release, a release already finished) fails the step. A step that finds the record already
where it should be passes: a resumed run moves nothing twice. Released marks the feedback
issues the release fixes as fixed in its version, as `launchpad release set` does.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from launchpad.phrases import Said, phrase
from launchpad.run.templating import render
from launchpad.steps.base import StepContext, StepKind, StepOutcome, StepSpec


class ReleaseStatusStep(StepSpec):
    kind: Literal["release_status"]
    release: str = Field(description="The release's id (launchpad release list); may use {{ vars.release }}.")
    to: Literal["in_progress", "released", "rolled_back"] = Field(description="Where the record moves.")

    def templates(self) -> dict[str, str]:
        return {"release": self.release}

    def describe(self) -> Said:
        return phrase("describe.release_status", release=self.release, status=phrase(f"release.status.{self.to}"))


def move_release_status(step: ReleaseStatusStep, ctx: StepContext) -> StepOutcome:
    from launchpad.errors import LaunchpadError
    from launchpad.issues.log import IssueLog
    from launchpad.release.operations import mark_fixed_in
    from launchpad.release.record import Release, move_release, release_named
    from launchpad.sitetime import to_stamp

    before = release_named(ctx.store, render(step.release, ctx.values).strip())
    if not isinstance(before, Release):
        return StepOutcome("failed", before)
    assert ctx.store is not None  # the record was read from it
    target = phrase(f"release.status.{step.to}")
    evidence = {"release": before.id, "version": before.version, "from": before.status, "to": step.to}
    if before.status == step.to:
        return StepOutcome("passed", phrase("release.already", id=before.id, version=before.version, status=target),
                           evidence=evidence)
    actor = str(ctx.values.get("run", {}).get("operator") or "unknown")
    try:
        moved = move_release(ctx.store, actor, before.id, step.to, note=f"run {ctx.run_id} step {ctx.step_id}")
    except LaunchpadError as refused:  # refused and audited by move_release
        return StepOutcome("failed", phrase("release.move_refused", id=before.id, version=before.version,
                                            status=phrase(f"release.status.{before.status}"), target=target),
                           evidence=evidence, hint=refused.said_hint)
    if step.to == "released":
        log = IssueLog(ctx.store, ctx.site.tz, actor, clock=lambda: to_stamp(ctx.now()))
        evidence["issues"] = [{"id": m.issue_id, "result": m.result, "why": str(m.why)}
                              for m in mark_fixed_in(log, moved)]
    return StepOutcome("passed", phrase("release.moved", id=moved.id, version=moved.version,
                                        source=phrase(f"release.status.{before.status}"), target=target),
                       evidence=evidence)


STEP_KIND = StepKind("release_status", ReleaseStatusStep, move_release_status, idempotent=True)
