"""The Prompter a user import or rollback gets in the TUI: one question, the counts the person
is approving, the yes button named for the import or the rollback (see `QuestionPrompter`)."""

from __future__ import annotations

from launchpad.run.prompter import ConfirmRequest
from screens.support.i18n import t
from screens.support.question_prompter import QuestionPrompter


class ImportPrompter(QuestionPrompter):
    def yes_label(self, request: ConfirmRequest) -> str:
        return t("key.ui_rollback") if request.step_id == "user-rollback" else t("key.ui_apply")
