"""`restore`: put a target back as a backup has it — by default the backup this same run took
of the target earlier (what a phase's `rollback:` wants), or the newest verified one. Without a
target, every target the run backed up is restored (a release's rollback, whatever the site's
targets are called).

The restore verifies the file's sha256, asks (on production: the environment's name typed,
unless the step already asked through `confirm: true`), takes a safety backup, then restores.
Not safe to repeat blindly after an interruption: the engine asks first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from launchpad.phrases import Said, parts, phrase
from launchpad.steps.base import Reference, StepContext, StepKind, StepOutcome, StepSpec

if TYPE_CHECKING:
    from launchpad.backup.restore import RestoreResult
    from launchpad.workspace.site import Environment


class RestoreStep(StepSpec):
    kind: Literal["restore"]
    target: str | None = Field(
        None, description="The backup target to restore; none: every target the run backed up (source: run)."
    )
    source: Literal["run", "latest_verified"] = Field(
        "run", description="run: the backup this run took of the target; latest_verified: the newest verified one."
    )
    from_step: str | None = Field(None, description="Id of the backup step whose backup to restore (source: run).")

    def references(self) -> list[Reference]:
        named = (self.target,) if self.target is not None else ()
        return [*super().references(), Reference("target", "backup target", named)]

    def own_problems(self) -> list[tuple[str, str]]:
        if self.target is None and self.source != "run":
            return [("target", "name the target: only a run's own backups can be restored without one")]
        return []

    def describe(self) -> Said:
        whence = phrase("describe.restore_from_run" if self.source == "run" else "describe.restore_newest")
        what: Said = self.target or phrase("describe.every_target")
        return self.description or phrase("describe.restore", target=what, whence=whence)

    def describe_with(self, values: dict[str, Any], environment: Environment | None = None) -> Said:
        # The question `confirm: true` asks before anything is known of the server: it says what
        # happens to a database that is not there, as the restore's own question does — only
        # where a target is a database server's (a file, SQLite's included, is never created).
        from launchpad.backup.targets import creates_missing_database

        said = super().describe_with(values, environment)
        if environment is not None:
            names = [self.target] if self.target is not None else list(environment.backups)
            if not any(creates_missing_database(environment, name) for name in names):
                return said
        return parts([said, phrase("describe.restore_creates")])


def run_restore(step: RestoreStep, ctx: StepContext) -> StepOutcome:
    from launchpad.backup import records
    from launchpad.backup.restore import restore_backup
    from launchpad.steps.backup_session import step_session

    with step_session(ctx) as session:
        targets = [step.target] if step.target is not None else _targets_backed_up(session.store, step, ctx)
        if not targets:
            return StepOutcome("failed", phrase("restore.none_from_run", target="*"))
        chosen_all = []
        for target in targets:
            candidates = records.list_backups(session.store, ctx.env_name, target)
            if step.source == "run":
                chosen = next((b for b in candidates if b.run_id == ctx.run_id and b.purpose == "playbook"
                               and (step.from_step is None or b.step_id == step.from_step)), None)
            else:
                chosen = next((b for b in candidates if b.verified), None)
            if chosen is None:
                key = "restore.none_from_run" if step.source == "run" else "restore.none_verified"
                return StepOutcome("failed", phrase(key, target=target))
            chosen_all.append(chosen)
        results = [restore_backup(session, chosen.id, ctx.env_name, ctx.prompter, already_confirmed=step.confirm,
                                  by_yes=False)
                   for chosen in chosen_all]
    if len(results) == 1:
        chosen, result = chosen_all[0], results[0]
        safety = result.safety_backup
        evidence = {"backup": chosen.id, "file": chosen.file, "restore": result.restore_id,
                    "safety_backup": safety.id if safety else None}
        return StepOutcome("passed", _done(result), evidence=evidence)
    said = parts([_done(r) for r in results])
    evidence = {"backups": [c.id for c in chosen_all], "restores": [r.restore_id for r in results]}
    return StepOutcome("passed", said, evidence=evidence)


def _done(result: RestoreResult) -> Said:
    """What was restored and its safety backup; without one, the restore's own words say why
    (the database did not exist: there was nothing to save)."""
    if result.safety_backup is None:
        return result.detail
    return phrase("restore.done", detail=result.detail, safety=result.safety_backup.id)


def _targets_backed_up(store: Any, step: RestoreStep, ctx: StepContext) -> list[str]:
    """The targets this run backed up (in `from_step`, when named), in the order they were taken."""
    from launchpad.backup import records

    found: list[str] = []
    for target in ctx.environment.backups:
        if any(b.run_id == ctx.run_id and b.purpose == "playbook"
               and (step.from_step is None or b.step_id == step.from_step)
               for b in records.list_backups(store, ctx.env_name, target)):
            found.append(target)
    return found


STEP_KIND = StepKind("restore", RestoreStep, run_restore, idempotent=False, asks_a_person=True)
