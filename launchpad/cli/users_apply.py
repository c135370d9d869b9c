"""`launchpad users import|imports|rollback|abandon|handout`: the commands that write, registered on
the `users` group of `launchpad.cli.users`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from launchpad.cli.door import language, say
from launchpad.cli.params import AGE, STORE_ID
from launchpad.durations import said_duration
from launchpad.errors import UsageError
from launchpad.phrases import phrase, render

if TYPE_CHECKING:
    from launchpad.cli.door import Door


class _ProgressLine:
    """One line rewritten in place on a terminal; a line every 10 s otherwise (logs, CI)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._last = -10.0

    def __call__(self, progress: Any) -> None:
        left = "" if progress.left is None else say("users.progress.left",
                                                    time=said_duration(round(progress.left), "second"))
        line = render(progress.describe(), language()) + left
        if self.tty:
            click.echo(f"\r  {line:<78}", nl=False, err=True)
        elif progress.elapsed - self._last >= 10 or progress.done == progress.total:
            self._last = progress.elapsed
            click.echo(f"  {line}", err=True)

    def done(self) -> None:
        if self.tty:
            click.echo("\r" + " " * 80 + "\r", nl=False, err=True)


def _hashing_estimate(estimate: Any) -> str:
    return say("users.hashing_estimate", count=estimate.count, cost=estimate.cost, took=estimate.took,
               cores=estimate.cores, per_hash=f"{estimate.per_hash_ms:.0f}")


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--mapping", "-m", metavar="FILE")
@click.option("--env", "env_name", required=True, metavar="ENV")
@click.option("--skip-rejected", is_flag=True)
@click.option("--yes", "-y", is_flag=True)
@click.option("--confirm", "confirm_env", metavar="ENV")
@click.option("--backup-age", type=AGE, default="2h", show_default=True)
@click.option("--batch", "batch_size", type=click.IntRange(min=1), default=None)
@click.pass_obj
def users_import(door: Door, file: Path | None, mapping: str | None, env_name: str, skip_rejected: bool, yes: bool,
                 confirm_env: str | None, backup_age: str, batch_size: int | None) -> None:
    from launchpad.cli.prompter import CliPrompter
    from launchpad.cli.users import _print_notes, _print_plan, _read_rows, _target, _workspace
    from launchpad.users.apply import ImportTarget
    from launchpad.users.importing import ImportGates, prepare_import, run_import
    from launchpad.users.mapping import load_mapping
    from launchpad.users.operations import find_mapping, plan_workbook

    workspace = _workspace(door, required=True)
    mapping_path = find_mapping(workspace.root, mapping)
    loaded = load_mapping(mapping_path)
    rows_read = _read_rows(door, workspace, file, loaded, mapping_path)
    environment = workspace.environment(env_name)
    lang = language()
    progress = _ProgressLine()
    with _target(door, workspace, env_name, loaded.database) as (store, session, actor):
        planned = plan_workbook(rows_read.workbook, loaded, session, env_name)
        _print_notes(planned.result.notes, lang)
        _print_plan(planned.plan, lang, 50,
                    lambda count: rows_read.command("plan", env_name, "--limit", str(count)))
        counts = planned.plan.counts()
        to = ImportTarget(store, session, workspace.root, env_name, session.key, actor, workspace.site.tz)
        ready = prepare_import(to, planned, rows_read, skip_rejected=skip_rejected)
        _print_since_plan(ready.since_plan, env_name)
        if ready.nothing_to_write:
            if counts["rejected"]:
                click.echo(say("cli.import.nothing_rejected", unchanged=counts["unchanged"],
                               rejected=counts["rejected"], command=rows_read.command("check", env_name)))
            else:
                click.echo(say("cli.import.nothing"))
            if ready.handout_owed is not None:
                click.echo("  " + say("cli.imports.handout_owed", id=ready.handout_owed), err=True)
            return
        if ready.hashing is not None:
            click.echo(f"  {_hashing_estimate(ready.hashing)}", err=True)
            if ready.hashing.kept:
                click.echo("  " + say("users.hashing_kept", kept=ready.hashing.kept), err=True)
        prompter = CliPrompter(actor, yes=yes, confirm_env=confirm_env)
        gates = ImportGates(environment, workspace.backups_dir, backup_age)
        try:
            outcome = run_import(to, ready, gates, prompter, mapping_name=mapping_path.name,
                                 skip_rejected=skip_rejected, batch_size=batch_size, progress=progress,
                                 backup_passed=lambda backup: click.echo(
                                     "  " + say("cli.import.fresh_backup", backup=render(backup, language())),
                                     err=True))
        finally:
            progress.done()
    click.echo("✓ " + say("cli.import.resumed" if outcome.resumed else "cli.import.applied", id=outcome.import_id,
                          insert=counts["insert"], update=counts["update"], unchanged=counts["unchanged"],
                          rejected=counts["rejected"]))
    for path in outcome.handouts:
        click.echo("  " + say("cli.import.handout", path=str(path)))
    if outcome.without_password:
        click.echo("  " + say("users.without_password", count=len(outcome.without_password),
                              users=outcome.without_password[:10], id=outcome.import_id), err=True)


def _print_since_plan(since: Any, env_name: str) -> None:
    """Say how what is about to be written differs from the plan a person read."""
    from launchpad.users.planlog import SHOWN

    if since.plan_id is None:
        if since.after_import is not None:
            click.echo("  " + say("cli.import.no_plan_since", env=env_name, id=since.after_import), err=True)
        else:
            click.echo("  " + say("cli.import.no_plan", env=env_name), err=True)
        return
    changed = since.differences
    if not changed:
        click.echo("  " + say("cli.import.same_plan", id=since.plan_id, at=since.planned_at), err=True)
        return
    click.echo(click.style("  " + say("cli.import.plan_changed", id=since.plan_id, at=since.planned_at,
                                      count=len(changed)), fg="yellow"), err=True)
    for line in changed[:SHOWN]:
        click.echo(f"    {render(line, language())}", err=True)
    if len(changed) > SHOWN:
        click.echo("    " + say("users.more", count=len(changed) - SHOWN), err=True)


@click.command("imports")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def users_imports(door: Door, as_json: bool) -> None:
    from launchpad.users.handout_kept import handout_owed, passwords_kept
    from launchpad.users.hashing_progress import FILE_NAME, kept_passwords
    from launchpad.users.records import list_imports

    store = door.session().store()
    found = list_imports(store)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(say("cli.imports.none"))
        return
    from launchpad.issues.display import fit, width
    from launchpad.phrases import status_word
    from launchpad.sitetime import local_text

    # Site time, like every other time launchpad shows; the zone is said once, in the heading.
    site = door.session().workspace.site
    site_root = door.session().workspace.root
    started_head = say("cli.runs.started", zone=site.site.timezone)
    columns = max(19, width(started_head))
    id_head = say("users.imports.id")
    click.echo(f"  {' ' * (4 - width(id_head))}{id_head}  {fit(started_head, columns)}  {fit(say('cli.runs.env'), 8)} "
               f"{fit(say('users.imports.status'), 12)} {say('users.imports.file')}")
    for row in found:
        counts = row["planned"]
        started = local_text(row["started"], site.tz, with_seconds=True)
        status = render(status_word(row["status"]), language())
        click.echo(f"  {row['id']:>4}  {fit(started, columns)}  {fit(row['environment'], 8)} {fit(status, 12)} "
                   f"{row['file_name']} ({row['file_sha256'][:12]}): +{counts['insert']} ~{counts['update']} "
                   f"={counts['unchanged']} ✗{counts['rejected']}  " + say("cli.imports.by", operator=row["operator"]))
        if handout_owed(site_root, row):
            click.echo("        " + say("cli.imports.handout_owed", id=row["id"]))
        elif row["status"] == "applying" and (kept := passwords_kept(site_root, row)) is not None:
            click.echo("        " + say("cli.imports.passwords_kept", id=row["id"], file=str(kept / FILE_NAME),
                                        count=len(kept_passwords(kept))))


@click.command("rollback")
@click.argument("import_id", type=STORE_ID, metavar="ID")
@click.option("--yes", "-y", is_flag=True)
@click.option("--confirm", "confirm_env", metavar="ENV")
@click.pass_obj
def users_rollback(door: Door, import_id: int, yes: bool, confirm_env: str | None) -> None:
    from launchpad.cli.prompter import CliPrompter
    from launchpad.cli.users import _target
    from launchpad.users.apply import ImportTarget
    from launchpad.users.importing import run_rollback
    from launchpad.users.records import get_import

    workspace = door.session().workspace
    store = door.session().store()
    record = get_import(store, import_id)
    env_name = record["environment"]
    environment = workspace.environment(env_name)
    with _target(door, workspace, env_name, record["database"]) as (store, session, actor):
        to = ImportTarget(store, session, workspace.root, env_name, record["database"], actor, workspace.site.tz)
        prompter = CliPrompter(actor, yes=yes, confirm_env=confirm_env)
        outcome = run_rollback(to, record, environment, prompter)
    click.echo("✓ " + say("cli.rollback.done", id=import_id, deleted=outcome.deleted, restored=outcome.restored))
    if outcome.left_alone:
        click.echo("  " + say("cli.rollback.left_alone", users=list(outcome.left_alone)), err=True)
    _say_handouts(import_id, env_name, outcome.handouts)


def _say_handouts(import_id: int, env_name: str, handouts: Any) -> None:
    """What became of the rolled-back import's hand-out files (nothing said when it had none);
    files left are a warning, on stderr."""
    from launchpad.users.rollback_handouts import said_after_rollback

    said = said_after_rollback(import_id, env_name, handouts)
    if said is not None:
        click.echo("  " + render(said, language()), err=bool(handouts.kept))


@click.command("abandon")
@click.argument("import_id", type=STORE_ID, metavar="ID")
@click.option("--yes", "-y", is_flag=True)
@click.pass_obj
def users_abandon(door: Door, import_id: int, yes: bool) -> None:
    from launchpad.users.abandon import AbandonNotConfirmed, abandon_import, pending_passwords
    from launchpad.users.records import get_import

    session = door.session()
    store, root, actor = session.store(), session.workspace.root, session.actor
    try:
        pending = abandon_import(store, root, actor, import_id, yes=yes)
    except AbandonNotConfirmed:
        if not has_terminal():
            raise
        # At a terminal the import's id is typed, as production's name is before it is written.
        record = get_import(store, import_id)
        about = pending_passwords(store, root, record)
        click.echo(click.style(say("cli.abandon.about", id=import_id, file=record["file_name"],
                                   env=record["environment"], kept=str(about.file), count=about.passwords),
                               fg="red", bold=True), err=True)
        typed = str(click.prompt(say("cli.abandon.type_id"), default="", show_default=False, err=True)).strip()
        pending = abandon_import(store, root, actor, import_id, typed=typed)
    click.echo("✓ " + say("cli.abandon.done", id=import_id, count=pending.passwords))
    if pending.written_without_handout:
        shown = pending.written_without_handout
        click.echo("  " + say("cli.abandon.without_password", id=import_id, count=len(shown),
                              users=shown if len(shown) <= 10
                              else phrase("more", text=shown[:10], count=len(shown) - 10)), err=True)
    if pending.handouts:
        click.echo("  " + say("cli.abandon.handouts_left", id=import_id, count=len(pending.handouts)), err=True)


def has_terminal() -> bool:
    """Whether a person can type the import's id (tests replace this to answer from input)."""
    return sys.stdin.isatty()


@click.command("handout")
@click.argument("import_id", type=STORE_ID, metavar="ID")
@click.option("--remove", is_flag=True)
@click.option("--keep-resets", is_flag=True)
@click.option("--reset", "reset_keys", multiple=True, metavar="LOGIN")
@click.option("--mapping", "-m", metavar="FILE")
@click.option("--yes", "-y", is_flag=True)
@click.option("--confirm", "confirm_env", metavar="ENV")
@click.pass_obj
def users_handout(door: Door, import_id: int, remove: bool, keep_resets: bool, reset_keys: tuple[str, ...],
                  mapping: str | None, yes: bool, confirm_env: str | None) -> None:
    from launchpad.cli.prompter import CliPrompter
    from launchpad.users.handout import handout_dir, list_handouts
    from launchpad.users.handout_kept import handout_from_kept, handout_owed
    from launchpad.users.handout_removal import remove_import_handouts
    from launchpad.users.handout_rewrite import pending_resets, unreadable_resets
    from launchpad.users.records import get_import

    workspace = door.session().workspace
    store = door.session().store()
    record = get_import(store, import_id)
    folder = handout_dir(workspace.root, import_id)
    actor = door.session().actor

    def audit(action: str, target: str, detail: dict[str, Any]) -> None:
        store.audit(actor, action, target, detail)

    if keep_resets and not remove:
        raise UsageError(phrase("users.keep_resets_alone"), hint=phrase("users.keep_resets_alone_hint", id=import_id))
    if remove:
        removed = remove_import_handouts(store, workspace.root, actor, import_id, keep_resets=keep_resets)
        click.echo(say("cli.handout.removed", count=len(removed)))
        pending = pending_resets(folder)
        unreadable = unreadable_resets(folder)
        for path in list_handouts(folder):
            if path in unreadable:
                why = unreadable[path]
                click.echo("  " + say("cli.handout.kept_unreadable", path=str(path),
                                      reason=phrase("cli.handout.not_a_workbook") if why is None else why))
            elif not any(path.is_relative_to(one) for one in pending):
                click.echo("  " + say("cli.handout.kept_reset", path=str(path)))
        if unreadable:
            click.echo("  → " + say("cli.handout.kept_unreadable_hint", id=import_id))
        for one in pending:
            click.echo("  " + say("cli.handout.kept_pending", path=str(one)))
        if pending:
            click.echo("  → " + say("users.reset_unsure_hint", id=import_id))
        return
    if reset_keys:
        prompter = CliPrompter(actor, yes=yes, confirm_env=confirm_env)
        _reset(door, workspace, record, list(reset_keys), mapping, prompter)
        return
    if handout_owed(workspace.root, record):  # applied, its hand-out not written then (a full disk)
        kept = handout_from_kept(store, workspace.root, import_id, audit)
        click.echo(say("cli.handout.from_kept", count=len(kept.files), id=import_id), err=True)
        if kept.without_password:
            click.echo("  " + say("cli.handout.without_password", id=import_id, users=list(kept.without_password)),
                       err=True)
    files = list_handouts(folder)
    for path in files:
        click.echo(f"  {path}")
    click.echo(say("cli.handout.listed", count=len(files), id=import_id) if files
               else say("cli.handout.none", id=import_id))


def _reset(door: Door, workspace: Any, record: dict[str, Any], keys: list[str], mapping: str | None,
           prompter: Any) -> None:
    from launchpad.cli.users import _target
    from launchpad.users.apply import ImportTarget
    from launchpad.users.importing import run_reset
    from launchpad.users.mapping import load_mapping
    from launchpad.users.operations import find_mapping
    from launchpad.users.reset import ResetHandoutPending

    policy = load_mapping(find_mapping(workspace.root, mapping)).passwords
    env_name = record["environment"]
    with _target(door, workspace, env_name, record["database"]) as (store, session, actor):
        to = ImportTarget(store, session, workspace.root, env_name, record["database"], actor, workspace.site.tz)
        try:
            files, left, earlier = run_reset(to, record, workspace.environment(env_name), prompter, keys, policy)
        except ResetHandoutPending as pending:  # reset, the hand-out not renamed: what became of the earlier ones
            _say_earlier(pending.earlier, record["id"])
            raise
    for path in files:
        click.echo("  " + say("cli.import.handout", path=str(path)))
    _say_earlier(earlier, record["id"])
    if left:
        click.echo("  " + say("cli.handout.left_alone", users=list(left)), err=True)
        raise SystemExit(1)


def _say_earlier(earlier: list[Any], import_id: int) -> None:
    for one in earlier:
        click.echo("  " + _earlier_said(one), err=True)
    if any(not one.rewritten for one in earlier):
        click.echo("  " + say("cli.handout.outdated_hint", id=import_id), err=True)


def _earlier_said(one: Any) -> str:
    """What became of an earlier hand-out listing users just reset (handout_rewrite.EarlierHandout)."""
    reason = one.reason if one.reason is not None else phrase("cli.handout.not_a_workbook")
    if one.rewritten:
        return say("cli.handout.rewritten", path=str(one.path), count=one.users)
    if one.users is None:
        return say("cli.handout.outdated_unread", path=str(one.path), reason=reason)
    return say("cli.handout.outdated", path=str(one.path), count=one.users, reason=reason)


COMMANDS = [users_import, users_imports, users_rollback, users_abandon, users_handout]
