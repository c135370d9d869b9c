"""Playbooks: YAML files of phases and steps, loaded into validated models.

Every problem is reported as `file:line:col: message`: YAML syntax, unknown keys, wrong
types, unknown step kinds, duplicate ids, and — checked against site.yaml — host groups,
windows and phases that do not exist, and template syntax errors.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

from launchpad.errors import InvalidInput, Problem, UsageError
from launchpad.phrases import Phrase, Said, phrase
from launchpad.run.templating import check_syntax
from launchpad.steps import step_kinds
from launchpad.steps.base import Declared, StepSpec
from launchpad.workspace.site import Site, valid_regex
from launchpad.workspace.yamlsource import Document, SourceMap, problems_from_validation, read_yaml

BUNDLED_DIR = Path(__file__).resolve().parents[2] / "playbooks"
Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=64)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Variable(Model):
    prompt: str = Field("", description="The question asked when no value is given.")
    default: str | None = None
    pattern: str | None = Field(None, description="Regex the whole value must match.")
    choices: list[str] | None = None
    per_env: dict[str, str] = Field(default_factory=dict, description="Value per environment.")

    @field_validator("default", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value

    _regex = field_validator("pattern")(valid_regex)

    def problem_with(self, value: str) -> Phrase | None:
        """Why `value` is not acceptable, or None: a sentence, the pattern shown as its detail. A
        blank value that is not acceptable is said to be required, never explained by its pattern."""
        if not value.strip() and ((self.choices and value not in self.choices)
                                  or (self.pattern and not re.fullmatch(self.pattern, value))):
            return phrase("valid.var_required")
        if self.choices and value not in self.choices:
            return phrase("valid.var_choices", choices=list(self.choices))
        if self.pattern and not re.fullmatch(self.pattern, value):
            return phrase("valid.var_pattern", pattern=self.pattern)
        return None


def _any_step() -> Any:
    """The type "one of the registered step kinds", chosen by the `kind` key."""
    specs = tuple(kind.spec for kind in step_kinds().values())
    return Annotated[Union[specs], Field(discriminator="kind")]  # noqa: UP007


@cache
def _step_adapter() -> TypeAdapter[Any]:
    steps: Any = list[_any_step()]  # type: ignore[misc]
    return TypeAdapter(steps)


def _validate_steps(value: Any) -> Any:
    return _step_adapter().validate_python(value)


class Phase(Model):
    id: Id
    name: str
    description: str = ""
    steps: Annotated[list[StepSpec], Field(description="The steps, in order.")]
    rollback: list[StepSpec] = Field(
        default_factory=list, description="Steps that undo this phase if a later step fails."
    )

    @field_validator("steps", "rollback", mode="before")
    @classmethod
    def _steps_by_kind(cls, value: Any) -> Any:
        return _validate_steps(value)


class Playbook(Model):
    name: Id
    title: str
    description: str = ""
    version: str = "1"
    vars: dict[Id, Variable] = Field(default_factory=dict)
    phases: list[Phase] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _default_step_ids(cls, data: Any) -> Any:
        """Steps without an id get `phase.N` (1-based), stable while steps are not reordered."""
        if not isinstance(data, dict) or not isinstance(data.get("phases"), list):
            return data
        for phase in data["phases"]:
            if not isinstance(phase, dict):
                continue
            for key, prefix in (("steps", ""), ("rollback", "rollback-")):
                steps = phase.get(key)
                if isinstance(steps, list):
                    for i, step in enumerate(steps, 1):
                        if isinstance(step, dict) and "id" not in step:
                            step["id"] = f"{phase.get('id', 'phase')}.{prefix}{i}"
        return data

    def all_steps(self) -> list[tuple[Phase, StepSpec]]:
        return [(phase, step) for phase in self.phases for step in phase.steps]

    def step(self, step_id: str) -> StepSpec | None:
        return next((s for _, s in self.all_steps() if s.id == step_id), None)

    def snapshot(self) -> dict[str, Any]:
        # serialize_as_any: steps are declared as the base StepSpec but hold each kind's model.
        return self.model_dump(mode="json", exclude_defaults=True, serialize_as_any=True)

    def digest(self) -> str:
        text = json.dumps(self.snapshot(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()


class LoadedPlaybook:
    """A playbook with the file it came from, so later checks can still cite lines."""

    def __init__(self, playbook: Playbook, path: Path, source: SourceMap) -> None:
        self.playbook, self.path, self.source = playbook, path, source


def load_playbook(path: Path, display: str | None = None) -> LoadedPlaybook:
    document = read_yaml(path, display)
    return LoadedPlaybook(_validate(document), path, document.source)


def _validate(document: Document) -> Playbook:
    from pydantic import ValidationError

    try:
        playbook = Playbook.model_validate(document.data)
    except ValidationError as exc:
        raise InvalidInput(problems_from_validation(exc, document.source)) from None
    problems = _duplicate_ids(playbook, document.source)
    if problems:
        raise InvalidInput(problems)
    return playbook


def _duplicate_ids(playbook: Playbook, source: SourceMap) -> list[Problem]:
    problems, seen_phases, seen_steps = [], set(), set()
    for p, phase in enumerate(playbook.phases):
        if phase.id in seen_phases:
            problems.append(source.problem(("phases", p, "id"), phrase("rule.phase_twice", id=phase.id)))
        seen_phases.add(phase.id)
        for key in ("steps", "rollback"):
            for s, step in enumerate(getattr(phase, key)):
                if step.id in seen_steps:
                    problems.append(source.problem(("phases", p, key, s, "id"), phrase("rule.step_twice", id=step.id)))
                seen_steps.add(step.id)
    return problems


def check_against_site(loaded: LoadedPlaybook, site: Site) -> list[Problem]:
    """Problems that only show when the playbook meets the site: missing host groups,
    environments, windows and phases, and template syntax errors."""
    problems: list[Problem] = []
    groups = set().union(*(env.groups() for env in site.environments.values())) or {"all"}
    earlier_phases: set[str] = set()
    for p, phase in enumerate(loaded.playbook.phases):
        for key in ("steps", "rollback"):
            for s, step in enumerate(getattr(phase, key)):
                for field_name, message in _step_problems(step, site, groups, earlier_phases):
                    problems.append(loaded.source.problem(("phases", p, key, s, field_name), message))
        earlier_phases.add(phase.id)
    return problems


def _step_problems(step: StepSpec, site: Site, groups: set[str], earlier_phases: set[str]) -> list[tuple[str, Said]]:
    """(field, message) for each reference in a step that the site does not define. The step
    says what it references (`StepSpec.references`), so a new kind needs nothing here."""
    found: list[tuple[str, Said]] = []
    for env_name in step.environments or []:
        if env_name not in site.environments:
            found.append(("environments", phrase("rule.env_not_in_site", name=env_name)))
    declared = _declared(step, site, groups, earlier_phases)
    for reference in step.references():
        for name in reference.names:
            if name not in declared[reference.what]:
                found.append((reference.field, _undeclared(reference.what, name, declared[reference.what])))
    found += step.own_problems()
    for field_name, template in step.templates().items():
        error = check_syntax(template, shell=field_name in step.shell_fields)
        if error:
            found.append((field_name.split("[")[0], error))
    return found


def _declared(step: StepSpec, site: Site, groups: set[str], earlier_phases: set[str]) -> dict[Declared, set[str]]:
    """The names a step may use, by what they name, on the environments it runs on."""
    envs = [env for name, env in site.environments.items() if step.environments is None or name in step.environments]
    return {
        "host group": groups,
        "window": set(site.windows),
        "phase": earlier_phases,
        "backup target": {name for env in envs for name in env.backups},
        "database": {name for env in envs for name in env.databases},
        "channel": set(site.channels),
        "environment": set(site.environments),
    }


def _undeclared(what: Declared, name: str, declared: set[str]) -> Phrase:
    """Why `name` is a typo, worded so it shows at `launchpad check` rather than at 23:00."""
    if what == "host group":
        return phrase("rule.no_host_group", name=name)
    if what == "phase":
        return phrase("rule.no_earlier_phase", name=name)
    known = sorted(declared) or phrase("rule.none")
    if what == "window":
        return phrase("rule.no_window", name=name, known=known)
    return phrase("rule.undeclared", what=phrase("rule.what_" + what.replace(" ", "_")), name=name, known=known)


def playbook_dirs(workspace_root: Path | None) -> list[Path]:
    dirs = [workspace_root / "playbooks"] if workspace_root else []
    return [*dirs, BUNDLED_DIR]


def find_playbook(name_or_path: str, workspace_root: Path | None) -> Path:
    """A playbook by file path, or by name in the workspace's then the bundled playbooks."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") and candidate.exists():
        return candidate
    for directory in playbook_dirs(workspace_root):
        for suffix in (".yaml", ".yml"):
            path = directory / f"{name_or_path}{suffix}"
            if path.exists():
                return path
    known = sorted({p.stem for d in playbook_dirs(workspace_root) if d.is_dir() for p in d.glob("*.y*ml")})
    raise UsageError(phrase("error.no_playbook", name=name_or_path),
                     hint=phrase("error.no_playbook_hint", names=known or phrase("rule.none")))


def list_playbooks(workspace_root: Path | None) -> list[Path]:
    """Workspace playbooks first; a bundled one with the same name is hidden by it."""
    seen: dict[str, Path] = {}
    for directory in playbook_dirs(workspace_root):
        if directory.is_dir():
            for path in sorted(directory.glob("*.y*ml")):
                seen.setdefault(path.stem, path)
    return list(seen.values())


def describe_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Phrase]:
    """What changed between two playbook snapshots, step by step, in words."""

    def steps(snapshot: dict[str, Any]) -> dict[str, str]:
        found = {}
        for phase in snapshot.get("phases", []):
            for step in phase.get("steps", []):
                found[step["id"]] = json.dumps(step, sort_keys=True, ensure_ascii=False)
        return found

    before, after = steps(old), steps(new)
    changes = [phrase("playbook.step_removed", step=sid) for sid in before if sid not in after]
    changes += [phrase("playbook.step_added", step=sid) for sid in after if sid not in before]
    changes += [phrase("playbook.step_changed", step=sid)
                for sid in after if sid in before and before[sid] != after[sid]]
    if list(before) != [s for s in after if s in before][: len(before)] and not changes:
        changes.append(phrase("playbook.reordered"))
    return changes


def playbook_json_schema() -> dict[str, Any]:
    """JSON Schema of a playbook with every step kind spelled out, for editors."""
    from pydantic import create_model

    steps: Any = list[_any_step()]  # type: ignore[misc]
    schema_phase: Any = create_model("Phase", __base__=Phase, steps=(steps, ...), rollback=(steps, []))
    schema_playbook = create_model(
        "Playbook", __base__=Playbook, phases=(list[schema_phase], Field(min_length=1))
    )
    return dict(schema_playbook.model_json_schema())
