"""Reading the client's file into sheets of text.

Everything becomes text, because what matters is what the person typed: a phone number Excel
stored as the number 13800138000.0 is the text "13800138000", a date cell is "2024-03-01".
An 18-digit ID number that Excel stored as a number has lost its last digits (a float holds
15); such cells are remembered in `Sheet.lossy` so the check can say so instead of blaming
the check digit.

A cell Excel shows as an error (#N/A from a VLOOKUP that found nothing, #REF! pasted as a value)
is read by calamine as '' like an empty cell; for xlsx/xlsm the sheet's XML is searched for
error cells (`t="e"`) and each is remembered in `Sheet.errors` with the error as Excel shows
it, so the check names it instead of calling a required cell empty or dropping an optional
one; xls, xlsb and ods keep their errors in forms of their own, found by `sheet_errors`. A
CSV/TSV cell whose whole text is such an error is what Excel saved for it, and so is a text cell
of any workbook (another workbook's lookups pasted as text): both are read the same way, '' and
remembered in `Sheet.errors`.

A number an xlsx shows with leading zeros only its format holds (123 formatted `000000`, shown
000123: a staff number) is read as shown (`zero_masks`).

CSV and TSV come from many hands: Excel on a Chinese Windows saves GBK, "Unicode text" is
UTF-16 with tabs, others UTF-8 with or without a BOM. BOMs decide first, then strict UTF-8
(GBK text is almost never valid UTF-8), then GB18030 (a superset of GBK) unless the text is
Big5 (Traditional Chinese, which GB18030 decodes into mojibake without an error), and
charset-normalizer only for what none of them decodes, but for a few bytes: those are named,
not guessed past. When that still guesses wrong (a short Big5 list whose bytes are common GBK
characters), the mapping's `encoding:` says what the file is, and a byte it does not decode is
named at its line.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, compress, count, islice, repeat
from operator import contains
from pathlib import Path
from typing import Any, cast

from launchpad.errors import LaunchpadError
from launchpad.oserrors import os_reason
from launchpad.phrases import Phrase, Said, phrase
from launchpad.users import sheet_errors, zero_masks
from launchpad.users.bulk import building_rows
from launchpad.users.sheet_errors import Errors

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
TEXT_ONLY = frozenset({str})
FLOAT_DIGITS = 15  # what a double keeps of an integer typed into Excel
SHEETS_NAMED = 5  # of a folder's sheets, when the file named is not there
CHINESE = re.compile("[\u4e00-\u9fff]")
MIXED_LINES_NAMED = 5  # lines of the other encoding a mixed file's refusal names before "+N more"
STRAY_BYTES = 3  # undecodable spots in a file otherwise UTF-8 or GBK: named, never guessed past
STRAY_NAMES = {"utf-8": "UTF-8", "gb18030": "GBK (GB18030)"}
DETECTED_NAMES = {"gb18030": "gb18030 (GBK)", "cp950": "cp950 (Big5)", "big5hkscs": "big5hkscs (Big5)"}
BIG5_ENCODINGS = ("cp950", "big5hkscs")  # Windows' Big5 (Taiwan, Hong Kong), then Hong Kong's supplement
BIG5_SHARE = 5  # one non-ASCII character in this many out of place in GBK text makes it Big5 (`_big5_instead`)
NOT_IN_A_NAME_LIST = re.compile("[\u0370-\u04ff\u2500-\u257f\u3040-\u30ff]")  # Greek, Cyrillic, box, kana
SNIFFED_LINES = 30  # lines of a CSV/TSV file whose separators decide the delimiter
ZIP_MAGIC, ZIP_EMPTY, OLE_MAGIC = b"PK\x03\x04", b"PK\x05\x06", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP, OLE, SUFFIX_KIND = "zip", "ole", "suffix"  # how a workbook file starts (`_workbook_kind`)
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")  # the stream's name in the OLE file's directory
SNIFFED_BYTES = 4096  # of a file named as a workbook that is not one: whether it is a web page
ERROR_MARKS = (b't="e"', b"t='e'")
# A row or a column Excel hides (hidden by hand, by a filter or a collapsed outline): <row r="7" hidden="1">
HIDDEN_MARKS = (b'hidden="1"', b"hidden='1'", b'hidden="true"', b"hidden='true'")
HIDDEN_ELEMENT = re.compile(rb"<(?:\w+:)?(row|col)\s([^>]*)>")
ROW_NUMBER = re.compile(rb"\br=[\"']([0-9]+)[\"']")
COLUMN_SPAN = re.compile(rb"\bmin=[\"']([0-9]+)[\"'].*?\bmax=[\"']([0-9]+)[\"']")
# What Excel shows for a formula's error, and writes as the cell's text when it saves a CSV.
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
ERROR_SCAN_PIECE = 1 << 20  # bytes of a sheet's XML looked through at a time for an error cell
# An error cell of a sheet's XML, as Excel and WPS write it: <c r="B2" s="3" t="e"><f>…</f><v>#N/A</v></c>
ERROR_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>", re.DOTALL)
CELL_REF = re.compile(rb"\br=[\"']([A-Z]{1,3})([0-9]+)[\"']")
CELL_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


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
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → "#N/A", as Excel shows it
    # What Excel hides from the person reading the sheet, and launchpad still reads: rows and
    # columns (0-based, xlsx/xlsm), and the whole sheet (any workbook).
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    hidden: bool = False
    # A query's or an API's rows: `rows[0]` holds the column names and is row 0, so the first
    # record is row 1, and problems name a column by its name, not a letter.
    records: bool = False
    notes: list[Phrase] = field(default_factory=list)  # what the check tells about where the rows came from

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


def read_workbook(path: Path, encoding: str | None = None, encoding_at: str | None = None) -> Workbook:
    """All sheets of `path`; raises UnreadableSheet with what to do about it. `encoding` (the
    mapping's) is a CSV/TSV file's, instead of the one detected; a workbook has none.
    `encoding_at`: where it is written (mapping.encoding_at), named when the file is not in it."""
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
        kind = _workbook_kind(path)
        if kind is None:
            return _read_misnamed(path, suffix, encoding, encoding_at)
        if kind == OLE and suffix in ZIP_SUFFIXES and _encrypted(path):
            # Excel keeps a workbook it encrypts in an OLE file under its own .xlsx name
            raise UnreadableSheet(phrase("users.password_protected", path=str(path)),
                                  hint=phrase("users.password_protected_hint"))
        return Workbook(path, _read_excel(path, kind))
    if suffix in TEXT_SUFFIXES:
        return _read_text(path, delimiter="\t" if suffix == ".tsv" else None, encoding=encoding,
                          encoding_at=encoding_at)
    raise UnreadableSheet(phrase("users.not_a_sheet", path=str(path), suffix=suffix or phrase("users.no_suffix")),
                          hint=phrase("users.not_a_sheet_hint"))


def _workbook_kind(path: Path) -> str | None:
    """How the file starts: a zip (xlsx, xlsm, xlsb, ods), an OLE compound file (xls, and any
    workbook protected by a password), or neither (None)."""
    try:
        with path.open("rb") as file:
            start = file.read(len(OLE_MAGIC))
    except OSError:
        return SUFFIX_KIND  # the workbook reader names what is wrong with it
    if start.startswith((ZIP_MAGIC, ZIP_EMPTY)):
        return ZIP
    return OLE if start == OLE_MAGIC else None


def _encrypted(path: Path) -> bool:
    """Whether an OLE file holds an encrypted Office document (its `EncryptedPackage` stream)."""
    try:
        return ENCRYPTED_PACKAGE in path.read_bytes()
    except OSError:
        return False


def _read_misnamed(path: Path, suffix: str, encoding: str | None, encoding_at: str | None) -> Workbook:
    """A file named as a workbook that is text: a CSV or TSV renamed (or exported) as .xlsx/.xls
    is read as what it is, and says so; a web page or XML saved as .xls (what many systems
    export) is named as such, with what to do."""
    with path.open("rb") as file:
        start = file.read(SNIFFED_BYTES)
    if start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise UnreadableSheet(phrase("users.markup_as_excel", path=str(path), suffix=suffix),
                              hint=phrase("users.not_excel_hint"))
    if b"\x00" in start and not start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Workbook(path, _read_excel(path))  # neither text nor a workbook: the reader says what it is
    book = _read_text(path, delimiter=None, encoding=encoding, encoding_at=encoding_at)
    for sheet in book.sheets:
        sheet.notes.insert(0, phrase("users.text_as_excel", file=path.name, suffix=suffix))
    return book


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


def _read_excel(path: Path, kind: str = SUFFIX_KIND) -> list[Sheet]:
    # The error cells are looked for on a thread of their own while calamine parses the sheets:
    # both mostly inflate and parse XML outside the GIL, so the search (0.2–0.3 s at 100,000 rows)
    # adds nothing to the read's time (bench/import). The pool waits for it however the read ends,
    # and its result raises here whatever it raised there.
    # xls, xlsb and ods keep their errors in a form of their own (`sheet_errors`).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sheet-errors") as pool:
        search = pool.submit(_error_search(path, kind), path)
        sheets = _parsed(path, kind)
    errors, hidden, shown = search.result()
    for sheet in sheets:
        sheet.errors.update(errors.get(sheet.name, {}))
        sheet.hidden_rows, sheet.hidden_columns = hidden.get(sheet.name, (set(), set()))
        zero_masks.show(sheet.rows, shown.get(sheet.name, {}))
    return sheets


def _error_search(path: Path, kind: str) -> Callable[[Path], Found]:
    """What finds the error cells (and, in xlsx/xlsm, the hidden rows and columns and the numbers
    shown with leading zeros, `zero_masks`) of a workbook:
    by its bytes, not its name (an xlsx named .xls is zipped XML too), then by its name as calamine
    reads it."""
    suffix = path.suffix.lower()
    if kind == OLE or (kind == SUFFIX_KIND and suffix == ".xls"):
        return lambda path: (sheet_errors.xls_errors(path), {}, {})
    if suffix == ".ods":
        return lambda path: (sheet_errors.ods_errors(path), {}, {})
    if suffix == ".xlsb":
        return lambda path: (sheet_errors.xlsb_errors(path), {}, {})
    return _error_cells


def _parsed(path: Path, kind: str = SUFFIX_KIND) -> list[Sheet]:
    """Every sheet's cells as calamine reads them, each as text."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetVisibleEnum

    try:
        if kind == SUFFIX_KIND or (kind == OLE) == (path.suffix.lower() == ".xls"):  # named as what it is
            book = CalamineWorkbook.from_path(str(path))
        else:  # an xlsx named .xls (or an xls named .xlsx): calamine goes by its name, unless given the bytes
            with path.open("rb") as file:
                book = CalamineWorkbook.from_filelike(file)
        sheets = []
        for meta in book.sheets_metadata:
            name = meta.name
            raw = book.get_sheet_by_name(name)
            sheet = Sheet(name, [], [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in raw.merged_cell_ranges or ()],
                          hidden=meta.visible != SheetVisibleEnum.Visible)
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
            sheet.errors = _error_texts(sheet.rows)
            sheets.append(sheet)
    except PasswordError:
        raise UnreadableSheet(phrase("users.password_protected", path=str(path)),
                              hint=phrase("users.password_protected_hint")) from None
    except (CalamineError, ValueError, OSError) as exc:
        raise UnreadableSheet(phrase("users.not_excel", path=str(path), error=f"{type(exc).__name__}: {exc}"),
                              hint=phrase("users.not_excel_hint")) from None
    return sheets


Hidden = tuple[set[int], set[int]]  # a sheet's hidden rows and columns, 0-based
Found = tuple[Errors, dict[str, Hidden], dict[str, zero_masks.Shown]]  # each by sheet name


def _error_cells(path: Path) -> Found:
    """Each sheet's error cells, by name: (row, col), 0-based, → the error as Excel shows it;
    its hidden rows and columns; and its numbers shown with leading zeros (`zero_masks`). calamine
    reads the same file and says what is wrong with it, so a part this cannot find costs the sheet
    its error names, never the import."""
    import posixpath
    import zipfile
    import zlib
    from xml.etree import ElementTree

    found: Errors = {}
    hidden: dict[str, Hidden] = {}
    shown: dict[str, zero_masks.Shown] = {}
    try:
        with zipfile.ZipFile(path) as book:
            rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
            targets = {rel.get("Id"): rel.get("Target") or "" for rel in rels}
            names = set(book.namelist())
            masks = _zero_masks(book, rels, names)
            for sheet in ElementTree.fromstring(book.read("xl/workbook.xml")).iter():
                if not sheet.tag.endswith("}sheet"):
                    continue
                rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
                target = targets.get(rid, "")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                holds_errors, holds_hidden = _holds_errors(book, part) if part in names else (False, False)
                if holds_errors or holds_hidden or (masks and part in names):
                    data = book.read(part)
                    if holds_errors:
                        found[sheet.get("name", "")] = _errors_in(data)
                    if holds_hidden:
                        hidden[sheet.get("name", "")] = _hidden_in(data)
                    if masks:
                        shown[sheet.get("name", "")] = zero_masks.masked_cells(data, masks)
    except (zipfile.BadZipFile, ElementTree.ParseError, zlib.error, *sheet_errors.UNREADABLE):
        pass
    return found, hidden, shown


def _zero_masks(book: Any, rels: Any, names: set[str]) -> dict[int, zero_masks.Mask]:
    """The workbook's cell styles whose number format pads with zeros; none when its styles
    cannot be read (the numbers are then read as calamine reads them)."""
    import posixpath
    import zlib
    from xml.etree import ElementTree

    target = next((rel.get("Target") or "" for rel in rels if (rel.get("Type") or "").endswith("/styles")),
                  "styles.xml")
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    try:
        return zero_masks.styles_masks(book.read(part)) if part in names else {}
    except (KeyError, ElementTree.ParseError, zlib.error, OSError, ValueError):
        return {}


def _holds_errors(book: Any, part: str) -> tuple[bool, bool]:
    """Whether a sheet's XML holds an error cell, and a hidden row or column, read a piece at a
    time: a sheet of 100,000 rows is some 70 MB of XML, held whole only when it has an error
    cell or a hidden row to place."""
    tail = b""
    errors = hidden = False
    with book.open(part) as xml:
        while piece := xml.read(ERROR_SCAN_PIECE):
            text = tail + piece
            errors = errors or any(mark in text for mark in ERROR_MARKS)
            hidden = hidden or any(mark in text for mark in HIDDEN_MARKS)
            if errors and hidden:
                break
            tail = text[-len(HIDDEN_MARKS[-1]):]
    return errors, hidden


def _hidden_in(data: bytes) -> Hidden:
    """The rows and columns a sheet's XML hides, 0-based: each `hidden="1"` found by a search
    in C, and only its own element parsed."""
    rows: set[int] = set()
    columns: set[int] = set()
    for mark in HIDDEN_MARKS:
        at = data.find(mark)
        while at >= 0:
            element = HIDDEN_ELEMENT.match(data, data.rfind(b"<", 0, at))
            if element is not None and element.end() > at:
                if element[1] == b"row" and (number := ROW_NUMBER.search(element[2])) is not None:
                    rows.add(int(number[1]) - 1)
                elif element[1] == b"col" and (span := COLUMN_SPAN.search(element[2])) is not None:
                    columns.update(range(int(span[1]) - 1, int(span[2])))
            at = data.find(mark, at + len(mark))
    return rows, columns


def _errors_in(data: bytes) -> dict[tuple[int, int], str]:
    """The error cells of a sheet's XML. Each `t="e"` is found by a search in C and only its own
    cell is parsed: a regular expression tried at each of a million cells took seconds."""
    from xml.sax.saxutils import unescape

    cells: dict[tuple[int, int], str] = {}
    for mark in ERROR_MARKS:
        at = data.find(mark)
        while at >= 0:
            cell = ERROR_CELL.match(data, data.rfind(b"<", 0, at))
            ref = CELL_REF.search(cell[1]) if cell is not None and b"<" not in cell[1] else None
            value = CELL_VALUE.search(cell[2]) if cell is not None else None
            # Without `r` (optional, Excel and WPS always write it) the cell cannot be placed.
            if ref is not None and value is not None:
                col = 0
                for letter in ref[1]:
                    col = col * 26 + letter - 64
                cells[(int(ref[2]) - 1, col - 1)] = unescape(value[1].decode("utf-8", "replace"))
            at = data.find(mark, at + len(mark))
    return cells


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
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            first_error[encoding] = exc.start
            if encoding == "utf-8" and _utf8_but_for_a_few(data):
                # never GB18030: its reading of UTF-8 Chinese is mojibake, not an error
                raise _stray_byte(data, path, encoding, exc.start) from None
            continue
        return _big5_instead(data, text) if encoding == "gb18030" else (text, encoding)
    _refuse_mixed(data, path)
    spots = {encoding: data.decode(encoding, errors="replace").count("\ufffd") for encoding in first_error}
    nearest = min(spots, key=spots.__getitem__)
    if spots[nearest] <= STRAY_BYTES:
        # UTF-8 or GBK but for a byte or two (Windows' euro sign, a file cut off mid-character):
        # a guess would turn its Chinese into mojibake, so the byte is named instead.
        raise _stray_byte(data, path, nearest, first_error[nearest])
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableSheet(phrase("users.no_encoding", path=str(path)), hint=phrase("users.excel_name_hint"))
    return str(best), best.encoding


def _stray_byte(data: bytes, path: Path, encoding: str, at: int) -> UnreadableSheet:
    return UnreadableSheet(phrase("users.stray_byte", path=str(path), line=data.count(b"\n", 0, at) + 1,
                                  byte=f"0x{data[at]:02X}", encoding=STRAY_NAMES[encoding]),
                           hint=phrase("users.stray_byte_hint"))


def _utf8_but_for_a_few(data: bytes) -> bool:
    """Whether the file is UTF-8 Chinese but for a stray byte or two (a file cut off mid-character,
    a byte from another code page): GB18030 often decodes such bytes without an error, into
    mojibake in every name. GBK text read as UTF-8 has a bad spot at nearly every character."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    # Chinese characters UTF-8 decoded, twice the bad spots at least: GBK bytes that happen to be
    # well-formed UTF-8 are Latin letters, and almost never a Chinese character
    return bad <= STRAY_BYTES and len(CHINESE.findall(text)) >= 2 * bad


def _refuse_mixed(data: bytes, path: Path) -> None:
    """A file neither UTF-8 nor GBK whose every line is one or the other: GBK from Excel on
    Windows with UTF-8 lines pasted in from another file (or two files joined). Read as either,
    some names would be mojibake; the lines in the other encoding are named instead."""
    utf8, gbk = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8.append(number)
            continue
        except UnicodeDecodeError:
            pass
        try:
            line.decode("gb18030")
        except UnicodeDecodeError:
            return  # a line in neither: not this case
        gbk.append(number)
    if not utf8 or not gbk:
        return
    fewer, name, rest = (utf8, "UTF-8", "GBK") if len(utf8) <= len(gbk) else (gbk, "GBK", "UTF-8")
    named: list[str] = [str(n) for n in fewer[:MIXED_LINES_NAMED]]
    lines: Any = named if len(fewer) == len(named) else phrase("more", text=named, count=len(fewer) - len(named))
    raise UnreadableSheet(phrase("users.mixed_encodings", path=str(path), lines=lines, encoding=name, rest=rest),
                          hint=phrase("users.mixed_encodings_hint", encoding=name))


def _big5_instead(data: bytes, text: str) -> tuple[str, str]:
    """GB18030's reading of `data`, unless it is Big5 (Traditional Chinese, from Hong Kong or
    Taiwan). Every Big5 byte pair is a GBK one too, so Big5 never fails to decode as GB18030:
    it comes out as kana, Cyrillic, rare and private-use characters. Simplified Chinese from a
    GBK file is nearly all GB2312; when a fifth of the non-ASCII characters are not (or are
    kana, Greek, Cyrillic or box drawing, which GB2312 holds but no list of people does), and
    the bytes are good Big5, they are Big5."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if not non_ascii:
        return text, "gb18030"
    outside = text.encode("gb2312", "replace").count(b"?") - text.count("?")
    strange = outside + len(NOT_IN_A_NAME_LIST.findall(text))
    if strange * BIG5_SHARE < non_ascii:
        return text, "gb18030"
    for encoding in BIG5_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return text, "gb18030"


def _decoded_as(data: bytes, path: Path, encoding: str, at: str | None) -> str:
    """The text of a CSV/TSV file in the encoding its mapping gives (at `at`, file:line:col). A
    byte that encoding does not decode is named at its line and offset, with the encoding
    detection would have read it in and where to change it."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = exc.start
        said = phrase("users.not_in_given_encoding", path=str(path), encoding=encoding, byte=f"0x{data[bad]:02X}",
                      line=data[:bad].decode(encoding, errors="replace").count("\n") + 1, offset=bad)
    try:
        detected = decode_text(data, path)[1]
    except UnreadableSheet:
        # the mapping's file named, at its `encoding:`, when it was loaded from one
        raise UnreadableSheet(said, hint=phrase("users.given_encoding_hint") if at is None else
                              phrase("users.given_encoding_at_hint", at=at)) from None
    name = DETECTED_NAMES.get(detected, detected)
    raise UnreadableSheet(said, hint=phrase("users.given_encoding_detected_hint", name=detected, detected=name)
                          if at is None else
                          phrase("users.given_encoding_detected_at_hint", name=detected, detected=name, at=at))


def _read_text(path: Path, delimiter: str | None, encoding: str | None = None,
               encoding_at: str | None = None) -> Workbook:
    data = path.read_bytes()
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or \
        encoding is not None and codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    if b"\x00" in data[:4096] and not utf16:
        raise UnreadableSheet(phrase("users.binary_csv", path=str(path)), hint=phrase("users.excel_name_hint"))
    text, encoding = decode_text(data, path) if encoding is None else \
        (_decoded_as(data, path, encoding, encoding_at), encoding)
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
    notes = [phrase("users.read_as_big5", file=path.name)] if encoding in BIG5_ENCODINGS else []
    # A file holding no error's text anywhere (a search in C for each) has none: its rows are not looked at.
    errors = _error_texts(rows) if any(error in text for error in EXCEL_ERRORS) else {}
    return Workbook(path, [Sheet(path.stem, rows, errors=errors, notes=notes)], encoding=encoding)


def _error_texts(rows: list[list[str]]) -> dict[tuple[int, int], str]:
    """The cells whose whole text is an error (what Excel saves into a CSV for one, or another
    workbook's error pasted as text), each made '' as an error cell is (so a row of nothing but
    errors is a blank row, as in the workbook it came from). Only a row whose joined text holds
    a '#' is looked at cell by cell: the rest are answered by a search in C each, so a sheet of
    100,000 rows without one costs a few milliseconds, not a loop over its cells."""
    found = {}
    for r in compress(count(), map(contains, map("".join, rows), repeat("#"))):
        cells = rows[r]
        for c, cell in enumerate(cells):
            if "#" in cell and cell.strip() in EXCEL_ERRORS:
                found[(r, c)], cells[c] = cell.strip(), ""
    return found


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
