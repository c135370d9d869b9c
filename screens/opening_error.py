"""The screen shown instead of the dashboard when there is no usable workspace.

A field engineer who starts launchpad in the wrong folder, or after a typo in site.yaml, must
see what is wrong and where (each problem as file:line:col, as editors and `launchpad check`
print it), and how to get going: create a workspace, try the demo, or point at another folder.
Never a traceback. After fixing the file, `r` tries again without restarting.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from screens.base import LaunchpadScreen
from screens.dialogs.error import describe_error
from screens.support.i18n import said, t


class OpeningErrorScreen(LaunchpadScreen):
    BINDINGS = [
        Binding("r", "reopen", "key.retry_open", id="opening.retry"),
        Binding("c", "copy", "key.copy", id="opening.copy"),
        Binding("q", "app.quit", "key.quit", id="opening.quit"),
    ]

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="opening-error"):
            yield Static(id="opening-text")

    def screen_title(self) -> str:
        return t("open.title")

    def on_mount(self) -> None:
        super().on_mount()
        self.relabel()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#opening-text", Static).update(self.describe())

    def headline(self) -> str:
        from launchpad.errors import InvalidInput, WorkspaceNotFound

        if isinstance(self.error, WorkspaceNotFound):
            return t("open.not_found")
        if isinstance(self.error, InvalidInput):
            return t("open.invalid")
        return t("open.other")

    def describe(self) -> Text:
        from launchpad.errors import InvalidInput

        text = Text()
        text.append(f"✗ {self.headline()}\n\n", style="bold red")
        if isinstance(self.error, InvalidInput):
            text.append(t("open.fix") + "\n", style="bold")
            for problem in self.error.problems:
                text.append(f"  {problem.file}:{problem.line}:{problem.col}", style="bold yellow")
                text.append(f"  {said(problem.said)}\n")
            if self.error.hint:
                text.append(f"  → {said(self.error.said_hint)}\n")
        else:
            _title, message = describe_error(self.error)
            text.append(f"{message}\n")
        text.append(f"\n{t('open.ways_out')}\n", style="bold")
        for key in ("open.way_init", "open.way_demo", "open.way_flag"):
            command, _, explanation = t(key).partition(" — ")
            text.append("  $ ")
            text.append(command, style="bold cyan")
            text.append(f"   {explanation}\n", style="dim")
        return text

    def action_reopen(self) -> None:
        self.launchpad.reopen()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.describe().plain)
        self.notify(t("dlg.copied"))
