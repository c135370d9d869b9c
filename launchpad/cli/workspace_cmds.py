"""Commands about the workspace itself: demo, init, check, schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from launchpad.cli.door import say
from launchpad.errors import InvalidInput, LaunchpadError, Problem, UsageError
from launchpad.oserrors import os_reason
from launchpad.phrases import phrase

if TYPE_CHECKING:
    from launchpad.cli.door import Door


@click.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option("--no-tui", is_flag=True)
@click.option("--stop", is_flag=True)
@click.pass_obj
def demo(door: Door, directory: Path | None, no_tui: bool, stop: bool) -> None:
    from launchpad.demo import build_demo, start_demo_webapp, stop_demo_webapp
    from launchpad.demo.launcher import read_demo_config, workspace_demo
    from launchpad.demo.robot import robot_page_url

    if stop and directory is None:
        directory = workspace_demo(door.workspace_arg)
    directory = directory or Path.home() / "launchpad-demo"
    if stop:
        read_demo_config(directory.expanduser().resolve())  # refuses a folder that is no demo
        stopped = stop_demo_webapp(directory)
        click.echo(say("cli.demo.stopped" if stopped else "cli.demo.not_running"))
        return
    with _writing(directory, "demo --dir"):
        root = build_demo(directory)
    urls = start_demo_webapp(root)
    if no_tui:
        click.echo(say("cli.demo.workspace", root=str(root)))
        for env_name, url in urls.items():
            click.echo("  " + say("cli.demo.client", env=env_name, url=url))
        robot = robot_page_url(read_demo_config(root)["environments"]["test"]["port"])
        click.echo("  " + say("cli.demo.robot", url=robot))
        click.echo(say("cli.demo.try", root=str(root)))
        click.echo(say("cli.demo.stop", root=str(root)))
        return
    from launchpad.cli.tui import open_tui

    try:
        open_tui(root)
    finally:
        stop_demo_webapp(root)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def init(directory: Path) -> None:
    from launchpad.workspace.scaffold import init_workspace

    with _writing(directory, "init"):
        created = init_workspace(directory)
    for path in created:
        click.echo("  " + say("cli.init.created", path=str(path)))
    click.echo(say("cli.init.next", site=str(directory / "site.yaml")))


@click.command()
@click.argument("playbooks", nargs=-1)
@click.pass_obj
def check(door: Door, playbooks: tuple[str, ...]) -> None:
    from launchpad.run.playbook import check_against_site, find_playbook, list_playbooks, load_playbook
    from launchpad.run.template_refs import unresolved_references
    from launchpad.sitetime import site_today
    from launchpad.workspace.folder import find_root, load_workspace
    from launchpad.workspace.roster import roster_warnings

    # Not the session: a site.yaml that does not load is what `check` reports, not an exit.
    root = find_root(explicit=door.workspace_arg)
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
    from launchpad.baseline.files import baseline_file_problems, workspace_baselines
    from launchpad.users.role_rules import RULES_FILE, rules_file_problems

    baselines = workspace_baselines(root)
    for path in baselines:
        problems += baseline_file_problems(path, _display(path))
    problems += rules_file_problems(root)
    for warning in warnings:
        click.echo(click.style(say("cli.check.warning", where=f"{warning.file}:{warning.line}:{warning.col}",
                                   message=warning.said), fg="yellow"), err=True)
    if problems:
        raise InvalidInput(problems, hint=phrase("error.problems", count=len(problems)))
    noted = say("cli.check.warnings_above", count=len(warnings)) if warnings else ""
    checked = ["site.yaml", say("cli.check.playbooks", count=len(paths))]
    checked += [say("cli.check.baseline", file=_display(path)) for path in baselines]
    if (root / RULES_FILE).is_file():
        checked.append(say("cli.check.rules", file=str(RULES_FILE)))
    click.echo(say("cli.check.valid", checked=checked[:-1], last=checked[-1], noted=noted))


@click.command()
@click.argument("what", type=click.Choice(["site", "playbook", "answers", "import-mapping", "target-profile",
                                           "golive", "baseline", "role-rules"]))
def schema(what: str) -> None:
    if what == "role-rules":
        from launchpad.users.role_rules import rules_json_schema

        document = rules_json_schema()
    elif what == "baseline":
        from launchpad.baseline.files import json_schema

        document = json_schema()
    elif what == "golive":
        from launchpad.golive.checklist import checklist_json_schema

        document = checklist_json_schema()
    elif what == "site":
        from launchpad.workspace.site import Site

        document = Site.model_json_schema()
    elif what == "playbook":
        from launchpad.run.playbook import playbook_json_schema

        document = playbook_json_schema()
    elif what == "import-mapping":
        from launchpad.users.mapping import mapping_json_schema

        document = mapping_json_schema()
    elif what == "target-profile":
        from launchpad.users.profile import profile_json_schema

        document = profile_json_schema()
    else:
        from launchpad.run.answers import Answers

        document = Answers.model_json_schema()
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@contextmanager
def _writing(directory: Path, command: str) -> Iterator[None]:
    """A folder that cannot be written (read-only, under a file, a full disk) is the person's
    to fix: say which and where, not an internal error."""
    try:
        yield
    except OSError as exc:
        where = exc.filename or directory
        raise UsageError(phrase("cli.cannot_write", where=str(where), reason=os_reason(exc)),
                         hint=phrase("cli.cannot_write_hint", command=command)) from None


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


COMMANDS = [demo, init, check, schema]
__all__ = ["COMMANDS", "LaunchpadError"]
