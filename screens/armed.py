"""An armed run: the playbook, environment and values are chosen, and the screen counts down to
the opening of its window (`launchpad.run.arming`). When the window opens it asks the engineer
at the keyboard to start — it never starts by itself; s starts once the window is open, Escape
disarms. Arming, disarming and starting are audited."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from launchpad.run.arming import DISARMED, STARTED, Arming, record
from screens.base import LaunchpadScreen
from screens.dialogs.confirm import ConfirmDialog
from screens.support.i18n import t


class ArmedScreen(LaunchpadScreen):
    BINDINGS = [
        Binding("s", "start", "key.armed_start", id="armed.start"),
        Binding("escape", "disarm", "key.armed_disarm", id="armed.disarm"),
    ]

    def __init__(self, loaded: Any, arming: Arming, values: dict[str, str]) -> None:
        super().__init__()
        self.loaded, self.arming, self.values = loaded, arming, values
        self.asked = False  # the window opened and the engineer was asked once
        self.started = False

    def compose_body(self) -> ComposeResult:
        with Vertical(id="armed"):
            yield Static(id="armed-what")
            yield Static(id="armed-countdown")
            yield Static(id="armed-hint")

    def screen_title(self) -> str:
        return t("armed.subtitle")

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = self.screen_title()
        self.tick()
        self.set_interval(1.0, self.tick)

    def relabel(self) -> None:
        super().relabel()
        self.tick()

    def now(self) -> Any:
        session = self.launchpad.session
        assert session is not None, "a run is armed on an open workspace"
        return session.now()

    def tick(self) -> None:
        """Redraw the countdown; when the window has opened, ask the engineer once."""
        arming, now = self.arming, self.now()
        self.query_one("#armed-what", Static).update(Text(t(
            "armed.what", playbook=self.loaded.playbook.title, env=arming.environment, window=arming.description,
            opens=f"{arming.opens:%Y-%m-%d %H:%M}")))
        left = int(arming.waiting(now))
        countdown = t("armed.open") if arming.open(now) else t(
            "armed.left", time=f"{left // 3600:02d}:{left % 3600 // 60:02d}:{left % 60:02d}")
        self.query_one("#armed-countdown", Static).update(Text(countdown, style="bold"))
        self.query_one("#armed-hint", Static).update(Text(
            t("armed.hint_open") if arming.open(now) else t("armed.hint_wait"), style="dim"))
        if arming.open(now) and not self.asked and not self.started:
            self.asked = True
            self.ask_to_start()

    def ask_to_start(self) -> None:
        dialog = ConfirmDialog(t("armed.ask_title", playbook=self.loaded.playbook.title, env=self.arming.environment),
                               t("armed.ask_body"), yes_label=t("armed.start_now"))
        self.app.push_screen(dialog, callback=self._answered)

    def _answered(self, yes: bool | None) -> None:
        if yes:
            self.start()

    def action_start(self) -> None:
        if not self.arming.open(self.now()):
            self.notify(t("armed.not_yet", opens=f"{self.arming.opens:%H:%M}"), severity="warning")
            return
        self.ask_to_start()

    def start(self) -> None:
        from screens.run import RunScreen

        if self.started:
            return
        self.started = True
        session = self.launchpad.session
        assert session is not None
        record(session.store(), session.actor, STARTED, self.arming)
        self.app.switch_screen(RunScreen(self.loaded, self.arming.environment, self.values))

    def action_disarm(self) -> None:
        self.app.push_screen(ConfirmDialog(t("armed.disarm_title"), t("armed.disarm_body"), danger=False),
                             callback=self._disarmed)

    def _disarmed(self, yes: bool | None) -> None:
        if not yes:
            return
        session = self.launchpad.session
        assert session is not None
        record(session.store(), session.actor, DISARMED, self.arming)
        self.app.pop_screen()
