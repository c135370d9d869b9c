"""The Prompter a user import or rollback gets in the TUI: the run screen's `TuiPrompter` — the
same dialogs, the same waiting on a worker thread, the same safe answers (on production the
type-name dialog, which refuses a wrong name itself) — with the question put in the person's
language and the counts they are approving.

`declined` remembers a no, so the screen says "cancelled" instead of showing an error.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App

from launchpad.run.prompter import ConfirmRequest, FailureChoice, FailureRequest
from screens.support.i18n import said, t
from screens.support.prompter import Answer, TuiPrompter
from screens.support.run_control import RunControl


class _NoStepFailures:
    """An import has no playbook steps to retry or skip."""

    def ask_failure(self, request: FailureRequest, answer: Answer) -> None:
        answer(FailureChoice("abort"))


class ImportPrompter(TuiPrompter):
    def __init__(self, app: App[Any], actor: str, control: RunControl) -> None:
        super().__init__(app, actor, control, _NoStepFailures())
        self.question: tuple[str, str] | None = None  # (title, detail) in the person's language
        self.declined = False
        self.confirmed = False  # read by the worker: no progress bar before the answer

    def confirm(self, request: ConfirmRequest) -> bool:
        if self.question is not None:
            title, detail = self.question
            request = replace(request, title=title, detail=detail)
        if request.production:
            confirmed = super().confirm(request)  # the type-name dialog, remembered for type_environment
        else:
            from screens.dialogs.confirm import ConfirmDialog

            yes = t("key.ui_rollback") if request.step_id == "user-rollback" else t("key.ui_apply")
            confirmed = bool(self._dialog(lambda: ConfirmDialog(said(request.title), said(request.detail),
                                                                yes_label=yes)))
        self.declined, self.confirmed = not confirmed, confirmed
        return confirmed
