"""`launchpad users check|plan|compare|import|imports|rollback|handout`: a thin layer over
`launchpad.users`. Exit 0 when everything is fine, 1 when rows have problems or an import was
refused, 2 for input launchpad cannot use (a file that is not a sheet, a bad mapping)."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from launchpad.cli.door import language, say
from launchpad.cli.params import LIMIT
from launchpad.errors import UsageError
from launchpad.phrases import Said, parts, phrase, render, word

if TYPE_CHECKING:
    from launchpad.cli.door import Door

LANG = click.option("--lang", type=click.Choice(["zh", "en"]))
MAPPING = click.option("--mapping", "-m", metavar="FILE")
# No FILE when the mapping names a `source:` (a database query or an HTTP API).
FILE = click.argument("file", type=click.Path(path_type=Path, dir_okay=False), required=False)


def _workspace(door: Door, required: bool) -> Any:
    from launchpad.errors import WorkspaceNotFound

    try:
        return door.session().workspace
    except WorkspaceNotFound:
        if required:
            raise
        return None


def _lang(workspace: Any, lang: str | None) -> str:
    from launchpad.cli.door import language

    return lang or language()


def _ask_secret(label: Said) -> str:
    if not sys.stdin.isatty():
        from launchpad.errors import SecretUnavailable
        from launchpad.phrases import phrase

        raise SecretUnavailable(phrase("cli.backup.no_terminal", label=label),
                                hint=phrase("cli.backup.no_terminal_hint"))
    return str(click.prompt("  " + render(label, language()), hide_input=True, err=True))


@contextlib.contextmanager
def _target(door: Door, workspace: Any, env_name: str, database: str | None) -> Iterator[tuple[Any, Any, str]]:
    """(store, target session, actor) for env_name's database."""
    from launchpad.users.importing import connect_target

    with connect_target(workspace, door.session().store(), door.session().actor, env_name, database,
                        _ask_secret) as to:
        yield to.store, to.session, to.actor


def _read_rows(door: Door, workspace: Any, file: Path | None, loaded: Any, mapping_path: Path) -> Any:
    """FILE's sheets, or the rows of the mapping's source (audited in the workspace's store)."""
    from launchpad.users.operations import read_rows

    if loaded.source is None or workspace is None:
        return read_rows(file, loaded, mapping_path, workspace)
    session = door.session()  # the door closes its store when the command ends
    return read_rows(file, loaded, mapping_path, workspace, session.store(), session.actor, _ask_secret)


def _print_notes(notes: list[Any], lang: str) -> None:
    from launchpad.phrases import render

    for note in notes:
        click.echo("  " + word("cli.users.note", lang, note=render(note, lang)), err=True)


def _print_problems(problems: list[Any], lang: str, limit: int) -> None:
    from launchpad.phrases import render

    for problem in problems[:limit]:
        header = "" if problem.records else f" {problem.header}"  # a record's column is its header
        click.echo(f"  {problem.place}{header} {problem.value!r}: "
                   f"{render(problem.reason, lang)}")
    if len(problems) > limit:
        click.echo("  " + word("cli.users.more_problems", lang, count=len(problems) - limit))


@click.group("users")
def users() -> None:
    pass


@users.command("check")
@FILE
@MAPPING
@click.option("--env", "env_name", metavar="ENV")
@click.option("--annotated", type=click.Path(path_type=Path, dir_okay=False), metavar="PATH")
@click.option("--limit", type=LIMIT, default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@LANG
@click.pass_obj
def users_check(door: Door, file: Path | None, mapping: str | None, env_name: str | None, annotated: Path | None,
                limit: int, as_json: bool, lang: str | None) -> None:
    from launchpad.phrases import render
    from launchpad.users.mapping import load_mapping
    from launchpad.users.operations import check_users, find_mapping

    workspace = _workspace(door, required=env_name is not None)
    mapping_path = find_mapping(workspace.root if workspace else None, mapping)
    lang = _lang(workspace, lang)
    loaded = load_mapping(mapping_path)
    rows_read = _read_rows(door, workspace, file, loaded, mapping_path)
    out = annotated or rows_read.annotated
    if env_name is None:
        report = check_users(rows_read.workbook, loaded, None, "", out, lang)
    else:
        with _target(door, workspace, env_name, loaded.database) as (_, session, _actor):
            report = check_users(rows_read.workbook, loaded, session, env_name, out, lang)
    result, problems = report.result, report.problems
    if as_json:
        click.echo(json.dumps([{"sheet": p.sheet, "row": p.row, "column": p.column, "header": p.header,
                                "value": p.value, "reason": render(p.reason, lang)} for p in problems],
                              ensure_ascii=False, indent=2))
    else:
        _print_notes(result.notes, lang)
        _print_problems(problems, lang, limit)
    if problems:
        click.echo(render(report.summary(), lang), err=True)
        raise SystemExit(1)
    checked_what = "" if result.against_target else word("cli.users.not_against_target", lang)
    click.echo(word("cli.users.checked", lang, said=render(report.summary(), lang), noted=checked_what), err=True)


@users.command("plan")
@FILE
@MAPPING
@click.option("--env", "env_name", required=True, metavar="ENV")
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", type=LIMIT, default=200, show_default=True)
@LANG
@click.pass_obj
def users_plan(door: Door, file: Path | None, mapping: str | None, env_name: str, as_json: bool, limit: int,
               lang: str | None) -> None:
    from launchpad.users.mapping import load_mapping
    from launchpad.users.operations import find_mapping, plan_workbook
    from launchpad.users.planlog import record_plan

    workspace = _workspace(door, required=True)
    mapping_path = find_mapping(workspace.root, mapping)
    loaded = load_mapping(mapping_path)
    rows_read = _read_rows(door, workspace, file, loaded, mapping_path)
    lang = _lang(workspace, lang)
    with _target(door, workspace, env_name, loaded.database) as (store, session, actor):
        planned = plan_workbook(rows_read.workbook, loaded, session, env_name)
        plan_id = record_plan(store, env_name, rows_read.name, rows_read.sha256, planned.plan, actor)
    plan = planned.plan
    if as_json:
        click.echo(json.dumps({"plan": plan_id, **plan.to_json()}, ensure_ascii=False, indent=2))
    else:
        _print_notes(planned.result.notes, lang)
        _print_plan(plan, lang, limit)
        click.echo(word("cli.users.plan_recorded", lang, id=plan_id, env=env_name), err=True)
    if plan.counts()["rejected"]:
        raise SystemExit(1)


@users.command("compare")
@click.option("--env", "env_names", required=True, multiple=True, metavar="ENV")
@click.option("--database", metavar="KEY")
@click.option("--target", "target_name", default="ruoyi", show_default=True, metavar="NAME")
@click.option("--limit", type=LIMIT, default=200, show_default=True)
@click.pass_obj
def users_compare(door: Door, env_names: tuple[str, ...], database: str | None, target_name: str, limit: int) -> None:
    from launchpad.users.compare import compare_states, field_label
    from launchpad.users.operations import IMPORTS_DIR
    from launchpad.users.profile import load_profile
    from launchpad.users.state import read_state

    if len(env_names) != 2 or env_names[0] == env_names[1]:
        raise UsageError(phrase("cli.users.two_envs"), hint=phrase("cli.users.two_envs_hint"))
    workspace = _workspace(door, required=True)
    profile = load_profile(target_name, workspace.root / IMPORTS_DIR / "targets")
    states = []
    for env_name in env_names:
        with _target(door, workspace, env_name, database) as (_, session, _actor):
            states.append(read_state(session, profile))
    left, right = env_names
    found = compare_states(left, states[0], right, states[1])
    mapping = _only_mapping(workspace.root)
    for difference in found[:limit]:
        if difference.only_in:
            click.echo("  " + say("cli.users.only_in", key=difference.key, env=difference.only_in))
        else:
            fields = [phrase("cli.users.field_differs", field=field_label(f, mapping), left=left, left_value=a,
                             right=right, right_value=b) for f, (a, b) in difference.fields.items()]
            click.echo("  " + say("cli.users.differs", key=difference.key, fields=parts(fields)))
    if len(found) > limit:
        click.echo("  " + say("cli.users.more", count=len(found) - limit))
    click.echo(say("cli.users.compared", left_count=len(states[0].users), left=left, right_count=len(states[1].users),
                   right=right, differ=len(found)), err=True)
    if found:
        raise SystemExit(1)


def _only_mapping(root: Path) -> Any:
    """The workspace's mapping when it has just one (its headers name the compared columns)."""
    from launchpad.errors import LaunchpadError
    from launchpad.users.mapping import load_mapping
    from launchpad.users.operations import find_mapping

    try:
        return load_mapping(find_mapping(root, None))
    except LaunchpadError:  # none, several, or one with a mistake: the columns keep their names
        return None


def _print_plan(plan: Any, lang: str, limit: int, listed_by: Callable[[int], str] | None = None) -> None:
    """The plan's rows up to `limit`; `listed_by(count)`: a command that lists all `count` of them,
    said instead of options the running command does not have (`users import` has no --limit)."""
    from launchpad.users.plan import NO_UNIT
    from launchpad.users.planned import shown_changes

    shown = 0
    for user in plan.users:
        if user.action == "unchanged":
            continue
        shown += 1
        if shown > limit:
            continue
        where = f"{user.sheet}!{user.row}"
        if user.action == "insert":
            click.echo("  + " + word("cli.users.insert", lang, key=user.key, where=where, unit=user.unit,
                                     roles=list(user.roles_added) or "-"))
        elif user.action == "update":
            roles, posts = list(user.roles_added), list(user.posts_added)
            changed: list[Said] = [*shown_changes(user)]
            changed += [word("cli.users.roles_added", lang, roles=roles)] if roles else []
            changed += [word("cli.users.posts_added", lang, posts=posts)] if posts else []
            click.echo("  ~ " + word("cli.users.update", lang, key=user.key, where=where,
                                     changes=parts(changed)))
        else:
            click.echo("  ✗ " + word("cli.users.rejected", lang, key=user.key or "?", where=where))
            _print_problems(user.problems, lang, 20)
    if shown > limit and listed_by is not None:
        click.echo("  " + word("cli.users.more_import", lang, count=shown - limit, command=listed_by(shown)))
    elif shown > limit:
        click.echo("  " + word("cli.users.more_plan", lang, count=shown - limit))
    click.echo("  " + word("cli.users.unit_head", lang))
    for unit, counts in plan.counts_by_unit().items():
        unit = word("cli.users.no_unit", lang) if unit == NO_UNIT else unit
        click.echo(f"  {unit}: {counts['insert']} / {counts['update']} / {counts['unchanged']} / {counts['rejected']}")
    total = plan.counts()
    click.echo(word("cli.users.plan_total", lang, insert=total["insert"], update=total["update"],
                    unchanged=total["unchanged"], rejected=total["rejected"]), err=True)


def _register() -> None:
    from launchpad.cli import users_apply

    for command in users_apply.COMMANDS:
        users.add_command(command)


_register()
COMMANDS = [users]
