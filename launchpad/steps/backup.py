"""`backup`: take a backup of some (or all) of the environment's targets, streamed into the
workspace and checked; optionally verified again and drilled. Each target is reported like a
host, so a report shows which one failed. Re-running it after an interruption only takes
another backup, so it is safe to repeat."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from launchpad.errors import LaunchpadError
from launchpad.phrases import Said, parts, phrase
from launchpad.steps.base import HostOutcome, Reference, StepContext, StepKind, StepOutcome, StepSpec, hosts_said


class BackupStep(StepSpec):
    kind: Literal["backup"]
    targets: list[str] | Literal["all"] = Field("all", description="Backup targets of the environment, or all.")

    def references(self) -> list[Reference]:
        named = () if self.targets == "all" else tuple(self.targets)
        return [*super().references(), Reference("targets", "backup target", named)]
    verify: bool = Field(True, description="Re-read the stored file's sha256 and structure after taking it.")
    drill: bool = Field(False, description="Also restore it into a scratch database and compare.")

    def describe(self) -> Said:
        what: Said | list[str] = phrase("describe.all_backup_targets") if self.targets == "all" \
            else list(self.targets)
        return self.description or phrase("describe.backup", what=what)


def run_backup(step: BackupStep, ctx: StepContext) -> StepOutcome:
    from launchpad.backup.drill import drill_backup
    from launchpad.backup.take import take_backup
    from launchpad.backup.verify import verify_backup
    from launchpad.steps.backup_session import step_session

    names = list(ctx.environment.backups) if step.targets == "all" else list(step.targets)
    if not names:
        return StepOutcome("failed", phrase("backup.no_targets", env=ctx.env_name))
    taken, outcomes = [], []
    with step_session(ctx) as session:
        for name in names:
            try:
                record = take_backup(session, ctx.env_name, name, purpose="playbook", timeout=step.timeout)
                notes: list[Said] = [phrase("backup.taken", id=record.id, size=record.size, sha=record.sha256[:12])]
                ok = True
                if step.verify:
                    report = verify_backup(session, record.id)
                    ok = report.ok
                    notes.append(phrase("backup.verified") if report.ok
                                 else phrase("backup.verify_failed", detail=report.detail))
                if step.drill and ok:
                    drilled = drill_backup(session, record.id)
                    ok = drilled.passed
                    notes.append(phrase("backup.drill", summary=drilled.summary))
                taken.append({"target": name, "id": record.id, "file": record.file, "size": record.size,
                              "sha256": record.sha256})
                outcome = HostOutcome(name, "passed" if ok else "failed", message=parts(notes))
            except LaunchpadError as exc:
                outcome = HostOutcome(name, "failed", message=exc.said)
            ctx.report_host(outcome)
            outcomes.append(outcome)
    failed = [o for o in outcomes if o.status == "failed"]
    listed = [phrase("gate.backup_ref", target=t["target"], id=t["id"]) for t in taken]
    summary = phrase("backup.summary", count=len(taken), backups=listed) if not failed else hosts_said(failed)
    return StepOutcome("failed" if failed else "passed", summary, tuple(outcomes), {"backups": taken})


STEP_KIND = StepKind("backup", BackupStep, run_backup, idempotent=True)
