"""The Prompter a baseline fix gets in the TUI: one question, the differences the person is
approving, the yes button named 修复 (see `QuestionPrompter`)."""

from __future__ import annotations

from launchpad.run.prompter import ConfirmRequest
from screens.support.i18n import t
from screens.support.question_prompter import QuestionPrompter


class FixPrompter(QuestionPrompter):
    def yes_label(self, request: ConfirmRequest) -> str:
        return t("key.drift_fix")
