"""The Prompter a backup operation gets in the TUI: the run screen's `TuiPrompter` — the same
dialogs, the same waiting on a worker thread, the same safe answers — with the restore's
question put in the person's language.

`restore_backup` asks first (on production by the typed environment name, which the type-name
dialog checks before it answers) and changes nothing when the answer is no; `declined`
remembers that answer, so the screen can say "cancelled" instead of showing an error.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.app import App

from launchpad.backup.freshness import finished_at
from launchpad.run.prompter import ConfirmRequest, FailureChoice, FailureRequest
from screens.support.i18n import t
from screens.support.prompter import Answer, TuiPrompter
from screens.support.run_control import RunControl


class _NoStepFailures:
    """A backup operation has no playbook steps to retry or skip."""

    def ask_failure(self, request: FailureRequest, answer: Answer) -> None:
        answer(FailureChoice("abort"))


class BackupPrompter(TuiPrompter):
    def __init__(self, app: App[Any], actor: str, control: RunControl, zone: Any) -> None:
        super().__init__(app, actor, control, _NoStepFailures())
        self.zone = zone
        self.declined = False
        self.confirmed = False  # read by the worker's progress callback: no bar before the answer
        self.record: Any = None  # the backup about to be restored, for the question's words

    def confirm(self, request: ConfirmRequest) -> bool:
        record = self.record
        if record is not None:
            title = t("bk.restore_title", id=record.id, target=record.target)
            at = finished_at(record).astimezone(self.zone).strftime("%Y-%m-%d %H:%M")
            detail = t("bk.restore_detail", id=record.id, target=record.target, env=record.environment, at=at,
                       file=record.file)
            request = replace(request, title=title, detail=detail)
        confirmed = super().confirm(request)
        self.declined, self.confirmed = not confirmed, confirmed
        return confirmed
