"""`shell`: a command on every host of a group, judged by its exit code, a pattern in its
output, or a number read from its output and compared with limits."""

from __future__ import annotations

import re
import time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from launchpad.errors import LaunchpadError
from launchpad.events import CommandSent, OutputLine
from launchpad.remote.base import CommandResult, Stream, chunks_to_lines
from launchpad.remote.pool import in_parallel
from launchpad.site import Host
from launchpad.steps.base import HostOutcome, StepContext, StepKind, StepOutcome, StepSpec
from launchpad.templating import render

# Output kept per host in the store: enough evidence for a report, bounded for 40 hosts.
KEPT_OUTPUT = 16 * 1024


def _valid_regex(value: str | None) -> str | None:
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from None
    return value


class NumberCheck(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    pattern: str = Field(r"(-?\d+(?:\.\d+)?)", description="Regex whose first group is the number to check.")
    min: float | None = None
    max: float | None = None
    label: str = "value"

    _check = field_validator("pattern")(_valid_regex)


class ShellExpect(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    exit: int | list[int] = Field(0, description="Accepted exit code(s).")
    output: str | None = Field(None, description="Regex that stdout must match.")
    not_output: str | None = Field(None, description="Regex that stdout must not match.")
    number: NumberCheck | None = None

    _check = field_validator("output", "not_output")(_valid_regex)


class ShellStep(StepSpec):
    kind: Literal["shell"]
    hosts: str = Field("all", description="Host group (or host name) to run on.")
    run: str = Field(description="Command; {{ values }} are shell-quoted when substituted.")
    expect: ShellExpect = Field(default_factory=ShellExpect)

    def hosts_group(self) -> str | None:
        return self.hosts

    def templates(self) -> dict[str, str]:
        return {"run": self.run}

    def describe(self) -> str:
        return self.run.strip()


def judge(expect: ShellExpect, result: CommandResult) -> str:
    """Why the result misses the expectation, or '' when it meets it."""
    accepted = expect.exit if isinstance(expect.exit, list) else [expect.exit]
    if result.exit_code not in accepted:
        tail = result.text("stderr").strip().splitlines()[-1:] or [""]
        return f"exit code {result.exit_code}, expected {accepted[0] if len(accepted) == 1 else accepted}" + (
            f": {tail[0][:200]}" if tail[0] else ""
        )
    stdout = result.text()
    if expect.output and not re.search(expect.output, stdout, re.MULTILINE):
        return f"output does not match /{expect.output}/"
    if expect.not_output and re.search(expect.not_output, stdout, re.MULTILINE):
        return f"output matches /{expect.not_output}/, which it must not"
    if expect.number:
        return _judge_number(expect.number, stdout)
    return ""


def _judge_number(check: NumberCheck, stdout: str) -> str:
    match = re.search(check.pattern, stdout, re.MULTILINE)
    if not match:
        return f"no {check.label} found in the output (/{check.pattern}/)"
    try:
        value = float(match.group(1) if match.groups() else match.group(0))
    except ValueError:
        return f"{check.label} {match.group(0)!r} is not a number"
    if check.min is not None and value < check.min:
        return f"{check.label} {value:g} is below the minimum {check.min:g}"
    if check.max is not None and value > check.max:
        return f"{check.label} {value:g} is above the maximum {check.max:g}"
    return ""


def run_shell(step: ShellStep, ctx: StepContext) -> StepOutcome:
    command = render(step.run, ctx.values, shell=True)
    timeout = step.timeout or 600.0

    def on_host(host: Host) -> HostOutcome:
        outcome = _run_on_host(step, ctx, host, command, timeout)
        ctx.report_host(outcome)
        return outcome

    outcomes = tuple(in_parallel(on_host, ctx.hosts, name="shell"))
    failed = [o for o in outcomes if o.status == "failed"]
    if not outcomes:
        return StepOutcome("failed", f"no hosts in group {step.hosts!r}")
    summary = (
        f"{len(outcomes)} host(s) passed"
        if not failed
        else f"{len(failed)} of {len(outcomes)} host(s) failed: "
        + "; ".join(f"{o.host}: {o.message}" for o in failed[:3])
    )
    return StepOutcome("failed" if failed else "passed", summary, outcomes, {"command": command})


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
        return HostOutcome(host.name, "failed", None, time.monotonic() - started, message=exc.message)
    problem = judge(step.expect, result)
    return HostOutcome(
        host.name,
        "failed" if problem else "passed",
        result.exit_code,
        result.duration,
        result.text()[-KEPT_OUTPUT:],
        result.text("stderr")[-KEPT_OUTPUT:],
        problem or "ok",
    )


STEP_KIND = StepKind("shell", ShellStep, run_shell, idempotent=False, runs_on_hosts=True)
