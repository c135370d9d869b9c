"""`wait`: a check polled every `every` seconds until it passes or `timeout` ends it — the new
version's login page shows its version, the service is active again. An HTTP check is asked
from here; a shell check (`run:`) on every host of `hosts`, each until it passes. A timeout
fails with the last answer seen."""

from __future__ import annotations

from typing import ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator

from launchpad.deploy.probe import Probe, Waited, ask_http, ask_shell, poll, waited_said
from launchpad.hosts.pool import in_parallel
from launchpad.phrases import Said, phrase
from launchpad.run.templating import render
from launchpad.steps.base import HostOutcome, StepContext, StepKind, StepOutcome, StepSpec, hosts_said
from launchpad.steps.hostvalues import host_values
from launchpad.workspace.site import Host

DEFAULT_TIMEOUT = 300.0


class WaitStep(StepSpec):
    kind: Literal["wait"]
    url: str | None = Field(None, description="URL to request until it answers as expected.")
    status: int | list[int] = Field(200, description="Accepted status code(s) of `url`.")
    contains: list[str] = Field(default_factory=list, description="Texts the body of `url` must contain.")
    run: str | None = Field(None, description="Shell command run on each host of `hosts` until it exits 0.")
    hosts: str | None = Field(None, description="Host group for `run`.")
    every: float = Field(5.0, gt=0, description="Seconds between tries.")
    shell_fields: ClassVar[tuple[str, ...]] = ("run",)

    @model_validator(mode="after")
    def _hosts_with_run(self) -> WaitStep:
        if self.run is not None and self.hosts is None:
            raise ValueError(phrase("rule.wait_run_hosts"))
        if self.run is None and self.hosts is not None:
            raise ValueError(phrase("rule.wait_hosts_run"))
        self.probe()  # exactly one of url and run; status and contains only with url
        return self

    def probe(self) -> Probe:
        return Probe(url=self.url, status=self.status, contains=self.contains, run=self.run,
                     every=self.every, within=self.timeout or DEFAULT_TIMEOUT)

    def hosts_group(self) -> str | None:
        return self.hosts

    def templates(self) -> dict[str, str]:
        return self.probe().templates("")

    def describe(self) -> Said:
        return phrase("describe.wait", probe=self.probe().describe(), every=f"{self.every:g}",
                      within=f"{self.timeout or DEFAULT_TIMEOUT:g}")


def run_wait(step: WaitStep, ctx: StepContext) -> StepOutcome:
    probe = step.probe()
    if probe.url is not None:
        waited = poll(lambda: ask_http(probe, ctx.values), every=probe.every, within=probe.within, cancel=ctx.cancel)
        label = urlsplit(render(probe.url, ctx.values)).netloc or probe.url
        outcome = _host_outcome(label, waited)
        ctx.report_host(outcome)
        return StepOutcome(outcome.status, outcome.message, (outcome,), {"tries": waited.tries})
    if not ctx.hosts:
        return StepOutcome("failed", phrase("shell.no_hosts", group=step.hosts))

    def on_host(host: Host) -> HostOutcome:
        values = host_values(ctx.values, host)
        ctx.audit("remote_command", host.name, {"command": render(probe.run or "", values, shell=True),
                                                "step": ctx.step_id, "polled_every": probe.every})
        transport = ctx.transport_for(host)
        waited = poll(lambda: ask_shell(probe, values, transport), every=probe.every, within=probe.within,
                      cancel=ctx.cancel)
        outcome = _host_outcome(host.name, waited)
        ctx.report_host(outcome)
        return outcome

    outcomes = tuple(in_parallel(on_host, ctx.hosts, name="wait"))
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        summary = phrase("shell.some_failed", failed=len(failed), count=len(outcomes), details=hosts_said(failed[:3]))
        return StepOutcome("failed", summary, outcomes)
    return StepOutcome("passed", phrase("shell.all_passed", count=len(outcomes)), outcomes)


def _host_outcome(label: str, waited: Waited) -> HostOutcome:
    said = waited_said(waited)
    return HostOutcome(label, "passed" if said.ok else "failed", None, waited.seconds,
                       stdout=waited.answer.body[:2000], message=said.said)


STEP_KIND = StepKind("wait", WaitStep, run_wait, idempotent=True, runs_on_hosts=True)
