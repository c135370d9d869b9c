"""The `launchpad` command: a thin layer over the core. Every command here calls the same
functions the TUI calls; the TUI itself is imported only by the command that opens it."""

from __future__ import annotations

import gc
import getpass
import os
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from launchpad.errors import LaunchpadError


class Context:
    """What every command may need, loaded only when a command asks for it."""

    def __init__(self, workspace: str | None) -> None:
        self.workspace_arg = workspace

    def workspace(self) -> Any:
        from launchpad.workspace import open_workspace

        return open_workspace(self.workspace_arg)

    def store(self, workspace: Any) -> Any:
        from launchpad.migrations import on_lock_wait
        from launchpad.store import Store

        on_lock_wait(_say_waiting)
        return Store.open(workspace.store_path)


def _say_waiting() -> None:
    click.echo("waiting: another launchpad is writing to this workspace's store; "
               "this write goes in as soon as it is done", err=True)


def actor_name() -> str:
    try:
        return os.environ.get("LAUNCHPAD_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--workspace",
    "-w",
    envvar="LAUNCHPAD_WORKSPACE",
    metavar="DIR",
    help="Workspace folder (default: the nearest folder above with site.yaml).",
)
@click.version_option(package_name="launchpad", message="launchpad %(version)s")
@click.pass_context
def cli(ctx: click.Context, workspace: str | None) -> None:
    """launchpad — on-site go-live operations: playbooks, remote checks, backups, issues."""
    ctx.obj = Context(workspace)
    if ctx.invoked_subcommand is None:
        from launchpad.cli.tui import open_tui

        open_tui(ctx.obj.workspace_arg)


def _run(argv: list[str] | None) -> None:
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
        click.echo(click.style(exc.render(), fg="red"), err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("\ninterrupted; what was done so far is stored (resume with --resume)", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception:
        log = Path.home() / ".launchpad-crash.log"
        try:
            with log.open("a", encoding="utf-8") as handle:
                handle.write(f"--- {datetime.now().isoformat()} {' '.join(sys.argv)}\n")
                handle.write(traceback.format_exc())
            where = f"details in {log}"
        except OSError:
            where = "the details could not be saved"
        click.echo(f"internal error: {sys.exc_info()[1]!r} — this is a bug in launchpad; {where}", err=True)
        sys.exit(3)
    sys.exit(0)


def _register() -> None:
    # The command modules import click only; the core is imported inside each command.
    from launchpad.cli import audit, backups, config, golive, hosts, issues, report, run, workspace_cmds

    for module in (workspace_cmds, run, hosts, backups, issues, report, audit, config, golive):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()
