"""`release_approved`: a gate that refuses a release until the client's reviewer is recorded
(`launchpad release approve ID --by NAME`, after the test report was attached). The seed: a
release went out with no test report given to the client first.

The release is named by id, usually through a variable (`release: "{{ vars.release }}"`).
Refused while the release is planned (no reviewer), cancelled or already finished; it passes
for an approved release or one already in progress (a resumed run). With `version`, it also
refuses when the run would deploy another version than the one the record (and its reviewer)
names — spelled as recorded (a record's leading v may be left out, never added), because the
version names the package the deploy uploads after the backup and the group's notice. Like every gate, a refusal
stops the run and cannot be overridden or skipped: a missing approval is never a formality.

The version it names (written in the playbook, or a variable: `{{ vars.version }}`) must be a
version label as a release record's is (`record.check_version`): one that is not (`1.2.`, `v3+`)
is refused before the run starts, at the step's file:line (`bad_release_versions`, exit 2),
instead of being told apart from the record's only by this gate, late in the run.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from launchpad.phrases import Said, phrase
from launchpad.run.templating import render
from launchpad.steps.base import StepContext, StepKind, StepOutcome, StepSpec

if TYPE_CHECKING:
    from launchpad.errors import Problem
    from launchpad.run.playbook import LoadedPlaybook

_PASSES = ("approved", "in_progress")
_ONE_VARIABLE = re.compile(r"\{\{\s*(?:vars\.)?(\w+)\s*\}\}")


class ReleaseApprovedStep(StepSpec):
    kind: Literal["release_approved"]
    release: str = Field(description="The release's id (launchpad release list); may use {{ vars.release }}.")
    version: str | None = Field(None, description="The version this run releases (e.g. {{ vars.version }}): "
                                "refused unless it is the record's, as recorded or without the record's "
                                "leading v.")

    def templates(self) -> dict[str, str]:
        return {"release": self.release, **({"version": self.version} if self.version is not None else {})}

    def describe(self) -> Said:
        return phrase("describe.release_approved", release=self.release)


def check_release_approved(step: ReleaseApprovedStep, ctx: StepContext) -> StepOutcome:
    from launchpad.release.record import Release, bare_version, release_named, same_version

    release = release_named(ctx.store, render(step.release, ctx.values).strip())
    if not isinstance(release, Release):
        return StepOutcome("refused", release)
    status = phrase(f"release.status.{release.status}")
    evidence = {"release": release.id, "version": release.version, "status": release.status,
                "approved_by": release.approved_by, "approved_at": release.approved_at}
    if step.version is not None:
        # The reviewer approved one version: deploying another under its record would be
        # releasing something nobody reviewed.
        given = render(step.version, ctx.values).strip()
        if not same_version(given, release.version):
            key = "release.gate_version_spelled" if bare_version(given) == bare_version(release.version) \
                else "release.gate_other_version"
            return StepOutcome("refused", phrase(key, id=release.id, recorded=release.version, given=given,
                                                 var=bare_version(release.version)), evidence=evidence)
    if release.status in _PASSES and release.approved_by:
        return StepOutcome("passed", phrase("release.gate_approved", id=release.id, version=release.version,
                                            by=release.approved_by), evidence=evidence)
    key = "release.gate_not_approved" if release.status == "planned" else "release.gate_finished"
    return StepOutcome("refused", phrase(key, id=release.id, version=release.version, status=status),
                       evidence=evidence)


STEP_KIND = StepKind("release_approved", ReleaseApprovedStep, check_release_approved, idempotent=True, gate=True)


def bad_release_versions(loaded: LoadedPlaybook, variables: dict[str, str]) -> list[Problem]:
    """Each `release_approved` step whose version — as written, or the variable it names — is no
    version label, at its file:line. A version built of more than one value is left to the gate."""
    from launchpad.errors import UsageError
    from launchpad.release.record import check_version

    problems = []
    for p, phase in enumerate(loaded.playbook.phases):
        for key in ("steps", "rollback"):
            for s, step in enumerate(getattr(phase, key)):
                if not isinstance(step, ReleaseApprovedStep) or step.version is None:
                    continue
                named = _ONE_VARIABLE.fullmatch(step.version.strip())
                if named is None and "{" in step.version:
                    continue
                value = step.version if named is None else variables.get(named[1])
                if value is None:
                    continue
                try:
                    check_version(value)
                except UsageError as exc:
                    said = exc.said if named is None else phrase("release.var_bad_version", name=named[1],
                                                                  problem=exc.said)
                    problems.append(loaded.source.problem(("phases", p, key, s, "version"), said))
    return problems
