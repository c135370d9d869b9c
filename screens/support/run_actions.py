"""The run screen's keys: run next, run all, retry, retry failed hosts, skip with a reason,
abort, the rollback plan, back — and the failed-step question they answer.

A failed step waits here, not in a modal: the engine's on_failure question is parked in
`pending_failure` and the keys answer it, so the person can first read the failed hosts'
output. Keys that do not apply are hidden (a critical step shows no skip at all), and abort
without a pending failure stops the run at the next safe point after a confirmation.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from launchpad.run.prompter import FailureChoice, FailureRequest
from screens.support.commands import PaletteCommand
from screens.support.i18n import t
from screens.support.prompter import Answer
from screens.widgets.step_tree import StepTree

FAILURE_ACTIONS = ("retry_all", "retry_failed", "skip")
RUN_BINDINGS: list[Binding | tuple[str, str] | tuple[str, str, str]] = [
    Binding("n", "run_next", "key.run_next", id="run.next"),
    Binding("a", "run_all", "key.run_all", id="run.all"),
    Binding("r", "retry_all", "key.retry_all", id="run.retry"),
    Binding("f", "retry_failed", "key.retry_failed", id="run.retry_failed"),
    Binding("s", "skip", "key.skip", id="run.skip"),
    Binding("x", "abort", "key.abort", id="run.abort"),
    Binding("b", "rollback", "key.rollback", id="run.rollback"),
    Binding("escape", "back", "key.back", id="run.back"),
]


class RunKeys:
    """Mixin for RunScreen; expects its state (control, state, pending_failure …) and, being
    mixed into a Screen, the screen's methods — declared here for the type checker."""

    pending_failure: tuple[FailureRequest, Answer] | None
    state: str
    control: Any
    loaded: Any
    env_name: str
    app: Any
    run_in_progress: Any
    query_one: Any
    notify: Any
    refresh_bindings: Any
    _show_step: Any
    _show_state: Any


    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in FAILURE_ACTIONS:
            if self.pending_failure is None:
                return False
            return not (action == "skip" and self.pending_failure[0].critical)
        if action in ("run_next", "run_all"):
            # While a failed step waits, only its answers make sense (and fit at 80 columns).
            return self.state != "ended" and self.pending_failure is None
        if action == "abort":
            return self.state != "ended"
        if action == "back":
            return self.state == "ended"
        return True

    def ask_failure(self, request: FailureRequest, answer: Answer) -> None:
        self.pending_failure = (request, answer)
        self.query_one(StepTree).select_step(request.step_id)
        self._show_step(request.step_id)
        self._show_state()
        self.refresh_bindings()
        self.app.bell()

    def _answer_failure(self, choice: FailureChoice) -> None:
        if self.pending_failure is None:
            return
        _request, answer = self.pending_failure
        self.pending_failure = None
        answer(choice)
        self._show_state()
        self.refresh_bindings()

    def action_retry_all(self) -> None:
        self._answer_failure(FailureChoice("retry_all"))

    def action_retry_failed(self) -> None:
        self._answer_failure(FailureChoice("retry_failed"))

    def action_skip(self) -> None:
        from screens.dialogs.reason import ReasonDialog

        if self.pending_failure is None or self.pending_failure[0].critical:
            return
        request = self.pending_failure[0]
        title = t("reason.skip_title", step=request.title)
        dialog = ReasonDialog(title, t("reason.skip_body"), go_label=t("reason.skip_go"))
        self.app.push_screen(dialog, callback=self._skip_with)

    def _skip_with(self, reason: str | None) -> None:
        if reason:
            self._answer_failure(FailureChoice("skip", reason))

    def action_abort(self) -> None:
        from screens.dialogs.confirm import ConfirmDialog

        if self.pending_failure is not None:
            self._answer_failure(FailureChoice("abort", "aborted by the person"))
            return
        if self.state == "ended":
            return

        def answered(stop: bool | None) -> None:
            if stop:
                self.control.request_stop()

        self.app.push_screen(ConfirmDialog(t("run.stop_title"), t("run.stop_body")), callback=answered)

    def action_run_next(self) -> None:
        if self.state == "paused":
            self.control.run_next()
        else:
            self.control.pause_after_step()
            self.notify(t("run.paused"), timeout=3)

    def action_run_all(self) -> None:
        self.control.run_all()

    def action_rollback(self) -> None:
        from screens.dialogs.rollback_plan import RollbackPlanDialog

        self.app.push_screen(RollbackPlanDialog(self.loaded.playbook, self.env_name))

    def action_back(self) -> None:
        if self.run_in_progress:
            self.notify(t("run.busy"), severity="warning")
            return
        self.app.pop_screen()

    def palette_commands(self) -> list[PaletteCommand]:
        return [
            PaletteCommand("cmd.run_next", self.action_run_next),
            PaletteCommand("cmd.run_all", self.action_run_all),
            PaletteCommand("cmd.abort", self.action_abort),
            PaletteCommand("cmd.rollback", self.action_rollback),
        ]
