"""`launchpad release`: the release record (`new`, `list`, `show`), its way through planned →
approved → in progress → released / rolled back / cancelled (`approve`, `status`), the test
report the client reviews (`report`) and the notices before and after (`notice`). Every rule
lives in `launchpad.release`; this module parses, asks and shows."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from launchpad.cli.door import language, pass_session, say
from launchpad.cli.params import LIMIT, STORE_ID, FormatChoice, format_for_out

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from launchpad.release.record import Release
    from launchpad.session import Session

# What `release new` asks for when an option is missing and a person is at a terminal (the
# question is the word-book's `cli.release.ask_<name>`).
_ASKED = ("version", "changes", "impact", "start", "end", "rollback", "owner")
_STATUS_NAMES = {"in-progress": "in_progress", "released": "released", "rolled-back": "rolled_back",
                 "cancelled": "cancelled"}


def has_terminal() -> bool:
    """Whether a person can answer questions (tests replace this to answer from input)."""
    return sys.stdin.isatty()


@click.group("release")
def release() -> None:
    pass


@release.command("new")
@click.option("--version", "version")
@click.option("--changes")
@click.option("--impact")
@click.option("--start")
@click.option("--end")
@click.option("--window", metavar="NAME")
@click.option("--fixes", metavar="IDS", multiple=True)
@click.option("--rollback")
@click.option("--owner")
@click.option("--json", "as_json", is_flag=True)
@pass_session
def release_new(session: Session, as_json: bool, window: str | None, fixes: tuple[str, ...],
                **given: str | None) -> None:
    from launchpad.errors import UsageError
    from launchpad.phrases import render
    from launchpad.release.operations import new_release
    from launchpad.release.record import check_version
    from launchpad.release.window import already_begun

    missing = [name for name in _ASKED if given.get(name) is None]
    if missing and not has_terminal():
        raise UsageError(say("cli.release.needs", options=["--" + n for n in missing]),
                         hint=say("cli.release.needs_hint"))
    for name in _ASKED:
        if given.get(name) is None:
            given[name] = click.prompt(say(f"cli.release.ask_{name}"),
                                       default=session.actor if name == "owner" else None)
        if name == "version" and (given["version"] or "").strip():
            check_version(given["version"] or "")  # refused before the rest is asked for
    made = new_release(session, version=given["version"] or "", changes=given["changes"] or "",
                       impact=given["impact"] or "", start=given["start"] or "", end=given["end"] or "",
                       rollback_plan=given["rollback"] or "", owner=given["owner"] or "",
                       fixes=_issue_ids(fixes), window=window)
    if as_json:
        click.echo(json.dumps(made.as_dict(session.site), ensure_ascii=False, indent=2))
    else:
        click.echo(say("cli.release.recorded", id=made.id, line=_line(session, made)))
    begun = already_begun(made.start(session.site), session.now())
    if begun is not None:
        click.echo(click.style("  ⚠ " + render(begun, session.language), fg="yellow"), err=True)
        click.echo("  " + say("cli.release.begun_hint"), err=True)


def _issue_ids(values: tuple[str, ...]) -> tuple[int, ...]:
    from launchpad.errors import UsageError

    ids = []
    for value in values:
        for part in value.replace("，", ",").split(","):
            text = part.strip().lstrip("#")
            if not text:
                continue
            if not text.isdigit() or not 0 < int(text) < 2**63:
                raise UsageError(say("cli.release.not_an_issue", value=value, part=part.strip()),
                                 hint=say("cli.release.not_an_issue_hint"))
            ids.append(int(text))
    return tuple(ids)


@release.command("list")
@click.option("--limit", type=LIMIT, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@pass_session
def release_list(session: Session, limit: int, as_json: bool) -> None:
    from launchpad.release.record import list_releases

    rows = list_releases(session.store(), limit)
    if as_json:
        click.echo(json.dumps([_as_dict(session, r) for r in rows], ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(say("cli.release.none"))
    for made in rows:
        click.echo(f"#{made.id:<4} {_line(session, made)}")
        _next_steps(session, made, "      ")


@release.command("show")
@click.argument("release_id", type=STORE_ID)
@click.option("--json", "as_json", is_flag=True)
@pass_session
def release_show(session: Session, release_id: int, as_json: bool) -> None:
    from launchpad.release.record import get_release, history
    from launchpad.release.testreport import attachment_state, attachments
    from launchpad.safetext import clean, one_line
    from launchpad.sitetime import local_text

    store = session.store()
    made = get_release(store, release_id)
    changes = history(store, release_id)
    reports = [{**row, "file": attachment_state(row)} for row in attachments(store, release_id)]
    if as_json:
        click.echo(json.dumps({**_as_dict(session, made), "history": changes, "reports": reports},
                              ensure_ascii=False, indent=2))
        return
    zone = session.site.tz
    click.echo(say("cli.release.shown", id=made.id, line=_line(session, made)))
    _next_steps(session, made, "  ")
    for label, value in (("changes", made.changes), ("impact", made.impact), ("rollback_plan", made.rollback_plan)):
        click.echo("  " + say(f"cli.release.field_{label}"))
        for text in clean(value).splitlines() or [""]:
            click.echo(f"    {text}")
    if made.fixes:
        click.echo("  " + say("cli.release.fixes", ids=[f"#{n}" for n in made.fixes]))
    click.echo("  " + say("cli.release.history"))
    for row in changes:
        note = f"  {one_line(row['note'])}" if row["note"] else ""
        before = _status(row["from_status"]) if row["from_status"] else "—"
        click.echo(f"    {local_text(row['at'], zone)}  {before} → {_status(row['to_status'])}  "
                   f"{one_line(row['actor'])}{note}")
    for row in reports:
        state = "" if row["file"] == "intact" else "  " + say(f"cli.release.report_{row['file']}")
        click.echo("  " + say("cli.release.test_report", run=row["run_id"], format=row["format"], path=row["path"],
                              sha=row["sha256"][:16]) + state)


def _status(status: str) -> str:
    return say(f"release.status.{status}")


def _line(session: Session, made: Release) -> str:
    from launchpad.phrases import render
    from launchpad.release.standing import release_standing
    from launchpad.safetext import one_line

    reviewer = say("cli.release.reviewed_by", name=one_line(made.approved_by)) if made.approved_by else ""
    # Where it stands as people read it: a release whose switch was declined is not 发布中.
    standing = render(release_standing(session.store(), made).word, language())
    return (f"{one_line(made.version)}  {made.window_text(session.site)} ({made.window_name})  "
            f"{standing}  {say('cli.release.owner', name=one_line(made.owner))}{reviewer}")


def _next_steps(session: Session, made: Release, indent: str) -> None:
    """Under a release whose run stopped on a declined step: who declined what, and both ways on."""
    from launchpad.phrases import render
    from launchpad.release.standing import release_standing
    from launchpad.safetext import one_line

    declined = release_standing(session.store(), made).declined_by(session.site.tz)
    if declined is not None:
        click.echo(indent + one_line(render(declined, language())))


def _as_dict(session: Session, made: Release) -> dict[str, Any]:
    """The record as stored (`status`), and where it stands as people read it (`standing`)."""
    from launchpad.release.standing import release_standing

    return {**made.as_dict(session.site), **release_standing(session.store(), made).facts()}


@release.command("approve")
@click.argument("release_id", type=STORE_ID)
@click.option("--by", "by", required=True)
@click.option("--note", default="")
@pass_session
def release_approve(session: Session, release_id: int, by: str, note: str) -> None:
    from launchpad.release.operations import approve_release

    made = approve_release(session, release_id, by, note)
    click.echo(say("cli.release.approved", id=made.id, name=by.strip()))


@release.command("status")
@click.argument("release_id", type=STORE_ID)
@click.argument("status", type=click.Choice(list(_STATUS_NAMES)))
@click.option("--note", default="")
@pass_session
def release_status(session: Session, release_id: int, status: str, note: str) -> None:
    from launchpad.release.operations import set_status

    made, marked = set_status(session, release_id, _STATUS_NAMES[status], note)
    click.echo(say("cli.release.now", id=made.id, status=_status(_STATUS_NAMES[status])))
    notice = {"released": "done", "rolled-back": "rolled-back"}.get(status)
    if notice is not None:
        click.echo("  " + say("cli.release.tell_group", id=made.id, kind=notice))
    for issue in marked:
        said = say("cli.release.issue_fixed") if issue.result == "fixed" else \
            say("cli.release.issue_noted", version=made.version, why=issue.why)
        click.echo("  " + say("cli.release.issue", id=issue.issue_id, said=said))


_REPORT_FORMATS = ("markdown", "html", "xlsx")


@release.command("report")
@click.argument("release_id", type=STORE_ID)
@click.option("--run", "run_id", type=STORE_ID, required=True)
@click.option("--format", "fmt", type=FormatChoice(*_REPORT_FORMATS))
@click.option("--lang", type=click.Choice(["zh", "en"]))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path))
@pass_session
def release_report(session: Session, release_id: int, run_id: int, fmt: str | None, lang: str | None,
                   out: Path | None) -> None:
    from launchpad.release.operations import write_report

    fmt = format_for_out(fmt, out, _REPORT_FORMATS, "markdown")
    attached = write_report(session, release_id, run_id, fmt, lang or session.language, out)
    click.echo(say("cli.release.report_written", path=attached.path, sha=attached.sha256, id=release_id))


@release.command("notice")
@click.argument("release_id", type=STORE_ID)
@click.option("--kind", type=click.Choice(["before", "done", "rolled-back"]), required=True)
@click.option("--send", "send", is_flag=True)
@click.option("--channel", "channels", multiple=True, metavar="C")
@click.option("--format", "fmt", type=FormatChoice("text", "markdown"), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]))
@pass_session
def release_notice(session: Session, release_id: int, kind: str, send: bool, channels: tuple[str, ...],
                   fmt: str, lang: str | None) -> None:
    from launchpad.errors import UsageError
    from launchpad.release.notice import render_release_notice, send_release_notice
    from launchpad.release.record import get_release

    made = get_release(session.store(), release_id)
    language = lang or session.language
    if not send:
        click.echo(render_release_notice(session, made, kind, fmt, language), nl=False)
        return
    names = list(channels) or list(session.site.channels)
    if not names:
        raise UsageError(say("cli.release.no_channels"), hint=say("cli.release.no_channels_hint"))
    unknown = [name for name in names if name not in session.site.channels]
    if unknown:
        raise UsageError(say("cli.release.no_channel", name=unknown[0]),
                         hint=say("cli.release.no_channel_hint", names=list(session.site.channels)))
    sent = send_release_notice(session, made, kind, names, language)
    failed = False
    for outcome in sent.outcomes:
        failed |= _shown(outcome, session.site.tz)
    if failed:
        raise SystemExit(1)


def _shown(outcome: Any, zone: ZoneInfo) -> bool:
    """Print how one send ended; True when it did not go."""
    from launchpad.phrases import render
    from launchpad.sitetime import local_text

    if outcome.result == "already_sent":  # found, not posted again: never "sent"
        when = local_text(outcome.delivery.sent_before, zone, with_seconds=True)
        click.echo(say("cli.release.already_sent", channel=outcome.channel, when=when))
        return False
    if outcome.sent:
        click.echo(say("cli.release.sent", channel=outcome.channel, parts=outcome.parts))
        return False
    why = render(outcome.error.said, language()) if outcome.error is not None else outcome.result
    where = say("cli.release.copied", tool=outcome.copied) if outcome.copied else ""
    waits = say("cli.release.waits") if outcome.queued else ""
    click.echo(click.style(say("cli.release.not_sent", channel=outcome.channel, why=why, waits=waits, where=where),
                           fg="red"), err=True)
    return True


COMMANDS = [release]
