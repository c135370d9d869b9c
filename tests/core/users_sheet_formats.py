"""Workbooks in the formats openpyxl does not write (ods, xls, xlsb), with error cells as the
program that saves each format writes them, for the user-import tests.

`errors` maps an A1 reference to (formula or None, error): a formula's cached error, or an
error pasted as a value. Each writer puts a sheet "说明" (a note, no error) before `sheet` when
`cover` is set, so an error is seen to land on its own sheet.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

Errors = Mapping[str, tuple[str | None, str]]
CODES = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17, "#NAME?": 0x1D, "#NUM!": 0x24, "#N/A": 0x2A}
COVER = [["见名单"]]


def _placed(errors: Errors) -> dict[tuple[int, int], tuple[str | None, str]]:
    placed = {}
    for ref, error in errors.items():
        column, row = re.fullmatch(r"([A-Z])(\d+)", ref).groups()  # type: ignore[union-attr]
        placed[(int(row) - 1, ord(column) - ord("A"))] = error
    return placed


def _sheets(rows: Sequence[Sequence[Any]], errors: Errors, sheet: str, cover: bool) -> list[tuple[str, Any, Any]]:
    return [*([("说明", COVER, {})] if cover else []), (sheet, rows, _placed(errors))]


def write_ods(path: Path, rows: Sequence[Sequence[Any]], errors: Errors, sheet: str = "名单",
              cover: bool = False) -> Path:
    """An ods as LibreOffice saves one: an error cell is `calcext:value-type="error"` with an
    empty string value and the error as its text; a run of empty cells is one cell repeated,
    and so is a run of empty rows."""
    tables = []
    for name, cells_of, placed in _sheets(rows, errors, sheet, cover):
        width = max(len(row) for row in cells_of) + 1
        xml_rows: list[str] = []
        for r in range(max([len(cells_of), *(r + 1 for r, _ in placed)])):
            row = list(cells_of[r]) if r < len(cells_of) else []
            cells = []
            for c in range(width):
                value = row[c] if c < len(row) else None
                if (r, c) in placed:
                    formula, error = placed[(r, c)]
                    at = "" if formula is None else f" table:formula={quoteattr('of:=' + formula)}"
                    cells.append(f'<table:table-cell{at} office:value-type="string" office:string-value="" '
                                 f'calcext:value-type="error"><text:p>{escape(error)}</text:p></table:table-cell>')
                elif value is None or value == "":
                    cells.append("<table:table-cell/>")
                elif isinstance(value, int | float):
                    cells.append(f'<table:table-cell office:value-type="float" office:value="{value}">'
                                 f"<text:p>{value}</text:p></table:table-cell>")
                else:
                    cells.append(f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p>'
                                 "</table:table-cell>")
            xml_rows.append("".join(_runs(cells, "table:table-cell", "table:number-columns-repeated")))
        rows_xml = _runs([f"<table:table-row>{cells}</table:table-row>" for cells in xml_rows],
                         "table:table-row", "table:number-rows-repeated")
        tables.append(f"<table:table table:name={quoteattr(name)}>{''.join(rows_xml)}</table:table>")
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content'
               ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
               ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
               ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
               ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
               f' office:version="1.2"><office:body><office:spreadsheet>{"".join(tables)}'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
                ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/"'
                ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        book.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def _runs(items: list[str], tag: str, attribute: str) -> list[str]:
    """Equal neighbours made one element repeated, as LibreOffice writes empty cells and rows."""
    out: list[tuple[str, int]] = []
    for item in items:
        if out and out[-1][0] == item:
            out[-1] = (item, out[-1][1] + 1)
        else:
            out.append((item, 1))
    return [item if n == 1 else item.replace(f"<{tag}", f'<{tag} {attribute}="{n}"', 1) for item, n in out]


def write_xls(path: Path, rows: Sequence[Sequence[Any]], errors: Errors, sheet: str = "名单",
              cover: bool = False) -> Path:
    """An xls (BIFF8) written by xlwt: an error pasted as a value is a BOOLERR record; a
    formula's error is its FORMULA record with the cached result Excel saves (xlwt writes none,
    so the record's result is set to the error afterwards)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    formulas = []
    for name, cells_of, placed in _sheets(rows, errors, sheet, cover):
        ws = book.add_sheet(name)
        for r, row in enumerate(cells_of):
            for c, value in enumerate(row):
                if value not in (None, "") and (r, c) not in placed:
                    ws.write(r, c, value)
        for (r, c), (formula, error) in placed.items():
            if formula is None:
                ws.row(r).set_cell_error(c, CODES[error])
            else:
                ws.write(r, c, xlwt.Formula(formula))
                formulas.append((r, c, CODES[error]))
    book.save(str(path))
    data = bytearray(path.read_bytes())
    for r, c, code in formulas:
        # FORMULA: rw, col, ixfe, then the 8 bytes of its result: 02 _ code _ _ _ FF FF is an error
        found = [m.start() for m in re.finditer(re.escape(struct.pack("<H", 0x0006)) + b"..(?=" +
                                                re.escape(struct.pack("<HH", r, c)) + b")", bytes(data), re.DOTALL)]
        assert len(found) == 1, (r, c)
        data[found[0] + 10:found[0] + 18] = bytes([2, 0, code, 0, 0, 0, 0xFF, 0xFF])
    path.write_bytes(bytes(data))
    return path


def _record(kind: int, body: bytes = b"") -> bytes:
    """A BIFF12 record: its type and size in 7-bit pieces, then its body."""
    head = bytes([kind]) if kind < 0x80 else bytes([kind & 0x7F | 0x80, kind >> 7])
    size, length = len(body), b""
    while True:
        length += bytes([size & 0x7F | (0x80 if size >= 0x80 else 0)])
        size >>= 7
        if not size:
            break
    return head + length + body


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def write_xlsb(path: Path, rows: Sequence[Sequence[Any]], errors: Errors, sheet: str = "名单",
               cover: bool = False) -> Path:
    """An xlsb as Excel saves one, as far as calamine and the import read it: text cells inline
    (BrtCellSt), numbers as BrtCellReal, an error pasted as a value BrtCellError, a formula's
    error BrtFmlaError (its formula left empty)."""
    sheets = _sheets(rows, errors, sheet, cover)
    parts, bundles, rels = {}, [], []
    for n, (name, cells_of, placed) in enumerate(sheets, start=1):
        height = max([len(cells_of), *(r + 1 for r, _ in placed)])
        width = max([*map(len, cells_of), *(c + 1 for _, c in placed)])
        data = [_record(0x81), _record(0x94, struct.pack("<4I", 0, height - 1, 0, width - 1)), _record(0x91)]
        for r in range(height):
            data.append(_record(0x00, struct.pack("<IIHBBI", r, 0, 0x12C, 0, 0, 0)))
            row = list(cells_of[r]) if r < len(cells_of) else []
            for c in range(width):
                cell = struct.pack("<II", c, 0)
                value = row[c] if c < len(row) else None
                if (r, c) in placed:
                    formula, error = placed[(r, c)]
                    data.append(_record(0x03, cell + bytes([CODES[error]])) if formula is None else
                                _record(0x0B, cell + bytes([CODES[error]]) + struct.pack("<HII", 0, 0, 0)))
                elif isinstance(value, int | float):
                    data.append(_record(0x05, cell + struct.pack("<d", value)))
                elif value not in (None, ""):
                    data.append(_record(0x06, cell + _wide(str(value))))
        data.append(_record(0x92))
        data.append(_record(0x82))
        parts[f"xl/worksheets/sheet{n}.bin"] = b"".join(data)
        bundles.append(_record(0x9C, struct.pack("<II", 0, n) + _wide(f"rId{n}") + _wide(name)))
        rels.append(f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.bin"'
                    ' Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>')
    parts["xl/workbook.bin"] = b"".join([_record(0x83), _record(0x8F), *bundles, _record(0x90), _record(0x9D, bytes(8)),
                                         _record(0x84)])
    parts["xl/_rels/workbook.bin.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships'
        f' xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{"".join(rels)}</Relationships>'
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, part in parts.items():
            book.writestr(name, part)
    return path
