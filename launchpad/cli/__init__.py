"""The `launchpad` command: a thin layer over the core. Every command here calls the same
functions the TUI calls; the TUI itself is imported only by the command that opens it."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import traceback
from datetime import datetime
from pathlib import Path

import click

from launchpad.cli import usage_errors
from launchpad.cli.door import Door, language, say, settle_language
from launchpad.cli.helptext import SpokenRoot, dress
from launchpad.errors import LaunchpadError, UsageError
from launchpad.phrases import phrase


# The help texts of every command, option and argument are in the word-book
# (launchpad/words/help.py), put on the tree in the language spoken (cli/helptext.py).
@click.group(cls=SpokenRoot, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--workspace",
    "-w",
    envvar="LAUNCHPAD_WORKSPACE",
    metavar="DIR",
)
@click.option(
    "--lang",
    envvar="LAUNCHPAD_LANG",
    type=click.Choice(["zh", "en"]),
)
@click.version_option(package_name="launchpad", message="launchpad %(version)s")
@click.pass_context
def cli(ctx: click.Context, workspace: str | None, lang: str | None) -> None:
    ctx.obj = Door(workspace, lang)
    if ctx.invoked_subcommand is None:
        from launchpad.cli.tui import open_tui

        open_tui(ctx.obj.workspace_arg)


def _refuse_bytes_that_are_not_text(argv: list[str]) -> None:
    """Python hands bytes that are not UTF-8 over as lone surrogates, which fail later, far
    from where they came in (the store, the audit log, the terminal). Refuse them at the door."""
    for position, arg in enumerate(argv, 1):
        if not _is_text(arg):
            raise UsageError(phrase("cli.not_utf8", what=phrase("cli.argument", position=position),
                                    shown=_shown(arg)), hint=phrase("cli.not_utf8_hint"))
    actor = os.environ.get("LAUNCHPAD_ACTOR")
    if actor and not _is_text(actor):
        raise UsageError(phrase("cli.not_utf8", what="LAUNCHPAD_ACTOR", shown=_shown(actor)),
                         hint=phrase("cli.actor_not_utf8_hint"))


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(value: str) -> str:
    """The value as the bytes that were typed, non-UTF-8 ones escaped (\\xff)."""
    try:
        raw = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
    return raw.decode("utf-8", "backslashreplace")


def _run(argv: list[str] | None) -> None:
    # Before the options are read (an argument that is not text), the language settled from
    # the raw arguments, LAUNCHPAD_LANG or site.yaml speaks, as it does for `--help`.
    args = sys.argv[1:] if argv is None else argv
    settle_language(args)
    _refuse_bytes_that_are_not_text(args)
    try:
        cli.main(args=argv, prog_name="launchpad", standalone_mode=False)
    finally:
        # Everything the command wrote is committed; a final collection of the many small
        # objects a 40-host run leaves behind only delays the exit (0.1–0.17 s measured).
        gc.freeze()


def main(argv: list[str] | None = None) -> None:
    """Entry point: every expected failure becomes a message and an exit code, never a
    traceback; an unexpected one is logged to a file the user can send us."""
    try:
        _run(argv)
    except LaunchpadError as exc:
        click.echo(click.style(exc.render(language()), fg="red"), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo(say("error.aborted"), err=True)
        sys.exit(130)
    except click.ClickException as exc:
        usage_errors.show(exc)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("\n" + say("error.interrupted"), err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception:
        _report_crash()
        sys.exit(3)
    sys.exit(0)


def _report_crash() -> None:
    """Log an unexpected exception and say so in one line. Whatever the exception holds (bytes
    that are not UTF-8, a home folder that cannot be written), this must not fail in turn."""
    try:
        where = _log_crash()
    except Exception:
        where = say("error.crash_not_logged")
    message = say("error.crash", error=repr(sys.exc_info()[1]), where=where)
    with contextlib.suppress(Exception):
        click.echo(message.encode("utf-8", "backslashreplace").decode("utf-8"), err=True)


def _log_crash() -> str:
    log = Path.home() / ".launchpad-crash.log"
    try:
        with log.open("a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(f"--- {datetime.now().isoformat()} {' '.join(sys.argv)}\n")
            handle.write(traceback.format_exc())
    except OSError:
        return say("error.crash_not_logged")
    return say("error.crash_logged", log=str(log))


def _register() -> None:
    # The command modules import click only; the core is imported inside each command.
    from launchpad.cli import (
        audit,
        backups,
        baseline,
        config,
        golive,
        handover,
        hosts,
        issues,
        release,
        report,
        roles,
        run,
        users,
        workspace_cmds,
    )

    for module in (workspace_cmds, run, hosts, backups, issues, report, audit, config, users, golive, release,
                   handover, baseline, roles):
        for command in module.COMMANDS:
            cli.add_command(command)
    dress(cli)  # in the default language; each invocation dresses it again in its own


_register()
