"""`launchpad check` renders every template of a playbook against each environment's values,
as a run would, so that an environment without `urls.login` is named at check time, at the
template's file:line:col — not found at 23:00 when a step renders `{{ env.urls.login }}`.

The values are the run's own (`variables.template_values`: the site, contacts, each
environment's URLs, hosts and databases), with what only a run knows stubbed so it raises no
false alarm: the playbook's variables (the environment's `per_env` value, else the default,
else a placeholder), the run's id and operator, and the people on duty — who that is depends
on the day, and `roster.py` warns about days with nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from launchpad.errors import Problem
from launchpad.phrases import Phrase, Said, phrase
from launchpad.run.playbook import LoadedPlaybook, Playbook
from launchpad.run.templating import UndefinedName, check_syntax, first_undefined
from launchpad.run.variables import template_values
from launchpad.steps.base import StepSpec
from launchpad.steps.hostvalues import HOST_STAND_IN
from launchpad.workspace.site import Contact, Site

FIELD = re.compile(r"^(?P<name>\w+)\[(?P<key>[^\]]+)\]$")


def unresolved_references(loaded: LoadedPlaybook, site: Site) -> list[Problem]:
    """Each template that would stop a run on an undefined name, with the environments where
    it would (one problem for all of them when the reason is the same)."""
    found: dict[tuple[int, int, str], list[str]] = {}
    said: dict[str, Said] = {}  # a reason's phrase by its English text, which groups the environments
    lines = _file_lines(loaded)
    for env_name in site.environments:
        values = check_values(site, env_name, loaded.playbook)
        for path, step, template in _templates(loaded.playbook):
            if step.environments is not None and env_name not in step.environments:
                continue
            undefined = first_undefined(template, values)
            if undefined is not None:
                line, col, within = _position(lines, loaded.source.locate(path), undefined.line, template)
                reason = _reason(env_name, undefined, loaded.playbook, values)
                if within:
                    reason = phrase("refs.within", reason=reason, line=within)
                said.setdefault(str(reason), reason)
                found.setdefault((line, col, str(reason)), []).append(env_name)
    return [Problem(loaded.source.file, line, col, phrase("refs.where", envs=_environments(envs), reason=said[reason]))
            for (line, col, reason), envs in found.items()]


def _templates(playbook: Playbook) -> Iterator[tuple[tuple[str | int, ...], StepSpec, str]]:
    """(source path, step, template) for every templated field of every step and rollback
    step. A template with a syntax error is left out: `check_against_site` reports it."""
    for p, phase in enumerate(playbook.phases):
        for key in ("steps", "rollback"):
            for s, step in enumerate(getattr(phase, key)):
                for field_name, template in step.templates().items():
                    if check_syntax(template) is None:
                        yield ("phases", p, key, s, *_field_path(field_name)), step, template


def _environments(names: list[str]) -> Phrase:
    if len(names) == 1:
        return phrase("refs.environment", name=names[0])
    return phrase("refs.environments", names=[phrase("refs.quoted", name=name) for name in names])


def _file_lines(loaded: LoadedPlaybook) -> list[str]:
    try:
        return loaded.path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return []


def _position(lines: list[str], at: tuple[int, int], line_in_template: int, template: str) -> tuple[int, int, int]:
    """Where the failing template line is in the file. In a literal block (`|`) template line
    N is N lines below the `|`; elsewhere the value's position is given, with the line named
    (the third value; 0 when the position itself is the line)."""
    line, col = at
    indicator = lines[line - 1][col - 1:col] if 0 < line <= len(lines) else ""
    target = line + line_in_template
    if indicator == "|" and target <= len(lines):
        text = lines[target - 1]
        return target, len(text) - len(text.lstrip()) + 1, 0
    if "\n" not in template.strip():
        return line, col, 0
    return line, col, line_in_template


def check_values(site: Site, env_name: str, playbook: Playbook) -> dict[str, Any]:
    """The template values a run on `env_name` would have, with run-time values stubbed."""
    variables = {name: _stub_variable(var.per_env.get(env_name), var.default, var.choices)
                 for name, var in playbook.vars.items()}
    values = template_values(site, env_name, variables, 0, "launchpad check", site.now)
    stand_in = {field: f"<{field}>" for field in Contact.model_fields}
    values["duty"] = {"primary": stand_in, "backup": stand_in}
    values["host"] = HOST_STAND_IN  # steps that run per host may name the host they run on
    return values


def _stub_variable(per_env: str | None, default: str | None, choices: list[str] | None) -> str:
    if per_env is not None:
        return per_env
    if default is not None:
        return default
    return choices[0] if choices else "value"


def _field_path(field_name: str) -> tuple[str | int, ...]:
    """`contains[0]` → ('contains', 0), `fields[contact]` → ('fields', 'contact')."""
    match = FIELD.match(field_name)
    if match is None:
        return (field_name,)
    key = match["key"]
    return (match["name"], int(key) if key.isdigit() else key)


def _reason(env_name: str, found: UndefinedName, playbook: Playbook, values: dict[str, Any]) -> Phrase:
    """Which name is undefined, and where a person would define it."""
    reference = found.reference
    if reference is None:
        return phrase("refs.unrenderable", error=found.message)  # Jinja's own words stay as they came
    said = phrase("refs.undefined", reference=reference)
    root, _, rest = reference.partition(".")
    first = re.split(r"[.\[]", rest)[0]
    if root == "env" and rest:
        return phrase("refs.no_env_value", said=said, env=env_name, rest=rest)
    if root == "environments" and rest:
        return phrase("refs.no_environment", said=said, rest=rest)
    if root == "vars" and first not in playbook.vars:
        return phrase("refs.no_variable", said=said, name=first, known=list(playbook.vars) or phrase("sweep.none"))
    if root == "contacts" and first not in values["contacts"]:
        return phrase("refs.no_contact", said=said, name=first)
    return phrase("refs.other", said=said, error=found.message)
