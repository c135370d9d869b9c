"""Opening the terminal UI: the only place the core's command line touches `screens`."""

from __future__ import annotations

from pathlib import Path

from launchpad.errors import UsageError


def open_tui(workspace: str | Path | None) -> None:
    try:
        from screens.app import run_app
    except ImportError:
        raise UsageError(
            "the terminal app is not available in this version",
            hint="use the commands: launchpad --help (e.g. launchpad run, launchpad runs)",
        ) from None
    run_app(workspace)
