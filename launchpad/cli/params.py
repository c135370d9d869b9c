"""Option types and output files shared by the commands.

Format names are one set everywhere — `text`, `markdown`, `html`, `json`, `xlsx` — and the
older spellings `txt` and `md` are still accepted for them.

Numbers given on the command line reach SQLite, whose integers stop at 2**63 - 1; a larger one
was an internal error. A report written with `--out` goes to a temporary file beside the
target and is renamed over it only when complete, so a failed write leaves nothing half-written
and a failure names the file and the reason.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from launchpad.backup.freshness import parse_age
from launchpad.cli.door import say
from launchpad.errors import UsageError
from launchpad.phrases import phrase

SQLITE_MAX = 2**63 - 1

STORE_ID = click.IntRange(1, SQLITE_MAX)
LIMIT = click.IntRange(0, SQLITE_MAX)

FORMAT_ALIASES = {"txt": "text", "md": "markdown"}


class AgeType(click.ParamType):
    """An age such as `90m`, `2h` or `1d` (`--backup-age`), checked when the command line is
    read: a wrong one used to pass until the backup gate, after the plan, and end there as an
    internal error. The value stays the text the gates name in their messages and audit."""

    name = "age"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        try:
            parse_age(text)
        except ValueError:
            self.fail(say("cli.bad_age", value=text), param, ctx)
        return text


AGE = AgeType()


class FormatChoice(click.Choice):
    """A `--format` option: the shared names, and the old spellings as aliases."""

    name = "format"

    def __init__(self, *formats: str) -> None:
        super().__init__(formats, case_sensitive=False)

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if isinstance(value, str):
            value = FORMAT_ALIASES.get(value.strip().lower(), value)
        return str(super().convert(value, param, ctx))


def write_output(path: Path, write: Callable[[Path], object]) -> None:
    """Call `write` with a temporary path beside `path`, then move the result to `path`."""
    folder = path.parent
    if not folder.is_dir():
        why = phrase("cli.out.not_a_folder" if folder.exists() else "cli.out.no_folder", folder=str(folder))
        raise UsageError(phrase("cli.cannot_write", where=str(path), reason=why), hint=phrase("cli.out.no_folder_hint"))
    if path.is_dir():
        raise UsageError(phrase("cli.cannot_write", where=str(path), reason=phrase("cli.out.is_folder")),
                         hint=phrase("cli.out.is_folder_hint"))
    if path.exists() and not os.access(path, os.W_OK):
        raise UsageError(phrase("cli.cannot_write", where=str(path), reason=phrase("cli.out.read_only")),
                         hint=phrase("cli.out.read_only_hint"))
    try:
        handle, partial_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=folder)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    os.close(handle)
    partial = Path(partial_name)
    try:
        write(partial)
        # mkstemp makes the file 0600; the report gets the mode any new file would have.
        umask = os.umask(0)
        os.umask(umask)
        partial.chmod(0o666 & ~umask)
        partial.replace(path)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    finally:
        partial.unlink(missing_ok=True)


def write_output_text(path: Path, text: str) -> None:
    write_output(path, lambda partial: partial.write_text(text, encoding="utf-8"))


def _cannot_write(path: Path, exc: OSError) -> UsageError:
    return UsageError(phrase("cli.cannot_write", where=str(path), reason=exc.strerror or str(exc)),
                      hint=phrase("cli.out.failed_hint"))
