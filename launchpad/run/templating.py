"""Rendering of playbook values, commands and notices with Jinja2 in a sandbox.

A command template quotes every value it substitutes for the place it stands in — outside
quotes, inside '…', inside "…" (see launchpad.run.shellcontext) — so a variable holding
`$(touch /tmp/x); rm -rf ~` reaches the remote shell as literal text wherever the playbook put
it; a value where no quoting helps (inside backquotes, a here-document) is refused. Plain
templates (URLs, messages, notices) are rendered without quoting. Undefined names are errors,
not empty strings: an empty value in a shell command is how `rm -rf /$DIR` accidents happen.
"""

from __future__ import annotations

import shlex
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import StrictUndefined, TemplateError, Undefined, UndefinedError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from launchpad.phrases import Said, phrase
from launchpad.run.shellcontext import ShellContextError, check_template, fill, marker


class Raw(str):
    """A value deliberately inserted into a command without quoting (`{{ x | raw }}`)."""


class TemplateProblem(ValueError):
    """A template that cannot be rendered; the message says which name or syntax failed.
    `str()` is the English text; `said` reads in the reader's language."""

    def __init__(self, said: Said) -> None:
        super().__init__(str(said))
        self.said = said


# The values of the command being rendered: each `{{ … }}` leaves a marker in the text and
# its value here, and is quoted once the whole command shows where it stands.
_values: ContextVar[list[str]] = ContextVar("command_values")


def _mark(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    values = _values.get(None)
    if values is None:  # rendered outside `render` (check's trial render): one quoted word will do
        return shlex.quote("" if value is None else str(value))
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
        raise TemplateProblem(phrase("template.undefined", detail=exc.message or str(exc))) from None
    except TemplateError as exc:
        raise TemplateProblem(phrase("template.error", detail=exc.message or str(exc))) from None
    except ShellContextError as exc:
        raise TemplateProblem(exc.said) from None
    finally:
        _values.reset(token)


def check_syntax(template: str, *, shell: bool = False) -> Said | None:
    """The syntax error of a template, or None; used by `launchpad check`. With `shell=True`
    also a value placed where it cannot be quoted (inside backquotes, a here-document)."""
    if "{" not in template:
        return None
    try:
        _environment(False).parse(template)
    except TemplateError as exc:
        return phrase("template.syntax", detail=exc.message or str(exc))
    return check_template(template) if shell else None


@dataclass(frozen=True)
class UndefinedName:
    """What a render tripped on: the line in the template, the reference when it is a plain
    one (`env.urls.login`), and Jinja's own words."""

    line: int
    reference: str | None
    message: str


def first_undefined(template: str, context: dict[str, Any], *, shell: bool = False) -> UndefinedName | None:
    """Render `template` as a run would and return the first undefined name it meets, or None
    when it renders; used by `launchpad check`.

    Only undefined names are reported: syntax is checked by `check_syntax`, and a value that
    `check` stubs (a variable given at run time) may not suit what a template does with it,
    which would be a false alarm rather than something the run would trip on."""
    if "{" not in template:
        return None
    environment = _environment(shell)
    try:
        parsed = environment.parse(template)
        environment.from_string(parsed).render(context)
    except UndefinedError as exc:
        line = _template_line(exc)
        return UndefinedName(line, _unresolved(parsed, line, context), exc.message or str(exc))
    except Exception:  # see the docstring: anything else is not this check's to report
        return None
    return None


def _template_line(exc: BaseException) -> int:
    """The template line being rendered: Jinja rewrites the traceback with `<template>`
    frames at the template's own line numbers."""
    line, tb = 1, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _unresolved(parsed: nodes.Template, line: int, context: dict[str, Any]) -> str | None:
    """The reference on `line` that does not resolve (`env.urls.login`), looked up with the
    sandbox's own attribute rules, to name it for a person instead of "'dict object' has no
    attribute 'login'". Names the template sets itself (loop variables) are not looked up."""
    environment = _environment(False)
    local = {n.name for n in parsed.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for node in parsed.find_all((nodes.Getattr, nodes.Getitem, nodes.Name)):
        chain = _chain(node) if node.lineno == line else None
        if not chain or chain[0][1] in local:
            continue
        name = str(chain[0][1])
        if name not in context:
            return name
        value = context[name]
        for how, key in chain[1:]:
            if how == "item":
                value, name = environment.getitem(value, key), f"{name}[{key!r}]"
            else:
                value, name = environment.getattr(value, str(key)), f"{name}.{key}"
            if isinstance(value, Undefined):
                return name
    return None


def _chain(node: nodes.Node) -> list[tuple[str, Any]] | None:
    """`env.urls.login` as [name env, attr urls, attr login], or None when it is not a plain
    reference (a call, a filter, a computed key)."""
    if isinstance(node, nodes.Name):
        return [("name", node.name)]
    if isinstance(node, nodes.Getattr):
        head = _chain(node.node)
        return [*head, ("attr", node.attr)] if head else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        head = _chain(node.node)
        return [*head, ("item", node.arg.value)] if head else None
    return None
