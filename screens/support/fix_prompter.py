"""The Prompter a baseline fix gets in the TUI: the run screen's `TuiPrompter` — the same
dialogs, the same waiting on a worker thread, the same safe answers (on production the
type-name dialog, which refuses a wrong name itself) — with the question put in the person's
language and the differences they are approving.

`declined` remembers a no, so the screen says "cancelled" rather than "refused".
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App

from launchpad.run.prompter import ConfirmRequest
from screens.support.i18n import said, t
from screens.support.import_prompter import _NoStepFailures
from screens.support.prompter import TuiPrompter
from screens.support.run_control import RunControl


class FixPrompter(TuiPrompter):
    def __init__(self, app: App[Any], actor: str, control: RunControl) -> None:
        super().__init__(app, actor, control, _NoStepFailures())
        self.question: tuple[str, str] | None = None  # (title, detail) in the person's language
        self.declined = False

    def confirm(self, request: ConfirmRequest) -> bool:
        if self.question is not None:
            title, detail = self.question
            request = replace(request, title=title, detail=detail)
        if request.production:
            confirmed = super().confirm(request)  # the type-name dialog, remembered for type_environment
        else:
            from screens.dialogs.confirm import ConfirmDialog

            confirmed = bool(self._dialog(lambda: ConfirmDialog(said(request.title), said(request.detail),
                                                                yes_label=t("key.drift_fix"))))
        self.declined = not confirmed
        return confirmed
