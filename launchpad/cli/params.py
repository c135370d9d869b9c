"""Option types and output files shared by the commands.

Format names are one set everywhere — `text`, `markdown`, `html`, `json`, `xlsx` — and the
older spellings `txt` and `md` are still accepted for them.

Numbers given on the command line reach SQLite, whose integers stop at 2**63 - 1; a larger one
was an internal error. A report written with `--out` goes to a temporary file beside the
target and is renamed over it only when complete, so a failed write leaves nothing half-written
and a failure names the file and the reason (`launchpad.workspace.durable.write_output`, which
the core's own writers use too).
"""

from __future__ import annotations

from pathlib import Path

import click

from launchpad.backup.freshness import parse_age
from launchpad.cli.door import say
from launchpad.workspace.durable import write_output as write_output
from launchpad.workspace.durable import write_output_text as write_output_text

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


# What a file's name says it holds: `--out 日报.xlsx` is a workbook, not text Excel cannot open.
OUT_FORMATS = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html", ".xlsx": "xlsx",
               ".json": "json"}


def format_for_out(fmt: str | None, out: Path | None, choices: tuple[str, ...], default: str) -> str:
    """--format, else the one --out's extension names, else `default`; refused when the two
    disagree, or when the extension names a format this command does not write (a markdown
    report in `报告.xlsx` is a file nobody can open)."""
    from launchpad.errors import UsageError
    from launchpad.phrases import phrase

    named = OUT_FORMATS.get(out.suffix.lower()) if out is not None else None
    if out is None or named is None:
        return fmt or default
    if fmt is None and named not in choices:
        raise UsageError(phrase("cli.out_format_unwritable", file=out.name, named=named, formats=list(choices)),
                         hint=phrase("cli.out_format_unwritable_hint"))
    if fmt is not None and named != fmt:
        raise UsageError(phrase("cli.report.format_not_out", fmt=fmt, file=out.name, named=named),
                         hint=phrase("cli.report.format_not_out_hint"))
    return named


class FormatChoice(click.Choice):
    """A `--format` option: the shared names, and the old spellings as aliases."""

    name = "format"

    def __init__(self, *formats: str) -> None:
        super().__init__(formats, case_sensitive=False)

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if isinstance(value, str):
            value = FORMAT_ALIASES.get(value.strip().lower(), value)
        return str(super().convert(value, param, ctx))


