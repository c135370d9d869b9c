"""The one dialog shape every question uses: a title, a body, optional fields, and buttons,
where Escape always gives the safe answer and the safe button has the focus.

People press Enter by reflex at 23:00. So a dialog that can do something dangerous starts with
the focus on its harmless button (No, Cancel, Not done), and a text field that gates a
dangerous action (a production name, a reason) checks its value before it answers.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from screens.base import LaunchpadModal
from screens.widgets.production_banner import ProductionBanner

ResultT = TypeVar("ResultT")


class BaseDialog(LaunchpadModal, Generic[ResultT]):
    BINDINGS = [Binding("escape", "cancel", "dlg.cancel", id="dialog.cancel")]

    def __init__(self, title: str, body: str | Text = "", *, danger: bool = False) -> None:
        super().__init__()
        self.dialog_title = title
        self.body = body
        self.danger = danger

    # -- what subclasses provide --------------------------------------------------------------

    def compose_fields(self) -> ComposeResult:
        """Inputs between the body and the buttons."""
        yield from ()

    def buttons(self) -> list[Button]:
        """The buttons, left to right; ids name the answer given to `answer`."""
        return []

    def safe_answer(self) -> Any:
        """What Escape (and closing) answers: never the dangerous thing."""
        return None

    def answer(self, button_id: str) -> None:
        """A button was pressed: dismiss with a result, or say what is missing."""
        self.dismiss(self.safe_answer())

    def first_focus(self) -> Widget | None:
        """The widget focused on opening; by default the last button (the safe one)."""
        buttons = list(self.query(Button))
        return buttons[-1] if buttons else None

    # -- the shape ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ProductionBanner()
        with Vertical(id="dialog", classes="-danger" if self.danger else ""):
            yield Static(self.dialog_title, id="dialog-title", markup=False)
            if self.body:
                with VerticalScroll(id="dialog-body"):
                    yield Static(self.body, markup=False)
            yield from self.compose_fields()
            yield Static("", id="dialog-problem")
            with Horizontal(id="dialog-buttons"):
                yield from self.buttons()

    def on_mount(self) -> None:
        widget = self.first_focus()
        if widget is not None:
            widget.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.answer(event.button.id or "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field moves to the next field; in the last one, see `last_field_entered`."""
        event.stop()
        fields = list(self.query(Input))
        position = fields.index(event.input)
        if position + 1 < len(fields):
            fields[position + 1].focus()
        else:
            self.last_field_entered()

    def last_field_entered(self) -> None:
        """Enter in the last field: the go button's answer."""
        self.answer("go")

    def action_cancel(self) -> None:
        self.dismiss(self.safe_answer())

    def say_problem(self, text: str) -> None:
        """Tell the person why the answer was not accepted, inside the dialog."""
        self.query_one("#dialog-problem", Static).update(Text(text, style="bold red"))


class OneLineDialog(BaseDialog[str]):
    """A dialog answered by one line of text (a reason, a typed name, a password): the field
    has the focus, Enter submits it, and Escape or Cancel answer "" — which every caller
    treats as no. Subclasses say what the field is and which text they accept."""

    def text_field(self) -> Input:
        raise NotImplementedError

    def accept(self, text: str) -> None:
        """The go button or Enter, with the field's text: dismiss with it, or say_problem."""
        self.dismiss(text)

    def compose_fields(self) -> ComposeResult:
        yield self.text_field()

    def first_focus(self) -> Widget | None:
        return self.query_one(Input)

    def safe_answer(self) -> str:
        return ""

    def answer(self, button_id: str) -> None:
        if button_id != "go":
            self.dismiss("")
            return
        self.accept(self.query_one(Input).value)
