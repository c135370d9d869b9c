"""`launchpad audit`: check that the audit log is whole, and read it."""

from __future__ import annotations

import json
from collections import deque
from dataclasses import asdict
from typing import TYPE_CHECKING, NoReturn

import click

from launchpad.cli.door import pass_session, say
from launchpad.cli.params import LIMIT
from launchpad.cli.widetext import columns

if TYPE_CHECKING:
    from launchpad.phrases import Said
    from launchpad.session import Session


@click.group()
def audit() -> None:
    pass


@audit.command("verify")
@pass_session
def audit_verify(session: Session) -> None:
    from launchpad.errors import StoreDamaged
    from launchpad.store.audit import store_damage, verify_audit

    try:
        store = session.store()
    except StoreDamaged as exc:
        _damaged(exc.said, say("cli.audit.nothing_read"))
    damage = store_damage(store.db)
    report = verify_audit(store.db)
    if report.damaged or (damage and report.ok):
        _damaged(damage or report.reason,
                 say("cli.audit.read_up_to", entries=report.entries, first_bad=report.first_bad) if report.damaged
                 else say("cli.audit.read_whole", entries=report.entries))
    if damage:
        click.echo(click.style(say("cli.audit.store_damaged", detail=damage), fg="red", bold=True), err=True)
    if report.ok and not damage:
        click.echo(say("cli.audit.intact", entries=report.entries))
        return
    click.echo(
        click.style(say("cli.audit.broken", first_bad=report.first_bad, reason=report.reason), fg="red", bold=True),
        err=True,
    )
    click.echo("  " + say("cli.audit.broken_hint", entries=report.entries, first_bad=report.first_bad), err=True)
    raise SystemExit(1)


@audit.command("show")
@click.option("--limit", type=LIMIT, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@pass_session
def audit_show(session: Session, limit: int, as_json: bool) -> None:
    from launchpad.sitetime import local_text
    from launchpad.store.audit import iter_audit

    workspace = session.workspace
    store = session.store()
    # A bounded deque keeps only the newest entries while streaming a log of any length.
    entries = deque(iter_audit(store.db), maxlen=limit)
    if as_json:
        rows = [asdict(e) for e in entries]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    # Newest first, as a person reads a log (the JSON keeps the log's order, as the chain runs);
    # site time, as everywhere else on screen (the JSON keeps the stored UTC).
    shown = [(str(e.id), local_text(str(e.at), workspace.site.tz, with_seconds=True), e.actor, e.action, e.target)
             for e in reversed(entries)]
    heading = (say("cli.audit.id"), say("cli.audit.at", zone=workspace.site.site.timezone), say("cli.audit.actor"),
               say("cli.audit.action"), say("cli.audit.target"))
    # Columns by display width: a Chinese heading or actor takes two cells a character.
    widths = [max(columns(row[i]) for row in [heading, *shown]) for i in range(4)]
    for row in [heading, *shown]:
        cells = [_pad(row[0], widths[0], right=True),
                 *(_pad(cell, width) for cell, width in zip(row[1:4], widths[1:], strict=True))]
        click.echo("  ".join([*cells, row[4]]))


def _pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * (width - columns(text))
    return space + text if right else text + space


def _damaged(detail: Said, how_far: str) -> NoReturn:
    click.echo(click.style(say("cli.audit.store_damaged", detail=detail), fg="red", bold=True), err=True)
    click.echo("  " + say("cli.audit.damaged_hint", how_far=how_far), err=True)
    raise SystemExit(1)


COMMANDS = [audit]
