"""The Prompter of a use case that asks one question outside a playbook (a baseline fix, a user
import or its rollback): the run screen's `TuiPrompter` — the same dialogs, the same waiting on
a worker thread, the same safe answers (on production the type-name dialog, which refuses a
wrong name itself) — with the question put in the person's language and the yes button named
for what it does.

`declined` remembers a no, so the screen says "cancelled" rather than showing a refusal;
`confirmed` remembers a yes, read by the worker before it shows any progress.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App

from launchpad.run.prompter import ConfirmRequest, FailureChoice, FailureRequest
from screens.support.i18n import said
from screens.support.prompter import Answer, TuiPrompter
from screens.support.run_control import RunControl


class _NoStepFailures:
    """Outside a playbook there are no steps to retry or skip."""

    def ask_failure(self, request: FailureRequest, answer: Answer) -> None:
        answer(FailureChoice("abort"))


class QuestionPrompter(TuiPrompter):
    def __init__(self, app: App[Any], actor: str, control: RunControl) -> None:
        super().__init__(app, actor, control, _NoStepFailures())
        self.question: tuple[str, str] | None = None  # (title, detail) in the person's language
        self.declined = False
        self.confirmed = False

    def yes_label(self, request: ConfirmRequest) -> str:
        raise NotImplementedError

    def confirm(self, request: ConfirmRequest) -> bool:
        if self.question is not None:
            title, detail = self.question
            request = replace(request, title=title, detail=detail)
        if request.production:
            confirmed = super().confirm(request)  # the type-name dialog, remembered for type_environment
        else:
            from screens.dialogs.confirm import ConfirmDialog

            yes = self.yes_label(request)
            confirmed = bool(self._dialog(lambda: ConfirmDialog(said(request.title), said(request.detail),
                                                                yes_label=yes)))
        self.declined, self.confirmed = not confirmed, confirmed
        return confirmed
