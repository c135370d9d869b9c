"""What happened during a run, as plain frozen dataclasses.

The engine emits these; the CLI prints them as progress lines, the TUI wraps them in Textual
messages, tests collect them. They carry names and results only, never secrets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from launchpad.phrases import Said


@dataclass(frozen=True)
class RunStarted:
    run_id: int
    playbook: str
    environment: str
    production: bool
    resumed: bool


@dataclass(frozen=True)
class PhaseStarted:
    run_id: int
    phase_id: str
    title: Said  # the phase's name as written, or a phrase around it (a rollback's phase)


@dataclass(frozen=True)
class StepStarted:
    run_id: int
    step_id: str
    title: str
    kind: str
    hosts: tuple[str, ...]
    attempt: int


@dataclass(frozen=True)
class CommandSent:
    """The exact command sent to a host, for the command log."""

    run_id: int
    step_id: str
    host: str
    command: str


@dataclass(frozen=True)
class OutputLine:
    run_id: int
    step_id: str
    host: str
    stream: str
    line: str


@dataclass(frozen=True)
class HostFinished:
    run_id: int
    step_id: str
    host: str
    status: str
    exit_code: int | None
    duration: float
    message: Said


@dataclass(frozen=True)
class StepFinished:
    run_id: int
    step_id: str
    status: str
    summary: Said
    hint: Said = ""  # what to do next, when the step failed with a launchpad error that says


@dataclass(frozen=True)
class GateRefused:
    run_id: int
    step_id: str
    reason: Said
    hint: Said = ""  # what to do next, when the gate could not be checked and launchpad says


@dataclass(frozen=True)
class DecisionRecorded:
    run_id: int
    step_id: str
    kind: str
    actor: str
    reason: Said  # launchpad's own reason as a phrase; a person's words as written


@dataclass(frozen=True)
class Notice:
    """Something the person should read that is not a step result (e.g. playbook changed)."""

    run_id: int
    text: Said


@dataclass(frozen=True)
class RunFinished:
    run_id: int
    status: str


Event = (
    RunStarted
    | PhaseStarted
    | StepStarted
    | CommandSent
    | OutputLine
    | HostFinished
    | StepFinished
    | GateRefused
    | DecisionRecorded
    | Notice
    | RunFinished
)
EventSink = Callable[[Event], None]


def ignore(_event: Event) -> None:
    """An event sink for callers that do not watch progress."""
