"""`release_window`: a gate that refuses a release run outside the window its own record plans
(`launchpad release new --start … --end …`), on the session's clock in site time. The seed: a
release planned for Monday 19:00–21:00 went out on Sunday, and the group was told it went out as
planned. The site's `window` gate only knows the client's evenings; this one knows the night the
client's reviewer approved.

Like the `window` gate, and only like it, a refusal can be overridden with a reason (asked, or
`override:` in the answers file under the step's id), which goes to the audit log.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from launchpad.phrases import Said, phrase
from launchpad.run.templating import render
from launchpad.steps.base import StepContext, StepKind, StepOutcome, StepSpec


class ReleaseWindowStep(StepSpec):
    kind: Literal["release_window"]
    release: str = Field(description="The release's id (launchpad release list); may use {{ vars.release }}.")

    def overridable(self) -> bool:
        return True

    def templates(self) -> dict[str, str]:
        return {"release": self.release}

    def describe(self) -> Said:
        return phrase("describe.release_window", release=self.release)


def check_release_window(step: ReleaseWindowStep, ctx: StepContext) -> StepOutcome:
    from launchpad.release.record import Release, release_named

    release = release_named(ctx.store, render(step.release, ctx.values).strip())
    if not isinstance(release, Release):
        return StepOutcome("refused", release)
    now = ctx.now().astimezone(ctx.site.tz)
    start, end = release.start(ctx.site), release.end(ctx.site)
    window = release.window_text(ctx.site)
    evidence = {"release": release.id, "window": window, "now": f"{now:%Y-%m-%d %H:%M}"}
    if start <= now < end:
        return StepOutcome("passed", phrase("release.window_inside", id=release.id, window=window,
                                            closes=f"{end:%H:%M}"), evidence=evidence)
    key = "release.window_early" if now < start else "release.window_late"
    return StepOutcome("refused", phrase(key, id=release.id, version=release.version, window=window,
                                         now=f"{now:%Y-%m-%d %H:%M}"), evidence=evidence)


STEP_KIND = StepKind("release_window", ReleaseWindowStep, check_release_window, idempotent=True, gate=True)
