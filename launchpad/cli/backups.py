"""`launchpad backup`, `launchpad backups [verify|drill|prune]` and `launchpad restore`: a thin
layer over `launchpad.backup`, which the TUI and the playbook steps call too."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import Any

import click

from launchpad.cli.params import STORE_ID
from launchpad.errors import UsageError


class _ProgressLine:
    """One line rewritten in place on a terminal; a line every 10 s otherwise (logs, CI)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, progress: Any) -> None:
        if self.tty:
            click.echo(f"\r  {progress.describe():<78}", nl=False, err=True)
        elif progress.elapsed - self._last >= 10:
            self._last = progress.elapsed
            click.echo(f"  {progress.describe()}", err=True)

    def done(self) -> None:
        if self.tty:
            click.echo("\r" + " " * 80 + "\r", nl=False, err=True)


@contextmanager
def _session(ctx: Any, env_name: str | None, actor: str | None = None) -> Any:
    """A BackupSession on the workspace, with connections to `env_name` (or the backup's)."""
    from launchpad.backup.session import BackupSession
    from launchpad.cli import actor_name
    from launchpad.connect import HostConnections

    workspace = ctx.workspace()
    store = ctx.store(workspace)
    progress = _ProgressLine()
    name = env_name or next(iter(workspace.site.environments), None)
    if name is None:
        raise UsageError("site.yaml defines no environments")
    try:
        with HostConnections(workspace, name, store=store, actor=actor or actor_name()) as connections:
            yield BackupSession(workspace, store, connections.transport_for, actor or actor_name(),
                                progress=progress, ask_secret=_ask_secret)
    finally:
        progress.done()
        store.close()


def _ask_secret(label: str) -> str:
    if not sys.stdin.isatty():
        from launchpad.errors import SecretUnavailable

        raise SecretUnavailable(f"{label} is set to prompt, but there is no terminal", hint="use env:NAME")
    return str(click.prompt(f"  {label}", hide_input=True, err=True))


def _env_of(ctx: Any, backup_id: int) -> str:
    from launchpad.backup.records import require_backup

    workspace = ctx.workspace()
    with ctx.store(workspace) as store:
        return require_backup(store, backup_id).environment


@click.command("backup")
@click.option("--env", "env_name", required=True, metavar="ENV", help="Environment (from site.yaml).")
@click.option("--json", "as_json", is_flag=True, help="Print the backup's record as JSON.")
@click.argument("targets", nargs=-1, required=True, metavar="TARGET...")
@click.pass_obj
def backup(ctx: Any, env_name: str, as_json: bool, targets: tuple[str, ...]) -> None:
    """Back up TARGET (or `all` targets) of an environment into the workspace's backups/."""
    from launchpad.backup.take import take_backup

    with _session(ctx, env_name) as session:
        names = list(session.workspace.environment(env_name).backups) if targets == ("all",) else list(targets)
        if not names:
            raise UsageError(f"environment {env_name!r} has no backup targets", hint="add backups: to site.yaml")
        taken = []
        for name in names:
            record = take_backup(session, env_name, name)
            session.progress.done()
            taken.append(record)
            if not as_json:
                click.echo(f"✓ backup {record.id}: {record.file} ({_size(record.size)}, sha256 {record.sha256[:16]}…)")
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in taken], ensure_ascii=False, indent=2))


@click.group("backups", invoke_without_command=True)
@click.option("--env", "env_name", metavar="ENV", help="Only this environment.")
@click.option("--target", metavar="TARGET", help="Only this target.")
@click.option("--all", "include_deleted", is_flag=True, help="Include backups deleted by retention.")
@click.option("--json", "as_json", is_flag=True, help="Print the backups as JSON.")
@click.pass_context
def backups(click_ctx: click.Context, env_name: str | None, target: str | None, include_deleted: bool,
            as_json: bool) -> None:
    """List backups, newest first (`backups verify|drill|prune` for the rest)."""
    if click_ctx.invoked_subcommand is not None:
        return
    from launchpad.backup.adopt import find_unrecorded
    from launchpad.backup.records import list_backups

    ctx = click_ctx.obj
    workspace = ctx.workspace()
    if env_name is not None:
        workspace.environment(env_name)
    with ctx.store(workspace) as store:
        rows = list_backups(store, env_name, target, include_deleted=include_deleted)
        unrecorded = find_unrecorded(store, workspace.backups_dir, check=False)
    if unrecorded:
        click.echo(click.style(f"! {len(unrecorded)} backup file(s) are not recorded (a backup stopped before it was "
                               "recorded): see `launchpad backups adopt`", fg="yellow"), err=True)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No backups yet. Take one with `launchpad backup --env ENV TARGET`.")
        return
    click.echo(f"{'ID':>5}  {'FINISHED (UTC)':<19}  {'ENV/TARGET':<22} {'SIZE':>10}  "
               f"{'VERIFIED':<9} {'DRILL':<8} PURPOSE")
    for r in rows:
        verified = {"ok": "ok", "failed": "FAILED"}.get(r.verify_status or "", "-")
        drill = r.drill_status or "-"
        gone = "  (deleted)" if r.deleted_at else ""
        click.echo(f"{r.id:>5}  {r.finished[:19].replace('T', ' '):<19}  {r.environment + '/' + r.target:<22} "
                   f"{_size(r.size):>10}  {verified:<9} {drill:<8} {r.purpose}{gone}")


@backups.command("verify")
@click.argument("backup_id", type=STORE_ID, metavar="ID")
@click.pass_obj
def backups_verify(ctx: Any, backup_id: int) -> None:
    """Re-check a backup's sha256 and its structure."""
    from launchpad.backup.verify import verify_backup

    with _session(ctx, _env_of(ctx, backup_id)) as session:
        report = verify_backup(session, backup_id)
    if report.ok:
        click.echo(f"✓ backup {backup_id} verifies: sha256 as recorded; {report.detail}")
        return
    click.echo(click.style(f"✗ backup {backup_id} does NOT verify: {report.detail}", fg="red", bold=True), err=True)
    raise SystemExit(1)


@backups.command("drill")
@click.argument("backup_id", type=STORE_ID, metavar="ID")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def backups_drill(ctx: Any, backup_id: int, as_json: bool) -> None:
    """Restore a backup into a scratch database or directory and compare it with its source."""
    from launchpad.backup.drill import drill_backup

    with _session(ctx, _env_of(ctx, backup_id)) as session:
        outcome = drill_backup(session, backup_id)
    if as_json:
        click.echo(json.dumps({"passed": outcome.passed, "summary": outcome.summary, "rows": outcome.rows,
                               "supported": outcome.supported}, ensure_ascii=False, indent=2))
    else:
        if outcome.rows:
            key = "table" if "table" in outcome.rows[0] else "file"
            click.echo(f"  {key.upper():<40} {'AT BACKUP':>12} {'RESTORED':>12} {'SOURCE NOW':>12}")
            for row in outcome.rows:
                cells = [_cell(row.get(k)) for k in ("at_backup", "restored", "source_now")]
                click.echo(f"  {row[key]:<40} {cells[0]:>12} {cells[1]:>12} {cells[2]:>12}")
        mark = click.style("✓", fg="green") if outcome.passed else click.style("✗", fg="red", bold=True)
        click.echo(f"{mark} drill of backup {backup_id}: {outcome.summary}")
    if not outcome.passed:
        raise SystemExit(1)


@backups.command("prune")
@click.option("--env", "env_name", metavar="ENV", help="Only this environment.")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted, delete nothing.")
@click.pass_obj
def backups_prune(ctx: Any, env_name: str | None, dry_run: bool) -> None:
    """Delete backups beyond each target's retention (never the newest verified one)."""
    from launchpad.backup.retention import prune

    with _session(ctx, env_name) as session:
        decisions = prune(session, env_name, dry_run=dry_run)
    deleted = [d for d in decisions if d.delete]
    for d in deleted:
        verb = "would delete" if dry_run else "deleted"
        click.echo(f"  {verb} backup {d.record.id} ({d.record.environment}/{d.record.target}, "
                   f"{d.record.finished[:10]}): {d.reason}")
    kept = len(decisions) - len(deleted)
    click.echo(f"{len(deleted)} backup(s) {'to delete' if dry_run else 'deleted'}, {kept} kept.")


@backups.command("adopt")
@click.pass_obj
def backups_adopt(ctx: Any) -> None:
    """Record complete backup files the store lacks (a backup stopped between its last two steps)."""
    from launchpad.backup.adopt import adopt, find_unrecorded

    with _session(ctx, None) as session:
        found = find_unrecorded(session.store, session.backups_dir)
        for item in found:
            if item.problem:
                click.echo(click.style(f"  ✗ {item.relative}: not adopted: {item.problem}", fg="red"), err=True)
                continue
            record = adopt(session, item)
            click.echo(f"  ✓ {item.relative}: recorded as backup {record.id} ({record.environment}/{record.target})")
    refused = sum(1 for item in found if item.problem)
    click.echo(f"{len(found) - refused} file(s) adopted, {refused} left for you to look at."
               if found else "Every backup file is recorded.")
    if refused:
        raise SystemExit(1)


@click.command("restore")
@click.argument("backup_id", type=STORE_ID, metavar="ID")
@click.option("--env", "env_name", required=True, metavar="ENV", help="The environment to restore (the backup's).")
@click.option("--confirm", "confirm_env", metavar="ENV", help="Production's name, typed in advance (scripts).")
@click.option("--yes", "-y", is_flag=True, help="Confirm without asking (production still needs its name).")
@click.pass_obj
def restore(ctx: Any, backup_id: int, env_name: str, confirm_env: str | None, yes: bool) -> None:
    """Restore backup ID: verify it, take a safety backup, then restore (asks first)."""
    from launchpad.backup.restore import restore_backup
    from launchpad.cli import actor_name
    from launchpad.cli.prompter import CliPrompter

    prompter = CliPrompter(actor_name(), yes=yes, confirm_env=confirm_env)
    with _session(ctx, env_name, prompter.actor) as session:
        result = restore_backup(session, backup_id, env_name, prompter)
    safety = result.safety_backup
    click.echo(f"✓ {result.detail}" + (f"; the state before is safety backup {safety.id}" if safety else ""))


def _size(size: float) -> str:
    from launchpad.backup.progress import human_size

    return human_size(size)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return value[:10] + "…" if isinstance(value, str) and len(value) > 12 else str(value)


COMMANDS = [backup, backups, restore]
