"""`launchpad handover`: what the next engineer must know, from `launchpad.handover` — the same
use case the TUI's handover screen shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from launchpad.cli.door import pass_session
from launchpad.cli.params import FormatChoice

if TYPE_CHECKING:
    from launchpad.session import Session


@click.command("handover")
@click.option("--format", "fmt", type=FormatChoice("text", "markdown", "json"), default="text", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--lang", type=click.Choice(["zh", "en"]), help="Language (default: site.yaml's).")
@pass_session
def handover(session: Session, fmt: str, as_json: bool, lang: str | None) -> None:
    """What the next engineer must know: runs in progress or interrupted, sign-offs and approvals
    waiting, today's and tonight's releases, open P0/P1 issues, backups older than a day, late
    go-live items."""
    from launchpad.handover.collect import collect_handover
    from launchpad.handover.render import render_handover

    language = lang or session.language
    click.echo(render_handover(collect_handover(session, language), "json" if as_json else fmt, language), nl=False)


COMMANDS = [handover]
