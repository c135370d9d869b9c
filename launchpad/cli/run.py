"""`launchpad run` and `launchpad runs`: run a playbook, list runs, export a run report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from launchpad.cli.door import language, pass_session, say, session_of
from launchpad.cli.params import LIMIT, STORE_ID, FormatChoice, format_for_out, write_output_text
from launchpad.errors import UsageError
from launchpad.phrases import phrase, status_text

if TYPE_CHECKING:
    from launchpad.session import Session


def _parse_vars(pairs: tuple[str, ...]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(phrase("cli.run.bad_var", pair=pair))
        if values.get(name.strip(), value) != value:  # which release, which version: never guessed
            raise UsageError(phrase("cli.run.var_twice", name=name.strip(), first=values[name.strip()], then=value),
                             hint=phrase("cli.run.var_twice_hint", name=name.strip()))
        values[name.strip()] = value
    return values


@click.command()
@click.argument("playbook")
@click.option("--env", "env_name", metavar="ENV")
@click.option("--var", "variables", multiple=True, metavar="K=V")
@click.option(
    "--answers",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
)
@click.option("--yes", "-y", is_flag=True)
@click.option("--confirm", "confirm_env", metavar="ENV")
@click.option("--resume", "resume_id", type=STORE_ID, metavar="RUN")
@click.option("--as", "actor", metavar="NAME")
@click.option("--verbose", "-v", is_flag=True)
@pass_session
def run(
    session: Session,
    playbook: str,
    env_name: str | None,
    variables: tuple[str, ...],
    answers: Path | None,
    yes: bool,
    confirm_env: str | None,
    resume_id: int | None,
    actor: str | None,
    verbose: bool,
) -> None:
    from launchpad.cli.progress import ProgressPrinter
    from launchpad.cli.prompter import CliPrompter
    from launchpad.hosts.connect import HostConnections
    from launchpad.run.answers import load_answers
    from launchpad.run.engine import Engine, resumable_run
    from launchpad.run.playbook import check_against_site, find_playbook, load_playbook

    workspace = session.workspace
    loaded = load_playbook(find_playbook(playbook, workspace.root))
    from launchpad.errors import InvalidInput

    problems = check_against_site(loaded, workspace.site)
    if problems:
        raise InvalidInput(problems, hint=phrase("cli.run.fix_playbook"))
    prompter = CliPrompter(
        actor or session.actor,
        answers=load_answers(answers) if answers else None,
        yes=yes,
        confirm_env=confirm_env,
        offers_answers=True,
    )
    store = session.store()
    if resume_id is not None:
        env_name = resumable_run(store, resume_id, env_name)["environment"]
    if not env_name:
        raise UsageError(phrase("cli.run.which_env"),
                         hint=phrase("cli.run.which_env_hint", envs=list(workspace.site.environments)))
    if confirm_env is not None and confirm_env != env_name:
        # Said before anything runs: on a run none of whose steps asks for the name, a wrong
        # name would otherwise pass unread, and the person believes production was confirmed.
        raise UsageError(phrase("cli.run.confirm_other_env", given=confirm_env, env=env_name),
                         hint=phrase("cli.run.confirm_other_env_hint", env=env_name))
    with HostConnections(workspace, env_name, store=store, actor=prompter.actor) as connections:
        engine = Engine(workspace, store, prompter, connections.transport_for, emit=ProgressPrinter(verbose=verbose))
        if resume_id is not None:
            result = engine.resume(resume_id, loaded)
        else:
            result = engine.start(loaded, env_name, _parse_vars(variables))
    if result.exit_code:
        raise SystemExit(result.exit_code)


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", type=LIMIT, default=30, show_default=True)
@click.pass_context
def runs(click_ctx: click.Context, as_json: bool, limit: int) -> None:
    if click_ctx.invoked_subcommand is not None:
        return
    session = session_of(click_ctx)
    workspace = session.workspace
    rows = session.store().list_runs(limit=limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if not rows:
        click.echo(say("cli.runs.none"))
        return
    from launchpad.issues.display import fit, width
    from launchpad.sitetime import local_text

    # Site time, like every other time launchpad shows; the zone is said once, in the header.
    zone = workspace.site.tz
    heading = say("cli.runs.started", zone=workspace.site.site.timezone)
    columns = max(19, width(heading))
    statuses = [status_text(row["status"], language()) for row in rows]
    status_columns = max(12, *(width(s) + 1 for s in statuses))
    run_head = say("cli.runs.run")
    click.echo(f"{' ' * (5 - width(run_head))}{run_head}  {fit(heading, columns)}  {fit(say('cli.runs.env'), 10)} "
               f"{fit(say('cli.runs.status'), status_columns)} {say('cli.runs.playbook')}")
    for row, status in zip(rows, statuses, strict=True):
        started = local_text(row["started"], zone, with_seconds=True)
        click.echo(f"{row['id']:>5}  {fit(started, columns)}  {fit(row['environment'], 10)} "
                   f"{fit(status, status_columns)} {row['playbook']}")


_SHOW_FORMATS = ("text", "markdown", "html", "json")


@runs.command("show")
@click.argument("run_id", type=STORE_ID)
@click.option("--format", "fmt", type=FormatChoice(*_SHOW_FORMATS))
@click.option("--lang", type=click.Choice(["zh", "en"]))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@pass_session
def runs_show(session: Session, run_id: int, fmt: str | None, lang: str | None, out: Path | None) -> None:
    from launchpad.report.run import collect_run, render_run

    fmt = format_for_out(fmt, out, _SHOW_FORMATS, "text")

    workspace = session.workspace
    report = collect_run(session.store(), workspace.site, run_id)
    text = (
        json.dumps(report, ensure_ascii=False, indent=2, default=str)
        if fmt == "json"
        else render_run(report, "md" if fmt == "markdown" else fmt, lang or session.language,
                        workspace.site.site.timezone, workspace.root)
    )
    if out:
        write_output_text(out, text)
        click.echo(say("cli.wrote", path=out))
    else:
        click.echo(text)


COMMANDS = [run, runs]
