"""What every step kind shares: its YAML model's common fields, the context it runs in, and
the outcome it reports.

A step kind is one module in this package that defines a `Spec` model (with a `kind` literal)
and a module-level `STEP_KIND = StepKind(...)`. The registry finds it; nothing else changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from launchpad.errors import LaunchpadError
from launchpad.phrases import Phrase, Said, parts, phrase
from launchpad.run.events import EventSink
from launchpad.run.prompter import Prompter

if TYPE_CHECKING:
    from launchpad.hosts.base import Transport
    from launchpad.store.db import Store
    from launchpad.workspace.folder import Workspace
    from launchpad.workspace.site import Environment, Host, Site

# `not_checked`: the step ran but had nothing to check (e.g. no ports configured); it is done,
# but never reads as passed.
StepStatus = Literal["passed", "failed", "skipped", "refused", "not_checked"]

# What a step can name that must be declared elsewhere: in site.yaml, or (phases) earlier in
# the same playbook.
Declared = Literal["host group", "window", "phase", "backup target", "database", "channel", "environment"]


@dataclass(frozen=True)
class Reference:
    """Names a step uses, for `launchpad check` to find each one declared: `field` is where
    the step holds them, so a problem points at that line."""

    field: str
    what: Declared
    names: tuple[str, ...]


class StepSpec(BaseModel):
    """Fields common to every step kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        description="Stable id used to store results and resume; defaults to phase.position.",
    )
    name: str = Field(description="What the step does, as people will read it.")
    kind: str
    description: str = ""
    confirm: bool = Field(False, description="Ask before running (type the name on production).")
    critical: bool = Field(False, description="Cannot be skipped, neither on failure nor by --yes.")
    idempotent: bool | None = Field(None, description="Safe to re-run after an interruption; defaults by kind.")
    environments: list[str] | None = Field(None, description="Run only on these environments (default: all).")
    timeout: float | None = Field(None, gt=0, description="Seconds before the step fails.")

    # Templated fields run by a shell: `check` also refuses a value no quoting can make data.
    shell_fields: ClassVar[tuple[str, ...]] = ()

    def hosts_group(self) -> str | None:
        """The host group the step runs on, for kinds that run on hosts."""
        return None

    def references(self) -> list[Reference]:
        """The names this step uses that site.yaml or the playbook must declare (host groups,
        windows, phases, backup targets, databases, channels, environments). A kind adds its own fields here,
        so `launchpad check` never needs to know them."""
        group = self.hosts_group()
        return [Reference("hosts", "host group", (group,))] if group is not None else []

    def own_problems(self) -> list[tuple[str, str]]:
        """(field, message) for combinations of this kind's fields that can never work."""
        return []

    def templates(self) -> dict[str, str]:
        """Templated fields by name, for `launchpad check` to verify their syntax."""
        return {}

    def describe(self) -> Said:
        """One line saying what will happen, for previews and confirmations (the reader's
        language: a phrase, or the playbook's own words)."""
        return self.description or self.name

    def describe_with(self, values: dict[str, Any], environment: Environment | None = None) -> Said:
        """What will happen with a run's values, for the confirmation before the step runs;
        kinds whose `describe` shows templates render them here, and kinds whose effect depends
        on what the run's `environment` holds (a restore's targets) say it for that one."""
        return self.describe()


@dataclass(frozen=True)
class HostOutcome:
    host: str
    status: Literal["passed", "failed", "not_checked"]
    exit_code: int | None = None
    duration: float = 0.0
    stdout: str = ""
    stderr: str = ""
    message: Said = ""


def failed_on(host: str, exc: LaunchpadError, duration: float = 0.0) -> HostOutcome:
    """A host that failed with a launchpad error: what failed, without the host's name (its row
    names it), and what to do next, both in the language of whoever reads the run."""
    error = exc.said_for(host)
    message = phrase("host.error_hint", error=error, hint=exc.said_hint) if exc.hint else error
    return HostOutcome(host, "failed", None, duration, message=message)


def hosts_said(outcomes: Sequence[HostOutcome]) -> Phrase:
    """"host: what happened" for each outcome, in one line; hints stay on the hosts' rows."""
    return parts([phrase("host.said", host=o.host, message=_without_hint(o.message)) for o in outcomes])


def _without_hint(message: Said) -> Said:
    if isinstance(message, Phrase) and message.key == "host.error_hint":
        error: Said = message.params["error"]
        return error
    return message


@dataclass(frozen=True)
class StepOutcome:
    status: StepStatus
    summary: Said
    hosts: tuple[HostOutcome, ...] = ()
    evidence: dict[str, Any] = field(default_factory=dict)
    # The step kind already asked the person and recorded the answer (sign-off, approval).
    decision: tuple[str, str, dict[str, Any]] | None = None
    # Hosts a stopped rollout left as they were: a retry of the failed hosts must include them.
    untouched: tuple[str, ...] = ()
    # What to do next, when launchpad knows (a LaunchpadError's hint): shown under the summary.
    hint: Said = ""

    @property
    def failed_hosts(self) -> tuple[str, ...]:
        return tuple(h.host for h in self.hosts if h.status == "failed") + self.untouched


@dataclass
class StepContext:
    """Everything a step may use while it runs. Built by the engine for each attempt."""

    run_id: int
    phase_id: str
    step_id: str
    attempt: int
    site: Site
    env_name: str
    environment: Environment
    values: dict[str, Any]  # the template context: vars, env, site, duty …
    prompter: Prompter
    emit: EventSink
    # Hosts to run on; a retry of failed hosts narrows it.
    hosts: list[Host]
    transport_for: Callable[[Host], Transport]
    report_host: Callable[[HostOutcome], None]
    audit: Callable[[str, str, dict[str, Any]], None]
    phase_status: Callable[[str], str | None]
    now: Callable[[], datetime]
    cancel: threading.Event = field(default_factory=threading.Event)
    # The run's own workspace and store (the engine's): steps that keep records (backups,
    # notices) write where the run writes. None only for a step run on its own in a test.
    workspace: Workspace | None = None
    store: Store | None = None

    @property
    def workspace_root(self) -> Path | None:
        """Relative paths in site.yaml (SQLite files, templates) are relative to it."""
        return self.workspace.root if self.workspace is not None else None

    def local_path(self, given: str) -> Path:
        """A file on this machine a step names: relative paths start at the workspace."""
        path = Path(given)
        return self.workspace_root / path if not path.is_absolute() and self.workspace_root is not None else path


# What the number a host reports for a step is (StepKind.code).
HostCode = Literal["exit", "http"]


@dataclass(frozen=True)
class StepKind:
    name: str
    spec: type[StepSpec]
    execute: Callable[[Any, StepContext], StepOutcome]
    # Whether a step of this kind may be re-run after an interruption without asking.
    idempotent: bool
    runs_on_hosts: bool = False
    # A gate's refusal (or failure to check) stops the run: never retried, skipped or answered past.
    gate: bool = False
    # What the number on each host's row is: a command's exit code, or a page's HTTP status.
    code: HostCode = "exit"
    # Whether its confirmation is a question for a person, never answered by a blanket yes
    # (ConfirmRequest.by_yes): a restore throws away what was written since its backup.
    asks_a_person: bool = False
