"""`config_diff`: the run's environment's configuration files compared with another
environment's, key by key, failing on any difference not declared in the workspace's
`config-expect.yaml` (see `launchpad.configdiff`).

A release that went out with a configuration oversight — production still calling the
group's test interface — is what this step exists to stop: run it before the release, with
`against: test`. Secret values never leave the comparison except as short tags. Reading
files changes nothing, so the step is safe to repeat.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from launchpad.configdiff.collect import diff_environments
from launchpad.configdiff.expectations import EXPECTATIONS_FILE, ConfigFile, load_plan
from launchpad.errors import UsageError
from launchpad.hosts.base import Transport
from launchpad.phrases import Said, phrase
from launchpad.run.events import CommandSent
from launchpad.steps.base import Reference, StepContext, StepKind, StepOutcome, StepSpec
from launchpad.workspace.site import Host


class ConfigDiffStep(StepSpec):
    kind: Literal["config_diff"]
    against: str = Field(description="The environment to compare with, e.g. test.")
    section: str | None = Field(
        None, description="Section of the expectations file with the files and declared differences; default: all."
    )
    expectations: str = Field(EXPECTATIONS_FILE, description="The expectations file, relative to the workspace.")
    files: list[ConfigFile] = Field(
        default_factory=list, description="Files to compare besides the section's (its rules still apply)."
    )

    def references(self) -> list[Reference]:
        return [*super().references(), Reference("against", "environment", (self.against,))]

    def describe(self) -> Said:
        what: Said = phrase("describe.section", section=self.section) if self.section else self.expectations
        return self.description or phrase("describe.config_diff", against=self.against, what=what)


def run_config_diff(step: ConfigDiffStep, ctx: StepContext) -> StepOutcome:
    from launchpad.hosts.connect import HostConnections

    if step.against == ctx.env_name:
        raise UsageError(phrase("config.itself", env=ctx.env_name), hint=phrase("config.itself_hint"))
    if step.against not in ctx.site.environments:
        raise UsageError(phrase("config.no_env", name=step.against),
                         hint=phrase("config.envs_hint", names=list(ctx.site.environments)))
    if ctx.workspace is None:
        raise UsageError(phrase("config.needs_workspace"), hint=phrase("config.needs_workspace_hint"))
    root = ctx.workspace.root
    envs = (step.against, ctx.env_name)
    plan = load_plan(root / step.expectations, step.expectations, ctx.site, envs,
                     [step.section] if step.section else [], step.files)
    with HostConnections(ctx.workspace, step.against) as other:
        def transport_for(env: str, host: Host) -> Transport:
            return ctx.transport_for(host) if env == ctx.env_name else other.transport_for(host)

        diff = diff_environments(
            ctx.site, envs, plan, transport_for, ctx.audit,
            on_command=lambda label, command: ctx.emit(CommandSent(ctx.run_id, ctx.step_id, label, command)),
            timeout=step.timeout or 60.0,
        )
    # No per-host rows: the verdict is the comparison, not any one host (an unreadable file
    # is a finding naming its host), and a report shows host rows in place of the summary.
    return StepOutcome("passed" if diff.passed else "failed", diff.summary(), evidence=diff.as_dict())


STEP_KIND = StepKind("config_diff", ConfigDiffStep, run_config_diff, idempotent=True)
