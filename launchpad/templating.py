"""Rendering of playbook values, commands and notices with Jinja2 in a sandbox.

A command template quotes every value it substitutes for the place it stands in — outside
quotes, inside '…', inside "…" (see launchpad.shellcontext) — so a variable holding
`$(touch /tmp/x); rm -rf ~` reaches the remote shell as literal text wherever the playbook put
it; a value where no quoting helps (inside backquotes, a here-document) is refused. Plain
templates (URLs, messages, notices) are rendered without quoting. Undefined names are errors,
not empty strings: an empty value in a shell command is how `rm -rf /$DIR` accidents happen.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from launchpad.shellcontext import ShellContextError, check_template, fill, marker


class Raw(str):
    """A value deliberately inserted into a command without quoting (`{{ x | raw }}`)."""


class TemplateProblem(ValueError):
    """A template that cannot be rendered; the message says which name or syntax failed."""


# The values of the command being rendered: each `{{ … }}` leaves a marker in the text and
# its value here, and is quoted once the whole command shows where it stands.
_values: ContextVar[list[str]] = ContextVar("command_values")


def _mark(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    values = _values.get()
    values.append("" if value is None else str(value))
    return marker(len(values) - 1)


@cache
def _environment(quoted: bool) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        finalize=_mark if quoted else None,
    )
    env.filters["raw"] = Raw
    # Every value is quoted already; `shquote` stays for playbooks written when it was needed.
    env.filters["shquote"] = lambda v: v
    return env


def render(template: str, context: dict[str, Any], *, shell: bool = False) -> str:
    """Render `template`; with `shell=True` every substituted value is quoted as data for
    where it stands in the command."""
    if "{" not in template:
        return template
    token = _values.set([])
    try:
        text = _environment(shell).from_string(template).render(context)
        return fill(text, _values.get()) if shell else text
    except UndefinedError as exc:
        raise TemplateProblem(f"undefined name in template: {exc.message}") from None
    except TemplateError as exc:
        raise TemplateProblem(f"template error: {exc.message or exc}") from None
    except ShellContextError as exc:
        raise TemplateProblem(str(exc)) from None
    finally:
        _values.reset(token)


def check_syntax(template: str, *, shell: bool = False) -> str | None:
    """The syntax error of a template, or None; used by `launchpad check`. With `shell=True`
    also a value placed where it cannot be quoted (inside backquotes, a here-document)."""
    if "{" not in template:
        return None
    try:
        _environment(False).parse(template)
    except TemplateError as exc:
        return f"template syntax: {exc.message or exc}"
    return check_template(template) if shell else None
