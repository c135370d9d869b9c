"""Filling a DataTable whose columns fit its content exactly, in any language.

DataTable sizes auto-width columns lazily, and a table cleared and refilled twice in quick
succession (the dashboard does, as the workspace and the run history arrive) can keep the
header's width and cut "release-check" to "release-". Measuring the cells here — in terminal
cells, so a Chinese character counts two — makes the widths a function of the content alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable


def _width(value: Any) -> int:
    if isinstance(value, Text):
        return value.cell_len
    return cell_len(str(value))


def _lines(value: Any) -> list[str]:
    return (value.plain if isinstance(value, Text) else str(value)).split("\n")


def cells_width(values: Sequence[Any]) -> int:
    """The cells the widest line of `values` takes (a cell wrapped on purpose holds several)."""
    return max((cell_len(line) for value in values for line in _lines(value)), default=0)


def fill_table(
    table: DataTable[Any],
    headers: Sequence[str],
    rows: Sequence[tuple[str | None, Sequence[Any]]],
    min_widths: Sequence[int] = (),
    *,
    tall_rows: bool = False,
) -> list[Any]:
    """Replace columns and rows; `rows` are (key, cells). Returns the column keys. With
    `tall_rows`, a cell may hold several lines (wrapped by the caller): its column is as wide as
    its widest line and its row as tall as its tallest cell; otherwise each row is one line."""
    measure = (lambda value: cells_width([value])) if tall_rows else _width
    widths = [
        max([measure(header), *(measure(cells[i]) for _, cells in rows), *(min_widths[i:i + 1] or [0])])
        for i, header in enumerate(headers)
    ]
    table.clear(columns=True)
    columns = [table.add_column(header, width=width) for header, width in zip(headers, widths, strict=True)]
    for key, cells in rows:
        height = max((len(_lines(cell)) for cell in cells), default=1) if tall_rows else 1
        table.add_row(*cells, key=key, height=height)
    return columns
