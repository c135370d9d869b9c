"""Per-host results of one step: host, status, time, exit code and message, one row per host.
The number's column says what it is for the step shown: an http step's is its HTTP status.

For a step on forty hosts this is where the person sees which hosts failed before choosing to
retry only those. Rows are updated in place as results arrive, so the cursor and the scroll
position stay where the person left them.

Widths are measured in terminal cells (a Chinese character counts two). Status, time and exit
code are narrow and fixed; the host column gets what its longest label needs — also a label
that arrives only with its result, like an http step's `127.0.0.1:8080` — but never so much
that status goes off-screen: on a narrow terminal a long label is cut with an ellipsis. The
message comes last and may run past the edge, where the grid scrolls.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.widgets import DataTable

from launchpad.steps.base import HostCode
from screens.support.display import duration_text, status_text
from screens.support.i18n import t
from screens.support.run_events import HostRow

# What a host row can show: the engine reports passed or failed, the run screen adds the rest.
HOST_STATUSES = ("running", "passed", "failed", "aborted")
USUAL_LONGEST = 59 * 60 + 59.0  # seconds: the duration column is kept wide enough for "59m59s" / "59分59秒"
EXIT_CELLS = 3  # exit codes up to 255, HTTP status codes, "-15" for a signal
MIN_HOST_CELLS = 8
# The number's heading, by what the step kind's hosts report (launchpad.steps.host_code).
CODE_HEADINGS = {"exit": "run.exit", "http": "run.http_status"}


class HostGrid(DataTable[Any]):
    DEFAULT_CSS = """
    HostGrid {
        height: auto;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", **kwargs)
        self._columns: list[Any] = []
        self._widths: list[int] = []
        self._hosts: dict[str, HostRow] = {}
        self._code: HostCode = "exit"

    def on_mount(self) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Column titles in the current language; the caller shows the rows again."""
        self._hosts = {}
        self._refill()

    def _headers(self) -> tuple[str, ...]:
        return t("run.host"), t("run.status"), t("run.duration"), t(CODE_HEADINGS[self._code]), t("run.message")

    def show(self, hosts: dict[str, HostRow], code: HostCode = "exit") -> None:
        """The hosts of one step; `code` is what their numbers are (launchpad.steps.host_code)."""
        # Columns too: their headings and widths must fit this step, not the previous one.
        self._hosts, self._code = dict(hosts), code
        self._refill()

    def update_host(self, host: str, row: HostRow) -> None:
        self._hosts[host] = row
        if host not in self.rows or self._fitted_widths() != self._widths:
            self._refill(keep_place=True)
            return
        for column, value in zip(self._columns, self._cells(host, row), strict=True):
            self.update_cell(host, column, value)

    def on_resize(self, _event: Resize) -> None:
        if self._fitted_widths() != self._widths:
            self._refill(keep_place=True)

    def _refill(self, keep_place: bool = False) -> None:
        cursor, scroll = self.cursor_coordinate, self.scroll_offset
        self._widths = self._fitted_widths()
        self.clear(columns=True)
        self._columns = [
            self.add_column(header, width=width) for header, width in zip(self._headers(), self._widths, strict=True)
        ]
        for host, row in self._hosts.items():
            self.add_row(*self._cells(host, row), key=host)
        if keep_place and self.row_count:
            self.move_cursor(row=min(cursor.row, self.row_count - 1), column=cursor.column, scroll=False)
            self.scroll_to(scroll.x, scroll.y, animate=False, immediate=True)

    def _fitted_widths(self) -> list[int]:
        host, status, duration, exit_code, message = (cell_len(header) for header in self._headers())
        rows = self._hosts.values()
        statuses = {*HOST_STATUSES, *(row.status for row in rows)}
        status = max([status, *(status_text(s).cell_len for s in statuses)])
        duration = max([duration, cell_len(duration_text(USUAL_LONGEST)),
                        *(cell_len(duration_text(row.duration)) for row in rows)])
        exit_code = max([exit_code, EXIT_CELLS, *(cell_len(self._exit_text(row)) for row in rows)])
        message = max([message, *(cell_len(row.message) for row in rows)])
        host = max([host, *(cell_len(name) for name in self._hosts)])
        # What is left for the host once the fixed columns (each padded on both sides) and a
        # vertical scrollbar are in; before the first layout there is no width to respect.
        room = self.content_region.width - self.styles.scrollbar_size_vertical
        if room > 0:
            room -= 2 * self.cell_padding * len(self._headers()) + status + duration + exit_code
            host = min(host, max(room, MIN_HOST_CELLS, cell_len(t("run.host"))))
        return [host, status, duration, exit_code, message]

    @staticmethod
    def _exit_text(row: HostRow) -> str:
        return "-" if row.exit_code is None else str(row.exit_code)

    @classmethod
    def _cells(cls, host: str, row: HostRow) -> tuple[Any, ...]:
        style = "red" if row.status == "failed" else ""
        # Text rather than str: a DataTable reads a str as markup, and "[fe80::1]:8080" is a label.
        label = Text(host, no_wrap=True, overflow="ellipsis")
        return (
            label,
            status_text(row.status),
            duration_text(row.duration),
            cls._exit_text(row),
            Text(row.message, style=style, no_wrap=True),
        )
