"""A command as a person runs it, through `launchpad.cli.main`: its exit code and everything it
printed (stdout and stderr together), and never a traceback."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner


def launch(root: Path, *args: str) -> tuple[int, str]:
    from launchpad.cli import main

    with CliRunner().isolation() as streams:
        try:
            main(["--workspace", str(root), *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        output = streams[2].getvalue().decode()
    assert "Traceback" not in output, output
    return code, output
