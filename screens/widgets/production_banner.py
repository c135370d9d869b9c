"""The red production banner: on every screen and dialog while a production environment is
selected, and gone the moment it is not.

It follows the app's `environment` and `language` reactives itself, so no screen can forget to
show it, and a screen pushed later still shows it from its first frame.
"""

from __future__ import annotations

from textual.widgets import Static

from screens.support.i18n import t


class ProductionBanner(Static):
    DEFAULT_CSS = """
    ProductionBanner {
        width: 100%;
        height: 1;
        background: $error;
        color: $text;
        text-style: bold;
        content-align: center middle;
        display: none;
    }
    ProductionBanner.-production {
        display: block;
    }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "environment", self._refresh_banner)
        self.watch(self.app, "session", self._refresh_banner, init=False)
        self.watch(self.app, "language", self._refresh_banner, init=False)

    def _refresh_banner(self, _value: object = None) -> None:
        env_name = getattr(self.app, "environment", None)
        production = bool(getattr(self.app, "production", False))
        self.set_class(production, "-production")
        self.update(f"▲ {t('production.banner', env=env_name)} ▲" if production else "")
