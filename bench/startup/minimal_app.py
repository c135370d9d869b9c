"""The yardstick: the smallest Textual app that paints a frame, exiting on its first paint."""

from painted import painted_then_exit
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class MinimalApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("hello")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(painted_then_exit, self)


if __name__ == "__main__":
    MinimalApp().run()
