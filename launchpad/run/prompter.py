"""How the engine asks a person something, and the answers it gets back.

The engine never reads a terminal or opens a dialog: it calls a Prompter. The CLI answers from
the terminal, an answers file or `--yes`; the TUI with modal screens; tests with a script.
Every question is a small frozen dataclass so that each front end can render it its own way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from launchpad.errors import UsageError
from launchpad.phrases import Said, phrase


class PromptCancelled(Exception):
    """Raised by a prompter whose question was left unanswered because the run is being
    stopped (`Engine.cancel`): no answer is invented, and the engine ends the run as
    interrupted, so it can be resumed."""


@dataclass(frozen=True)
class ConfirmRequest:
    step_id: str
    title: Said
    environment: str
    production: bool
    detail: Said = ""  # what will run, on which hosts
    # Whether a blanket yes (`--yes`, `--confirm ENV`, an answers file's `confirm: true`) answers
    # it. Not for a question only a person who knows can answer — whether a release changed data,
    # before its backup is restored over whatever was written since — which is answered at a
    # terminal or by naming the step in an answers file.
    by_yes: bool = True


@dataclass(frozen=True)
class TypeNameRequest:
    """Production safety: the person types the environment's name to go on."""

    step_id: str
    title: Said
    environment: str


@dataclass(frozen=True)
class SignOffRequest:
    step_id: str
    title: str
    instructions: str
    critical: bool
    evidence: bool = False


@dataclass(frozen=True)
class SignOff:
    signed: bool
    by: str = ""
    note: str = ""
    evidence: str = ""
    # A non-critical step can be skipped at sign-off time, with a reason.
    skip_reason: str = ""


@dataclass(frozen=True)
class ApprovalRequest:
    step_id: str
    title: str
    description: str


@dataclass(frozen=True)
class Approval:
    form_number: str
    approver: str


@dataclass(frozen=True)
class FailureRequest:
    step_id: str
    title: str
    failed_hosts: tuple[str, ...]
    all_hosts: tuple[str, ...]
    summary: Said
    critical: bool
    hint: Said = ""  # what to do next, when launchpad knows


FailureAction = Literal["retry_all", "retry_failed", "skip", "abort"]


@dataclass(frozen=True)
class FailureChoice:
    action: FailureAction
    reason: Said = ""  # a person's words, or ours when no person answered
    # No person was there to answer (no terminal, no answer written down): the run then ends
    # `failed` rather than `aborted`, which is a person's choice.
    unanswered: bool = False


@dataclass(frozen=True)
class OverrideRequest:
    step_id: str
    title: str
    refusal: Said


@dataclass(frozen=True)
class RerunRequest:
    step_id: str
    title: str
    idempotent: bool


@dataclass(frozen=True)
class VariableRequest:
    name: str
    prompt: str
    default: str | None
    choices: tuple[str, ...] = field(default_factory=tuple)
    pattern: str | None = None


class VariableNeeded(UsageError):
    """A variable without a value and nobody to ask (no terminal, not in the answers file): the
    run gathers every such variable and refuses once, naming them all (run/variables.py)."""

    def __init__(self, request: VariableRequest) -> None:
        super().__init__(phrase("cli.ask.variable_needed", name=request.name),
                         hint=phrase("cli.ask.variable_hint", name=request.name))
        self.request = request


class Prompter(Protocol):
    """Answers the engine's questions on behalf of a person. Returning a refusal (False, None,
    an empty reason) is always safe: the engine then does not do the dangerous thing."""

    actor: str

    def confirm(self, request: ConfirmRequest) -> bool: ...

    def type_environment(self, request: TypeNameRequest) -> str: ...

    def sign_off(self, request: SignOffRequest) -> SignOff: ...

    def approve(self, request: ApprovalRequest) -> Approval | None: ...

    def on_failure(self, request: FailureRequest) -> FailureChoice: ...

    def override_gate(self, request: OverrideRequest) -> str | None:
        """The reason for overriding a refused gate; '' when the person respects the refusal;
        None when no person was there to ask (no terminal, nothing in the answers file)."""
        ...

    def rerun_interrupted(self, request: RerunRequest) -> bool: ...

    def variable(self, request: VariableRequest) -> str: ...
