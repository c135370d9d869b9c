"""Rendering of playbook values, commands and notices with Jinja2 in a sandbox.

A command template quotes every value it substitutes, so a variable holding
`$(touch /tmp/x); rm -rf ~` reaches the remote shell as one literal word. Plain templates (URLs,
messages, notices) are rendered without quoting. Undefined names are errors, not empty strings:
an empty value in a shell command is how `rm -rf /$DIR` accidents happen.
"""

from __future__ import annotations

import shlex
from functools import cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment


class Raw(str):
    """A value deliberately inserted into a command without quoting (`{{ x | raw }}`)."""


class TemplateProblem(ValueError):
    """A template that cannot be rendered; the message says which name or syntax failed."""


def _quote(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "''"
    return shlex.quote(str(value))


@cache
def _environment(quoted: bool) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        finalize=_quote if quoted else None,
    )
    env.filters["raw"] = Raw
    env.filters["shquote"] = lambda v: Raw(shlex.quote(str(v)))
    return env


def render(template: str, context: dict[str, Any], *, shell: bool = False) -> str:
    """Render `template`; with `shell=True` every substituted value is shell-quoted."""
    if "{" not in template:
        return template
    try:
        return _environment(shell).from_string(template).render(context)
    except UndefinedError as exc:
        raise TemplateProblem(f"undefined name in template: {exc.message}") from None
    except TemplateError as exc:
        raise TemplateProblem(f"template error: {exc.message or exc}") from None


def check_syntax(template: str) -> str | None:
    """The syntax error of a template, or None; used by `launchpad check`."""
    if "{" not in template:
        return None
    try:
        _environment(False).parse(template)
    except TemplateError as exc:
        return f"template syntax: {exc.message or exc}"
    return None
