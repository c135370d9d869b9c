"""`restore`: put a target back as a backup has it — by default the backup this same run took
of the target earlier (what a phase's `rollback:` wants), or the newest verified one.

The restore verifies the file's sha256, asks (on production: the environment's name typed,
unless the step already asked through `confirm: true`), takes a safety backup, then restores.
Not safe to repeat blindly after an interruption: the engine asks first."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from launchpad.phrases import phrase
from launchpad.steps.base import Reference, StepContext, StepKind, StepOutcome, StepSpec


class RestoreStep(StepSpec):
    kind: Literal["restore"]
    target: str = Field(description="The backup target to restore.")
    source: Literal["run", "latest_verified"] = Field(
        "run", description="run: the backup this run took of the target; latest_verified: the newest verified one."
    )
    from_step: str | None = Field(None, description="Id of the backup step whose backup to restore (source: run).")

    def references(self) -> list[Reference]:
        return [*super().references(), Reference("target", "backup target", (self.target,))]

    def describe(self) -> str:
        whence = "taken earlier in this run" if self.source == "run" else "newest verified"
        return self.description or f"restore {self.target} from the backup {whence}"


def run_restore(step: RestoreStep, ctx: StepContext) -> StepOutcome:
    from launchpad.backup import records
    from launchpad.backup.restore import restore_backup
    from launchpad.steps.backup_session import step_session

    with step_session(ctx) as session:
        candidates = records.list_backups(session.store, ctx.env_name, step.target)
        if step.source == "run":
            chosen = next((b for b in candidates if b.run_id == ctx.run_id and b.purpose == "playbook"
                           and (step.from_step is None or b.step_id == step.from_step)), None)
        else:
            chosen = next((b for b in candidates if b.verified), None)
        if chosen is None:
            key = "restore.none_from_run" if step.source == "run" else "restore.none_verified"
            return StepOutcome("failed", phrase(key, target=step.target))
        result = restore_backup(session, chosen.id, ctx.env_name, ctx.prompter, already_confirmed=step.confirm)
    safety = result.safety_backup
    evidence = {"backup": chosen.id, "file": chosen.file, "restore": result.restore_id,
                "safety_backup": safety.id if safety else None}
    return StepOutcome("passed", phrase("restore.done", detail=result.detail, safety=safety.id if safety else "-"),
                       evidence=evidence)


STEP_KIND = StepKind("restore", RestoreStep, run_restore, idempotent=False)
