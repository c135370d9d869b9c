"""A secret that site.yaml says to `prompt` for (a database password): typed hidden, used for
the one operation that asked, and never stored. Escape answers "" — the caller refuses then."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Button, Input

from screens.dialogs.base import BaseDialog
from screens.i18n import t


class SecretDialog(BaseDialog[str]):
    def __init__(self, label: str) -> None:
        super().__init__(t("secret.title", label=label), t("secret.body"))

    def compose_fields(self) -> ComposeResult:
        yield Input(password=True, placeholder=t("secret.placeholder"), id="secret")

    def buttons(self) -> list[Button]:
        return [Button(t("dlg.ok"), id="go", variant="primary"), Button(t("dlg.cancel"), id="cancel")]

    def first_focus(self) -> Widget | None:
        return self.query_one("#secret", Input)

    def safe_answer(self) -> str:
        return ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.answer("go")

    def answer(self, button_id: str) -> None:
        self.dismiss(self.query_one("#secret", Input).value if button_id == "go" else "")
