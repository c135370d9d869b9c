"""`launchpad baseline export|diff|fix|change record|change accept|changes`: a thin layer over
`launchpad.baseline`. Exit 0 when the environment matches, 1 on drift or a refused fix, 2 for
input launchpad cannot use (a bad baseline file, an unknown environment, difference or issue)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from launchpad.cli.door import language
from launchpad.cli.params import AGE, LIMIT, STORE_ID, write_output_text
from launchpad.errors import UsageError

if TYPE_CHECKING:
    from launchpad.cli.door import Door

BASELINE = click.option("--baseline", "-b", "baseline_name", metavar="FILE")
DATABASE = click.option("--database", metavar="NAME")
LANG = click.option("--lang", type=click.Choice(["zh", "en"]))


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
    pass


@baseline.command("export")
@click.option("--env", "env_name", required=True, metavar="ENV")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), metavar="DIR")
@click.option("--version", "version", metavar="TEXT")
@DATABASE
@click.pass_obj
def baseline_export(door: Door, env_name: str, out: Path | None, version: str | None, database: str | None) -> None:
    from launchpad.baseline.files import BASELINES_DIR, write_baseline
    from launchpad.baseline.operations import read_environment

    with _opened(door, [env_name], database) as (workspace, store, actor, (session,)):
        live = read_environment(session, env_name).baseline
    live.version = version or f"{env_name}-{date.today():%Y%m%d}"
    path = write_baseline(live, (out or workspace.root / BASELINES_DIR) / f"{env_name}.yaml")
    store.audit(actor, "baseline_exported", env_name, {"file": str(path), "version": live.version,
                                                      "roles": len(live.roles), "dictionaries": len(live.dictionaries),
                                                      "posts": len(live.posts)})
    click.echo("✓ " + _say(None, "cli.baseline.exported", path=path, roles=len(live.roles),
                          grants=sum(len(r.permissions) for r in live.roles.values()),
                          dictionaries=len(live.dictionaries),
                          items=sum(len(d.items) for d in live.dictionaries.values()), posts=len(live.posts),
                          version=live.version))


@baseline.command("diff")
@click.option("--env", "env_names", required=True, multiple=True, metavar="ENV")
@BASELINE
@DATABASE
@click.option("--json", "as_json", is_flag=True)
@click.option("--report", "reports", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              metavar="FILE")
@click.option("--limit", type=LIMIT, default=200, show_default=True)
@LANG
@click.pass_obj
def baseline_diff(door: Door, env_names: tuple[str, ...], baseline_name: str | None, database: str | None,
                  as_json: bool, reports: tuple[Path, ...], limit: int, lang: str | None) -> None:
    from launchpad.baseline.operations import baseline_for, compared, read_environment
    from launchpad.baseline.reports import summary, table_lines, write_report
    from launchpad.phrases import render
    from launchpad.sitetime import utc_now, zoned_text

    if len(env_names) > 2 or (len(env_names) == 2 and baseline_name):
        raise UsageError(_say(lang, "cli.baseline.diff_what"), hint=_say(lang, "cli.baseline.diff_what_hint"))
    if len(env_names) == 2 and env_names[0] == env_names[1]:
        raise UsageError(_say(lang, "cli.baseline.env_twice", env=env_names[0]))
    workspace = door.session().workspace
    for name in env_names:
        workspace.environment(name)  # an unknown name is named before the baseline is read
    reference = baseline_for(workspace, baseline_name) if len(env_names) == 1 else None
    with _opened(door, list(env_names), database) as (workspace, store, actor, sessions):
        states = [read_environment(s, n, workspace.site.tz) for s, n in zip(sessions, env_names, strict=True)]
    audit = _audit_fn(store, actor)
    ref = reference if reference is not None else states[0].baseline
    drift, comparison = compared(store, ref, states[-1], env_names[-1], actor, audit)
    words = lang or language()
    for path in reports:
        written = write_report(drift, path, words, actor, zoned_text(utc_now(), workspace.site.tz), workspace.root)
        click.echo("  " + _say(lang, "cli.baseline.report", path=written), err=True)
    if as_json:
        click.echo(json.dumps({**drift.as_json(), "comparison": comparison}, ensure_ascii=False, indent=2))
    else:
        for line in table_lines(drift, words, limit):
            click.echo(line)
        click.echo(render(summary(drift), words))
    if drift.differences:
        raise SystemExit(1)


@baseline.command("fix")
@click.option("--env", "env_name", required=True, metavar="ENV")
@BASELINE
@DATABASE
@click.option("--all", "everything", is_flag=True)
@click.option("--kind", "kinds", multiple=True,
              type=click.Choice(["role", "permission", "dictionary", "dict_item", "post"]))
@click.option("--item", "items", multiple=True, metavar="ID")
@click.option("--dry-run", is_flag=True)
@click.option("--yes", "-y", is_flag=True)
@click.option("--confirm", "confirm_env", metavar="ENV")
@click.option("--backup-age", type=AGE, default="2h", show_default=True)
@LANG
@click.pass_obj
def baseline_fix(door: Door, env_name: str, baseline_name: str | None, database: str | None, everything: bool,
                 kinds: tuple[str, ...], items: tuple[str, ...], dry_run: bool, yes: bool, confirm_env: str | None,
                 backup_age: str, lang: str | None) -> None:
    from launchpad.baseline.operations import apply_fix, baseline_for, confirm_fix, fix_gate, prepare_fix
    from launchpad.baseline.reports import summary, table_lines
    from launchpad.cli.prompter import CliPrompter
    from launchpad.phrases import render

    workspace = door.session().workspace
    workspace.environment(env_name)  # an unknown name is named before the baseline is read
    reference = baseline_for(workspace, baseline_name)
    words = lang or language()
    with _opened(door, [env_name], database) as (workspace, store, actor, (session,)):
        audit = _audit_fn(store, actor)
        prepared = prepare_fix(store, reference, session, env_name, actor, audit, everything=everything,
                               kinds=set(kinds) or None, items=set(items) or None)
        drift, chosen, statements = prepared.drift, prepared.chosen, prepared.statements
        if not chosen:
            click.echo(_say(lang, "cli.baseline.nothing_to_fix", env=env_name, count=len(drift.differences)))
            return
        click.echo(_say(lang, "cli.baseline.fix_plan", differences=len(chosen), statements=len(statements)))
        for line in table_lines(type(drift)(drift.reference, drift.reference_version, env_name, chosen), words):
            click.echo(f"  {line}")
        for statement in statements:
            click.echo(f"  {statement.shown()}")
        if dry_run:
            audit("baseline_fix_dry_run", env_name, {"differences": [d.id for d in chosen]})
            click.echo(_say(lang, "cli.baseline.dry_run"))
            return
        environment = workspace.environment(env_name)
        backup_id = fix_gate(workspace, store, session, env_name, audit, backup_age)
        confirm_fix(CliPrompter(actor, yes=yes, confirm_env=confirm_env), audit, env_name, environment.production,
                    chosen)
        outcome = apply_fix(store, session, drift, reference, chosen, statements, env_name, actor, audit, backup_id)
    click.echo("✓ " + _say(lang, "cli.baseline.fixed", id=outcome.fix_id, count=len(outcome.applied),
                          backup=outcome.backup_id))
    click.echo(_say(lang, "cli.baseline.compared_again"))
    for line in table_lines(outcome.after, words, 50):
        click.echo(f"  {line}")
    click.echo(render(summary(outcome.after), words))



@baseline.group("change")
def baseline_change() -> None:
    pass


@baseline_change.command("record")
@click.option("--env", "env_name", required=True, metavar="ENV")
@click.option("--item", "item", required=True, metavar="ID")
@click.option("--why", required=True, metavar="TEXT")
@click.option("--issue", "issue_id", required=True, type=STORE_ID, metavar="N")
@BASELINE
@DATABASE
@LANG
@click.pass_obj
def baseline_change_record(door: Door, env_name: str, item: str, why: str, issue_id: int,
                           baseline_name: str | None, database: str | None, lang: str | None) -> None:
    from launchpad.baseline.onsite import issue_title, record_change
    from launchpad.baseline.operations import baseline_for, compared, read_environment
    from launchpad.phrases import phrase, render

    workspace = door.session().workspace
    workspace.environment(env_name)  # an unknown name is named before the baseline is read
    if not why.strip():
        raise UsageError(_say(lang, "cli.baseline.needs_why"), hint=_say(lang, "cli.baseline.needs_why_hint"))
    issue_title(door.session().store(), issue_id)  # an unknown issue is named before anything connects
    reference = baseline_for(workspace, baseline_name)
    with _opened(door, [env_name], database) as (workspace, store, actor, (session,)):
        state = read_environment(session, env_name, workspace.site.tz)
    audit = _audit_fn(store, actor)
    drift, _ = compared(store, reference, state, env_name, actor, audit)
    change = record_change(store, drift, state.baseline, item, why, issue_id, actor, audit)
    words = lang or language()
    click.echo("✓ " + render(phrase("baseline.onsite.recorded", id=change.id, item=change.item, env=env_name,
                                    change=phrase(f"baseline.onsite.change.{change.change}"), issue=issue_id), words))


@baseline_change.command("accept")
@click.argument("change_id", type=STORE_ID, metavar="ID")
@click.option("--baseline", "-b", "baseline_file", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE")
@LANG
@click.pass_obj
def baseline_change_accept(door: Door, change_id: int, baseline_file: Path | None, lang: str | None) -> None:
    from launchpad.baseline.onsite import accept_change
    from launchpad.phrases import phrase, render
    from launchpad.sitetime import zoned_text

    session = door.session()
    store, actor = session.store(), session.actor
    change, path = accept_change(store, session.workspace.root, change_id, actor, _audit_fn(store, actor),
                                 baseline_file)
    words = lang or language()
    if path is None:
        click.echo(render(phrase("baseline.onsite.already_accepted", id=change.id, by=change.accepted_by,
                                 at=zoned_text(change.accepted, session.workspace.site.tz)), words))
        return
    shown = path.relative_to(session.workspace.root) if path.is_relative_to(session.workspace.root) else path
    click.echo("✓ " + render(phrase("baseline.onsite.accepted", id=change.id, file=str(shown), item=change.item),
                             words))


@baseline.command("changes")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD")
@click.option("--all", "everything", is_flag=True)
@click.option("--format", "fmt", type=click.Choice(["table", "md", "xlsx", "json"]), default="table",
              show_default=True)
@click.option("--patch", "as_patch", is_flag=True)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE")
@LANG
@click.pass_obj
def baseline_changes(door: Door, since: Any, everything: bool, fmt: str, as_patch: bool, out: Path | None,
                     lang: str | None) -> None:
    from launchpad.baseline import onsite_report
    from launchpad.baseline.onsite import list_changes, patch
    from launchpad.phrases import phrase, render
    from launchpad.sitetime import local_text, utc_now, zoned_text

    session = door.session()
    workspace, store = session.workspace, session.store()
    zone = workspace.site.tz
    changes = list_changes(store, zone, since.date() if since else None,
                           status=None if everything and not as_patch else "pending")
    words = lang or language()
    if as_patch:
        text = patch(workspace.root, changes)
        _emit(text, out)
        return
    if fmt == "json":
        _emit(json.dumps([c.as_json() for c in changes], ensure_ascii=False, indent=2) + "\n", out)
        return
    rows = [onsite_report.row(c, words, local_text(c.recorded, zone)) for c in changes]
    stamp = render(phrase("baseline.onsite.stamp", at=zoned_text(utc_now(), zone), actor=session.actor,
                          count=len(changes)), words)
    if fmt in ("md", "xlsx"):
        if fmt == "xlsx" and out is None:
            raise UsageError(_say(words, "cli.baseline.xlsx_needs_file"),
                             hint=_say(words, "cli.baseline.xlsx_needs_file_hint"))
        if out is not None:
            click.echo(f"✓ {onsite_report.write(rows, out, fmt, words, stamp)}")
        else:
            click.echo(onsite_report.markdown_text(rows, words, stamp), nl=False)
        return
    for line in onsite_report.table_lines(rows) or [render(phrase("baseline.onsite.none"), words)]:
        click.echo(line)


def _say(lang: str | None, key: str, /, **values: Any) -> str:
    """Word-book entry `key` in the command's --lang, else the command line's language: the
    messages around a drift table read in the table's language."""
    from launchpad.phrases import word

    return word(key, lang or language(), **values)


def _emit(text: str, out: Path | None) -> None:
    if out is None:
        click.echo(text, nl=False)
        return
    write_output_text(out, text)
    click.echo(f"✓ {out}", err=True)


COMMANDS = [baseline]
