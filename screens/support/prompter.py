"""The TUI's Prompter: the engine's questions as modal dialogs, answered by a person.

The engine runs in a worker thread and calls these methods there. Each question is posted to
the app as a `QuestionAsked` message (post_message is thread-safe and never blocks, even while
the app shuts down); the app shows the dialog on the UI thread, and this thread waits for the
answer. Waiting polls the run's stop flag, so quitting or aborting withdraws the question
(`PromptCancelled`, and the engine ends the run interrupted) instead of inventing an answer the
person never gave.

Every refusal — Escape, Cancel, closing — maps to the engine's safe answer: not confirmed, not
signed, no override, abort.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Protocol

from textual.app import App
from textual.message import Message
from textual.screen import Screen

from launchpad.errors import SecretUnavailable
from launchpad.phrases import Said, phrase
from launchpad.run.prompter import (
    Approval,
    ApprovalRequest,
    ConfirmRequest,
    FailureChoice,
    FailureRequest,
    OverrideRequest,
    RerunRequest,
    SignOff,
    SignOffRequest,
    TypeNameRequest,
    VariableRequest,
)
from screens.support.i18n import said, t
from screens.support.run_control import RunControl

Answer = Callable[[Any], None]


class QuestionAsked(Message):
    """A worker needs a person: the app calls `present()` on the UI thread, which shows the
    question and later answers it once (a dialog's dismiss callback, a key on the run screen)."""

    def __init__(self, present: Callable[[], None]) -> None:
        super().__init__()
        self.present = present


class FailureHandler(Protocol):
    """Who shows a failed step and its choices (the run screen, without a modal, so the person
    can read the failed hosts' output before choosing)."""

    def ask_failure(self, request: FailureRequest, answer: Answer) -> None: ...


class TuiPrompter:
    def __init__(self, app: App[Any], actor: str, control: RunControl, failures: FailureHandler) -> None:
        self.app = app
        self.actor = actor
        self.control = control
        self.failures = failures
        # Production steps: the name typed in the confirmation answers the engine's follow-up.
        self._typed_names: dict[str, str] = {}

    def _ask(self, show: Callable[[Answer], None]) -> Any:
        self.control.raise_if_stopping()
        answered = threading.Event()
        box: list[Any] = []

        def answer(value: Any) -> None:
            if not answered.is_set():
                box.append(value)
                answered.set()

        self.app.post_message(QuestionAsked(lambda: show(answer)))
        self.control.wait_for(answered)
        return box[0]

    def _dialog(self, make: Callable[[], Screen[Any]]) -> Any:
        def show(answer: Callable[[Any], None]) -> None:
            self.app.push_screen(make(), callback=answer)

        return self._ask(show)

    # -- the Prompter protocol ---------------------------------------------------------------

    def confirm(self, request: ConfirmRequest) -> bool:
        if request.production:
            from screens.dialogs.type_name import TypeNameDialog

            typed = self._dialog(lambda: TypeNameDialog(said(request.title), request.environment, said(request.detail)))
            if typed and typed == request.environment:
                self._typed_names[request.step_id] = typed
                return True
            return False
        from screens.dialogs.confirm import ConfirmDialog

        title = t("confirm.title", step=request.title, env=request.environment)
        return bool(self._dialog(lambda: ConfirmDialog(title, said(request.detail), yes_label=t("confirm.run"))))

    def type_environment(self, request: TypeNameRequest) -> str:
        typed = self._typed_names.pop(request.step_id, None)
        if typed is not None:
            return typed
        from screens.dialogs.type_name import TypeNameDialog

        return str(self._dialog(lambda: TypeNameDialog(said(request.title), request.environment)) or "")

    def sign_off(self, request: SignOffRequest) -> SignOff:
        from screens.dialogs.sign_off import SignOffDialog

        answer = self._dialog(lambda: SignOffDialog(request, self.actor))
        return answer if isinstance(answer, SignOff) else SignOff(False)

    def approve(self, request: ApprovalRequest) -> Approval | None:
        from screens.dialogs.approval import ApprovalDialog

        answer = self._dialog(lambda: ApprovalDialog(request))
        return answer if isinstance(answer, Approval) else None

    def on_failure(self, request: FailureRequest) -> FailureChoice:
        answer = self._ask(lambda answer: self.failures.ask_failure(request, answer))
        return answer if isinstance(answer, FailureChoice) else FailureChoice("abort")

    def override_gate(self, request: OverrideRequest) -> str:
        from screens.dialogs.reason import ReasonDialog

        def make() -> Screen[Any]:
            return ReasonDialog(
                t("override.title", step=request.title),
                t("override.body", refusal=request.refusal),
                go_label=t("override.go"),
                cancel_label=t("override.respect"),
            )

        return str(self._dialog(make) or "")

    def rerun_interrupted(self, request: RerunRequest) -> bool:
        from screens.dialogs.confirm import ConfirmDialog

        return bool(self._dialog(lambda: ConfirmDialog(t("rerun.title", step=request.title), t("rerun.body"))))

    def variable(self, request: VariableRequest) -> str:
        from screens.dialogs.reason import ReasonDialog

        def make() -> Screen[Any]:
            hint = f"{request.prompt}\n({' / '.join(request.choices)})" if request.choices else request.prompt
            return ReasonDialog(
                t("variable.title", name=request.name),
                hint,
                go_label=t("dlg.ok"),
                value=request.default or "",
                required=False,
                danger=False,
            )

        answer = self._dialog(make)
        return str(answer) if answer else (request.default or "")

    def secret(self, label: Said) -> str:
        """A `prompt` secret (a database password), typed into a hidden field: for backup,
        restore and sql steps and the backups screen alike. Never stored, never logged."""
        from screens.dialogs.secret import SecretDialog

        value = str(self._dialog(lambda: SecretDialog(label)) or "")
        if not value:
            raise SecretUnavailable(phrase("secret.not_given", label=label), hint=phrase("secret.not_given_hint"))
        return value
