"""The offer to resume interrupted runs, shown when the app opens and from "runs: resume".
"Later" is focused: resuming touches hosts, so it must be a choice, not a reflex."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Button, OptionList
from textual.widgets.option_list import Option

from screens.dialogs.base import BaseDialog
from screens.support.display import run_title, stored_time
from screens.support.i18n import status_word, t


class ResumeDialog(BaseDialog[int | None]):
    def __init__(self, runs: list[dict[str, Any]], tz: ZoneInfo) -> None:
        super().__init__(t("resume.title"), t("resume.body"))
        self.runs = runs
        self.tz = tz

    def compose_fields(self) -> ComposeResult:
        options = [
            Option(
                f"#{run['id']}  {run_title(run)}  {run['environment']}  "
                f"{status_word(run['status'])}  {stored_time(run['started'], self.tz)}",
                id=str(run["id"]),
            )
            for run in self.runs
        ]
        yield OptionList(*options, id="resume-runs")

    def buttons(self) -> list[Button]:
        return [Button(t("key.resume"), id="resume", variant="primary"), Button(t("resume.later"), id="later")]

    def first_focus(self) -> Widget | None:
        return self.query_one("#later", Button)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or 0) or None)

    def answer(self, button_id: str) -> None:
        if button_id != "resume":
            self.dismiss(None)
            return
        runs = self.query_one("#resume-runs", OptionList)
        index = runs.highlighted if runs.highlighted is not None else 0
        self.dismiss(int(self.runs[index]["id"]))
