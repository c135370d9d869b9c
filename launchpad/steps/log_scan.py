"""`log_scan`: the application's log on every host of a group holds no error line since the
release began (or since `since`): lines matching `pattern` are counted, the first few kept as
evidence (launchpad.deploy.logscan). More than `max` fails the host; a log that has nothing
timestamped since then is "not checked", never clean."""

from __future__ import annotations

import time
from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field, field_validator

from launchpad.deploy.logscan import read_scan, scan_command
from launchpad.errors import LaunchpadError
from launchpad.hosts.pool import in_parallel
from launchpad.phrases import phrase
from launchpad.run.events import CommandSent
from launchpad.run.templating import render
from launchpad.steps.base import HostOutcome, StepContext, StepKind, StepOutcome, StepSpec, failed_on, hosts_said
from launchpad.steps.hostvalues import host_values
from launchpad.workspace.site import Host, valid_regex

STAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


class LogScanStep(StepSpec):
    kind: Literal["log_scan"]
    hosts: str = Field("all", description="Host group (or host name) whose logs are read.")
    path: str = Field(description="Log file(s) on the host, a shell word: globs expand (/opt/app/logs/*.log).")
    pattern: str = Field("ERROR|Exception", description="Extended regex (POSIX awk: no \\b, \\d) of an error line.")
    since: str | None = Field(None, description="'YYYY-MM-DD HH:MM:SS' in site time; default: when the run began.")
    max: int = Field(0, ge=0, description="Error lines allowed.")
    keep: int = Field(5, ge=1, le=100, description="Error lines kept as evidence per host.")
    shell_fields: ClassVar[tuple[str, ...]] = ("path",)

    _regex = field_validator("pattern")(valid_regex)

    def hosts_group(self) -> str | None:
        return self.hosts

    def templates(self) -> dict[str, str]:
        return {"path": self.path, **({"since": self.since} if self.since else {})}

    def describe(self) -> str:
        return f"/{self.pattern}/ in {self.path}"


def run_log_scan(step: LogScanStep, ctx: StepContext) -> StepOutcome:
    if not ctx.hosts:
        return StepOutcome("failed", phrase("shell.no_hosts", group=step.hosts))
    since = render(step.since, ctx.values).strip() if step.since else _run_started(ctx)
    try:
        datetime.strptime(since, STAMP_FORMAT)
    except ValueError:
        return StepOutcome("failed", phrase("logscan.bad_since", since=since))

    def on_host(host: Host) -> HostOutcome:
        outcome = _scan(step, ctx, host, since)
        ctx.report_host(outcome)
        return outcome

    outcomes = tuple(in_parallel(on_host, ctx.hosts, name="log_scan"))
    evidence = {"since": since, "pattern": step.pattern}
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        summary = phrase("shell.some_failed", failed=len(failed), count=len(outcomes), details=hosts_said(failed[:3]))
        return StepOutcome("failed", summary, outcomes, evidence)
    unchecked = [o for o in outcomes if o.status == "not_checked"]
    if unchecked:
        return StepOutcome("not_checked", phrase("shell.hosts_not_checked", unchecked=len(unchecked),
                                                 count=len(outcomes), details=hosts_said(unchecked[:3])),
                           outcomes, evidence)
    return StepOutcome("passed", phrase("logscan.all_clean", count=len(outcomes), since=since), outcomes, evidence)


def _run_started(ctx: StepContext) -> str:
    """When this run began, in site time: the release's start, for logs written in site time."""
    run = ctx.store.get_run(ctx.run_id) if ctx.store is not None else None
    began = datetime.fromisoformat(run["started"]) if run else ctx.now()
    return began.astimezone(ctx.site.tz).strftime(STAMP_FORMAT)


def _scan(step: LogScanStep, ctx: StepContext, host: Host, since: str) -> HostOutcome:
    path = render(step.path, host_values(ctx.values, host), shell=True)
    command = scan_command(path, since, step.pattern, step.keep)
    ctx.emit(CommandSent(ctx.run_id, ctx.step_id, host.name, f"scan {path} for /{step.pattern}/ since {since}"))
    ctx.audit("remote_command", host.name, {"command": command, "step": ctx.step_id})
    started = time.monotonic()
    try:
        result = ctx.transport_for(host).run(command, timeout=step.timeout or 300.0)
    except LaunchpadError as exc:
        return failed_on(host.name, exc, time.monotonic() - started)
    scan = read_scan(result.text()) if result.ok else None
    if scan is None:
        tail = (result.text("stderr").strip().splitlines() or [f"exit code {result.exit_code}"])[-1][:200]
        return HostOutcome(host.name, "failed", result.exit_code, result.duration, stderr=tail,
                           message=phrase("logscan.unreadable", path=path, error=tail))
    first = "\n".join(scan.first)
    if scan.files == 0:
        return HostOutcome(host.name, "failed", 0, result.duration, message=phrase("logscan.no_file", path=path))
    if scan.matches > step.max:
        return HostOutcome(host.name, "failed", 0, result.duration, stdout=first,
                           message=phrase("logscan.errors", count=scan.matches, since=since, limit=step.max,
                                          first=scan.first[0][:300] if scan.first else ""))
    if scan.stamped_after == 0:
        return HostOutcome(host.name, "not_checked", 0, result.duration,
                           message=phrase("logscan.no_stamps", since=since, path=path))
    return HostOutcome(host.name, "passed", 0, result.duration, stdout=first,
                       message=phrase("logscan.clean", since=since, lines=scan.stamped_after))


STEP_KIND = StepKind("log_scan", LogScanStep, run_log_scan, idempotent=True, runs_on_hosts=True)
