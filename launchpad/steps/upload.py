"""`upload`: an artifact from the workspace to every host of a group, in parallel, each copy's
sha256 checked on the host before it is renamed into place. A host that already holds a file
with that sum at the destination is skipped ("already there"); a mismatch fails that host and
leaves nothing behind (launchpad.deploy.upload)."""

from __future__ import annotations

import time
from typing import ClassVar, Literal

from pydantic import Field

from launchpad.deploy.upload import Artifact, ChecksumMismatch, artifact_at, deliver
from launchpad.errors import LaunchpadError
from launchpad.hosts.pool import in_parallel
from launchpad.phrases import phrase
from launchpad.run.events import CommandSent, OutputLine
from launchpad.run.templating import render
from launchpad.steps.base import HostOutcome, StepContext, StepKind, StepOutcome, StepSpec, failed_on, hosts_said
from launchpad.steps.hostvalues import host_values
from launchpad.workspace.site import Host

# Progress lines per host: every tenth of the artifact.
PROGRESS_STEPS = 10


class UploadStep(StepSpec):
    kind: Literal["upload"]
    hosts: str = Field("all", description="Host group (or host name) to upload to.")
    artifact: str = Field(description="The file to send; relative paths are relative to the workspace.")
    to: str = Field(description="Destination path on each host (the file's full path); may use {{ host.name }}.")
    sha256: str | None = Field(None, description="The sum published with the build; default: computed from the file.")
    mode: str = Field("644", pattern=r"^[0-7]{3,4}$", description="File mode once in place (octal).")
    shell_fields: ClassVar[tuple[str, ...]] = ()

    def hosts_group(self) -> str | None:
        return self.hosts

    def templates(self) -> dict[str, str]:
        found = {"artifact": self.artifact, "to": self.to}
        if self.sha256:
            found["sha256"] = self.sha256
        return found

    def describe(self) -> str:
        return f"{self.artifact} → {self.hosts}:{self.to}"


def run_upload(step: UploadStep, ctx: StepContext) -> StepOutcome:
    if not ctx.hosts:
        return StepOutcome("failed", phrase("shell.no_hosts", group=step.hosts))
    path = ctx.local_path(render(step.artifact, ctx.values))
    declared = render(step.sha256, ctx.values).strip() if step.sha256 else None
    artifact = artifact_at(path, declared)  # unreadable: the engine fails the step with the error's hint
    timeout = step.timeout or 3600.0

    def on_host(host: Host) -> HostOutcome:
        outcome = _upload_to(step, ctx, host, artifact, timeout)
        ctx.report_host(outcome)
        return outcome

    outcomes = tuple(in_parallel(on_host, ctx.hosts, name="upload"))
    already_there = [o.host for o in outcomes if o.stdout == "already_there"]
    evidence = {"artifact": str(path), "sha256": artifact.sha256, "bytes": artifact.size,
                "already_there": already_there}
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        summary = phrase("shell.some_failed", failed=len(failed), count=len(outcomes), details=hosts_said(failed[:3]))
        return StepOutcome("failed", summary, outcomes, evidence)
    skipped = len(already_there)
    return StepOutcome("passed", phrase("upload.summary", sent=len(outcomes) - skipped, skipped=skipped,
                                        sha=artifact.sha256[:12]), outcomes, evidence)


def _upload_to(step: UploadStep, ctx: StepContext, host: Host, artifact: Artifact, timeout: float) -> HostOutcome:
    destination = render(step.to, host_values(ctx.values, host))
    detail = {"step": ctx.step_id, "artifact": str(artifact.path), "destination": destination,
              "sha256": artifact.sha256, "bytes": artifact.size}
    ctx.emit(CommandSent(ctx.run_id, ctx.step_id, host.name, f"upload {artifact.path.name} → {destination}"))
    ctx.audit("upload_started", host.name, detail)
    shown = [0]

    def on_progress(sent: int, total: int) -> None:
        tenth = sent * PROGRESS_STEPS // max(total, 1)
        if tenth > shown[0]:
            shown[0] = tenth
            ctx.emit(OutputLine(ctx.run_id, ctx.step_id, host.name, "stdout",
                                f"{sent * 100 // max(total, 1)}% {sent >> 20}/{total >> 20} MiB"))

    started = time.monotonic()
    try:
        delivery = deliver(ctx.transport_for(host), artifact, destination, mode=int(step.mode, 8),
                           timeout=timeout, on_progress=on_progress,
                           on_command=lambda command: ctx.audit("remote_command", host.name,
                                                                {"command": command, "step": ctx.step_id}))
    except LaunchpadError as exc:
        why = "checksum mismatch" if isinstance(exc, ChecksumMismatch) else "failed"
        ctx.audit("upload_failed", host.name, {**detail, "why": why, "error": exc.message})
        return failed_on(host.name, exc, time.monotonic() - started)
    ctx.audit("upload_" + delivery.state, host.name, {**detail, "seconds": round(delivery.seconds, 3)})
    said = (phrase("upload.already_there", path=destination) if delivery.state == "already_there"
            else phrase("upload.sent", path=destination, mib=f"{artifact.size / 2**20:.1f}",
                        seconds=f"{delivery.seconds:.1f}"))
    # stdout holds the state, so the step's evidence can list the hosts that were skipped.
    return HostOutcome(host.name, "passed", 0, delivery.seconds, stdout=delivery.state, message=said)


STEP_KIND = StepKind("upload", UploadStep, run_upload, idempotent=True, runs_on_hosts=True)
