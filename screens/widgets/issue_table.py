"""The issues table: any number of issues, read from the store a page at a time.

A DataTable holds every row it shows; with 100,000 issues that is seconds of filling and a
large heap before the first key answers. This table knows only how many issues match and draws
the lines in view (Textual's Line API). A line whose page is not read yet shows a dim
placeholder, and its page is read by a thread worker through the function the screen gives
(the same `IssueLog.find` that `launchpad issue list` uses). While one read runs, further
requests wait, and only the pages then in view are read next: holding PageDown skips what it
flew past instead of queueing it. Overdue issues are red; the header row stays on top.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from launchpad.issues.display import value_label
from launchpad.issues.model import STATUSES, Issue
from launchpad.sitetime import local_text
from screens.support.i18n import current_language, t

PAGE = 200  # issues per read: one read fills several screens
KEPT_PAGES = 64  # pages kept in memory (12,800 issues), least recently read dropped first
PREFETCH = PAGE // 4  # rows above and below the view that are read ahead
PageSource = Callable[[int, int], list[Issue]]  # (offset, limit) → issues, in a worker

SEVERITY_STYLES = {"P0": "bold red", "P1": "bold yellow", "P2": "", "P3": "dim"}


class IssueTable(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    IssueTable {
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
        & > .issue-table--header { text-style: bold; background: $panel; }
        & > .issue-table--cursor { background: $block-cursor-blurred-background; }
        &:focus > .issue-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .issue-table--overdue { color: $error; text-style: bold; }
        & > .issue-table--placeholder { color: $text-muted; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "issue-table--header", "issue-table--cursor", "issue-table--overdue", "issue-table--placeholder",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "key.previous", show=False, id="issue_table.up"),
        Binding("down", "cursor_down", "key.next", show=False, id="issue_table.down"),
        Binding("pageup", "page_up", "key.page_up", show=False, id="issue_table.page_up"),
        Binding("pagedown", "page_down", "key.page_down", show=False, id="issue_table.page_down"),
        Binding("home", "first", "key.first", show=False, id="issue_table.first"),
        Binding("end", "last", "key.last", show=False, id="issue_table.last"),
    ]

    class Highlighted(Message):
        """The cursor moved, or the issue under it was read."""

        def __init__(self, issue: Issue | None) -> None:
            super().__init__()
            self.issue = issue

    class Chosen(Message):
        """An issue was double-clicked: open it."""

        def __init__(self, issue: Issue) -> None:
            super().__init__()
            self.issue = issue

    class ReadFailed(Message):
        """A page could not be read (the store is locked, the disk failed): said once."""

        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    class PageRead(Message):
        bubble = False

        def __init__(self, generation: int, page: int, issues: list[Issue]) -> None:
            super().__init__()
            self.generation, self.page, self.issues = generation, page, issues

    class ReadingDone(Message):
        bubble = False

        def __init__(self, generation: int, error: BaseException | None) -> None:
            super().__init__()
            self.generation, self.error = generation, error

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.total = 0
        self.cursor = 0
        self.today = date.min
        self.zone: ZoneInfo = ZoneInfo("UTC")
        self.generation = 0
        self.source: PageSource | None = None
        self.pages: OrderedDict[int, list[Issue]] = OrderedDict()
        self.reading: int | None = None  # the generation a worker is reading pages for
        self.read_error: BaseException | None = None
        self._lines: dict[tuple[object, ...], Strip] = {}  # drawn rows; a cursor move redraws two

    # -- what the screen calls ----------------------------------------------------------------

    def show(self, source: PageSource, total: int, first_page: list[Issue], *, today: date, zone: ZoneInfo,
             cursor: int = 0) -> None:
        """Show a new result: `total` matches, the first page already read; `today` (the
        site's) decides what is overdue, `zone` how report times read."""
        self.generation += 1
        self.source, self.total, self.today, self.zone = source, total, today, zone
        self.pages = OrderedDict({0: first_page}) if first_page else OrderedDict()
        self.read_error = None
        self.virtual_size = Size(self.size.width, total + 1)
        self.move_cursor(cursor)
        self.refresh()

    @property
    def issue(self) -> Issue | None:
        """The issue under the cursor, when its page has been read."""
        return self.issue_at(self.cursor)

    def issue_at(self, index: int) -> Issue | None:
        page = self.pages.get(index // PAGE)
        if page is None or not 0 <= index < self.total:
            return None
        offset = index % PAGE
        return page[offset] if offset < len(page) else None

    @property
    def rows_in_view(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    @property
    def top(self) -> int:
        return round(self.scroll_offset.y)

    def move_cursor(self, index: int) -> None:
        previous, self.cursor = self.cursor, max(0, min(index, self.total - 1))
        if self.cursor < self.top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= self.top + self.rows_in_view:
            self.scroll_to(y=self.cursor - self.rows_in_view + 1, animate=False, immediate=True)
        else:  # only the two rows change
            self.refresh_line(previous + 1)
            self.refresh_line(self.cursor + 1)
        self.post_message(self.Highlighted(self.issue))
        self.call_later(self.read_pages_in_view)

    # -- keys and mouse -----------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self.rows_in_view)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self.rows_in_view)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.total - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        self.move_cursor(self.top + offset.y - 1)
        if event.chain == 2 and self.issue is not None:
            self.post_message(self.Chosen(self.issue))

    def on_resize(self, _event: events.Resize) -> None:
        self.virtual_size = Size(self.size.width, self.total + 1)
        self.call_later(self.read_pages_in_view)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.call_later(self.read_pages_in_view)

    # -- reading pages ------------------------------------------------------------------------

    def pages_in_view(self) -> list[int]:
        first = max(0, self.top - PREFETCH)
        last = min(self.total - 1, self.top + self.rows_in_view + PREFETCH)
        pages = {self.cursor // PAGE} | set(range(first // PAGE, last // PAGE + 1))
        return sorted(page for page in pages if page * PAGE < self.total)

    def read_pages_in_view(self) -> None:
        if self.source is None or self.reading == self.generation or self.read_error is not None:
            return
        missing = [page for page in self.pages_in_view() if page not in self.pages]
        if missing:
            self.reading = self.generation
            self._read(self.generation, self.source, missing)

    @work(thread=True, exit_on_error=False, group="issue-pages")
    def _read(self, generation: int, source: PageSource, pages: list[int]) -> None:
        try:
            for page in pages:
                self.post_message(self.PageRead(generation, page, source(page * PAGE, PAGE)))
        except Exception as error:  # shown once by the screen; the table stops asking
            self.post_message(self.ReadingDone(generation, error))
            return
        self.post_message(self.ReadingDone(generation, None))

    def on_issue_table_page_read(self, message: PageRead) -> None:
        if message.generation != self.generation:
            return
        self.pages[message.page] = message.issues
        keep = set(self.pages_in_view())
        for page in list(self.pages):
            if len(self.pages) <= KEPT_PAGES:
                break
            if page not in keep:
                del self.pages[page]
        self.refresh()
        if self.cursor // PAGE == message.page:
            self.post_message(self.Highlighted(self.issue))

    def on_issue_table_reading_done(self, message: ReadingDone) -> None:
        if message.generation == self.reading:
            self.reading = None
        if message.generation == self.generation:
            if message.error is not None:
                self.read_error = message.error
                self.post_message(self.ReadFailed(message.error))
                return
            self.read_pages_in_view()  # the view may have moved on while this read ran

    # -- drawing ------------------------------------------------------------------------------

    def columns(self, width: int) -> list[tuple[str, int]]:
        """(name, cells) of each column for this width; the title takes what is left."""
        lang = current_language()
        status = max(cell_len(value_label(code, lang)) for code in STATUSES)
        wide = width >= 110
        found = [("id", 7), ("severity", 4), ("status", status), ("owner", 8), ("due", 11 if wide else 6),
                 ("module", 8)]
        if wide:
            found.append(("reported", 11))
        used = sum(cells + 1 for _name, cells in found)
        return [*found, ("title", max(8, width - used))]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._strip(self._header(width), self.get_component_rich_style("issue-table--header"), width)
        index = self.top + y - 1
        if index >= self.total:
            return Strip.blank(width, self.rich_style)
        issue = self.issue_at(index)
        if issue is None:
            style = self.get_component_rich_style("issue-table--placeholder")
            return self._strip(Text(f"{'':7} …"), style, width)
        cursor = index == self.cursor
        key = (self.generation, index, cursor, cursor and self.has_focus, width, current_language())
        strip = self._lines.get(key)
        if strip is None:
            if len(self._lines) > 4 * PAGE:
                self._lines.clear()
            overdue = issue.overdue_on(self.today)
            style = self.rich_style
            if overdue:
                style += self.get_component_rich_style("issue-table--overdue")
            if cursor:
                style += self.get_component_rich_style("issue-table--cursor")
            strip = self._lines[key] = self._strip(self._row(issue, overdue, width), style, width)
        return strip

    def on_focus(self) -> None:
        self.refresh_line(self.cursor + 1)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor + 1)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()  # the theme or the focus styles changed

    def _strip(self, text: Text, style: Style, width: int) -> Strip:
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, style).apply_style(style)

    def _header(self, width: int) -> Text:
        line = Text()
        for name, cells in self.columns(width):
            line.append_text(_cell(Text(t(f"it.{name}")), cells))
        return line

    def _row(self, issue: Issue, overdue: bool, width: int) -> Text:
        lang = current_language()
        due = issue.due or "—"
        if issue.due and width < 110:
            due = issue.due[5:]
        values = {
            "id": Text(f"#{issue.id}"),
            "severity": Text(issue.severity, style=SEVERITY_STYLES.get(issue.severity, "")),
            "status": Text(value_label(issue.status, lang)),
            "owner": Text(issue.owner or "—"),
            "due": Text(("⚠" if overdue else " ") + due),
            "module": Text(issue.module or "—"),
            "reported": Text(local_text(issue.reported_at, self.zone)[5:]),
            "title": Text(issue.title),
        }
        line = Text()
        for name, cells in self.columns(width):
            line.append_text(_cell(values[name], cells))
        return line


def _cell(text: Text, cells: int) -> Text:
    """`text` cut with … or padded to exactly `cells` terminal cells, and a space after."""
    text = text.copy()
    text.truncate(cells, overflow="ellipsis", pad=True)
    text.append(" ")
    return text
