"""`launchpad golive`: how far the site is from go-live, from the checklist in `golive.yaml`,
`launchpad golive sign ITEM`: a named person signs off an item proved by a sign-off,
`launchpad golive mark ITEM STATUS`: an item blocked (with the reason) or open again, or set
aside as not applicable (a critical one only once confirmed: its id typed, or --yes), and
`launchpad golive export`: the checklist as a workbook for the client's project office."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from launchpad.cli.door import pass_session, session_of

if TYPE_CHECKING:
    from launchpad.golive.marking import SetAsideNotConfirmed
    from launchpad.session import Session


@click.group("golive", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@click.pass_context
def golive(click_ctx: click.Context, as_json: bool, lang: str | None) -> None:
    if click_ctx.invoked_subcommand is not None:
        return
    from launchpad.golive.progress import owner_name, read_progress, state_word, summary_text
    from launchpad.phrases import listed, phrase, render
    from launchpad.safetext import one_line

    session = session_of(click_ctx)
    site = session.workspace.site
    lang = lang or session.language
    progress = read_progress(session)
    if as_json:
        click.echo(json.dumps(progress.as_dict(site, lang), ensure_ascii=False, indent=2))
    else:
        for p in progress.items:
            mark, colour = ("✓", "green") if p.state == "done" else ("⚠", "yellow") if p.set_aside else \
                ("–", None) if p.state == "not_applicable" else ("✗", "red") if p.stops_golive else \
                ("!", "yellow") if p.late else ("·", None)
            state = render(state_word(p), lang) + (f" · {render(phrase('golive.late'), lang)}" if p.late else "")
            # People's words (titles, reasons, notes) stay one line each, and carry no escapes
            # that would recolour or rewrite the terminal.
            # A blocked or set-aside item reads why (as in the workbook and the app), before what its proof found.
            why = p.item.reason if p.state in ("blocked", "not_applicable") and p.item.reason else None
            proof = one_line(why or (render(p.finding.said, lang) if p.finding is not None else (p.item.reason or "")))
            click.echo(click.style(mark, fg=colour, bold=True) + f" {p.item.id}  {one_line(p.item.title)}  "
                       f"[{one_line(owner_name(site, p.item.owner))} · {p.item.due.isoformat()} · {state}]"
                       + (f"  {proof}" if proof else ""))
        click.echo("")
        for owner, row in progress.by_owner().items():
            click.echo(f"  {one_line(owner_name(site, owner))}: " + render(listed(
                f"{render(phrase(f'golive.state.{k}') if k != 'late' else phrase('golive.late'), lang)} {v}"
                for k, v in row.items()), lang))
        click.echo("")
        click.echo(summary_text(progress, site, lang))
    if not progress.go:
        raise SystemExit(1)


@golive.command("sign")
@click.argument("item_id", metavar="ITEM")
@click.option("--by", "by", required=True)
@click.option("--note", default="")
@pass_session
def sign(session: Session, item_id: str, by: str, note: str) -> None:
    from launchpad.golive.progress import open_checklist
    from launchpad.golive.proofs import sign_item
    from launchpad.phrases import word

    checklist = open_checklist(session)
    sign_item(session.store(), session.actor, checklist, item_id, by, note)
    click.echo(word("cli.golive.signed", session.language, item=item_id, by=by.strip(), version=checklist.version))


@golive.command("mark")
@click.argument("item_id", metavar="ITEM")
@click.argument("status", type=click.Choice(["blocked", "todo", "in_progress", "not_applicable"]))
@click.option("--reason", default="")
@click.option("--yes", "-y", is_flag=True)
@pass_session
def mark(session: Session, item_id: str, status: str, reason: str, yes: bool) -> None:
    from launchpad.golive.marking import MARKS, SetAsideNotConfirmed, mark_item
    from launchpad.phrases import phrase, render

    wanted = next(m for m in MARKS if m == status)  # click already refused any other
    try:
        item = mark_item(session, item_id, wanted, reason, confirmed="--yes" if yes else "")
    except SetAsideNotConfirmed as refusal:
        # A critical item set aside: at a terminal its id is typed, as a production
        # environment's name is; without one, --yes says it on purpose.
        _type_item_id(refusal)
        item = mark_item(session, item_id, wanted, reason, confirmed="typed")
    said = phrase("golive.marked", item=item.id, status=phrase(f"golive.status.{item.status}"))
    click.echo(render(said, session.language))


def has_terminal() -> bool:
    """Whether a person can type the item's id (tests replace this to answer from input)."""
    import sys

    return sys.stdin.isatty()


def _type_item_id(refusal: SetAsideNotConfirmed) -> None:
    """The item's id typed at the terminal, or the refusal (what to do included) raised again."""
    from launchpad.cli.door import say
    from launchpad.errors import UsageError
    from launchpad.phrases import phrase
    from launchpad.safetext import one_line

    if not has_terminal():
        raise refusal
    item = refusal.item
    click.echo(click.style(say("cli.golive.is_critical", item=item.id, title=one_line(item.title)),
                           fg="red", bold=True), err=True)
    typed = str(click.prompt(say("cli.golive.type_item"), default="", show_default=False, err=True)).strip()
    if typed != item.id:
        raise UsageError(phrase("error.set_aside_typed_wrong", typed=typed, item=item.id),
                         hint=refusal.said_hint) from None


@golive.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None)
@pass_session
def export(session: Session, out: Path | None, lang: str | None) -> None:
    from launchpad.cli.params import write_output
    from launchpad.errors import UsageError
    from launchpad.golive.progress import read_progress
    from launchpad.golive.workbook import write_checklist_xlsx
    from launchpad.phrases import phrase, render, word

    if out is not None and out.suffix.lower() != ".xlsx":  # said before the checklist is read
        raise UsageError(phrase("golive.export_not_xlsx", file=out.name), hint=phrase("golive.export_not_xlsx_hint"))
    site = session.workspace.site
    language = lang or session.language
    progress = read_progress(session)
    checklist = progress.checklist
    # The version is a person's words; in a file name it keeps only what every system accepts.
    version = "".join(c if c.isalnum() or c in ".-_" else "_" for c in checklist.version)
    target = out or Path(word("golive.file_name", language, version=version))
    write_output(target, lambda partial: write_checklist_xlsx(progress, site, language, partial))
    click.echo(render(phrase("golive.exported", path=target), language))


COMMANDS = [golive]
