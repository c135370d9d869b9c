"""An error in a dialog: what failed, where and what to do next, with a key that copies the
whole text, because on a client site the next step is usually pasting it to a colleague."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Button

from screens.dialogs.base import BaseDialog
from screens.support.i18n import current_language, t


class ErrorDialog(BaseDialog[None]):
    BINDINGS = [Binding("c", "copy", "key.copy", id="error.copy")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__(title, text, danger=True)
        self.text = text

    def buttons(self) -> list[Button]:
        return [Button(t("key.copy"), id="copy"), Button(t("dlg.close"), id="close", variant="primary")]

    def answer(self, button_id: str) -> None:
        if button_id == "copy":
            self.action_copy()
        else:
            self.dismiss(None)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(f"{self.dialog_title}\n{self.text}")
        self.notify(t("dlg.copied"))


def describe_error(error: BaseException) -> tuple[str, str]:
    """(title, text) for any error: a LaunchpadError as the CLI renders it, anything else as a
    bug report line (never a traceback)."""
    from launchpad.errors import LaunchpadError

    if isinstance(error, LaunchpadError):
        return error.title_in(current_language()), error.render(current_language())
    return t("error.title"), t("error.internal", error=f"{type(error).__name__}: {error}")
