"""`import`: a user import in a playbook, one stage per step — `check` the sheet against the
run's environment, `plan` it there, `apply` it — through the same calls as `launchpad users
check --env | plan | import` (`launchpad.users.operations`, `apply`, `guard`), so a playbook and
the command line can never differ in what they check or write.

`apply` writes only what a plan computed at that moment says (as `users import` does), and
keeps how it differs from the file's latest recorded plan (the one a person signed off); on
production it also needs a verified backup of the database younger than `backup_age`, whether
or not the playbook has a `fresh_backup` gate before it: a missing backup is a refusal, never
an ordinary failure. New users' passwords go to hand-out files only (see `users/handout.py`)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from launchpad.phrases import Said, parts, phrase
from launchpad.run.templating import render
from launchpad.steps.base import StepContext, StepKind, StepOutcome, StepSpec
from launchpad.users.apply import ImportTarget
from launchpad.users.target import TargetSession


class ImportStep(StepSpec):
    kind: Literal["import"]
    stage: Literal["check", "plan", "apply"] = Field(description="check the sheet, plan it, or apply it.")
    file: str = Field(description="The client's sheet (relative to the workspace; templated).")
    mapping: str | None = Field(None, description="The mapping (default: the workspace's only imports/*.yaml).")
    skip_rejected: bool = Field(False, description="Plan and apply the good rows even when others are rejected.")
    backup_age: str = Field("2h", pattern=r"^\d+[smhd]$",
                            description="On production, apply needs a verified backup younger than this.")
    batch: int | None = Field(None, ge=1, le=100_000, description="Rows per transaction (default: 10,000 through "
                              "the bulk loader, 500 as scripts).")

    def templates(self) -> dict[str, str]:
        return {"file": self.file}

    def describe(self) -> Said:
        return self.description or phrase(f"describe.import_{self.stage}", file=self.file)


@dataclass
class _RunTarget(ImportTarget):
    """An import target whose audit entries go through the run's audit (they carry the run id)."""

    run: StepContext | None = None

    def audit(self, action: str, target: str, detail: dict[str, Any]) -> None:
        assert self.run is not None
        self.run.audit(action, target, {**detail, "step": self.run.step_id})


def run_import(step: ImportStep, ctx: StepContext) -> StepOutcome:
    from launchpad.users.operations import find_mapping

    if ctx.workspace is None or ctx.store is None:
        return StepOutcome("failed", phrase("import.refused", reason="the step needs the run's workspace"))
    root = ctx.workspace.root
    file = Path(render(step.file, ctx.values))
    file = file if file.is_absolute() else root / file
    mapping_path = find_mapping(root, step.mapping)
    if step.stage == "check":
        return _check(ctx, file, mapping_path)
    return _against_target(step, ctx, file, mapping_path)


def _target(ctx: StepContext, database: str | None) -> AbstractContextManager[TargetSession]:
    """The run's environment's database, its opening audited with the run's step."""
    from launchpad.users.operations import target_session

    assert ctx.workspace is not None
    return target_session(ctx.workspace, ctx.env_name, database, ctx.transport_for,
                          lambda action, target, detail: ctx.audit(action, target, {**detail, "step": ctx.step_id}),
                          getattr(ctx.prompter, "secret", None))


def _check(ctx: StepContext, file: Path, mapping_path: Path) -> StepOutcome:
    """`launchpad users check FILE --env ENV`, as a step: the same use case, against the run's
    environment, so the step and the command find the same problems."""
    from launchpad.users.mapping import load_mapping
    from launchpad.users.operations import ANNOTATED_SUFFIX, check_users, file_sha256
    from launchpad.users.sources import read_workbook

    loaded = load_mapping(mapping_path)
    workbook = read_workbook(file, loaded.encoding, loaded.encoding_at)
    with _target(ctx, loaded.database) as session:
        report = check_users(workbook, loaded, session, ctx.env_name, file.with_name(f"{file.stem}{ANNOTATED_SUFFIX}"),
                             ctx.site.site.language)
    notes = report.result.sheet_notes  # a column not imported is said in the run, not only on the command line
    evidence = {"rows": report.rows, "problems": len(report.problems), "file": file.name,
                "sha256": file_sha256(file), "notes": len(notes)}
    return StepOutcome("failed" if report.problems else "passed", parts([report.summary(), *notes]),
                       evidence=evidence)


def _against_target(step: ImportStep, ctx: StepContext, file: Path, mapping_path: Path) -> StepOutcome:
    from launchpad.users.apply import apply_plan
    from launchpad.users.guard import ImportRefused, require_fresh_backup
    from launchpad.users.mapping import load_mapping
    from launchpad.users.operations import file_sha256, plan_workbook, users_command
    from launchpad.users.planlog import SHOWN, differences, latest_plan, record_plan
    from launchpad.users.sources import read_workbook
    from launchpad.workspace.folder import workspace_relative

    assert ctx.workspace is not None and ctx.store is not None
    loaded = load_mapping(mapping_path)
    workbook = read_workbook(file, loaded.encoding, loaded.encoding_at)
    sha = file_sha256(file)
    actor = ctx.prompter.actor
    with _target(ctx, loaded.database) as session:
        planned = plan_workbook(workbook, loaded, session, ctx.env_name)
        counts = planned.plan.counts()
        evidence: dict[str, Any] = {"file": file.name, "sha256": sha, "counts": counts,
                                    "units": planned.plan.counts_by_unit(), "digest": planned.plan.digest()}
        if counts["rejected"] and not step.skip_rejected:
            check = users_command("check", Path(workspace_relative(file, ctx.workspace.root)), ctx.env_name)
            return StepOutcome("failed", phrase("import.rejected", rejected=counts["rejected"]), evidence=evidence,
                               hint=phrase("import.rejected_hint", command=check))
        if step.stage == "plan":
            plan_id = record_plan(ctx.store, ctx.env_name, file.name, sha, planned.plan, actor)
            return StepOutcome("passed", phrase("import.planned", plan=plan_id, **counts),
                               evidence={**evidence, "plan": plan_id})
        to = _RunTarget(ctx.store, session, ctx.workspace.root, ctx.env_name, session.key, actor, run=ctx)
        # What is written is the plan computed now; how it differs from the one signed off is kept.
        recorded = latest_plan(ctx.store, ctx.env_name, sha)
        if recorded is not None:
            changed = differences(recorded, planned.plan)
            evidence.update(plan=recorded["id"], changed_since_plan=[str(line) for line in changed[:SHOWN]])
            if changed:
                to.audit("user_import_plan_changed", ctx.env_name,
                         {"plan": recorded["id"], "differences": len(changed)})
        try:
            if ctx.environment.production:
                evidence["backup"] = require_fresh_backup(ctx.store, ctx.workspace.backups_dir, ctx.environment,
                                                          ctx.env_name, session.key, to.audit, step.backup_age)
            outcome = apply_plan(to, planned, file=file, file_sha256=sha, mapping_name=mapping_path.name,
                                 allow_rejected=step.skip_rejected, batch_size=step.batch)
        except ImportRefused as refused:
            return StepOutcome("refused", phrase("import.refused", reason=refused.message), evidence=evidence,
                               hint=refused.said_hint)
    evidence.update(import_id=outcome.import_id, handouts=[str(p) for p in outcome.handouts],
                    without_password=outcome.without_password)
    return StepOutcome("passed", phrase("import.applied", id=outcome.import_id, handouts=len(outcome.handouts),
                                        **outcome.counts), evidence=evidence)


STEP_KIND = StepKind("import", ImportStep, run_import, idempotent=True)
