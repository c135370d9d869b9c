"""A playbook's variables as a form: a text field per variable, a choice list where the
playbook gives choices, each prefilled with the value the engine would use on the chosen
environment (its per-environment value, else the default).

Changing the environment refreshes the prefilled values the person has not edited, so a
per-environment value (a stricter clock limit on production) is never carried over by accident.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from screens.support.i18n import t


def prefill(variable: Any, env_name: str | None) -> str:
    per_env = variable.per_env.get(env_name) if env_name else None
    return per_env if per_env is not None else (variable.default or "")


class VariablesForm(Vertical):
    DEFAULT_CSS = """
    VariablesForm {
        height: auto;
    }
    VariablesForm > Label {
        /* The form's width, so a long prompt wraps instead of running past the edge. */
        width: 100%;
        margin-top: 1;
        color: $text-muted;
    }
    """

    def __init__(self, variables: dict[str, Any], env_name: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.variables = variables
        self.env_name = env_name
        self._filled = {name: prefill(var, env_name) for name, var in variables.items()}

    def compose(self) -> ComposeResult:
        if not self.variables:
            yield Static(t("pb.no_variables"), classes="dim")
        for index, (name, variable) in enumerate(self.variables.items()):
            yield Label(f"{name}: {variable.prompt}" if variable.prompt else name)
            value = self._filled[name]
            if variable.choices:
                options = [(choice, choice) for choice in variable.choices]
                initial = value if value in variable.choices else Select.BLANK
                yield Select(options, value=initial, id=f"var-{index}", compact=True, allow_blank=not value)
            else:
                yield Input(value=value, id=f"var-{index}", compact=True)

    def _field(self, index: int) -> Input | Select[str]:
        field = self.query_one(f"#var-{index}")
        assert isinstance(field, Input | Select), "compose yields an Input or a Select per variable"
        return field

    def values(self) -> dict[str, str]:
        found = {}
        for index, name in enumerate(self.variables):
            value = self._field(index).value
            found[name] = "" if value is Select.BLANK or value is None else str(value)
        return found

    def problems(self) -> list[str]:
        """Why the values cannot be used, as one line per variable (empty when they can)."""
        found = []
        for name, value in self.values().items():
            variable = self.variables[name]
            problem = variable.problem_with(value)
            if problem is None:
                continue
            # What to type, in the playbook's words: an empty field is required, not a pattern.
            key = "pb.bad_variable" if value.strip() else "pb.required_variable"
            found.append(t(key, name=name, problem=problem, prompt=variable.prompt or name))
        return found

    def set_environment(self, env_name: str | None) -> None:
        for index, (name, variable) in enumerate(self.variables.items()):
            field = self._field(index)
            fresh = prefill(variable, env_name)
            if str(field.value) == self._filled[name] and isinstance(field, Input):
                field.value = fresh
            self._filled[name] = fresh
        self.env_name = env_name
