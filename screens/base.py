"""What every launchpad screen shares: bindings shown in the current language, and the
production banner that must be on every screen while production is selected.

Binding descriptions are catalog keys (e.g. "key.run_next"), translated when the footer and the
help screen read `active_bindings`, so switching language relabels every key at once without
redefining bindings (their ids, which users remap, never change).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header
from textual.worker import Worker, WorkerState

from screens.support.i18n import t
from screens.widgets.production_banner import ProductionBanner

if TYPE_CHECKING:
    from launchpad.session import Session
    from screens.app import LaunchpadApp

# Narrower than this, the footer drops the spaces around its keys and leaves Ctrl+P (listed by
# help) to the screen's own keys, so that they, help (?) included, still fit at 80 columns.
COMPACT_FOOTER_BELOW = 100


class TranslatedBindings:
    """Mixin for screens: the footer and help show binding descriptions translated, help's
    own key first."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        # A mixin: the Screen it is mixed into has the property; mypy cannot see past `object`.
        bindings: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        translated = {key: _translated(active) for key, active in bindings.items()}
        # Help leads the footer: whatever a narrow terminal cuts off at the right is listed there.
        return dict(sorted(translated.items(), key=lambda item: item[1].binding.action != "help"))


def _translated(active: ActiveBinding) -> ActiveBinding:
    binding = replace(active.binding, description=t(active.binding.description))
    return ActiveBinding(active.node, binding, active.enabled, t(active.tooltip) if active.tooltip else "")


class LaunchpadScreen(TranslatedBindings, Screen[Any]):
    """A full screen: header, production banner, the screen's body, footer."""

    @property
    def launchpad(self) -> LaunchpadApp:
        # Textual types `app` as App[object]; every launchpad screen runs inside LaunchpadApp,
        # which imports this module, so the type is named rather than checked at run time.
        return cast("LaunchpadApp", self.app)

    @property
    def session(self) -> Session:
        """The open workspace's session. Every screen but the dashboard and the opening error
        is reached only once a workspace is open, so its absence is a bug, not a state."""
        session = self.launchpad.session
        assert session is not None, f"{type(self).__name__} opens on an open workspace"
        return session

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield ProductionBanner()
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        self.watch(self.app, "language", self._language_changed, init=False)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < COMPACT_FOOTER_BELOW
        for footer in self.query(Footer):
            footer.compact, footer.show_command_palette = narrow, not narrow

    def _language_changed(self, _language: str) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Redraw the texts after a language switch; screens with state override this."""
        self.sub_title = self.screen_title()

    def screen_title(self) -> str:
        return ""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Worker messages do not bubble: each screen reports its own workers' failures.
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.worker_failed(event.worker.error)

    def worker_failed(self, error: BaseException) -> None:
        self.launchpad.show_error(error)


class LaunchpadModal(TranslatedBindings, ModalScreen[Any]):
    """A modal screen that keeps the production banner visible above the dimmed background."""

    @property
    def launchpad(self) -> LaunchpadApp:
        # Textual types `app` as App[object]; every launchpad screen runs inside LaunchpadApp,
        # which imports this module, so the type is named rather than checked at run time.
        return cast("LaunchpadApp", self.app)
