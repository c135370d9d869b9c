"""Click's usage errors in the language the command line speaks.

Click builds its messages in English when it raises them. The exceptions that carry what went
wrong as attributes (no such option or command, a missing option or argument, a bad value) are
put into words from those attributes; the rest of click's fixed sentences (a value that is not
a number, an option without its value, extra arguments) are recognised by their English
template and said again from the word-book. A message click did not write (our own, already in
the right language) is shown as it is."""

from __future__ import annotations

import re
from collections.abc import Callable

import click

from launchpad.cli.door import say

# click's fixed sentences: (template, how to say it again from what it matched)
_SENTENCES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^'(?P<value>.*)' is not a valid integer( range)?\.$", re.S),
     lambda m: say("click.not_an_integer", value=m["value"])),
    (re.compile(r"^'(?P<value>.*)' is not a valid float( range)?\.$", re.S),
     lambda m: say("click.not_a_number", value=m["value"])),
    (re.compile(r"^'(?P<value>.*)' is not a valid boolean\..*$", re.S),
     lambda m: say("click.not_a_boolean", value=m["value"])),
    (re.compile(r"^'(?P<value>.*)' is not (one of )?(?P<choices>'.*')\.$", re.S),
     lambda m: say("click.not_a_choice", value=m["value"], choices=re.findall(r"'([^']*)'", m["choices"]))),
    (re.compile(r"^(?P<value>.+) is not in the range (?P<range>.+)\.$", re.S),
     lambda m: say("click.out_of_range", value=m["value"], range=m["range"])),
    *[(re.compile(r"^(?P<kind>File|Directory|Path) '(?P<path>.*)' " + english + r"\.$", re.S),
       lambda m, key=key: say(key, kind=say("click.path_kind_" + m["kind"].lower()), path=m["path"]))
      for english, key in (("does not exist", "click.no_such_path"), ("is a directory", "click.path_is_folder"),
                           ("is a file", "click.path_is_file"),
                           ("is not readable", "click.path_not_readable"),
                           ("is not writable", "click.path_not_writable"))],
    (re.compile(r"^'(?P<value>.*)' does not match the formats? (?P<formats>'.*')\.$", re.S),
     lambda m: say("click.not_a_date", value=m["value"], formats=[_written(f) for f in
                                                                  re.findall(r"'([^']*)'", m["formats"])])),
    (re.compile(r"^Option '(?P<name>.+)' requires an argument\.$"),
     lambda m: say("click.needs_value", name=m["name"])),
    (re.compile(r"^Option '(?P<name>.+)' requires (?P<count>\d+) arguments\.$"),
     lambda m: say("click.needs_values", name=m["name"], count=m["count"])),
    (re.compile(r"^Option '(?P<name>.+)' does not take a value\.$"),
     lambda m: say("click.takes_no_value", name=m["name"])),
    (re.compile(r"^Got unexpected extra arguments? \((?P<args>.*)\)$", re.S),
     lambda m: say("click.extra_arguments", args=m["args"])),
    (re.compile(r"^Missing command\.$"), lambda m: say("click.missing_command")),
    (re.compile(r"^No such command '(?P<name>.+)'\.$"), lambda m: say("click.no_such_command", name=m["name"])),
]


def show(exc: click.ClickException) -> None:
    """What click's `exc.show()` prints — the usage line, where to find help, the error — in
    the command line's language."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        exc.show()  # the help page itself, already in the language
        return
    ctx = exc.ctx if isinstance(exc, click.UsageError) else None
    if ctx is not None:
        lines = [ctx.get_usage()]
        names = ctx.command.get_help_option_names(ctx)
        if names and ctx.command.get_help_option(ctx) is not None:
            lines.append(say("click.try_help", command=ctx.command_path, option=max(names, key=len)))
        click.echo("\n".join(lines) + "\n", err=True)
    click.echo(say("click.error", message=message(exc)), err=True)


def message(exc: click.ClickException) -> str:
    """The error's message, without the usage line around it."""
    no_such_command = getattr(click.exceptions, "NoSuchCommand", None)
    if isinstance(exc, click.NoSuchOption):
        return _with_possibilities(say("click.no_such_option", name=exc.option_name), exc.possibilities)
    if no_such_command is not None and isinstance(exc, no_such_command):
        return _with_possibilities(say("click.no_such_command", name=exc.command_name), exc.possibilities)
    if isinstance(exc, click.MissingParameter):
        return _missing(exc)
    if isinstance(exc, click.BadParameter):
        said = sentence(exc.message)
        name = _param_name(exc)
        return say("click.invalid_value", name=name, message=said) if name else \
            say("click.invalid_value_bare", message=said)
    return sentence(exc.format_message())


def sentence(text: str) -> str:
    """One of click's fixed sentences said again in the command line's language; any other text
    as it is."""
    for template, said in _SENTENCES:
        found = template.match(text)
        if found is not None:
            return said(found)
    return text


def _written(strftime: str) -> str:
    """A date format as a person writes it: `%Y-%m-%d` is YYYY-MM-DD."""
    for code, written in (("%Y", "YYYY"), ("%m", "MM"), ("%d", "DD"), ("%H", "HH"), ("%M", "mm"), ("%S", "ss")):
        strftime = strftime.replace(code, written)
    return strftime


def _with_possibilities(text: str, possibilities: list[str] | None) -> str:
    if not possibilities:
        return text
    return say("click.and_then", message=text, more=say("click.did_you_mean", names=sorted(possibilities)))


def _missing(exc: click.MissingParameter) -> str:
    kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "option")
    said = say("click.missing_argument" if kind == "argument" else "click.missing_option", name=_param_name(exc))
    if exc.param is not None and isinstance(exc.param.type, click.Choice):
        choices = [str(choice) for choice in exc.param.type.choices]
        said = say("click.and_then", message=said, more=say("click.choose_from", choices=choices))
    return said


def _param_name(exc: click.BadParameter) -> str:
    """The option's names (`--env`) or the argument's metavar (`FILE`), unquoted."""
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx) if exc.ctx is not None else exc.param.name
    if hint is None:
        return ""
    names = [hint] if isinstance(hint, str) else list(hint)
    return " / ".join(name.strip("'") for name in names)
