"""A table whose last column holds ids too long for its room, wrapped instead of cut.

The drift screen's items table shares 80 columns with the table of kinds, and an id such as
`permission/approver/affair:case:approve` (or a dictionary value in Chinese) would run past its
edge. The columns before the id keep their width; the id gets the room left and, when it needs
more, the lines it needs: broken after a `/` (kind/key/value) or a `:` (a permission's
`affair:case:approve`) where it can, elsewhere by the
rule the app's titles wrap by (`launchpad.linebreak`: between Chinese characters, a part wider
than a line cut at its edge). Widths are terminal cells, so a Chinese character counts two.
The table says when its width changed, so its screen fills it again for the new room.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable

from launchpad.linebreak import columns, lines
from screens.widgets.tables import cells_width

# Narrower than this, an id would be all line breaks: the table scrolls sideways instead.
MIN_ID_CELLS = 12


class IdColumnTable(DataTable[Any]):
    """A DataTable that says when its width changed (a Resize does not reach the screen)."""

    class WidthChanged(Message):
        pass

    def on_resize(self, event: Resize) -> None:
        self.post_message(self.WidthChanged())


def id_room(table: DataTable[Any], headers: Sequence[str], rows: Sequence[Sequence[Any]],
            ids: Sequence[str]) -> int | None:
    """The cells the last column has once the others (`rows` hold them, the id left out) take
    their width, both sides padded; None before the table has a width."""
    width = table.content_region.width
    if width <= 0:
        return None
    others = sum(cells_width([header, *(cells[i] for cells in rows)]) for i, header in enumerate(headers[:-1]))
    room = width - others - 2 * table.cell_padding * len(headers)
    height = 1 + sum(len(wrapped_id(item_id, max(room, MIN_ID_CELLS)).plain.split("\n")) for item_id in ids)
    if height > table.content_region.height:  # the rows will scroll: the scrollbar takes its share
        room -= table.styles.scrollbar_size_vertical
    return max(room, MIN_ID_CELLS, cells_width([headers[-1]]))


def wrapped_id(item_id: str, room: int | None) -> Text:
    """`item_id` on as many lines of at most `room` cells as it needs (one, when room is None)."""
    if room is None or columns(item_id) <= room:
        return Text(item_id)
    pieces = [piece for part in re.split(r"(?<=[/:])", item_id) if part
              for piece in (lines(part, room) if columns(part) > room else [part])]
    joined: list[str] = []
    for piece in pieces:
        if joined and columns(joined[-1] + piece) <= room:
            joined[-1] += piece
        else:
            joined.append(piece)
    return Text("\n".join(joined))
