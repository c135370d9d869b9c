"""A secret that site.yaml says to `prompt` for (a database password): typed hidden, used for
the one operation that asked, and never stored. Escape answers "" — the caller refuses then."""

from __future__ import annotations

from textual.widgets import Button, Input

from launchpad.phrases import Said
from screens.dialogs.base import OneLineDialog
from screens.support.i18n import t


class SecretDialog(OneLineDialog):
    def __init__(self, label: Said) -> None:
        super().__init__(t("secret.title", label=label), t("secret.body"))

    def text_field(self) -> Input:
        return Input(password=True, placeholder=t("secret.placeholder"), id="secret")

    def buttons(self) -> list[Button]:
        return [Button(t("dlg.ok"), id="go", variant="primary"), Button(t("dlg.cancel"), id="cancel")]
