"""Commands about the workspace itself: demo, init, check, schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

from launchpad.errors import InvalidInput, LaunchpadError, Problem


@click.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("launchpad-demo"),
    show_default=True,
    help="Where to build the demo.",
)
@click.option("--no-tui", is_flag=True, help="Build the demo and start its web app; do not open the UI.")
def demo(directory: Path, no_tui: bool) -> None:
    """Build a complete demo workspace on this machine and open it."""
    from launchpad.demo import build_demo, start_demo_webapp

    root = build_demo(directory)
    urls = start_demo_webapp(root)
    if no_tui:
        click.echo(f"Demo workspace: {root}")
        for url in urls:
            click.echo(f"  client system: {url}")
        click.echo(f"Try: cd {root} && launchpad run environment-readiness --env test --yes")
        return
    from launchpad.cli.tui import open_tui

    open_tui(root)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    """Create a workspace in DIRECTORY: a commented site.yaml and the bundled playbooks."""
    from launchpad.scaffold import init_workspace

    for path in init_workspace(directory):
        click.echo(f"  created {path}")
    click.echo(f"Edit {directory / 'site.yaml'}, then run `launchpad check` there.")


@click.command()
@click.argument("playbooks", nargs=-1)
@click.pass_obj
def check(ctx: object, playbooks: tuple[str, ...]) -> None:
    """Validate site.yaml and the playbooks; print every problem as file:line:col.

    Templates are rendered for every environment, so a value a step reads that an environment
    lacks is a problem here rather than at run time; days of the coming week with nobody (or
    no backup) on the duty roster are warnings."""
    from launchpad.playbook import check_against_site, find_playbook, list_playbooks, load_playbook
    from launchpad.roster import roster_warnings
    from launchpad.sitetime import site_today
    from launchpad.template_refs import unresolved_references
    from launchpad.workspace import find_root, load_workspace

    root = find_root(explicit=ctx.workspace_arg)  # type: ignore[attr-defined]
    problems: list[Problem] = []
    warnings: list[Problem] = []
    site = None
    try:
        workspace = load_workspace(root)
        site = workspace.site
        warnings += roster_warnings(site, workspace.source, site_today(site.tz))
    except InvalidInput as exc:
        problems += exc.problems
    paths = [find_playbook(name, root) for name in playbooks] or list_playbooks(root)
    for path in paths:
        try:
            loaded = load_playbook(path, _display(path))
        except InvalidInput as exc:
            problems += exc.problems
            continue
        if site is not None:
            problems += check_against_site(loaded, site)
            problems += unresolved_references(loaded, site)
    if site is not None:
        from launchpad.configdiff.expectations import EXPECTATIONS_FILE, expectation_problems

        problems += expectation_problems(root / EXPECTATIONS_FILE, EXPECTATIONS_FILE, site)
        from launchpad.golive.checklist import checklist_file_problems

        problems += checklist_file_problems(root, site, {p.stem for p in list_playbooks(root)})
    for warning in warnings:
        click.echo(click.style(f"{warning.file}:{warning.line}:{warning.col}: warning: {warning.message}",
                               fg="yellow"), err=True)
    if problems:
        raise InvalidInput(problems, hint=f"{len(problems)} problem(s); fix them and run `launchpad check` again")
    noted = f" ({len(warnings)} warning(s) above)" if warnings else ""
    click.echo(f"site.yaml and {len(paths)} playbook(s) are valid{noted}.")


@click.command()
@click.argument("what", type=click.Choice(["site", "playbook", "answers", "golive"]))
def schema(what: str) -> None:
    """Print the JSON Schema of site.yaml, a playbook, an answers file or golive.yaml (for editors)."""
    if what == "golive":
        from launchpad.golive.checklist import checklist_json_schema

        document = checklist_json_schema()
    elif what == "site":
        from launchpad.site import Site

        document = Site.model_json_schema()
    elif what == "playbook":
        from launchpad.playbook import playbook_json_schema

        document = playbook_json_schema()
    else:
        from launchpad.answers import Answers

        document = Answers.model_json_schema()
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


COMMANDS = [demo, init, check, schema]
__all__ = ["COMMANDS", "LaunchpadError"]
