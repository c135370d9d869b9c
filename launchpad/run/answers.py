"""The `--answers FILE` format: a person's answers written down in advance, so a run can go
unattended through the questions that were foreseen (and stop safely at any other).

    actor: 张三
    variables: {version: 2.3.1}
    confirm: true                 # or a list of step ids
    environment_name: prod        # typed name for production confirmations
    sign_off:
      acceptance.login: {by: 张三, note: 已验证}
    approvals:
      release.approval: {form_number: BG-2026-017, approver: 李四}
    on_failure:
      readiness.disk: {action: skip, reason: 客户确认磁盘扩容在下周}
      default: abort
    override:
      release.window: 客户书面同意延长窗口
    rerun_interrupted: [release.deploy]   # or true

A sign-off names a person (`by` is never blank), a skip and an override carry a reason: a file
that leaves one blank is refused when it is read. A refused gate is never answered from here:
only a release window's `override` (with its reason) gets past one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from launchpad.phrases import phrase
from launchpad.workspace.yamlsource import read_yaml, validate


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SignOffAnswer(_Model):
    by: str = Field(description="Who signs: a sign-off names a person.")
    note: str = Field("", description="What was checked; a critical step's sign-off needs one.")
    evidence: str = ""
    skip: str = Field("", description="Skip (non-critical steps only) with this reason.")

    @model_validator(mode="after")
    def _names_a_person(self) -> SignOffAnswer:
        if not self.skip.strip() and not self.by.strip():
            raise ValueError(phrase("rule.answer_by"))
        return self


class ApprovalAnswer(_Model):
    form_number: str
    approver: str


class FailureAnswer(_Model):
    action: Literal["retry_all", "retry_failed", "skip", "abort"]
    reason: str = ""

    @model_validator(mode="after")
    def _skip_has_a_reason(self) -> FailureAnswer:
        if self.action == "skip" and not self.reason.strip():
            raise ValueError(phrase("rule.answer_skip"))
        return self


class Answers(_Model):
    actor: str | None = None
    variables: dict[str, str] = Field(default_factory=dict)
    confirm: bool | list[str] = False
    environment_name: str | None = None
    sign_off: dict[str, SignOffAnswer] = Field(default_factory=dict)
    approvals: dict[str, ApprovalAnswer] = Field(default_factory=dict)
    on_failure: dict[str, FailureAnswer] = Field(default_factory=dict)
    override: dict[str, str] = Field(default_factory=dict)
    rerun_interrupted: bool | list[str] = False

    @field_validator("on_failure", mode="before")
    @classmethod
    def _abort_shorthand(cls, value: object) -> object:
        """`default: abort` is short for `{action: abort}` (one model, so one error per mistake)."""
        if isinstance(value, dict):
            return {key: {"action": "abort"} if answer == "abort" else answer for key, answer in value.items()}
        return value

    @field_validator("override")
    @classmethod
    def _override_has_a_reason(cls, value: dict[str, str]) -> dict[str, str]:
        for reason in value.values():
            if not reason.strip():
                raise ValueError(phrase("rule.answer_override"))
        return value

    def confirms(self, step_id: str) -> bool:
        return self.confirm is True or self.names(step_id)

    def names(self, step_id: str) -> bool:
        """Whether `confirm:` lists the step by its id (not a blanket `confirm: true`)."""
        return isinstance(self.confirm, list) and step_id in self.confirm

    def reruns(self, step_id: str) -> bool:
        chosen = self.rerun_interrupted
        return chosen is True or (isinstance(chosen, list) and step_id in chosen)


def load_answers(path: Path) -> Answers:
    return validate(Answers, read_yaml(path))
