"""A Prompter that answers from a script and remembers what it was asked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from launchpad.run.prompter import Approval, FailureChoice, SignOff


@dataclass
class ScriptedPrompter:
    actor: str = "tester"
    confirm_answer: bool = True
    typed_name: str = ""
    sign_offs: list[SignOff] = field(default_factory=list)
    approval: Approval | None = None
    failures: list[FailureChoice | Callable[[Any], FailureChoice]] = field(default_factory=list)
    override_reason: str = ""
    rerun: bool = False
    variables: dict[str, str] = field(default_factory=dict)
    asked: list[Any] = field(default_factory=list)

    def confirm(self, request: Any) -> bool:
        self.asked.append(request)
        return self.confirm_answer

    def type_environment(self, request: Any) -> str:
        self.asked.append(request)
        return self.typed_name

    def sign_off(self, request: Any) -> SignOff:
        self.asked.append(request)
        return self.sign_offs.pop(0) if self.sign_offs else SignOff(False)

    def approve(self, request: Any) -> Approval | None:
        self.asked.append(request)
        return self.approval

    def on_failure(self, request: Any) -> FailureChoice:
        self.asked.append(request)
        if not self.failures:
            return FailureChoice("abort", unanswered=True)
        answer = self.failures.pop(0)
        return answer(request) if callable(answer) else answer

    def override_gate(self, request: Any) -> str:
        self.asked.append(request)
        return self.override_reason

    def rerun_interrupted(self, request: Any) -> bool:
        self.asked.append(request)
        return self.rerun

    def variable(self, request: Any) -> str:
        self.asked.append(request)
        if request.name in self.variables:
            return self.variables[request.name]
        if request.default is None:
            raise AssertionError(f"test did not script variable {request.name}")
        return request.default
