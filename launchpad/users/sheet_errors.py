"""The error cells of an xls, xlsb or ods workbook, which calamine reads as '' like empty ones.

calamine (as python-calamine gives it) has no value for a cell Excel shows as #N/A or #DIV/0!:
it comes out as '', so a required field would read "missing" and an optional one be imported
empty. Each format keeps the error where it can be found again without calamine:

- ods (LibreOffice, WPS): `<table:table-cell calcext:value-type="error">` with the error as the
  cell's text; cells and rows repeat (`number-columns-repeated`, `number-rows-repeated`).
- xls (BIFF8 in an OLE compound file): a BOOLERR record whose fError is set, or a FORMULA record
  whose cached result is an error; the sheets' names and offsets in the BOUNDSHEET records.
- xlsb: BrtCellError and BrtFmlaError records in each sheet's part; the sheets in workbook.bin
  (BrtBundleSh) and its relationships.

Each returns the errors by sheet name, (row, col) 0-based → the error as Excel shows it. calamine
reads the same file and says what is wrong with it, so a part this cannot make out costs the sheet
its error names, never the import.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

Errors = dict[str, dict[tuple[int, int], str]]

# The error codes of BIFF8 and BIFF12 (xls, xlsb): [MS-XLS] 2.5.10 BErr, [MS-XLSB] 2.5.97.2.
ERROR_CODES = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
               0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
ODS_ERROR_MARKS = (b'value-type="error"', b"value-type='error'")
SCAN_PIECE = 1 << 20  # bytes of an ods content.xml looked through at a time for an error cell
# A sheet's size at most (Excel's, and LibreOffice's since 7.4): a repeat count past it is damage.
MAX_ROWS, MAX_COLUMNS = 1 << 20, 1 << 14
# What a damaged or unusual file makes the readers raise: it costs the sheet its error names,
# never the import (calamine reads the same file and says what is wrong with it).
UNREADABLE = (KeyError, IndexError, ValueError, OSError, EOFError, NotImplementedError, MemoryError,
              UnicodeDecodeError, struct.error)


def ods_errors(path: Path) -> Errors:
    """The error cells of an ods workbook: content.xml is parsed only when it holds one."""
    import zipfile
    import zlib
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as book:
            if not _holds(book, "content.xml", ODS_ERROR_MARKS):
                return {}
            with book.open("content.xml") as xml:
                return _ods_cells(ElementTree.iterparse(xml, events=("start", "end")))
    except (zipfile.BadZipFile, ElementTree.ParseError, zlib.error, *UNREADABLE):
        return {}


def _holds(book: Any, part: str, marks: tuple[bytes, ...]) -> bool:
    """Whether a part of a zip holds one of `marks`, read a piece at a time."""
    tail = b""
    with book.open(part) as xml:
        while piece := xml.read(SCAN_PIECE):
            text = tail + piece
            if any(mark in text for mark in marks):
                return True
            tail = text[-max(map(len, marks)):]
    return False


TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
CALCEXT_TYPE = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"
ODS_CELLS = {f"{TABLE}table-cell", f"{TABLE}covered-table-cell"}


def _ods_cells(events: Any) -> Errors:
    found: Errors = {}
    sheet: dict[tuple[int, int], str] = {}
    row = col = depth = 0
    in_row: list[tuple[int, str]] = []  # a row's error cells: column, error
    for event, element in events:
        tag = element.tag
        if event == "start":
            if tag == f"{TABLE}table":
                depth += 1
                if depth == 1:
                    sheet, row = found.setdefault(element.get(f"{TABLE}name", ""), {}), 0
            elif tag == f"{TABLE}table-row" and depth == 1:
                col, in_row = 0, []
            continue
        if depth != 1:
            depth -= tag == f"{TABLE}table"
            continue
        if tag in ODS_CELLS:
            repeat = min(int(element.get(f"{TABLE}number-columns-repeated", "1")), MAX_COLUMNS)
            if element.get(CALCEXT_TYPE) == "error":
                text = "\n".join("".join(p.itertext()) for p in element if p.tag.endswith("}p")).strip()
                in_row.extend((c, text) for c in range(col, col + repeat))
            col += repeat
            element.clear()
        elif tag == f"{TABLE}table-row":
            repeat = min(int(element.get(f"{TABLE}number-rows-repeated", "1")), MAX_ROWS)
            for r in range(row, row + repeat) if in_row else ():
                sheet.update(((r, c), text) for c, text in in_row)
            row += repeat
            element.clear()
        elif tag == f"{TABLE}table":
            depth -= 1
            element.clear()
    return {name: cells for name, cells in found.items() if cells}


# An OLE compound file ([MS-CFB]): where the sectors, the FAT and the directory are.
FREE_SECTOR = 0xFFFFFFFA  # and above: the end of a chain, a FAT or DIFAT sector, unused
BOOLERR, FORMULA, BOUNDSHEET, BOF, EOF, FILEPASS = 0x0205, 0x0006, 0x0085, 0x0809, 0x000A, 0x002F
BIFF8 = 0x0600


def xls_errors(path: Path) -> Errors:
    """The error cells of an xls workbook (BIFF8): its Workbook stream's records walked."""
    try:
        stream = _ole_stream(path.read_bytes(), ("workbook",))
        return _biff_errors(stream) if stream else {}
    except UNREADABLE:
        return {}


def _ole_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """The stream of an OLE compound file named one of `names` (any case), or None."""
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    fat_count, first_dir = struct.unpack_from("<II", data, 0x2C)
    cutoff, first_minifat, _, first_difat, difat_count = struct.unpack_from("<IIIII", data, 0x38)
    size = 1 << shift

    def sector(n: int) -> bytes:
        return data[(n + 1) * size:(n + 2) * size]

    fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
    seen: set[int] = set()
    # the header's count is the file's word: a damaged one, or a chain that loops, ends where the file does
    for _ in range(min(difat_count, len(data) // size)):
        if first_difat >= FREE_SECTOR or first_difat in seen:
            break
        seen.add(first_difat)
        entries = struct.unpack(f"<{size // 4}I", sector(first_difat))
        fat_sectors += entries[:-1]
        first_difat = entries[-1]
    fat: list[int] = []
    for n in fat_sectors[:fat_count]:
        fat += struct.unpack(f"<{size // 4}I", sector(n))

    def chain(start: int, table: list[int]) -> list[int]:
        sectors: list[int] = []
        while start < FREE_SECTOR and len(sectors) <= len(table):  # a loop in the chain ends it
            sectors.append(start)
            start = table[start]
        return sectors

    directory = b"".join(map(sector, chain(first_dir, fat)))
    root = None
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at:at + 128]
        length, kind = struct.unpack_from("<HB", entry, 0x40)
        start, stream_size = struct.unpack_from("<II", entry, 0x74)
        if kind == 5:
            root = (start, stream_size)
        name = entry[:max(length - 2, 0)].decode("utf-16-le", "replace").lower()
        if kind == 2 and name in names:
            if stream_size >= cutoff or root is None:
                return b"".join(map(sector, chain(start, fat)))[:stream_size]
            mini = b"".join(map(sector, chain(root[0], fat)))
            minifat = [i for n in chain(first_minifat, fat) for i in struct.unpack(f"<{size // 4}I", sector(n))]
            step = 1 << mini_shift
            return b"".join(mini[n * step:(n + 1) * step] for n in chain(start, minifat))[:stream_size]
    return None


def _biff_errors(stream: bytes) -> Errors:
    """The error cells of each worksheet of a BIFF8 Workbook stream."""
    kind, length = struct.unpack_from("<HH", stream, 0)
    if kind != BOF or struct.unpack_from("<H", stream, 4)[0] != BIFF8:
        return {}  # BIFF5 and older: no longer written by anything a client would use
    sheets: list[tuple[str, int]] = []
    at = 0
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        body = stream[at + 4:at + 4 + length]
        if kind == FILEPASS:
            return {}  # encrypted: calamine says so
        if kind == BOUNDSHEET:
            offset, count, wide = struct.unpack_from("<I2xBB", body)
            name = body[8:8 + count * 2].decode("utf-16-le") if wide & 1 else body[8:8 + count].decode("latin-1")
            sheets.append((name, offset))
        if kind == EOF:
            break
        at += 4 + length
    found: Errors = {}
    for name, offset in sheets:
        cells = _biff_sheet_errors(stream, offset)
        if cells:
            found[name] = cells
    return found


def _biff_sheet_errors(stream: bytes, at: int) -> dict[tuple[int, int], str]:
    cells: dict[tuple[int, int], str] = {}
    unpack = struct.unpack_from
    while at + 4 <= len(stream):
        kind, length = unpack("<HH", stream, at)
        if kind == EOF:
            break
        if kind == BOOLERR and length >= 8:
            row, col, _, value, is_error = unpack("<HHHBB", stream, at + 4)
            if is_error:
                cells[(row, col)] = ERROR_CODES.get(value, f"#{value:02X}")
        elif kind == FORMULA and length >= 14:
            row, col, _, result, _, value, _, _, marker = unpack("<HHHBBBBHH", stream, at + 4)
            if marker == 0xFFFF and result == 2:  # the cached result is an error, not a number
                cells[(row, col)] = ERROR_CODES.get(value, f"#{value:02X}")
        at += 4 + length
    return cells


# BIFF12 records ([MS-XLSB] 2.3): a row's header, an error cell, a formula whose result is an
# error, the workbook's sheets, the end of a sheet's cells.
BRT_ROW_HDR, BRT_CELL_ERROR, BRT_FMLA_ERROR, BRT_BUNDLE_SH, BRT_END_SHEET_DATA = 0x0000, 0x0003, 0x000B, 0x009C, 0x0092
NO_REL_ID = 0xFFFFFFFF


def xlsb_errors(path: Path) -> Errors:
    """The error cells of an xlsb workbook: each sheet's records walked (calamine reads a
    BrtCellError as '' and skips a BrtFmlaError)."""
    import posixpath
    import zipfile
    import zlib
    from xml.etree import ElementTree

    found: Errors = {}
    try:
        with zipfile.ZipFile(path) as book:
            rels = ElementTree.fromstring(book.read("xl/_rels/workbook.bin.rels"))
            targets = {rel.get("Id"): rel.get("Target") or "" for rel in rels}
            for kind, body in _records(book.read("xl/workbook.bin")):
                if kind != BRT_BUNDLE_SH:
                    continue
                (rel_length,) = struct.unpack_from("<I", body, 8)
                if rel_length == NO_REL_ID:
                    continue
                rid = body[12:12 + rel_length * 2].decode("utf-16-le")
                (name_length,) = struct.unpack_from("<I", body, 12 + rel_length * 2)
                at = 16 + rel_length * 2
                name = body[at:at + name_length * 2].decode("utf-16-le")
                target = targets.get(rid, "")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                cells = _xlsb_sheet_errors(book.read(part))
                if cells:
                    found[name] = cells
    except (zipfile.BadZipFile, ElementTree.ParseError, zlib.error, *UNREADABLE):
        return {}
    return found


def _records(data: bytes) -> Any:
    """Each record of a BIFF12 part: its type and its body."""
    at, end = 0, len(data)
    while at < end:
        kind = data[at]
        at += 1
        if kind & 0x80:
            kind = (kind & 0x7F) | (data[at] & 0x7F) << 7
            at += 1
        size = shift = 0
        while True:
            byte = data[at]
            at += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80 or shift == 28:
                break
        yield kind, data[at:at + size]
        at += size


def _xlsb_sheet_errors(data: bytes) -> dict[tuple[int, int], str]:
    """A sheet part's error cells: its records walked in one loop (a generator of records, and a
    slice of each, took twice as long over a million cells)."""
    cells: dict[tuple[int, int], str] = {}
    unpack = struct.unpack_from
    row = at = 0
    end = len(data)
    while at < end:
        kind = data[at]
        if kind & 0x80:
            kind = (kind & 0x7F) | (data[at + 1] & 0x7F) << 7
            at += 1
        size = data[at + 1]
        at += 2
        if size & 0x80:
            size &= 0x7F
            for shift in (7, 14, 21):
                byte = data[at]
                at += 1
                size |= (byte & 0x7F) << shift
                if not byte & 0x80:
                    break
        if kind == BRT_ROW_HDR:
            (row,) = unpack("<I", data, at)
        elif kind in (BRT_CELL_ERROR, BRT_FMLA_ERROR):
            (col,) = unpack("<I", data, at)
            cells[(row, col)] = ERROR_CODES.get(data[at + 8], f"#{data[at + 8]:02X}")
        elif kind == BRT_END_SHEET_DATA:
            break
        at += size
    return cells
