"""`launchpad report …`: the end-of-day report, notices, and the outbox of messages waiting
for the network. Sending always goes through the outbox; when it fails the text is copied to
the clipboard (or printed) so the PM can paste it into the group by hand that same evening."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from launchpad.cli.door import language, pass_session, say
from launchpad.cli.params import STORE_ID, FormatChoice, format_for_out, write_output, write_output_text
from launchpad.phrases import parts, phrase, render, word

if TYPE_CHECKING:
    from launchpad.session import Session

# The daily report's templates are named daily.txt.j2 and daily.md.j2.
_TEMPLATE_SUFFIX = {"text": "txt", "markdown": "md"}


def _say(lang: str, key: str, **values: Any) -> str:
    return word(f"cli.report.{key}", lang, **values)


@click.group("report")
def report() -> None:
    pass


@report.command("daily")
@click.option("--date", "day_text", metavar="D")
@click.option("--format", "fmt", type=FormatChoice("text", "markdown", "html", "xlsx"))
@click.option("--lang", type=click.Choice(["zh", "en"]))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--send", "channel", metavar="CHANNEL")
@click.option("--plan", multiple=True, metavar="TEXT")
@click.option("--copy", is_flag=True)
@click.option("--draft", is_flag=True)
@pass_session
def report_daily(session: Session, day_text: str | None, fmt: str | None, lang: str | None, out: Path | None,
                 channel: str | None, plan: tuple[str, ...], copy: bool, draft: bool) -> None:
    from launchpad.issues.dates import parse_day
    from launchpad.report.publish import ReportRequest, export_path, export_report, render_report, send_report

    fmt = format_for_out(fmt, out, ("text", "markdown", "html", "xlsx"), "text")
    lang = lang or session.language
    day = parse_day(day_text, session.today()) if day_text else session.today()
    request = ReportRequest(day, lang, _TEMPLATE_SUFFIX.get(fmt, fmt), "\n".join(plan) if plan else None)
    if draft:
        from launchpad.report.publish import draft_report

        _mail_channel(session, channel)
        click.echo(_drafted(session, draft_report(session, request, channel), lang))
        _say_checklist_note(session, lang)
        return
    if fmt == "xlsx":
        target = out or export_path(session, request)
        if out is None:  # the workspace's reports/ is made on first use; --out's folder must exist
            target.parent.mkdir(parents=True, exist_ok=True)
        write_output(target, lambda partial: export_report(session, request, partial))
        click.echo(_say(lang, "wrote", path=target))
    else:
        text = render_report(session, request)
        if out:
            write_output_text(out, text)
            click.echo(_say(lang, "wrote", path=out))
        elif not channel:
            click.echo(text, nl=False)
        if copy:
            _copy(text, lang, echo_missing=bool(out or channel))
    _say_checklist_note(session, lang)
    if channel:
        _show_sent(send_report(session, request, channel), lang, _draft_hint(session, channel))


def _say_checklist_note(session: Session, lang: str) -> None:
    """The report went out without its go-live progress: say why beside it, as it says inside."""
    from launchpad.report.publish import checklist_note

    note = checklist_note(session)
    if note is not None:
        click.echo("\n".join(note.lines(lang)), err=True)


def _mail_channel(session: Session, channel: str | None) -> None:
    """A draft is a mail: --send may name a mail channel (its recipients), or nothing."""
    from launchpad.errors import UsageError
    from launchpad.notify.deliver import channel_of, kind_said

    if channel is not None and (kind := channel_of(session.site, channel).kind) != "email":
        raise UsageError(phrase("mail.not_mail", channel=channel, kind=kind_said(kind)),
                         hint=phrase("cli.report.draft_hint"))


def _drafted(session: Session, path: Path, lang: str) -> str:
    from launchpad.phrases import phrase, render

    return render(phrase("mail.drafted", path=_shown_path(session, path)), lang)


def _shown_path(session: Session, path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _draft_hint(session: Session, channel: str) -> Any:
    """For a mail that did not go: how to write it as a draft instead (its outbox id)."""
    from launchpad.notify.deliver import channel_of
    from launchpad.notify.outbox import WAITING, Outbox
    from launchpad.phrases import phrase, render

    def hint(outcome: Any) -> str:
        if outcome.delivery is None or channel_of(session.site, channel).kind != "email":
            return ""
        rows = [m for m in Outbox(session.store()).messages(batch=outcome.delivery.batch) if m.status in WAITING]
        return render(phrase("mail.draft_hint", id=rows[0].id), session.language) if rows else ""

    return hint


def _copy(text: str, lang: str, echo_missing: bool = True) -> None:
    from launchpad.report.publish import copy_text

    _show_copied(copy_text(text), text, lang, echo_missing)


def _show_copied(tool: str | None, text: str, lang: str, echo_missing: bool = True) -> None:
    from launchpad.notify.clipboard import clipboard_missing_hint

    if tool:
        click.echo(_say(lang, "copied", tool=tool), err=True)
        return
    click.echo(render(clipboard_missing_hint(), lang), err=True)
    if echo_missing:
        click.echo(_say(lang, "no_clip"), err=True)
        click.echo(text)


def _show_sent(outcome: Any, lang: str, draft_hint: Any = None) -> None:
    """Say what became of the message; unless sent, it was copied (or is printed here) so the
    group still gets it: a channel setting to fix (exit 2, still queued when it was), refused
    for its content, answered by nobody, or queued for later (exit 1). A mail that did not go
    can be written as a draft instead (`draft_hint(outcome)` says how)."""
    from launchpad.notify.deliver import ChannelConfigError

    if outcome.sent:
        click.echo(_say(lang, "sent", channel=outcome.channel, parts=outcome.parts))
        return
    error = outcome.error
    if outcome.text:
        _show_copied(outcome.copied, outcome.text, lang)
    drafting = draft_hint(outcome) if draft_hint is not None else ""
    if outcome.result == "config" and error is not None:
        if not outcome.queued:
            raise error
        hints = [render(error.said_hint, lang) if error.hint else "", _say(lang, "config_queued"), drafting]
        raise ChannelConfigError(error.said, hint=render(parts([h for h in hints if h]), lang))
    reason = render(error.said, lang) if error else "?"
    key = {"refused": "refused", "unknown": "unknown"}.get(outcome.result, "queued")
    click.echo(click.style(_say(lang, key, reason=reason), fg="red"), err=True)
    if drafting:
        click.echo(drafting, err=True)
    raise SystemExit(1)


@report.command("notice")
@click.argument("template", default="release_notice")
@click.option("--set", "pairs", multiple=True, metavar="K=V")
@click.option("--format", "fmt", type=FormatChoice("text", "markdown"))
@click.option("--lang", type=click.Choice(["zh", "en"]))
@click.option("--send", "channel", metavar="CHANNEL")
@click.option("--copy", is_flag=True)
@click.option("--draft", is_flag=True)
@pass_session
def report_notice(session: Session, template: str, pairs: tuple[str, ...], fmt: str | None, lang: str | None,
                  channel: str | None, copy: bool, draft: bool) -> None:
    from launchpad.errors import UsageError
    from launchpad.notify.send import format_for
    from launchpad.report.notice import render_notice, site_values
    from launchpad.report.publish import send_text

    workspace = session.workspace
    site = workspace.site
    lang = lang or session.language
    fields = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(phrase("cli.report.bad_set", pair=pair), hint=phrase("cli.report.bad_set_hint"))
        fields[name.strip()] = value
    if draft:
        _mail_channel(session, channel)
    chosen = format_for(site, channel, fmt) if channel else (fmt or "text")
    text = render_notice(template, fields, site_values(site, session.today()), chosen, lang, workspace.root)
    if draft:
        from launchpad.notify.draft import draft_message

        path = draft_message(session.store(), site, workspace.root, text, chosen, title=template, channel=channel)
        click.echo(_drafted(session, path, lang))
        return
    if channel:
        _show_sent(send_text(session.store(), site, channel, text, chosen, title=template, lang=lang), lang,
                   _draft_hint(session, channel))
        return
    click.echo(text, nl=False)
    if copy:
        _copy(text, lang, echo_missing=False)


@report.command("monitoring")
@click.option("--env", "environment", metavar="ENV")
@click.option("--date", "day_text", metavar="D")
@click.option("--format", "fmt", type=FormatChoice("text", "markdown"))
@click.option("--lang", type=click.Choice(["zh", "en"]))
@click.option("--send", "channel", metavar="CHANNEL")
@click.option("--copy", is_flag=True)
@pass_session
def report_monitoring(session: Session, environment: str | None, day_text: str | None, fmt: str | None,
                      lang: str | None, channel: str | None, copy: bool) -> None:
    from launchpad.issues.dates import parse_day
    from launchpad.notify.send import format_for
    from launchpad.report.monitoring import monitoring_message
    from launchpad.report.publish import send_text

    workspace = session.workspace
    site = workspace.site
    if environment is not None:
        workspace.environment(environment)  # an unknown one is refused, in the site's language
    lang = lang or session.language
    day = parse_day(day_text, session.today()) if day_text else session.today()
    chosen = format_for(site, channel, fmt) if channel else (fmt or "text")
    text = monitoring_message(session.store(), site, day, lang, chosen, environment, workspace.root)
    if channel:
        _show_sent(send_text(session.store(), site, channel, text, chosen, title="daily_monitoring", lang=lang,
                             # a newer message of the same day replaces one still queued
                             supersedes=f"monitoring {day.isoformat()} {environment or '*'} {channel}"), lang)
        return
    click.echo(text, nl=False)
    if copy:
        _copy(text, lang, echo_missing=False)


@report.command("outbox")
@click.option("--send", "send_now", is_flag=True)
@click.option("--channel", metavar="C")
@click.option("--requeue", type=STORE_ID, metavar="ID")
@click.option("--drop", type=STORE_ID, metavar="ID")
@click.option("--draft", type=STORE_ID, metavar="ID")
@click.option("--all", "show_all", is_flag=True)
@click.option("--json", "as_json", is_flag=True)
@pass_session
def report_outbox(session: Session, send_now: bool, channel: str | None, requeue: int | None, drop: int | None,
                  draft: int | None, show_all: bool, as_json: bool) -> None:
    from dataclasses import asdict

    from launchpad.notify.outbox import WAITING, Outbox
    from launchpad.notify.send import flush
    from launchpad.safetext import one_line

    workspace = session.workspace
    store = session.store()
    outbox = Outbox(store)
    if requeue is not None:
        outbox.requeue(requeue)
    if drop is not None:
        outbox.drop(drop)
    if draft is not None:
        from launchpad.errors import UsageError
        from launchpad.notify.deliver import kind_said
        from launchpad.notify.draft import write_draft

        if outbox.get(draft).kind != "email":
            message = outbox.get(draft)
            raise UsageError(phrase("cli.report.not_mail_draft", id=draft, kind=kind_said(message.kind),
                                    channel=message.channel),
                             hint=phrase("cli.report.not_mail_draft_hint"))
        click.echo(_drafted(session, write_draft(store, workspace.site, workspace.root, draft), session.language))
    failed = 0
    if send_now:
        result = flush(store, workspace.site, channel=channel)
        for message in result.sent:
            click.echo(say("cli.outbox.sent", id=message.id, channel=message.channel, part=message.part,
                           parts=message.parts))
        for message, error in result.failed:
            click.echo(click.style(say("cli.outbox.not_sent", id=message.id, channel=message.channel,
                                       error=render(error.said, language())), fg="red"), err=True)
        for message, error in result.unknown:
            click.echo(click.style(say("cli.outbox.unknown", id=message.id, channel=message.channel,
                                       error=render(error.said, language())), fg="yellow"), err=True)
        for message_id in result.abandoned:
            click.echo(click.style(say("cli.outbox.abandoned", id=message_id), fg="yellow"), err=True)
        failed = len(result.failed) + len(result.unknown)
    statuses = () if show_all else WAITING
    rows = [m for m in outbox.messages(statuses, limit=500) if channel is None or m.channel == channel]
    if as_json:
        click.echo(json.dumps([asdict(m) for m in rows], ensure_ascii=False, indent=2))
    elif not rows:
        click.echo(say("cli.outbox.empty"))
    else:
        for m in rows:
            first = m.body.strip().splitlines()[0][:40] if m.body.strip() else ""
            # The reason whole: what failed (a port, an HTTP status) comes last.
            why = (f"  ({one_line(render(m.reason, language()))})"
                   if m.last_error and (m.status != "sent" or m.kind == "email") else "")
            # A mail is named by its Message-ID, what a mailbox can be searched for.
            mail = f"  {m.message_id}" if m.kind == "email" and m.message_id else ""
            state = say(f"cli.outbox.state_{m.status}")
            click.echo(f"#{m.id:<5} {state:<8} {m.channel:<12} {m.part}/{m.parts}  {first}{mail}{why}")
    if failed:
        raise SystemExit(1)


@click.group("notify")
def notify() -> None:
    pass


@notify.command("test")
@click.argument("channel")
@pass_session
def notify_test(session: Session, channel: str) -> None:
    from launchpad.notify.send import format_for
    from launchpad.phrases import phrase, render
    from launchpad.report.publish import send_text

    site = session.site
    lang = session.language
    fmt = format_for(site, channel)
    when = session.now().strftime("%Y-%m-%d %H:%M")
    subject = render(phrase("notify.test_subject", site=site.site.name), lang)
    body = render(phrase("notify.test_body", channel=channel, when=when, actor=session.actor), lang)
    text = f"{subject}\n\n{body}\n"
    _show_sent(send_text(session.store(), site, channel, text, fmt, title=subject, lang=lang), lang,
               _draft_hint(session, channel))


COMMANDS = [report, notify]
