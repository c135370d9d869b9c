"""Per-host results of one step: host, status, time, exit code and message, one row per host.

For a step on forty hosts this is where the person sees which hosts failed before choosing to
retry only those. Rows are updated in place as results arrive, so the cursor and the scroll
position stay where the person left them.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from screens.display import duration_text, status_text
from screens.i18n import t
from screens.run_events import HostRow
from screens.widgets.tables import fill_table


class HostGrid(DataTable[Any]):
    DEFAULT_CSS = """
    HostGrid {
        height: auto;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self._columns: list[Any] = []

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Column titles in the current language; the caller shows the rows again."""
        self._columns = fill_table(self, self._headers(), [])

    @staticmethod
    def _headers() -> tuple[str, ...]:
        return t("run.host"), t("run.status"), t("run.duration"), t("run.exit"), t("run.message")

    def show(self, hosts: dict[str, HostRow]) -> None:
        # Columns too: their widths must fit this step's hosts, not the previous step's.
        rows = [(host, self._cells(host, row)) for host, row in hosts.items()]
        self._columns = fill_table(self, self._headers(), rows)

    def update_host(self, host: str, row: HostRow) -> None:
        if host not in self.rows:
            self.add_row(*self._cells(host, row), key=host)
            return
        for column, value in zip(self._columns, self._cells(host, row), strict=True):
            self.update_cell(host, column, value, update_width=True)

    @staticmethod
    def _cells(host: str, row: HostRow) -> tuple[Any, ...]:
        exit_code = "-" if row.exit_code is None else str(row.exit_code)
        style = "red" if row.status == "failed" else ""
        return (host, status_text(row.status), duration_text(row.duration), exit_code, Text(row.message, style=style))
