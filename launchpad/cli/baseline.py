"""`launchpad baseline export|diff|fix`: a thin layer over `launchpad.baseline`. Exit 0
when the environment matches, 1 on drift or a refused fix, 2 for input launchpad cannot use (a
bad baseline file, an unknown environment or difference)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from launchpad.errors import UsageError

if TYPE_CHECKING:
    from launchpad.cli.door import Door

BASELINE = click.option("--baseline", "-b", "baseline_name", metavar="FILE",
                        help="The baseline (default: baselines/baseline.*, or the only one there).")
DATABASE = click.option("--database", metavar="NAME", help="The environment's database (default: its only one).")
LANG = click.option("--lang", type=click.Choice(["zh", "en"]), help="Language of the table and reports "
                    "(default: site.yaml's).")


@contextlib.contextmanager
def _opened(door: Door, env_names: list[str], database: str | None) -> Iterator[tuple[Any, Any, str, list[Any]]]:
    """(workspace, store, actor, [target session per environment]), all open together."""
    from launchpad.baseline.operations import environment_sessions
    from launchpad.cli.users import _ask_secret

    session = door.session()
    workspace, actor = session.workspace, session.actor
    for name in env_names:
        workspace.environment(name)  # an unknown name fails before anything connects
    store = session.store()
    with environment_sessions(workspace, store, actor, env_names, _ask_secret, database) as targets:
        yield workspace, store, actor, targets


def _audit_fn(store: Any, actor: str) -> Any:
    return lambda action, target, detail: store.audit(actor, action, target, detail)


@click.group("baseline")
def baseline() -> None:
    """Roles, permissions, dictionaries and posts: HQ's baseline against each environment."""


@baseline.command("export")
@click.option("--env", "env_name", required=True, metavar="ENV", help="The environment to read.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="Where ENV.yaml goes (default: the workspace's baselines/).")
@click.option("--version", "version", metavar="TEXT", help="The baseline's version (default: ENV-YYYYMMDD).")
@DATABASE
@click.pass_obj
def baseline_export(door: Door, env_name: str, out: Path | None, version: str | None, database: str | None) -> None:
    """Write ENV's roles, permissions, dictionaries and posts as a baseline (natural keys only)."""
    from launchpad.baseline.files import BASELINES_DIR, write_baseline
    from launchpad.baseline.operations import read_environment

    with _opened(door, [env_name], database) as (workspace, store, actor, (session,)):
        live = read_environment(session, env_name).baseline
    live.version = version or f"{env_name}-{date.today():%Y%m%d}"
    path = write_baseline(live, (out or workspace.root / BASELINES_DIR) / f"{env_name}.yaml")
    store.audit(actor, "baseline_exported", env_name, {"file": str(path), "version": live.version,
                                                      "roles": len(live.roles), "dictionaries": len(live.dictionaries),
                                                      "posts": len(live.posts)})
    click.echo(f"✓ {path}: {len(live.roles)} role(s), "
               f"{sum(len(r.permissions) for r in live.roles.values())} grant(s), "
               f"{len(live.dictionaries)} dictionar(ies), "
               f"{sum(len(d.items) for d in live.dictionaries.values())} item(s), {len(live.posts)} post(s); "
               f"version {live.version}")


@baseline.command("diff")
@click.option("--env", "env_names", required=True, multiple=True, metavar="ENV",
              help="The environment to compare with the baseline; twice: the second against the first.")
@BASELINE
@DATABASE
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON.")
@click.option("--report", "reports", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE", help="Also write a report: FILE.md, FILE.html or FILE.xlsx (repeatable).")
@click.option("--limit", default=200, show_default=True, help="Differences printed in the table.")
@LANG
@click.pass_obj
def baseline_diff(door: Door, env_names: tuple[str, ...], baseline_name: str | None, database: str | None,
                  as_json: bool, reports: tuple[Path, ...], limit: int, lang: str | None) -> None:
    """Compare ENV with the baseline (or a second ENV with the first): missing, extra and
    changed roles, permissions, dictionaries, items and posts, each with its severity. Exit 1
    on drift."""
    from launchpad.baseline.operations import baseline_for, compared, read_environment
    from launchpad.baseline.reports import summary, table_lines, write_report
    from launchpad.phrases import render
    from launchpad.sitetime import utc_now

    if len(env_names) > 2 or (len(env_names) == 2 and baseline_name):
        raise UsageError("diff compares ENV with the baseline, or two environments (--env A --env B)",
                         hint="give one --env (and --baseline), or two --env")
    if len(env_names) == 2 and env_names[0] == env_names[1]:
        raise UsageError(f"--env {env_names[0]} twice: name two different environments")
    workspace = door.session().workspace
    for name in env_names:
        workspace.environment(name)  # an unknown name is named before the baseline is read
    reference = baseline_for(workspace, baseline_name) if len(env_names) == 1 else None
    with _opened(door, list(env_names), database) as (workspace, store, actor, sessions):
        states = [read_environment(s, n) for s, n in zip(sessions, env_names, strict=True)]
    audit = _audit_fn(store, actor)
    ref = reference if reference is not None else states[0].baseline
    drift, comparison = compared(store, ref, states[-1], env_names[-1], actor, audit)
    words = lang or workspace.site.site.language
    for path in reports:
        written = write_report(drift, path, words, actor, utc_now()[:19], workspace.root)
        click.echo(f"  report: {written}", err=True)
    if as_json:
        click.echo(json.dumps({**drift.as_json(), "comparison": comparison}, ensure_ascii=False, indent=2))
    else:
        for line in table_lines(drift, words, limit):
            click.echo(line)
        click.echo(render(summary(drift), words))
    if drift.differences:
        raise SystemExit(1)


@baseline.command("fix")
@click.option("--env", "env_name", required=True, metavar="ENV", help="The environment to fix.")
@BASELINE
@DATABASE
@click.option("--all", "everything", is_flag=True, help="Fix every difference.")
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["role", "permission", "dictionary", "dict_item", "post"]),
              help="Fix the differences of this kind (repeatable).")
@click.option("--item", "items", multiple=True, metavar="ID", help="Fix this difference, by the id the diff "
              "shows (repeatable).")
@click.option("--dry-run", is_flag=True, help="Print the SQL and stop; nothing is written.")
@click.option("--yes", "-y", is_flag=True, help="Confirm without asking (production still needs its name).")
@click.option("--confirm", "confirm_env", metavar="ENV", help="Production's name, typed in advance (scripts).")
@click.option("--backup-age", default="2h", show_default=True, help="The newest verified backup's maximum age.")
@LANG
@click.pass_obj
def baseline_fix(door: Door, env_name: str, baseline_name: str | None, database: str | None, everything: bool,
                 kinds: tuple[str, ...], items: tuple[str, ...], dry_run: bool, yes: bool, confirm_env: str | None,
                 backup_age: str, lang: str | None) -> None:
    """Make ENV match the baseline for the chosen differences: the SQL is shown first, then
    applied in one transaction after a fresh verified backup (and, on production, its name
    typed); the environment is compared again and the result printed."""
    from launchpad.baseline.operations import apply_fix, baseline_for, confirm_fix, prepare_fix
    from launchpad.baseline.reports import summary, table_lines
    from launchpad.cli.prompter import CliPrompter
    from launchpad.phrases import render

    workspace = door.session().workspace
    workspace.environment(env_name)  # an unknown name is named before the baseline is read
    reference = baseline_for(workspace, baseline_name)
    words = lang or workspace.site.site.language
    with _opened(door, [env_name], database) as (workspace, store, actor, (session,)):
        audit = _audit_fn(store, actor)
        prepared = prepare_fix(store, reference, session, env_name, actor, audit, everything=everything,
                               kinds=set(kinds) or None, items=set(items) or None)
        drift, chosen, statements = prepared.drift, prepared.chosen, prepared.statements
        if not chosen:
            click.echo(f"Nothing to fix: {env_name} has no difference of those chosen "
                       f"({len(drift.differences)} in all).")
            return
        click.echo(f"{len(chosen)} difference(s), {len(statements)} statement(s), in one transaction:")
        for line in table_lines(type(drift)(drift.reference, drift.reference_version, env_name, chosen), words):
            click.echo(f"  {line}")
        for statement in statements:
            click.echo(f"  {statement.shown()}")
        if dry_run:
            audit("baseline_fix_dry_run", env_name, {"differences": [d.id for d in chosen]})
            click.echo("(dry run: nothing was written)")
            return
        environment = workspace.environment(env_name)
        confirm_fix(CliPrompter(actor, yes=yes, confirm_env=confirm_env), audit, env_name, environment.production,
                    chosen)
        outcome = apply_fix(workspace, store, session, drift, reference, chosen, statements, env_name, actor, audit,
                            backup_age)
    click.echo(f"✓ fix {outcome.fix_id}: {len(outcome.applied)} difference(s) fixed (backup {outcome.backup_id})")
    click.echo("Compared again:")
    for line in table_lines(outcome.after, words, 50):
        click.echo(f"  {line}")
    click.echo(render(summary(outcome.after), words))


COMMANDS = [baseline]
