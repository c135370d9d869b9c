"""Reading the client's file into sheets of text.

Everything becomes text, because what matters is what the person typed: a phone number Excel
stored as the number 13800138000.0 is the text "13800138000", a date cell is "2024-03-01".
An 18-digit ID number that Excel stored as a number has lost its last digits (a float holds
15); such cells are remembered in `Sheet.lossy` so the check can say so instead of blaming
the check digit.

CSV and TSV come from many hands: Excel on a Chinese Windows saves GBK, "Unicode text" is
UTF-16 with tabs, others UTF-8 with or without a BOM. BOMs decide first, then strict UTF-8
(GBK text is almost never valid UTF-8), then GB18030 (a superset of GBK), and
charset-normalizer only for what none of them decodes, but for a few bytes: those are named,
not guessed past.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, cast

from launchpad.errors import LaunchpadError
from launchpad.oserrors import os_reason
from launchpad.phrases import Said, phrase
from launchpad.users.bulk import building_rows

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
TEXT_ONLY = frozenset({str})
FLOAT_DIGITS = 15  # what a double keeps of an integer typed into Excel
SHEETS_NAMED = 5  # of a folder's sheets, when the file named is not there
STRAY_BYTES = 3  # undecodable spots in a file otherwise UTF-8 or GBK: named, never guessed past
STRAY_NAMES = {"utf-8": "UTF-8", "gb18030": "GBK (GB18030)"}
SNIFFED_LINES = 30  # lines of a CSV/TSV file whose separators decide the delimiter


class UnreadableSheet(LaunchpadError):
    """The file cannot be read as a table at all."""

    title = "cannot read the sheet"


@dataclass
class Sheet:
    """One sheet as text cells; `rows[i]` is the sheet's row i + 1, `merged` the merged
    ranges as (first row, first col, last row, last col), 0-based and inclusive."""

    name: str
    rows: list[list[str]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    lossy: set[tuple[int, int]] = field(default_factory=set)
    # A query's or an API's rows: `rows[0]` holds the column names and is row 0, so the first
    # record is row 1, and problems name a column by its name, not a letter.
    records: bool = False

    @property
    def first_number(self) -> int:
        """The row number of `rows[0]`."""
        return 0 if self.records else 1


def records_sheet(name: str, columns: list[str], rows: list[list[str]]) -> Sheet:
    """A table of records under their column names (a query's result, an API's list)."""
    return Sheet(name, [list(columns), *rows], records=True)


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]
    encoding: str | None = None  # of a CSV/TSV file


def read_workbook(path: Path) -> Workbook:
    """All sheets of `path`; raises UnreadableSheet with what to do about it."""
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UnreadableSheet(phrase("users.no_such_file", path=str(path)), hint=_sheets_beside(path)) from None
    except OSError as exc:
        raise UnreadableSheet(phrase("users.os_error", path=str(path), reason=os_reason(exc))) from None
    if not path.is_file():
        raise UnreadableSheet(phrase("users.not_a_file", path=str(path)))
    if size == 0:
        raise UnreadableSheet(phrase("users.file_empty", path=str(path)), hint=phrase("users.file_empty_hint"))
    if suffix in EXCEL_SUFFIXES:
        return Workbook(path, _read_excel(path))
    if suffix in TEXT_SUFFIXES:
        return _read_text(path, delimiter="\t" if suffix == ".tsv" else None)
    raise UnreadableSheet(phrase("users.not_a_sheet", path=str(path), suffix=suffix or phrase("users.no_suffix")),
                          hint=phrase("users.not_a_sheet_hint"))


def _sheets_beside(path: Path) -> Said:
    """What to do about a path with no file: the sheets in its folder, the likeliest first (a
    name mistyped, .xls for .xlsx), or where a relative path is read from."""
    import difflib

    try:
        names = sorted(p.name for p in path.parent.iterdir()
                       if p.suffix.lower() in EXCEL_SUFFIXES | TEXT_SUFFIXES and p.is_file())
    except OSError:  # no such folder either
        names = []
    if not names:
        return "" if path.is_absolute() else phrase("users.no_such_file_hint", cwd=str(Path.cwd()))
    likely = difflib.get_close_matches(path.name, names, n=len(names), cutoff=0)
    return phrase("users.sheets_beside_hint", folder=str(path.parent), names=likely[:SHEETS_NAMED])


def _read_excel(path: Path) -> list[Sheet]:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in book.sheet_names:
            raw = book.get_sheet_by_name(name)
            sheet = Sheet(name, [], [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in raw.merged_cell_ranges or ()])
            with building_rows():
                cells = raw.to_python(skip_empty_area=False)
            if set(map(type, chain.from_iterable(cells))) <= TEXT_ONLY:
                sheet.rows = cast(list[list[str]], cells)  # every cell text already ('' when empty): taken as is
            else:
                for r, values in enumerate(cells):
                    if set(map(type, values)) <= TEXT_ONLY:
                        sheet.rows.append(cast(list[str], values))
                    else:
                        sheet.rows.append([_cell_text(value, r, c, sheet) for c, value in enumerate(values)])
            sheets.append(sheet)
    except PasswordError:
        raise UnreadableSheet(phrase("users.password_protected", path=str(path)),
                              hint=phrase("users.password_protected_hint")) from None
    except (CalamineError, ValueError, OSError) as exc:
        raise UnreadableSheet(phrase("users.not_excel", path=str(path), error=f"{type(exc).__name__}: {exc}"),
                              hint=phrase("users.not_excel_hint")) from None
    return sheets


def _cell_text(value: Any, r: int, c: int, sheet: Sheet) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            if abs(value) >= 10 ** FLOAT_DIGITS:
                sheet.lossy.add((r, c))
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """The text of a CSV/TSV file and the encoding it was in."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise UnreadableSheet(phrase("users.bad_bom", path=str(path), encoding=encoding, byte=exc.start),
                                      hint=phrase("users.bad_bom_hint")) from None
    first_error: dict[str, int] = {}
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            first_error[encoding] = exc.start
    spots = {encoding: data.decode(encoding, errors="replace").count("\ufffd") for encoding in first_error}
    nearest = min(spots, key=spots.__getitem__)
    if spots[nearest] <= STRAY_BYTES:
        # UTF-8 or GBK but for a byte or two (Windows' euro sign, a file cut off mid-character):
        # a guess would turn its Chinese into mojibake, so the byte is named instead.
        at = first_error[nearest]
        raise UnreadableSheet(phrase("users.stray_byte", path=str(path), line=data.count(b"\n", 0, at) + 1,
                                     byte=f"0x{data[at]:02X}", encoding=STRAY_NAMES[nearest]),
                              hint=phrase("users.stray_byte_hint"))
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableSheet(phrase("users.no_encoding", path=str(path)), hint=phrase("users.excel_name_hint"))
    return str(best), best.encoding


def _read_text(path: Path, delimiter: str | None) -> Workbook:
    data = path.read_bytes()
    if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableSheet(phrase("users.binary_csv", path=str(path)), hint=phrase("users.excel_name_hint"))
    text, encoding = decode_text(data, path)
    if delimiter is None:
        # The one on most of the first lines, not on the first: a title typed above the header
        # may hold a full-width comma or a semicolon of its own.
        lines = [line for line in islice(io.StringIO(text), SNIFFED_LINES) if line.strip()]
        delimiter = max((",", "\t", ";", "，"),
                        key=lambda d: (sum(d in line for line in lines), sum(line.count(d) for line in lines)))
    try:
        rows = _csv_rows(text, delimiter, path)
    except csv.Error as exc:
        raise UnreadableSheet(phrase("users.bad_csv", path=str(path), error=str(exc))) from None
    return Workbook(path, [Sheet(path.stem, rows)], encoding=encoding)


def _csv_rows(text: str, delimiter: str, path: Path) -> list[list[str]]:
    """The rows. A quote that never closes would make the rest of the file one cell, its people
    silently gone: refused at the line it opens. Any other quote out of place ("张"三) is read
    as typed, as Excel reads it."""
    def rows(strict: bool) -> Any:
        return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)

    try:
        return [[cell.strip("\ufeff") for cell in row] for row in rows(strict=True)]
    except csv.Error as exc:
        if str(exc) != "unexpected end of data":
            return [[cell.strip("\ufeff") for cell in row] for row in rows(strict=False)]
    lenient = rows(strict=False)
    before = ended = 0  # the lines the last two rows ended on: the last row is the rest of the file
    for _ in lenient:
        before, ended = ended, lenient.line_num
    raise UnreadableSheet(phrase("users.open_quote", path=str(path), line=before + 1),
                          hint=phrase("users.open_quote_hint"))
