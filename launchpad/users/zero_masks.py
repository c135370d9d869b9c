"""Numbers an xlsx shows with leading zeros that only its number format holds.

A staff number typed as the number 123 into a column formatted `000000` shows "000123" in
Excel; calamine reads the number, 123, and the import would take "123": another staff number.
For a format made of nothing but zeros (`000000`, and literal zeros before them: `"0"0000`,
`\\0000`), what Excel shows for a whole number of at least 0 is certain: the literal zeros, then
the number padded with zeros to as many digits as the format has placeholders. Those cells are
read as shown. A fraction (shown rounded) or a negative number is left as calamine reads it.

Only a workbook whose styles.xml defines such a format has its sheets' cells looked at: the
rest (nearly every sheet) cost one read of styles.xml.
"""

from __future__ import annotations

import re
from typing import Any

# The literal zeros ("0", \0) before the placeholders, and the placeholders.
ZERO_MASK = re.compile(r'((?:"0+"|\\0)*)(0+)')
Mask = tuple[str, int]  # the literal zeros before the number, the digits it is padded to
Shown = dict[tuple[int, int], Mask]  # a sheet's cells of such a format, (row, col) 0-based
CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?<!/)>")
CELL_REF = re.compile(rb"\br=[\"']([A-Z]{1,3})([0-9]+)[\"']")
CELL_TYPE = re.compile(rb"\bt=[\"'](\w+)[\"']")


def mask_of(code: str) -> Mask | None:
    """The mask a number format is, when it is one that pads a number with zeros."""
    found = ZERO_MASK.fullmatch(code)
    if found is None:
        return None
    prefix = found[1].replace('"', "").replace("\\", "")
    width = len(found[2])
    return (prefix, width) if prefix or width > 1 else None


def styles_masks(styles: bytes) -> dict[int, Mask]:
    """The cell styles (indexes of `cellXfs`, as a cell's `s` names them) whose number format
    pads with zeros."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(styles)
    masks = {}
    # the cells' formats only: conditional formatting's (dxfs) and extensions' may reuse an id
    for formats in (child for child in root if child.tag.endswith("}numFmts")):
        for element in formats:
            if element.tag.endswith("}numFmt") and (mask := mask_of(element.get("formatCode", ""))) is not None:
                masks[element.get("numFmtId")] = mask
    if not masks:
        return {}
    found = {}
    for element in root:
        if element.tag.endswith("}cellXfs"):
            for index, xf in enumerate(element):
                mask = masks.get(xf.get("numFmtId"))
                if mask is not None:
                    found[index] = mask
    return found


def masked_cells(data: bytes, masks: dict[int, Mask]) -> Shown:
    """The number cells of a sheet's XML whose style pads with zeros: each `s="N"` found by a
    search in C, and only its own cell parsed."""
    cells: Shown = {}
    for style, mask in masks.items():
        for mark in (b' s="%d"' % style, b" s='%d'" % style):
            at = data.find(mark)
            while at >= 0:
                cell = CELL.match(data, data.rfind(b"<", 0, at))
                if cell is not None and cell.end() > at:
                    ref = CELL_REF.search(cell[1])
                    kind = CELL_TYPE.search(cell[1])
                    if ref is not None and (kind is None or kind[1] == b"n"):
                        col = 0
                        for letter in ref[1]:
                            col = col * 26 + letter - 64
                        cells[(int(ref[2]) - 1, col - 1)] = mask
                at = data.find(mark, at + len(mark))
    return cells


def show(rows: list[list[Any]], cells: Shown) -> None:
    """Each cell of `cells` whose text is a whole number of at least 0, as Excel shows it."""
    for (r, c), (prefix, width) in cells.items():
        if r < len(rows) and c < len(rows[r]):
            text = rows[r][c]
            if text.isascii() and text.isdigit():
                rows[r][c] = prefix + text.zfill(width)
