"""`launchpad config diff`: two environments' configuration files compared, as the
`config_diff` step compares them (the same core function), for a look before a release."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from launchpad.cli.door import pass_session
from launchpad.errors import UsageError

if TYPE_CHECKING:
    from launchpad.session import Session


@click.group("config")
def config() -> None:
    pass


@config.command("diff")
@click.option("--env", "env_names", multiple=True, required=True, metavar="ENV")
@click.option("--section", "sections", multiple=True, metavar="NAME")
@click.option("--expectations", default="config-expect.yaml", show_default=True, metavar="FILE")
@click.option("--json", "as_json", is_flag=True)
@click.option("--all", "show_all", is_flag=True)
@pass_session
def config_diff(session: Session, env_names: tuple[str, ...], sections: tuple[str, ...], expectations: str,
                as_json: bool, show_all: bool) -> None:
    from launchpad.cli.door import language
    from launchpad.configdiff.collect import diff_environments
    from launchpad.configdiff.expectations import load_plan
    from launchpad.hosts.connect import HostConnections
    from launchpad.phrases import phrase, render

    if len(env_names) != 2 or env_names[0] == env_names[1]:
        raise UsageError(phrase("cli.config.two_envs"), hint=phrase("cli.config.two_envs_hint"))
    workspace = session.workspace
    for name in env_names:
        workspace.environment(name)  # an unknown name stops here, listing the known ones
    first, second = envs = (env_names[0], env_names[1])
    path = workspace.root / expectations
    plan = load_plan(path, expectations, workspace.site, envs, list(sections))
    store = session.store()
    actor = session.actor

    def audit(action: str, target: str, detail: dict[str, object]) -> None:
        store.audit(actor, action, target, detail)

    with HostConnections(workspace, first, store=store, actor=actor) as one, \
            HostConnections(workspace, second, store=store, actor=actor) as other:
        connections = {first: one, second: other}
        diff = diff_environments(workspace.site, envs, plan,
                                 lambda env, host: connections[env].transport_for(host), audit)
    # Counts only: the findings hold values, which belong in the person's terminal, not the log.
    store.audit(actor, "config_diff", f"{first}..{second}", {
        "passed": diff.passed, "undeclared": len(diff.undeclared), "declared": len(diff.declared),
        "sections": list(sections), "files": diff.files, "keys": diff.keys})
    if as_json:
        click.echo(json.dumps(diff.as_dict(), ensure_ascii=False, indent=2))
    else:
        for finding in diff.undeclared:
            click.echo(click.style("✗ ", fg="red", bold=True) + render(finding.said(), language()))
        for finding in diff.declared if show_all else []:
            click.echo(click.style("✓ ", fg="green") + render(finding.said(), language()))
        # The summary would repeat the findings listed above; a failure ends with their count.
        click.echo(render(diff.summary() if diff.passed else
                          phrase("config.undeclared_count", count=len(diff.undeclared), env=first, other=second),
                          language()))
    if not diff.passed:
        raise SystemExit(1)


COMMANDS = [config]
