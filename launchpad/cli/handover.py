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
@click.option("--json", "as_json", is_flag=True)
@click.option("--lang", type=click.Choice(["zh", "en"]))
@pass_session
def handover(session: Session, fmt: str, as_json: bool, lang: str | None) -> None:
    from launchpad.handover.collect import collect_handover
    from launchpad.handover.render import render_handover

    language = lang or session.language
    click.echo(render_handover(collect_handover(session, language), "json" if as_json else fmt, language), nl=False)


COMMANDS = [handover]
