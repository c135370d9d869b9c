"""A run's values: the playbook variables a person gives, and everything templates may read.

Templates see the site, the duty roster, the environment and its URLs and databases — never a
password: database entries are copied without their secret references, and secrets are only
resolved where they are used.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.run.playbook import Playbook
from launchpad.run.prompter import Prompter, VariableNeeded, VariableRequest
from launchpad.workspace.site import Environment, Site


def resolve_variables(playbook: Playbook, env_name: str, given: dict[str, str], prompter: Prompter) -> dict[str, str]:
    """--var values, then the playbook's per-environment values, then the Prompter (which may
    fall back to the default); each value is checked against its pattern or choices."""
    unknown = sorted(set(given) - set(playbook.vars))
    if unknown:
        known = list(playbook.vars) or phrase("rule.none")
        raise UsageError(phrase("error.variable_unknown", playbook=playbook.name, names=unknown),
                         hint=phrase("error.variable_unknown_hint", names=known))
    values = {}
    needed: list[VariableNeeded] = []
    for name, var in playbook.vars.items():
        value = given.get(name, var.per_env.get(env_name))
        if value is None:
            request = VariableRequest(name, var.prompt or name, var.default, tuple(var.choices or ()), var.pattern)
            try:
                value = prompter.variable(request)
            except VariableNeeded as exc:  # nobody to ask: the others are looked at too, then all said at once
                needed.append(exc)
                continue
        problem = var.problem_with(value)
        if problem is not None:
            raise UsageError(phrase("error.variable_bad", name=name, value=value, problem=problem),
                             hint=phrase("error.variable_bad_hint", name=name, prompt=var.prompt or name))
        values[name] = value
    if len(needed) == 1:
        raise needed[0]
    if needed:
        raise UsageError(phrase("error.variables_needed", names=[n.request.name for n in needed],
                                what=[f"{n.request.name} = {n.request.prompt}" for n in needed]),
                         hint=phrase("error.variables_needed_hint",
                                     options=" ".join(f"--var {n.request.name}=…" for n in needed)))
    return values


def _databases(environment: Environment) -> dict[str, dict[str, Any]]:
    return {name: db.model_dump(exclude={"password"}) for name, db in environment.databases.items()}


def template_values(
    site: Site,
    env_name: str,
    variables: dict[str, Any],
    run_id: int,
    actor: str,
    now: Callable[[], datetime],
) -> dict[str, Any]:
    environment = site.environments[env_name]
    primary, backup = site.on_duty(now().date())
    return {
        **variables,
        "vars": variables,
        "run": {"id": run_id, "operator": actor},
        # An int, so it needs no quoting in shell arithmetic (the clock-offset check).
        "now_epoch": lambda: int(now().timestamp()),
        "site": site.site.model_dump(),
        "contacts": {c.id: c.model_dump() for c in site.contacts},
        "duty": {
            "primary": primary.model_dump() if primary else None,
            "backup": backup.model_dump() if backup else None,
        },
        "env": {
            "name": env_name,
            "production": environment.production,
            "urls": dict(environment.urls),
            "vars": dict(environment.vars),
            "hosts": [h.model_dump() for h in environment.hosts],
            "databases": _databases(environment),
        },
        "environments": {
            name: {"urls": dict(env.urls), "production": env.production, "databases": _databases(env)}
            for name, env in site.environments.items()
        },
    }
