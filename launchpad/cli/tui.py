"""Opening the terminal UI: the only place the core's command line touches `screens`."""

from __future__ import annotations

from pathlib import Path

from launchpad.errors import UsageError
from launchpad.phrases import phrase


def open_tui(workspace: str | Path | None) -> None:
    try:
        from screens.app import run_app
    except ImportError:
        raise UsageError(phrase("cli.no_tui"), hint=phrase("cli.no_tui_hint")) from None
    run_app(workspace)
