"""`shell`: a command on every host of a group, judged by its exit code, a pattern in its
output, or a number read from its output and compared with limits."""

from __future__ import annotations

import re
import time
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from launchpad.errors import LaunchpadError
from launchpad.events import CommandSent, OutputLine
from launchpad.phrases import Phrase, phrase
from launchpad.remote.base import CommandResult, Stream, chunks_to_lines
from launchpad.remote.pool import in_parallel
from launchpad.site import Host, valid_regex
from launchpad.steps.base import HostOutcome, StepContext, StepKind, StepOutcome, StepSpec, hosts_said
from launchpad.templating import render

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

    _check = field_validator("output", "not_output")(valid_regex)


class ShellStep(StepSpec):
    kind: Literal["shell"]
    hosts: str = Field("all", description="Host group (or host name) to run on.")
    run: str = Field(description="Command; {{ values }} are shell-quoted when substituted.")
    expect: ShellExpect = Field(default_factory=ShellExpect)
    # Templates run by a shell: `check` also refuses a value no quoting can make data.
    shell_fields: ClassVar[tuple[str, ...]] = ("run",)

    def hosts_group(self) -> str | None:
        return self.hosts

    def templates(self) -> dict[str, str]:
        return {"run": self.run}

    def describe(self) -> str:
        return self.run.strip()


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
    command = render(step.run, ctx.values, shell=True)
    timeout = step.timeout or 600.0

    def on_host(host: Host) -> HostOutcome:
        outcome = _run_on_host(step, ctx, host, command, timeout)
        ctx.report_host(outcome)
        return outcome

    outcomes = tuple(in_parallel(on_host, ctx.hosts, name="shell"))
    failed = [o for o in outcomes if o.status == "failed"]
    if not outcomes:
        return StepOutcome("failed", phrase("shell.no_hosts", group=step.hosts))
    summary = (
        phrase("shell.all_passed", count=len(outcomes))
        if not failed
        else phrase("shell.some_failed", failed=len(failed), count=len(outcomes), details=hosts_said(failed[:3]))
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
        result.tail("stdout", KEPT_OUTPUT),
        result.tail("stderr", KEPT_OUTPUT),
        problem or phrase("shell.ok"),
    )


STEP_KIND = StepKind("shell", ShellStep, run_shell, idempotent=False, runs_on_hosts=True)
