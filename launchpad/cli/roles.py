"""`launchpad roles preview|apply|rollback|list`: roles assigned by the rules in
`roles/rules.yaml`, a thin layer over `launchpad.users.role_rules` and `role_apply`. Exit 0
when done (or nothing changes), 1 for a refused assignment, 2 for rules launchpad cannot use (a
bad file, a role key, unit or post the target does not have)."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from launchpad.cli.door import language, say
from launchpad.cli.params import AGE, LIMIT, STORE_ID

if TYPE_CHECKING:
    from launchpad.cli.door import Door

RULES = click.option("--rules", "rules_name", metavar="FILE")
CONFIRMING = [click.option("--yes", "-y", is_flag=True),
              click.option("--confirm", "confirm_env", metavar="ENV")]


def _confirming(command: Any) -> Any:
    for option in reversed(CONFIRMING):
        command = option(command)
    return command


@contextlib.contextmanager
def _opened(door: Door, env_name: str, database: str | None) -> Iterator[Any]:
    """A `RolesTarget` on ENV's database, the store and connections open."""
    from launchpad.cli.users import _ask_secret
    from launchpad.hosts.connect import HostConnections
    from launchpad.users.role_apply import RolesTarget, rules_target

    session = door.session()
    workspace, actor = session.workspace, session.actor
    workspace.environment(env_name)  # an unknown name fails before anything connects
    store = session.store()

    def audit(action: str, target: str, detail: dict[str, Any]) -> None:
        store.audit(actor, action, target, detail)

    with HostConnections(workspace, env_name, store=store, actor=actor) as connections, \
            rules_target(workspace, env_name, database, connections.transport_for, audit, _ask_secret) as target:
        yield RolesTarget(workspace, store, target, env_name, actor)


def _rules(door: Door, given: str | None) -> Any:
    from launchpad.users.role_rules import find_rules, load_rules

    root = door.session().workspace.root
    path = find_rules(root, given)
    try:
        shown = str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        shown = str(path)
    return load_rules(path, shown)


@click.group("roles")
def roles() -> None:
    pass


@roles.command("preview")
@click.option("--env", "env_name", required=True, metavar="ENV")
@RULES
@click.option("--json", "as_json", is_flag=True)
@click.option("--xlsx", "xlsx", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE")
@click.option("--limit", type=LIMIT, default=200, show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]))
@click.pass_obj
def roles_preview(door: Door, env_name: str, rules_name: str | None, as_json: bool, xlsx: Path | None, limit: int,
                  lang: str | None) -> None:
    from launchpad.errors import UsageError
    from launchpad.phrases import phrase, render
    from launchpad.users.role_apply import preview_live, record_preview
    from launchpad.users.role_report import counts_lines, table_lines, write_xlsx

    door.session().workspace.environment(env_name)
    if xlsx is not None and xlsx.suffix.lower() != ".xlsx":  # said before anything is read or recorded
        raise UsageError(say("cli.roles.not_xlsx", file=xlsx.name), hint=say("cli.roles.not_xlsx_hint"))
    loaded = _rules(door, rules_name)
    with _opened(door, env_name, loaded.rules.database) as to:
        _, shown = preview_live(to.workspace, to.session, loaded)
        assignment = record_preview(to.store, to.session, loaded, shown, env_name, to.actor, to.audit) \
            if shown.changes else None
    words = lang or to.workspace.site.site.language
    if xlsx is not None:
        title = render(phrase("roles.title", env=env_name, rules=loaded.display), words)
        click.echo("  " + say("cli.roles.spreadsheet", path=write_xlsx(shown, xlsx, words, title, env_name)), err=True)
    if as_json:
        click.echo(json.dumps({**shown.as_json(), "environment": env_name, "rules": loaded.display,
                               "preview": assignment}, ensure_ascii=False, indent=2))
        return
    if not shown.changes:
        click.echo(say("cli.roles.no_change", env=env_name, rules=loaded.display))
        return
    click.echo(say("cli.roles.previewed", id=assignment, count=len(shown.changes), env=env_name, rules=loaded.display))
    for line in table_lines(shown, language(), limit):
        click.echo(line)
    for line in counts_lines(shown, language()):
        click.echo(line)
    click.echo(say("cli.roles.apply_with", env=env_name))


@roles.command("apply")
@click.option("--env", "env_name", required=True, metavar="ENV")
@RULES
@_confirming
@click.option("--backup-age", type=AGE, default="2h", show_default=True)
@click.option("--batch", "batch_size", type=click.IntRange(min=1), default=500, show_default=True)
@click.pass_obj
def roles_apply(door: Door, env_name: str, rules_name: str | None, yes: bool, confirm_env: str | None,
                backup_age: str, batch_size: int) -> None:
    from launchpad.cli.prompter import CliPrompter
    from launchpad.users.role_apply import apply_preview

    door.session().workspace.environment(env_name)
    loaded = _rules(door, rules_name)
    with _opened(door, env_name, loaded.rules.database) as to:
        outcome = apply_preview(to, loaded, CliPrompter(to.actor, yes=yes, confirm_env=confirm_env),
                                backup_age=backup_age, batch_size=batch_size)
    if outcome.assignment is None:
        click.echo(say("cli.roles.nothing_to_change", env=env_name))
        return
    backup = say("cli.roles.backup", id=outcome.backup_id) if outcome.backup_id is not None else ""
    click.echo("✓ " + say("cli.roles.continued" if outcome.resumed else "cli.roles.applied", id=outcome.assignment,
                          users=outcome.users, batches=outcome.batches, backup=backup))


@roles.command("rollback")
@click.argument("assignment", type=STORE_ID)
@_confirming
@click.pass_obj
def roles_rollback(door: Door, assignment: int, yes: bool, confirm_env: str | None) -> None:
    from launchpad.cli.prompter import CliPrompter
    from launchpad.phrases import lines
    from launchpad.users import role_records
    from launchpad.users.role_apply import rollback

    found = role_records.get(door.session().store(), assignment)
    with _opened(door, found["environment"], found["database"]) as to:
        outcome = rollback(to, assignment, CliPrompter(to.actor, yes=yes, confirm_env=confirm_env))
    click.echo("✓ " + say("cli.roles.rolled_back", id=outcome.assignment, users=outcome.users))
    if outcome.changed_since:
        click.echo("  " + say("roles.rollback_changed_since", id=outcome.assignment, count=len(outcome.changed_since),
                              users=lines(outcome.changed_since)), err=True)


@roles.command("list")
@click.option("--limit", type=LIMIT, default=20, show_default=True)
@click.pass_obj
def roles_list(door: Door, limit: int) -> None:
    from launchpad.phrases import CATALOG
    from launchpad.sitetime import local_text
    from launchpad.users import role_records

    session = door.session()
    rows = role_records.listed(session.store(), limit)
    if not rows:
        click.echo(say("cli.roles.none"))
    for row in rows:
        state_key = f"cli.roles.state_{row['status']}"
        state = say(state_key) if state_key in CATALOG else row["status"]
        users = say("cli.roles.users", count=row["counts"]["users"])
        previewed = local_text(row["previewed"], session.workspace.site.tz)
        click.echo(f"  {row['id']}  {row['environment']}  {state}  {users}  "
                   f"{row['rules_file']}  {previewed}  {row['operator'] or ''}")


COMMANDS = [roles]
