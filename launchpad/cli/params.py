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


class FormatChoice(click.Choice):
    """A `--format` option: the shared names, and the old spellings as aliases."""

    name = "format"

    def __init__(self, *formats: str) -> None:
        super().__init__(formats, case_sensitive=False)

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> str:
        if isinstance(value, str):
            value = FORMAT_ALIASES.get(value.strip().lower(), value)
        return str(super().convert(value, param, ctx))


