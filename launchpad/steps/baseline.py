"""`baseline`: roles, permissions, dictionaries and posts in a playbook, through the same calls
as `launchpad baseline diff | fix` (`launchpad.baseline.operations`).

`action: diff` compares an environment (the run's, or `env:`) with the baseline, or with the
environment named in `against:`, records the comparison and fails on drift of the `kinds` it
names (none: it reports and passes, for a review before a sign-off). `action: fix` makes the
run's own environment match the baseline for those kinds — only after the engine's confirmation
(`confirm: true` is required: production's name is typed) and a verified backup of the
database younger than `backup_age` (a missing one is a refusal, never an ordinary failure) —
then compares again and fails if anything of those kinds remains. `action: changes` writes the
on-site changes waiting for HQ (`launchpad baseline changes`) to `report` — the workbook HQ
copies back — and never connects to a database."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from launchpad.phrases import Said, phrase
from launchpad.steps.base import Reference, StepContext, StepKind, StepOutcome, StepSpec

Kind = Literal["role", "permission", "dictionary", "dict_item", "post"]
SHOWN = 50
ALL_KINDS: tuple[Kind, ...] = ("role", "permission", "dictionary", "dict_item", "post")


class BaselineStep(StepSpec):
    kind: Literal["baseline"]
    action: Literal["diff", "fix", "changes"] = Field(
        description="diff: compare and fail on drift; fix: make it match; changes: export the on-site "
                    "changes waiting for HQ to `report`.")
    env: str | None = Field(None, description="diff: the environment to compare (default: the run's).")
    against: str | None = Field(None, description="diff: compare with this environment instead of the baseline.")
    baseline: str | None = Field(None, description="The baseline file (default: baselines/baseline.*).")
    database: str | None = Field(None, description="The environment's database (default: its only one).")
    kinds: list[Kind] = Field(default_factory=lambda: list(ALL_KINDS),
                              description="diff: the kinds whose drift fails the step ([] reports only); "
                                          "fix: the kinds fixed.")
    report: str | None = Field(None, description="diff: also write a report (.md, .html or .xlsx, relative to "
                                                 "the workspace).")
    backup_age: str = Field("2h", pattern=r"^\d+[smhd]$",
                            description="fix: needs a verified backup of the database younger than this.")

    def references(self) -> list[Reference]:
        named = tuple(n for n in (self.env, self.against) if n)
        return [*super().references(), *([Reference("env", "environment", named)] if named else [])]

    def own_problems(self) -> list[tuple[str, str]]:
        problems = []
        if self.action == "fix":
            if not self.confirm:
                problems.append(("confirm", "a baseline fix writes to the database: set confirm: true"))
            if self.against or self.env:
                problems.append(("action", "a fix makes the run's environment match the baseline: "
                                           "remove env: and against:"))
            if not self.kinds:
                problems.append(("kinds", "a fix needs at least one kind to fix"))
        if self.action == "changes" and (self.env or self.against or not self.report):
            problems.append(("action", "an export of on-site changes needs report: (.md or .xlsx) and no "
                                       "env: or against:"))
        if self.action == "changes" and self.report and Path(self.report).suffix.lower() == ".html":
            problems.append(("report", "on-site changes are exported as .md or .xlsx"))
        if self.baseline and self.against:
            problems.append(("against", "compare with the baseline or with another environment, not both"))
        if self.report and Path(self.report).suffix.lower() not in (".md", ".html", ".xlsx"):
            problems.append(("report", "a report is .md, .html or .xlsx"))
        return problems

    def describe(self) -> Said:
        if self.description:
            return self.description
        target: Said = self.env or phrase("describe.this_environment")
        if self.action == "fix":
            return phrase("describe.baseline_fix", kinds=list(self.kinds), target=target)
        if self.action == "changes":
            return phrase("describe.baseline_changes", report=self.report)
        return phrase("describe.baseline_compare", target=target,
                      against=self.against or phrase("describe.the_baseline"))


def run_baseline(step: BaselineStep, ctx: StepContext) -> StepOutcome:
    from launchpad.baseline.drift import choose
    from launchpad.baseline.operations import (
        FixRefused,
        apply_fix,
        baseline_for,
        compared,
        fix_gate,
        plan_fix,
        read_environment,
    )

    if ctx.workspace is None or ctx.store is None:
        return StepOutcome("failed", phrase("baseline.refused", reason="the step needs the run's workspace"))
    if step.action == "changes":
        return _export_changes(step, ctx)
    workspace, store, actor = ctx.workspace, ctx.store, ctx.prompter.actor
    target_env = step.env or ctx.env_name

    def audit(action: str, target: str, detail: dict[str, Any]) -> None:
        ctx.audit(action, target, {**detail, "step": ctx.step_id})

    reference = None if step.against else baseline_for(workspace, step.baseline)
    envs = [e for e in (step.against, target_env) if e]
    with _sessions(step, ctx, envs, audit) as sessions:
        states = [read_environment(s, e, ctx.site.tz) for s, e in zip(sessions, envs, strict=True)]
        ref = reference if reference is not None else states[0].baseline
        drift, comparison = compared(store, ref, states[-1], target_env, actor, audit)
        kinds: set[str] = set(step.kinds)
        relevant = drift.of_kinds(kinds)
        evidence: dict[str, Any] = {"comparison": comparison, "reference": drift.reference,
                                    "version": drift.reference_version, "counts": drift.counts(),
                                    "by_kind": drift.by_kind(),
                                    "differences": [d.as_json() for d in relevant[:SHOWN]]}
        if step.action == "diff":
            if step.report:
                _write_report(step, ctx, drift, actor)
            if not drift.differences:
                return StepOutcome("passed", _summary(drift), evidence=evidence)
            if not relevant and not step.kinds:  # `kinds: []`: this diff only reports
                return StepOutcome("passed", phrase("baseline.drift_reported", target=target_env,
                                                    **drift.counts()), evidence=evidence)
            if not relevant:
                return StepOutcome("passed", phrase("baseline.drift_ignored", target=target_env,
                                                    total=len(drift.differences),
                                                    kinds=[phrase(f"baseline.kind.{k}") for k in step.kinds]),
                                   evidence=evidence)
            return StepOutcome("failed", _summary(drift), evidence=evidence)
        assert reference is not None
        chosen = choose(drift, kinds=kinds)
        if not chosen:
            return StepOutcome("passed", phrase("baseline.nothing_to_fix", target=target_env), evidence=evidence)
        statements = plan_fix(reference, states[-1], chosen, actor)
        try:
            backup_id = fix_gate(workspace, store, sessions[-1], target_env, audit, step.backup_age)
            outcome = apply_fix(store, sessions[-1], drift, reference, chosen, statements, target_env, actor, audit,
                                backup_id)
        except FixRefused as refused:
            return StepOutcome("refused", phrase("baseline.refused", reason=refused.message), evidence=evidence)
    remaining = outcome.after.of_kinds(kinds)
    evidence.update(fix=outcome.fix_id, backup=outcome.backup_id, after=outcome.after.counts(),
                    remaining=[d.as_json() for d in remaining[:SHOWN]])
    said = phrase("baseline.fixed", fix=outcome.fix_id, applied=len(chosen), target=target_env,
                  remaining=len(remaining))
    return StepOutcome("failed" if remaining else "passed", said, evidence=evidence)


def _summary(drift: Any) -> Any:
    from launchpad.baseline.reports import summary

    return summary(drift)


def _write_report(step: BaselineStep, ctx: StepContext, drift: Any, actor: str) -> None:
    from launchpad.baseline.reports import write_report
    from launchpad.run.templating import render
    from launchpad.sitetime import to_stamp, zoned_text

    assert ctx.workspace is not None and step.report is not None
    path = Path(render(step.report, ctx.values))
    path = path if path.is_absolute() else ctx.workspace.root / path
    at = zoned_text(to_stamp(ctx.now()), ctx.site.tz)
    write_report(drift, path, ctx.site.site.language, actor, at, ctx.workspace.root,
                 option="`report:`")


def _export_changes(step: BaselineStep, ctx: StepContext) -> StepOutcome:
    from launchpad.baseline.onsite_report import export_pending
    from launchpad.run.templating import render

    assert ctx.workspace is not None and ctx.store is not None and step.report is not None
    path = Path(render(step.report, ctx.values))
    path = path if path.is_absolute() else ctx.workspace.root / path
    count = export_pending(ctx.store, ctx.site, path, ctx.site.site.language, ctx.prompter.actor)
    ctx.audit("baseline_changes_exported", str(path), {"count": count, "step": ctx.step_id})
    shown = str(path.relative_to(ctx.workspace.root)) if path.is_relative_to(ctx.workspace.root) else str(path)
    return StepOutcome("passed", phrase("baseline.onsite.exported", count=count, path=shown),
                       evidence={"path": shown, "count": count})


@contextlib.contextmanager
def _sessions(step: BaselineStep, ctx: StepContext, envs: list[str], audit: Any) -> Iterator[list[Any]]:
    """A target session per environment: the run's through the run's connections, another
    through its own."""
    from launchpad.baseline.operations import environment_session
    from launchpad.hosts.connect import HostConnections

    assert ctx.workspace is not None
    secret = getattr(ctx.prompter, "secret", None)
    with contextlib.ExitStack() as stack:
        sessions = []
        for env in envs:
            transport_for = ctx.transport_for
            if env != ctx.env_name:
                transport_for = stack.enter_context(HostConnections(ctx.workspace, env)).transport_for
            sessions.append(stack.enter_context(environment_session(ctx.workspace, env, transport_for, audit,
                                                                    secret, step.database, "step")))
        yield sessions


STEP_KIND = StepKind("baseline", BaselineStep, run_baseline, idempotent=True)
