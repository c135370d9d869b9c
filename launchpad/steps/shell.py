"""`shell`: a command on every host of a group, judged by its exit code, a pattern in its
output, or a number read from its output and compared with limits.

A command can also say it had nothing to check (`expect.not_checked_exit`, e.g. a port check
whose port list is empty): that host ends `not_checked`, with the command's last output line as
the reason, and so does the step. A check that did not run never reads as passed."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from launchpad.deploy.probe import ask_http, ask_shell, poll, waited_said
from launchpad.deploy.rolling import Rolling, batches, roll
from launchpad.errors import LaunchpadError
from launchpad.hosts.base import CommandResult, Stream, chunks_to_lines
from launchpad.hosts.pool import in_parallel
from launchpad.phrases import Phrase, Said, parts, phrase
from launchpad.run.events import CommandSent, OutputLine
from launchpad.run.templating import TemplateProblem, render
from launchpad.steps.base import (
    HostOutcome,
    StepContext,
    StepKind,
    StepOutcome,
    StepSpec,
    failed_on,
    hosts_said,
)
from launchpad.steps.hostvalues import host_values
from launchpad.workspace.site import Environment, Host, valid_regex

# Output kept per host in the store: enough evidence for a report, bounded for 40 hosts.
KEPT_OUTPUT = 16 * 1024


class NumberCheck(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    pattern: str = Field(r"(-?\d+(?:\.\d+)?)", description="Regex whose first group is the number to check.")
    min: float | None = None
    max: float | None = None
    label: str = "value"

    _check = field_validator("pattern")(valid_regex)


class ShellExpect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    exit: int | list[int] = Field(0, description="Accepted exit code(s).")
    output: str | None = Field(None, description="Regex that stdout must match.")
    not_output: str | None = Field(None, description="Regex that stdout must not match.")
    number: NumberCheck | None = None
    not_checked_exit: int | None = Field(
        None,
        ge=1,
        le=255,
        description="Exit code by which the command says it had nothing to check; the step then ends "
        "'not checked' (its last output line says why), never passed.",
    )

    _check = field_validator("output", "not_output")(valid_regex)

    @model_validator(mode="after")
    def _not_checked_is_not_accepted(self) -> ShellExpect:
        accepted = self.exit if isinstance(self.exit, list) else [self.exit]
        if self.not_checked_exit is not None and self.not_checked_exit in accepted:
            raise ValueError(phrase("rule.not_checked_exit", code=self.not_checked_exit))
        return self


class ShellStep(StepSpec):
    kind: Literal["shell"]
    hosts: str = Field("all", description="Host group (or host name) to run on.")
    run: str = Field(description="Command; {{ values }} are shell-quoted when substituted.")
    expect: ShellExpect = Field(default_factory=ShellExpect)
    rolling: Rolling | None = Field(
        None, description="Run on the hosts in batches, each checked healthy before the next (a version switch)."
    )
    shell_fields: ClassVar[tuple[str, ...]] = ("run", "rolling.check.run")

    def hosts_group(self) -> str | None:
        return self.hosts

    def templates(self) -> dict[str, str]:
        found = {"run": self.run}
        if self.rolling is not None and self.rolling.check is not None:
            found.update(self.rolling.check.templates("rolling.check."))
        return found

    def describe(self) -> Said:
        if self.rolling is not None:
            return phrase("shell.rolling_confirm", command=self.run.strip(), batch=self.rolling.batch)
        return self.run.strip()

    def describe_with(self, values: dict[str, Any], environment: Environment | None = None) -> Said:
        try:
            command = render(self.run, values, shell=True).strip()
        except TemplateProblem:  # a per-host value: each host's command differs, show the template
            command = self.run.strip()
        if self.rolling is not None:
            return phrase("shell.rolling_confirm", command=command, batch=self.rolling.batch)
        return command


def judge(expect: ShellExpect, result: CommandResult) -> Phrase | None:
    """Why the result misses the expectation, or None when it meets it."""
    accepted = expect.exit if isinstance(expect.exit, list) else [expect.exit]
    if result.exit_code not in accepted:
        tail = result.text("stderr").strip().splitlines()[-1:] or [""]
        expected = str(accepted[0]) if len(accepted) == 1 else str(accepted)
        if tail[0]:
            return phrase("shell.exit_code_tail", code=result.exit_code, expected=expected, tail=tail[0][:200])
        return phrase("shell.exit_code", code=result.exit_code, expected=expected)
    stdout = result.text()
    if expect.output and not re.search(expect.output, stdout, re.MULTILINE):
        return phrase("shell.output_mismatch", pattern=expect.output)
    if expect.not_output and re.search(expect.not_output, stdout, re.MULTILINE):
        return phrase("shell.output_forbidden", pattern=expect.not_output)
    if expect.number:
        return _judge_number(expect.number, stdout)
    return None


def _judge_number(check: NumberCheck, stdout: str) -> Phrase | None:
    match = re.search(check.pattern, stdout, re.MULTILINE)
    if not match:
        return phrase("shell.number_missing", label=check.label, pattern=check.pattern)
    try:
        value = float(match.group(1) if match.groups() else match.group(0))
    except ValueError:
        return phrase("shell.not_number", label=check.label, text=match.group(0))
    if check.min is not None and value < check.min:
        return phrase("shell.below_min", label=check.label, value=f"{value:g}", limit=f"{check.min:g}")
    if check.max is not None and value > check.max:
        return phrase("shell.above_max", label=check.label, value=f"{value:g}", limit=f"{check.max:g}")
    return None


def run_shell(step: ShellStep, ctx: StepContext) -> StepOutcome:
    if not ctx.hosts:
        return StepOutcome("failed", phrase("shell.no_hosts", group=step.hosts))
    command = render(step.run, host_values(ctx.values, ctx.hosts[0]), shell=True)
    timeout = step.timeout or 600.0
    if step.rolling is not None:
        return _rolling(step, step.rolling, ctx, timeout)

    def on_host(host: Host) -> HostOutcome:
        outcome = _run_on_host(step, ctx, host, render(step.run, host_values(ctx.values, host), shell=True), timeout)
        ctx.report_host(outcome)
        return outcome

    outcomes = tuple(in_parallel(on_host, ctx.hosts, name="shell"))
    failed = [o for o in outcomes if o.status == "failed"]
    unchecked = [o for o in outcomes if o.status == "not_checked"]
    evidence = {"command": command}
    if failed:
        summary = phrase("shell.some_failed", failed=len(failed), count=len(outcomes), details=hosts_said(failed[:3]))
        return StepOutcome("failed", summary, outcomes, evidence)
    if unchecked:
        reasons = {str(o.message) for o in unchecked}
        why: Said = (
            unchecked[0].message
            if len(unchecked) == len(outcomes) and len(reasons) == 1
            else phrase("shell.hosts_not_checked", unchecked=len(unchecked), count=len(outcomes),
                        details=hosts_said(unchecked[:3]))
        )
        return StepOutcome("not_checked", why, outcomes, evidence)
    return StepOutcome("passed", phrase("shell.all_passed", count=len(outcomes)), outcomes, evidence)


def _rolling(step: ShellStep, rolling: Rolling, ctx: StepContext, timeout: float) -> StepOutcome:
    """The command on one batch of hosts at a time, each host of a batch checked healthy
    before the next batch; the first failing batch ends the rollout."""
    check = rolling.check

    def switch(host: Host) -> HostOutcome:
        values = host_values(ctx.values, host)
        switched = _run_on_host(step, ctx, host, render(step.run, values, shell=True), timeout)
        if switched.status != "passed" or check is None:
            ctx.report_host(switched)
            return switched
        transport = ctx.transport_for(host)
        if check.run is not None:
            ctx.audit("remote_command", host.name, {"command": render(check.run, values, shell=True),
                                                    "step": ctx.step_id, "health_check": True})
        waited = poll((lambda: ask_http(check, values)) if check.url is not None
                      else (lambda: ask_shell(check, values, transport)),
                      every=check.every, within=check.within, cancel=ctx.cancel)
        said = waited_said(waited)
        # The host's row covers the switch and the wait; an unhealthy host shows no exit code,
        # since the switch's 0 beside "failed" would read as if nothing went wrong.
        healthy = replace(switched, status="passed" if said.ok else "failed",
                          exit_code=switched.exit_code if said.ok else None,
                          duration=switched.duration + waited.seconds,
                          message=phrase("rolling.healthy" if said.ok else "rolling.unhealthy", answer=said.said))
        ctx.report_host(healthy)
        return healthy

    done, untouched, failed_batch = roll(ctx.hosts, rolling.batch, switch, lambda o: o.status != "passed")
    count = len(batches(ctx.hosts, rolling.batch))
    evidence = {"command": step.run, "batch": rolling.batch, "batches": count, "failed_batch": failed_batch,
                "untouched": [h.name for h in untouched]}
    if failed_batch is None:
        return StepOutcome("passed", phrase("rolling.all_passed", count=len(done), batches=count),
                           tuple(done), evidence)
    left = []
    for host in untouched:
        outcome = HostOutcome(host.name, "not_checked", message=phrase("rolling.untouched", batch=failed_batch))
        ctx.report_host(outcome)
        left.append(outcome)
    ctx.audit("rollout_stopped", ctx.step_id, {"step": ctx.step_id, "failed_batch": failed_batch,
                                              "untouched": evidence["untouched"]})
    failed = [o for o in done if o.status != "passed"]
    stopped = "rolling.batch_failed" if untouched else "rolling.last_batch_failed"
    summary = parts([phrase(stopped, batch=failed_batch, batches=count), hosts_said(failed[:3])])
    return StepOutcome("failed", summary, (*done, *left), evidence, untouched=tuple(h.name for h in untouched))


def _run_on_host(step: ShellStep, ctx: StepContext, host: Host, command: str, timeout: float) -> HostOutcome:
    ctx.emit(CommandSent(ctx.run_id, ctx.step_id, host.name, command))
    ctx.audit("remote_command", host.name, {"command": command, "step": ctx.step_id})
    buffers: dict[str, bytearray] = {"stdout": bytearray(), "stderr": bytearray()}

    def on_output(stream: Stream, chunk: bytes) -> None:
        for line in chunks_to_lines(buffers[stream], chunk):
            ctx.emit(OutputLine(ctx.run_id, ctx.step_id, host.name, stream, line))

    started = time.monotonic()
    try:
        result = ctx.transport_for(host).run(command, timeout=timeout, on_output=on_output)
        # A last line without a newline is still output the person should see.
        for stream, rest in buffers.items():
            if rest:
                ctx.emit(OutputLine(ctx.run_id, ctx.step_id, host.name, stream, rest.decode("utf-8", "replace")))
    except LaunchpadError as exc:
        return failed_on(host.name, exc, time.monotonic() - started)
    if step.expect.not_checked_exit is not None and result.exit_code == step.expect.not_checked_exit:
        return HostOutcome(host.name, "not_checked", result.exit_code, result.duration,
                           result.tail("stdout", KEPT_OUTPUT), result.tail("stderr", KEPT_OUTPUT),
                           _last_line(result))
    problem = judge(step.expect, result)
    return HostOutcome(
        host.name,
        "failed" if problem else "passed",
        result.exit_code,
        result.duration,
        result.tail("stdout", KEPT_OUTPUT),
        result.tail("stderr", KEPT_OUTPUT),
        problem or phrase("shell.ok"),
    )


def _last_line(result: CommandResult) -> Said:
    """The command's own words for why it checked nothing: its last line of output."""
    streams: tuple[Stream, ...] = ("stdout", "stderr")
    for stream in streams:
        lines = result.tail(stream, 4096).strip().splitlines()
        if lines:
            return lines[-1].strip()[:200]
    return phrase("shell.no_reason_given")


STEP_KIND = StepKind("shell", ShellStep, run_shell, idempotent=False, runs_on_hosts=True)
