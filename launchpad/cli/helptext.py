"""`--help` in the language the command line speaks.

The decorators carry no prose: every command's description and every option's and argument's
help is a word-book entry keyed by the command path (launchpad/words/help.py), put on the
command tree by `dress` once the language is known. Click answers `--help` while it parses,
before any callback runs, so the root command settles the language first (`SpokenRoot`), from
the arguments, LAUNCHPAD_LANG or the workspace's site.yaml (see door.settle_language).

Click's own words on the help page (the usage line, the section headings, "[default: …]",
the help option's line) come from the word-book too, through `SpokenFormatter`; its usage
errors are put into words by cli/usage_errors.py."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import click

from launchpad.cli.door import language, say, settle_language
from launchpad.cli.widetext import fit
from launchpad.phrases import parts, render

ROOT_KEY = "cli.help.launchpad"

# Click's section headings, by the name click gives them.
_HEADINGS = {"Options": "click.options", "Commands": "click.commands", "Positional arguments": "click.arguments"}

# The bracket click appends to an option's help: "[default: 50; required]".
_EXTRAS = re.compile(r"^(?P<help>.*?)\s*\[(?P<items>[^\[\]]*)\]$", re.S)


class SpokenFormatter(click.HelpFormatter):
    """Click's help page with click's own words in the command line's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, say("click.usage") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        key = _HEADINGS.get(heading)
        name = say(key) if key else heading
        self.write(f"{'':>{self.current_indent}}{say('click.heading', name=name)}\n")

    def write_text(self, text: str) -> None:
        super().write_text(fit(text, max(self.width - self.current_indent, 11)))

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(term, _spoken_extras(text)) for term, text in rows]
        if not rows:
            return
        # the width click gives the second column (HelpFormatter.write_dl)
        first_column = min(click.formatting.measure_table(rows)[0], col_max) + col_spacing
        width = max(self.width - first_column - 2, 10)
        super().write_dl([(term, fit(text, width)) for term, text in rows], col_max, col_spacing)


class SpokenContext(click.Context):
    formatter_class = SpokenFormatter


class SpokenRoot(click.Group):
    """The `launchpad` group: settles the language and dresses the tree before click parses."""

    context_class = SpokenContext

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        if parent is None:
            settle_language(args)
            dress(self)
        return super().make_context(info_name, args, parent, **extra)


def command_key(path: Sequence[str]) -> str:
    return "cli.help." + ".".join(path) if path else ROOT_KEY


def param_key(path: Sequence[str], param: click.Parameter) -> str:
    """`cli.help.users.import.--env` for an option (by its first long name),
    `cli.help.users.import.FILE` for an argument (by its name)."""
    if isinstance(param, click.Argument):
        name = (param.name or "").upper()
    else:
        longs = [opt for opt in param.opts if opt.startswith("--")]
        name = (longs or param.opts)[0]
    return f"{command_key(path)}.{name}"


Entry = tuple[str, click.Command, click.Parameter | None]


def walk(root: click.Command, path: tuple[str, ...] = ()) -> Iterator[Entry]:
    """(key, command, None) for every command and (key, command, param) for each of its
    options and arguments, the whole tree below `root`."""
    yield command_key(path), root, None
    for param in root.params:
        yield param_key(path, param), root, param
    if isinstance(root, click.Group):
        for name, command in root.commands.items():
            yield from walk(command, (*path, name))


def dress(root: click.Group) -> None:
    """Put the word-book's help texts on every command, option and argument below `root`, in
    the command line's language."""
    help_names = root.context_settings.get("help_option_names", ["--help"])
    for key, command, param in walk(root):
        if param is not None:
            param.help = say(key)
            continue
        text = say(key)
        command.help = text
        command.short_help = _summary(text)
        command.context_class = SpokenContext
        # The help option is made once per command and kept; its line is click's own words.
        helper = command.get_help_option(click.Context(command, help_option_names=help_names))
        if helper is not None:
            helper.help = say("click.help_option")


def _summary(text: str) -> str | None:
    """The line the command list shows: a Chinese description's first sentence; None lets click
    shorten an English one at its first full stop, as it always has."""
    first = re.split(r"[。；]", text, maxsplit=1)
    return first[0] if len(first) > 1 else None


def _spoken_extras(text: str) -> str:
    """"[default: 50; required]" in the command line's language."""
    found = _EXTRAS.match(text)
    if found is None:
        return text
    items = found["items"].split("; ")
    spoken = [_spoken_extra(item) for item in items]
    if spoken == items:
        return text
    return f"{found['help']}  [{render(parts(spoken), language())}]".lstrip()


def _spoken_extra(item: str) -> str:
    if item == "required":
        return say("click.required")
    if item.startswith("default: "):
        return say("click.default", value=item.removeprefix("default: "))
    return item
