"""`launchpad backup`, `launchpad backups [verify|drill|prune]` and `launchpad restore`: a thin
layer over `launchpad.backup`, which the TUI and the playbook steps call too."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from launchpad.cli.door import language, pass_session, say, session_of
from launchpad.cli.params import STORE_ID
from launchpad.errors import UsageError
from launchpad.phrases import CATALOG, Said, phrase, render

if TYPE_CHECKING:
    from launchpad.backup.records import BackupRecord
    from launchpad.session import Session


def _drill_head(key: str) -> str:
    """The drill table's header; `key` is what its rows count, a table's or a file's."""
    heads = [say(f"cli.drill.{name}") for name in (key, "at_backup", "restored", "source_now")]
    return f"  {heads[0]:<40} {heads[1]:>12} {heads[2]:>12} {heads[3]:>12}"


def _progress_text(progress: Any) -> str:
    """The progress line in the command line's language (`describe()` is the step log's English)."""
    from launchpad.backup.progress import human_size

    phase_key = f"cli.backup.phase_{progress.phase}"
    done = human_size(progress.bytes)
    if progress.total:
        done = say("cli.backup.progress_of", done=done, total=human_size(progress.total))
    return say("cli.backup.progress", env=progress.environment, target=progress.target,
               phase=say(phase_key) if phase_key in CATALOG else progress.phase, done=done,
               rate=human_size(progress.rate))


class _ProgressLine:
    """One line rewritten in place on a terminal; a line every 10 s otherwise (logs, CI)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, progress: Any) -> None:
        if self.tty:
            click.echo(f"\r  {_progress_text(progress):<78}", nl=False, err=True)
        elif progress.elapsed - self._last >= 10:
            self._last = progress.elapsed
            click.echo(f"  {_progress_text(progress)}", err=True)

    def done(self) -> None:
        if self.tty:
            click.echo("\r" + " " * 80 + "\r", nl=False, err=True)


@contextmanager
def _backup_session(session: Session, env_name: str | None, actor: str | None = None) -> Any:
    """A BackupSession on the workspace, with connections to `env_name` (or the first)."""
    from launchpad.backup.session import open_backup_session

    progress = _ProgressLine()
    try:
        with open_backup_session(session.workspace, session.store(), actor or session.actor, env_name,
                                 progress=progress, ask_secret=_ask_secret) as job:
            yield job
    finally:
        progress.done()


def _ask_secret(label: Said) -> str:
    if not sys.stdin.isatty():
        from launchpad.errors import SecretUnavailable

        raise SecretUnavailable(phrase("cli.backup.no_terminal", label=label),
                                hint=phrase("cli.backup.no_terminal_hint"))
    return str(click.prompt("  " + render(label, language()), hide_input=True, err=True))


def _env_of(session: Session, backup_id: int) -> str:
    from launchpad.backup.records import require_backup

    return require_backup(session.store(), backup_id).environment


def record_json(record: BackupRecord, lang: str) -> dict[str, Any]:
    """A backup as `--json` gives it: the stored fields, with why it was deleted, what its last
    verification and drill said in the command's language as plain text. The phrases the store
    keeps them as (`deleted_phrase`, `verify_phrase`, the drill's `summary_phrase`) are for
    launchpad to re-render, not for a JSON consumer to parse, so they are left out."""
    shown = record.as_dict()
    del shown["verify_phrase"], shown["deleted_phrase"]
    if record.verify_detail is not None or record.verify_phrase is not None:
        shown["verify_detail"] = render(record.verify_said(), lang)
    if record.deleted_reason is not None or record.deleted_phrase is not None:
        shown["deleted_reason"] = render(record.deleted_said(), lang)
    if record.drill_detail is not None:
        drill = {key: value for key, value in record.drill_detail.items() if key != "summary_phrase"}
        if "summary" in drill or "summary_phrase" in record.drill_detail:
            drill["summary"] = render(record.drill_said(), lang)
        shown["drill_detail"] = drill
    return shown


@click.command("backup")
@click.option("--env", "env_name", required=True, metavar="ENV")
@click.option("--json", "as_json", is_flag=True)
@click.argument("targets", nargs=-1, required=True, metavar="TARGET...")
@pass_session
def backup(session: Session, env_name: str, as_json: bool, targets: tuple[str, ...]) -> None:
    from launchpad.backup.take import take_backup

    with _backup_session(session, env_name) as job:
        names = list(session.workspace.environment(env_name).backups) if targets == ("all",) else list(targets)
        if not names:
            raise UsageError(phrase("cli.backup.no_targets", env=env_name), hint=phrase("cli.backup.no_targets_hint"))
        taken = []
        for name in names:
            record = take_backup(job, env_name, name)
            job.progress.done()
            taken.append(record)
            if not as_json:
                click.echo("✓ " + say("cli.backup.taken", id=record.id, file=record.file, size=_size(record.size),
                                      sha=record.sha256[:16]))
    if as_json:
        click.echo(json.dumps([record_json(r, session.language) for r in taken], ensure_ascii=False, indent=2))


@click.group("backups", invoke_without_command=True)
@click.option("--env", "env_name", metavar="ENV")
@click.option("--target", metavar="TARGET")
@click.option("--all", "include_deleted", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def backups(click_ctx: click.Context, env_name: str | None, target: str | None, include_deleted: bool,
            as_json: bool) -> None:
    if click_ctx.invoked_subcommand is not None:
        return
    from launchpad.backup.adopt import find_unrecorded
    from launchpad.backup.records import list_backups, standing

    session = session_of(click_ctx)
    workspace = session.workspace
    if env_name is not None:
        workspace.environment(env_name)
    store = session.store()
    rows = list_backups(store, env_name, target, include_deleted=include_deleted)
    unrecorded = find_unrecorded(store, workspace.backups_dir, check=False)
    if unrecorded:
        click.echo(click.style("! " + say("cli.backups.unrecorded", count=len(unrecorded)), fg="yellow"), err=True)
    # A stat per file: a backup cut short or removed shows as not usable without a full verify.
    now = {r.id: standing(r, workspace.backups_dir) for r in rows}
    if as_json:
        lang = session.language
        click.echo(json.dumps([record_json(r, lang) | {"usable": now[r.id].usable, "checksum_now": now[r.id].checksum,
                                                       "drill_now": now[r.id].drill,
                                                       "problem": render(now[r.id].problem, lang)
                                                       if now[r.id].problem is not None else None} for r in rows],
                              ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(say("cli.backups.none"))
        return
    from launchpad.issues.display import fit, width
    from launchpad.sitetime import local_text

    zone = workspace.site.tz
    finished_head = say("cli.backups.finished", zone=zone.key)
    columns = max(19, width(finished_head))  # the site's wall clock, to the second
    click.echo(say("cli.backups.head", finished=fit(finished_head, columns)))
    for r in rows:
        state = now[r.id]
        verified = say(_CHECKSUM_WORDS[state.checksum]) if state.checksum in _CHECKSUM_WORDS else "-"
        drill = say(f"status.{state.drill}") if state.drill in ("passed", "failed") else (
            say("cli.backups.drill_void") if state.drill == "void" else state.drill or "-")
        finished = local_text(r.finished, zone, with_seconds=True)
        click.echo(f"{r.id:>5}  {fit(finished, columns)}  {r.environment + '/' + r.target:<22} "
                   f"{_size(r.size):>10}  {fit(verified, 9)} {fit(drill, 8)} {_purpose(r)}")


def _purpose(record: BackupRecord) -> str:
    """What the backup was for, as the backups screen says it."""
    if record.run_id is not None:
        return say("bk.purpose_run", id=record.run_id)
    key = f"bk.purpose_{record.purpose}"
    return say(key) if key in CATALOG else record.purpose


# A deleted backup reads DELETED where a usable one reads ok: its last check no longer counts.
_CHECKSUM_WORDS = {"ok": "cli.backups.verified", "failed": "cli.backups.verify_failed",
                   "changed": "cli.backups.file_changed", "deleted": "cli.backups.deleted"}


@backups.command("verify")
@click.argument("backup_id", type=STORE_ID, metavar="ID")
@pass_session
def backups_verify(session: Session, backup_id: int) -> None:
    from launchpad.backup.verify import verify_backup

    with _backup_session(session, _env_of(session, backup_id)) as job:
        report = verify_backup(job, backup_id)
    if report.ok:
        click.echo("✓ " + say("cli.backups.verifies", id=backup_id, detail=_said(report.detail)))
        return
    click.echo(click.style("✗ " + say("cli.backups.does_not_verify", id=backup_id, detail=_said(report.detail)),
                           fg="red", bold=True), err=True)
    if report.hint is not None:
        click.echo("  → " + _said(report.hint), err=True)
    raise SystemExit(1)


@backups.command("drill")
@click.argument("backup_id", type=STORE_ID, metavar="ID")
@click.option("--json", "as_json", is_flag=True)
@pass_session
def backups_drill(session: Session, backup_id: int, as_json: bool) -> None:
    from launchpad.backup.drill import drill_backup

    with _backup_session(session, _env_of(session, backup_id)) as job:
        outcome = drill_backup(job, backup_id)
    if as_json:
        click.echo(json.dumps({"passed": outcome.passed, "summary": render(outcome.summary, session.language),
                               "rows": outcome.rows,
                               "supported": outcome.supported}, ensure_ascii=False, indent=2))
    else:
        if outcome.rows:
            key = "table" if "table" in outcome.rows[0] else "file"
            click.echo(_drill_head(key))
            for row in outcome.rows:
                cells = [_cell(row.get(k)) for k in ("at_backup", "restored", "source_now")]
                click.echo(f"  {row[key]:<40} {cells[0]:>12} {cells[1]:>12} {cells[2]:>12}")
        mark = click.style("✓", fg="green") if outcome.passed else click.style("✗", fg="red", bold=True)
        click.echo(f"{mark} " + say("cli.backups.drilled", id=backup_id, summary=_said(outcome.summary)))
        if outcome.hint:
            click.echo("  → " + _said(outcome.hint), err=True)
    if not outcome.passed:
        raise SystemExit(1)


@backups.command("prune")
@click.option("--env", "env_name", metavar="ENV")
@click.option("--dry-run", is_flag=True)
@pass_session
def backups_prune(session: Session, env_name: str | None, dry_run: bool) -> None:
    from launchpad.backup.retention import prune
    from launchpad.sitetime import local_day

    with _backup_session(session, env_name) as job:
        decisions = prune(job, env_name, dry_run=dry_run)
    deleted = [d for d in decisions if d.delete]
    zone = session.workspace.site.tz
    # A dry run is where the rules are checked before anything goes: every backup, newest first
    # per target, with why it would go or stay. Deleting, only what went is news.
    for d in decisions if dry_run else deleted:
        key = "cli.backups.deleted_one" if not dry_run else (
            "cli.backups.would_delete" if d.delete else "cli.backups.would_keep")
        click.echo("  " + say(key, id=d.record.id, where=f"{d.record.environment}/{d.record.target}",
                              day=local_day(d.record.finished, zone), reason=_said(d.reason)))
    kept = len(decisions) - len(deleted)
    click.echo(say("cli.backups.pruned_dry" if dry_run else "cli.backups.pruned", count=len(deleted), kept=kept))


@backups.command("adopt")
@pass_session
def backups_adopt(session: Session) -> None:
    from launchpad.backup.adopt import adopt, find_unrecorded

    with _backup_session(session, None) as job:
        found = find_unrecorded(job.store, job.backups_dir)
        for item in found:
            if item.problem:
                click.echo(click.style("  ✗ " + say("cli.backups.not_adopted", file=item.relative,
                                                     problem=_said(item.problem)), fg="red"), err=True)
                continue
            record = adopt(job, item)
            click.echo("  ✓ " + say("cli.backups.adopted_one", file=item.relative, id=record.id,
                                    where=f"{record.environment}/{record.target}"))
    refused = sum(1 for item in found if item.problem)
    click.echo(say("cli.backups.adopted", count=len(found) - refused, left=refused)
               if found else say("cli.backups.all_recorded"))
    if refused:
        raise SystemExit(1)


@click.command("restore")
@click.argument("backup_id", type=STORE_ID, metavar="ID")
@click.option("--env", "env_name", required=True, metavar="ENV")
@click.option("--confirm", "confirm_env", metavar="ENV")
@click.option("--yes", "-y", is_flag=True)
@pass_session
def restore(session: Session, backup_id: int, env_name: str, confirm_env: str | None, yes: bool) -> None:
    from launchpad.backup.restore import restore_backup
    from launchpad.cli.prompter import CliPrompter

    prompter = CliPrompter(session.actor, yes=yes, confirm_env=confirm_env)
    with _backup_session(session, env_name, prompter.actor) as job:
        result = restore_backup(job, backup_id, env_name, prompter)
    safety = result.safety_backup
    click.echo(f"✓ {_said(result.detail)}" + (say("cli.restore.safety", id=safety.id) if safety else ""))


def _said(value: Said) -> str:
    return render(value, language())


def _size(size: float) -> str:
    from launchpad.backup.progress import human_size

    return human_size(size)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return value[:10] + "…" if isinstance(value, str) and len(value) > 12 else str(value)


COMMANDS = [backup, backups, restore]
