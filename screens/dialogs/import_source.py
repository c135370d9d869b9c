"""Which sheet to import, and with which mapping: the workspace's `imports/` sheets and mapping
files listed, or a path typed (relative to the workspace). A typed path that is not a file is
refused here, in the dialog; Escape chooses nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Static

from launchpad.workspace.folder import workspace_relative
from screens.dialogs.base import BaseDialog
from screens.support.i18n import said, t

if TYPE_CHECKING:
    from launchpad.errors import LaunchpadError


class ImportSourceDialog(BaseDialog[tuple[Path, Path] | None]):
    DEFAULT_CSS = """
    ImportSourceDialog OptionList {
        height: auto;
        max-height: 5;
    }
    """

    def __init__(self, root: Path, sheets: list[Path], mappings: list[Path], current: Path | None = None) -> None:
        super().__init__(t("ui.choose_title"))
        self.root, self.sheets, self.mappings, self.current = root, sheets, mappings, current

    def _shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def compose_fields(self) -> ComposeResult:
        yield Label(t("ui.choose_sheets"))
        if self.sheets:
            yield OptionList(*(self._shown(p) for p in self.sheets), id="choose-sheet")
        else:
            yield Static(t("ui.choose_none"), classes="dim")
        yield Label(t("ui.choose_path"))
        yield Input(id="choose-path")
        yield Label(t("ui.choose_mappings"))
        if self.mappings:
            yield OptionList(*(self._shown(p) for p in self.mappings), id="choose-mapping")
        else:
            yield Static(t("ui.choose_no_mapping"), classes="dim")

    def on_mount(self) -> None:
        super().on_mount()
        for list_id, paths in (("#choose-sheet", self.sheets), ("#choose-mapping", self.mappings)):
            if paths:
                options = self.query_one(list_id, OptionList)
                options.highlighted = paths.index(self.current) if self.current in paths else 0

    def buttons(self) -> list[Button]:
        return [Button(t("ui.choose_go"), id="go", variant="primary"), Button(t("dlg.cancel"), id="cancel")]

    def first_focus(self) -> Widget | None:
        if self.sheets:
            return self.query_one("#choose-sheet", OptionList)
        return self.query_one("#choose-path", Input)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "choose-sheet":
            self.answer("go")

    def last_field_entered(self) -> None:
        self.answer("go")

    def answer(self, button_id: str) -> None:
        if button_id != "go":
            self.dismiss(None)
            return
        if not self.mappings:
            self.say_problem(t("ui.choose_no_mapping"))
            return
        typed = self.query_one("#choose-path", Input).value.strip()
        if typed:
            sheet = Path(typed).expanduser()
            sheet = sheet if sheet.is_absolute() else self.root / sheet
            if not sheet.is_file():
                self.say_problem(t("ui.choose_missing", path=typed))
                return
        elif self.sheets:
            sheet = self.sheets[self.query_one("#choose-sheet", OptionList).highlighted or 0]
        else:
            self.say_problem(t("ui.choose_none"))
            return
        mapping = self.mappings[self.query_one("#choose-mapping", OptionList).highlighted or 0]
        self.dismiss((sheet, mapping))


class HandoutDialog(BaseDialog[bool]):
    """An import's hand-out files listed, their count first (a site with many units scrolls the
    list); the person may remove them once handed out. When the core would refuse the removal
    (`refused`: handout_removal.removal_refused), the remove button is greyed and the refusal,
    with its hint, is the body's last line."""

    def __init__(self, import_id: int, files: list[Path], root: Path, refused: LaunchpadError | None = None) -> None:
        shown = "\n".join(f"  {workspace_relative(p, root)}" for p in files)
        body = f"{t('ui.handout_files', count=len(files))}\n{shown}"
        if refused is not None:
            body += f"\n\n⚠ {said(refused.said)}" + (f"\n  → {said(refused.said_hint)}" if refused.hint else "")
        super().__init__(t("ui.handout_title", id=import_id), body)
        self.removal_refused = refused

    def buttons(self) -> list[Button]:
        return [Button(t("ui.handout_remove"), id="remove", variant="error", disabled=self.removal_refused is not None),
                Button(t("dlg.close"), id="close")]

    def safe_answer(self) -> bool:
        return False

    def answer(self, button_id: str) -> None:
        self.dismiss(button_id == "remove")

