"""`launchpad issue …`: log, find, change and write up feedback issues from the keyboard.

`issue add` reads quick-capture tokens in its text (`P1 @张三 #登录 !明天 …`), so a PM on the
phone types one line; options given explicitly win over tokens. Only click is imported at
start-up; the core is imported inside each command.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from launchpad.cli.door import pass_session, say
from launchpad.cli.params import LIMIT, STORE_ID, write_output_text
from launchpad.phrases import word

if TYPE_CHECKING:
    from launchpad.session import Session

LANG = click.option("--lang", type=click.Choice(["zh", "en"]))
AS_JSON = click.option("--json", "as_json", is_flag=True)


class _Desk:
    """The session's issue log, and the language one command answers in."""

    def __init__(self, session: Session, lang: str | None = None) -> None:
        self.workspace = session.workspace
        self.site = session.site
        self.log = session.issue_log()
        self.lang = lang or session.language
        self.today = session.today()
        self.people = session.people

    def owner(self, given: str) -> str:
        """The owner to store (a contact id becomes the name); one who is no contact is stored
        too, with a warning on stderr and the close matches."""
        from launchpad.issues.owners import owner_named
        from launchpad.phrases import render

        owner = owner_named(self.people, given)
        if owner.warning is not None:
            click.echo(click.style("! " + render(owner.warning, self.lang), fg="yellow"), err=True)
        return owner.name

    def day(self, text: str) -> Any:
        from launchpad.issues.dates import parse_day

        return parse_day(text, self.today)

    def moment(self, text: str) -> Any:
        from launchpad.issues.dates import parse_moment

        return parse_moment(text, self.site.tz, self.today)

    def print_issue(self, issue: Any, as_json: bool, verb: str = "") -> None:
        from launchpad.issues.display import summary_line

        if as_json:
            click.echo(json.dumps(issue.as_dict(), ensure_ascii=False, indent=2))
            return
        overdue = issue.overdue_on(self.today)
        click.echo(click.style(f"{verb}{summary_line(issue, self.today, self.lang)}", fg="red" if overdue else None))


@click.group("issue")
def issue() -> None:
    pass


@issue.command("add")
@click.argument("text", nargs=-1, required=True)
@click.option("--severity", "-s", metavar="P0..P3")
@click.option("--owner", "-o", metavar="NAME")
@click.option("--due", "-d", metavar="DATE")
@click.option("--channel", "-c", metavar="C")
@click.option("--reporter", "-r", metavar="NAME")
@click.option("--module", "-m", metavar="M")
@click.option("--type", "-t", "type_", metavar="T")
@click.option("--description", metavar="TEXT")
@click.option("--reported-at", metavar="TIME")
@click.option("--attach", multiple=True, metavar="PATH")
@click.option("--raw", is_flag=True)
@AS_JSON
@LANG
@pass_session
def issue_add(session: Session, text: tuple[str, ...], severity: str | None, owner: str | None, due: str | None,
              channel: str | None, reporter: str | None, module: str | None, type_: str | None,
              description: str | None, reported_at: str | None, attach: tuple[str, ...], raw: bool,
              as_json: bool, lang: str | None) -> None:
    from dataclasses import replace

    from launchpad.issues.capture import parse_quick_capture
    from launchpad.issues.model import IssueDraft

    s = _Desk(session, lang)
    line = " ".join(text)
    draft = IssueDraft(title=line) if raw else parse_quick_capture(line, s.today, s.people).to_draft()
    if owner is None and draft.owner:
        owner = draft.owner  # `@名字` in the text: checked like --owner
    given: dict[str, Any] = {"severity": severity, "owner": s.owner(owner) if owner else None,
             "due": s.day(due) if due else None, "channel": channel, "reporter": reporter,
             "module": module, "type": type_, "description": description,
             "reported_at": s.moment(reported_at) if reported_at else None,
             "attachments": tuple(attach) or None}
    draft = replace(draft, **{k: v for k, v in given.items() if v is not None})
    s.print_issue(s.log.add(draft), as_json, "+ ")


@issue.command("list")
@click.option("--status", multiple=True, metavar="S")
@click.option("--severity", multiple=True, metavar="P")
@click.option("--owner", multiple=True)
@click.option("--module", multiple=True)
@click.option("--channel", multiple=True)
@click.option("--type", "types", multiple=True)
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--overdue", is_flag=True)
@click.option("--incidents", is_flag=True)
@click.option("--search", "-q", "text", default="", metavar="TEXT")
@click.option("--sort", default="newest", show_default=True,
              type=click.Choice(["newest", "oldest", "severity", "due", "updated", "owner", "status"]))
@click.option("--limit", type=LIMIT, default=100, show_default=True)
@AS_JSON
@LANG
@pass_session
def issue_list(session: Session, status: tuple[str, ...], severity: tuple[str, ...], owner: tuple[str, ...],
               module: tuple[str, ...], channel: tuple[str, ...], types: tuple[str, ...], since: str | None,
               until: str | None, overdue: bool, incidents: bool, text: str, sort: str, limit: int,
               as_json: bool, lang: str | None) -> None:
    from launchpad.issues.display import table_rows
    from launchpad.issues.query import IssueFilter

    s = _Desk(session, lang)
    wanted = IssueFilter(statuses=status, severities=severity, owners=owner, modules=module, channels=channel,
                         types=types, reported_from=s.day(since) if since else None,
                         reported_to=s.day(until) if until else None,
                         overdue_on=s.today if overdue else None, incidents_only=incidents, text=text,
                         sort=sort, limit=limit)
    found = s.log.find(wanted)
    if as_json:
        click.echo(json.dumps([i.as_dict() | {"overdue": i.overdue_on(s.today)} for i in found],
                              ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo(word("cli.issue.none", s.lang))
        return
    for line, is_overdue in table_rows(found, s.today, s.lang):
        click.echo(click.style(line, fg="red") if is_overdue else line)
    total = s.log.count(wanted)
    if total > len(found):
        more = total - len(found)
        click.echo(word("cli.issue.more", s.lang, count=more))


@issue.command("show")
@click.argument("issue_id", type=STORE_ID)
@AS_JSON
@LANG
@pass_session
def issue_show(session: Session, issue_id: int, as_json: bool, lang: str | None) -> None:
    from launchpad.issues.display import detail_lines

    s = _Desk(session, lang)
    found, history = s.log.get(issue_id), s.log.history(issue_id)
    if as_json:
        click.echo(json.dumps({**found.as_dict(), "history": history}, ensure_ascii=False, indent=2))
        return
    for line in detail_lines(found, history, s.today, s.lang, s.site.tz):
        click.echo(line)


@issue.command("update")
@click.argument("issue_id", type=STORE_ID)
@click.option("--status", metavar="S")
@click.option("--owner", "-o")
@click.option("--due", "-d", metavar="DATE")
@click.option("--severity", "-s")
@click.option("--module", "-m")
@click.option("--type", "-t", "type_")
@click.option("--title")
@click.option("--description")
@click.option("--reporter", "-r")
@click.option("--channel", "-c")
@click.option("--reported-at", metavar="TIME")
@click.option("--resolution")
@click.option("--fixed-in", metavar="RELEASE")
@click.option("--attach", multiple=True, metavar="PATH")
@click.option("--note", "-n", default="")
@AS_JSON
@LANG
@pass_session
def issue_update(session: Session, issue_id: int, note: str, attach: tuple[str, ...], due: str | None,
                 reported_at: str | None, owner: str | None, type_: str | None, as_json: bool,
                 lang: str | None, **fields: str | None) -> None:
    s = _Desk(session, lang)
    changes: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
    if owner is not None:
        changes["owner"] = s.owner(owner)
    if type_ is not None:
        changes["type"] = type_
    if due is not None:
        changes["due"] = s.day(due) if due.strip() else None
    if reported_at is not None:
        changes["reported_at"] = s.moment(reported_at)
    if attach:
        changes["attachments"] = [*s.log.get(issue_id).attachments, *attach]
    s.print_issue(s.log.update(issue_id, changes, note=note), as_json, "✓ ")


@issue.command("paste")
@click.argument("source", default="-")
@click.option("--take", metavar="SPEC")
@click.option("--dry-run", is_flag=True)
@click.option("--again", is_flag=True)
@click.option("--channel", "-c", default="group", show_default=True)
@click.option("--severity", "-s")
@click.option("--owner", "-o")
@click.option("--due", "-d", metavar="DATE")
@click.option("--module", "-m")
@AS_JSON
@LANG
@pass_session
def issue_paste(session: Session, source: str, take: str | None, dry_run: bool, again: bool, channel: str,
                severity: str | None, owner: str | None, due: str | None, module: str | None, as_json: bool,
                lang: str | None) -> None:
    from dataclasses import replace
    from datetime import datetime

    from launchpad.issues.chat import parse_chat, parse_selection
    from launchpad.issues.chat_display import message_line, message_whole, set_aside_listing, visible
    from launchpad.issues.chat_logged import drafts_for
    from launchpad.issues.pasted_file import decode_pasted, read_pasted
    from launchpad.phrases import phrase, render

    # Read here, not by click.File: a missing file is refused in the site's language.
    text = decode_pasted(sys.stdin.buffer.read(), "<stdin>") if source == "-" else read_pasted(Path(source))
    s = _Desk(session, lang)
    zone = s.site.tz
    paste = parse_chat(text, zone, datetime.fromisoformat(s.log.clock()))
    if as_json and (take is None or dry_run):
        shown: dict[str, Any] = paste.as_dict(zone)
    else:
        shown = {}
        for message in paste.messages:
            click.echo(message_whole(message, zone, s.lang) if dry_run else message_line(message, zone, s.lang),
                       err=as_json)
        for line in set_aside_listing(paste, s.lang):
            click.echo(line, err=as_json)
    if not paste.messages:
        raise click.UsageError(say("cli.issue.no_messages"))
    if take is None:
        if as_json:
            click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
            return
        if dry_run:
            click.echo(render(phrase("chat.dry_run"), s.lang))
            return
        if not sys.stdin.isatty() or source == "-":
            click.echo(say("cli.issue.take"), err=True)
            return
        take = click.prompt("log which (e.g. 1,3,5+6; empty: none)", default="", show_default=False)
        if not take.strip():
            return
    extra: dict[str, Any] = {"severity": severity, "owner": s.owner(owner) if owner else None,
             "due": s.day(due) if due else None, "module": module}
    groups = [[paste.messages[n - 1] for n in group] for group in parse_selection(take, len(paste.messages))]
    chosen = drafts_for(s.log, groups, zone, channel, again=again)
    for skipped_line in chosen.skipped_lines():
        click.echo(render(skipped_line, s.lang), err=as_json)
    if chosen.skipped:
        click.echo("  " + render(phrase("chat.skipped_again"), s.lang), err=as_json)
    drafts = [replace(draft, **{k: v for k, v in extra.items() if v is not None}) for draft in chosen.drafts]
    if dry_run and as_json:
        would = [{"title": d.title, "reporter": d.reporter, "description": d.description,
                  "reported_at": d.reported_at.astimezone(zone).isoformat() if d.reported_at else None}
                 for d in drafts]
        skipped = [{"message": number, "issue": issue} for number, issue in chosen.skipped.items()]
        click.echo(json.dumps({**shown, "would_log": would, "skipped": skipped}, ensure_ascii=False, indent=2))
        return
    if dry_run:
        for draft in drafts:
            said = phrase("chat.would_log", title=visible(draft.title), reporter=visible(draft.reporter) or "—")
            click.echo(render(said, s.lang))
        click.echo(render(phrase("chat.dry_run"), s.lang))
        return
    if not drafts and not as_json:
        click.echo(render(phrase("chat.nothing_new"), s.lang))
    for added in s.log.add_many(drafts):
        s.print_issue(added, as_json, "+ ")


@issue.command("incident")
@click.argument("issue_id", type=STORE_ID)
@click.option("--kind", type=click.Choice(["complaint", "outage"]))
@click.option("--root-cause")
@click.option("--short-term", "short_term_fix")
@click.option("--long-term", "long_term_fix")
@click.option("--prevention")
@click.option("--event", type=click.Choice(["responded", "reproduced", "mitigated", "resolved", "note"]))
@click.option("--at", "at_text", metavar="TIME")
@click.option("--note", "-n", default="")
@pass_session
def issue_incident(session: Session, issue_id: int, kind: str | None, event: str | None, at_text: str | None,
                   note: str, **write_up: str | None) -> None:
    from launchpad.issues.display import value_label
    from launchpad.issues.incident import Incidents

    s = _Desk(session)
    incidents = Incidents(s.log)
    current = incidents.get(issue_id)
    given = {k: v for k, v in write_up.items() if v is not None}
    if current is None or kind or given:
        current = incidents.raise_incident(issue_id, kind or (current.kind if current else "complaint"), **given)
    if event:
        incidents.record(issue_id, event, note, s.moment(at_text) if at_text else None)
    click.echo(word("cli.issue.incident", s.lang, id=issue_id, kind=value_label(current.kind, s.lang),
                    count=len(incidents.timeline(issue_id))))


@issue.command("postmortem")
@click.argument("issue_id", type=STORE_ID)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@LANG
@pass_session
def issue_postmortem(session: Session, issue_id: int, out: Path | None, lang: str | None) -> None:
    from launchpad.report.postmortem import render_postmortem

    s = _Desk(session, lang)
    text = render_postmortem(s.log, issue_id, s.lang, s.workspace.root)
    if out:
        write_output_text(out, text)
        click.echo(say("cli.wrote", path=out))
    else:
        click.echo(text)


COMMANDS = [issue]
