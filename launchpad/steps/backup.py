"""`backup`: take a backup of some (or all) of the environment's targets, streamed into the
workspace and checked; optionally verified again and drilled. Each target is reported like a
host, so a report shows which one failed. Re-running it after an interruption only takes
another backup, so it is safe to repeat."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from launchpad.errors import LaunchpadError
from launchpad.steps.base import HostOutcome, StepContext, StepKind, StepOutcome, StepSpec


class BackupStep(StepSpec):
    kind: Literal["backup"]
    targets: list[str] | Literal["all"] = Field("all", description="Backup targets of the environment, or all.")
    verify: bool = Field(True, description="Re-read the stored file's sha256 and structure after taking it.")
    drill: bool = Field(False, description="Also restore it into a scratch database and compare.")

    def describe(self) -> str:
        what = "all backup targets" if self.targets == "all" else ", ".join(self.targets)
        return self.description or f"back up {what}"


def run_backup(step: BackupStep, ctx: StepContext) -> StepOutcome:
    from launchpad.backup.drill import drill_backup
    from launchpad.backup.stepsupport import step_session
    from launchpad.backup.take import take_backup
    from launchpad.backup.verify import verify_backup

    names = list(ctx.environment.backups) if step.targets == "all" else list(step.targets)
    if not names:
        return StepOutcome("failed", f"environment {ctx.env_name} has no backup targets (backups: in site.yaml)")
    taken, outcomes = [], []
    with step_session(ctx) as session:
        for name in names:
            try:
                record = take_backup(session, ctx.env_name, name, purpose="playbook", timeout=step.timeout)
                notes = [f"backup {record.id}, {record.size} bytes, sha256 {record.sha256[:12]}…"]
                ok = True
                if step.verify:
                    report = verify_backup(session, record.id)
                    ok = report.ok
                    notes.append("verified" if report.ok else f"verify FAILED: {report.detail}")
                if step.drill and ok:
                    drilled = drill_backup(session, record.id)
                    ok = drilled.passed
                    notes.append(f"drill: {drilled.summary}")
                taken.append({"target": name, "id": record.id, "file": record.file, "size": record.size,
                              "sha256": record.sha256})
                outcome = HostOutcome(name, "passed" if ok else "failed", message="; ".join(notes))
            except LaunchpadError as exc:
                outcome = HostOutcome(name, "failed", message=exc.message)
            ctx.report_host(outcome)
            outcomes.append(outcome)
    failed = [o for o in outcomes if o.status == "failed"]
    summary = (f"{len(taken)} backup(s) taken: " + ", ".join(f"{t['target']} #{t['id']}" for t in taken)
               if not failed else "; ".join(f"{o.host}: {o.message}" for o in failed))
    return StepOutcome("failed" if failed else "passed", summary, tuple(outcomes), {"backups": taken})


STEP_KIND = StepKind("backup", BackupStep, run_backup, idempotent=True)
