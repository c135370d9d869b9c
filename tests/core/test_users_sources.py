"""Reading the client's file: xlsx through calamine, CSV/TSV in whatever encoding Excel or
WPS saved, title rows, two-row headers with merged cells, several sheets, blank rows."""

from __future__ import annotations

import codecs
import datetime
from collections.abc import Callable
from pathlib import Path

import pytest

from launchpad.users.checks import SheetDoesNotFit, lay_out
from launchpad.users.mapping import ImportMapping, load_mapping
from launchpad.users.sources import UnreadableSheet, read_workbook
from tests.core.users_sheet_formats import write_ods, write_xls, write_xlsb
from tests.core.users_sheets import GOOD, HEADER, write_csv, write_mapping, write_xlsx, write_xlsx_with_errors


@pytest.fixture
def mapping(tmp_path: Path) -> ImportMapping:
    return load_mapping(write_mapping(tmp_path))


def test_xlsx_cells_become_the_text_a_person_typed(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "u.xlsx", {"名单": [["手机", "入职日期", "身份证号", "分数"],
                                                   [13800138000, datetime.date(2024, 3, 1), 110105194912310021, 3.5]]})
    sheet = read_workbook(path).sheets[0]
    assert sheet.name == "名单"
    assert sheet.rows[1][:2] == ["13800138000", "2024-03-01"]
    assert sheet.rows[1][3] == "3.5"
    # 18 digits do not fit a float: the cell is remembered as lossy, not trusted.
    assert (1, 2) in sheet.lossy and (1, 0) not in sheet.lossy


def test_an_error_cell_is_remembered_with_the_error_excel_shows(tmp_path: Path) -> None:
    # calamine gives an error cell as '' like an empty one: the sheet's XML says which it was.
    path = write_xlsx_with_errors(tmp_path / "u.xlsx", [HEADER, GOOD[0], GOOD[1]],
                                  {"B2": ("VLOOKUP(A2,花名册!A:B,2,FALSE)", "#N/A"), "D3": (None, "#REF!")})
    sheet = read_workbook(path).sheets[0]
    assert sheet.errors == {(1, 1): "#N/A", (2, 3): "#REF!"}
    assert sheet.rows[1][1] == "" and sheet.rows[1][0] == "zhangsan"


def test_a_number_shown_with_leading_zeros_by_its_format_is_read_as_excel_shows_it(tmp_path: Path) -> None:
    # 工号 typed as the number 123 in a column formatted 000000 shows 000123: calamine reads 123.
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "名单"
    for row in (["工号", "姓名", "编号", "分数"], [123, "张三", 45, 12.5], [654321, "李四", 12345, 7], ["89", "王五"]):
        ws.append(row)
    for cells in ws.iter_rows(min_row=2, max_row=3):
        cells[0].number_format, cells[2].number_format, cells[3].number_format = "000000", '"0"0000', "000"
    ws["A4"].number_format = "000000"  # text typed into the column: Excel shows it as typed
    ws["A5"], ws["A5"].number_format = 7, "0"  # one placeholder pads nothing
    book.save(tmp_path / "u.xlsx")
    rows = read_workbook(tmp_path / "u.xlsx").sheets[0].rows
    assert [row[0] for row in rows[1:]] == ["000123", "654321", "89", "7"]
    assert [row[2] for row in rows[1:3]] == ["00045", "012345"]
    # a fraction is shown rounded (000013): left as typed, not changed into another number
    assert [row[3] for row in rows[1:3]] == ["12.5", "007"]


@pytest.mark.parametrize("code", ["0.00", "000000;-000000", "0000-00", "#,##0", "000000_ ", "@", '"A"0000'])
def test_a_number_format_that_is_not_only_zeros_changes_nothing(tmp_path: Path, code: str) -> None:
    # Only a mask of zeros is read as shown; any other format leaves the number as calamine reads it.
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["工号"])
    ws.append([123])
    ws["A2"].number_format = code
    book.save(tmp_path / "u.xlsx")
    assert read_workbook(tmp_path / "u.xlsx").sheets[0].rows[1][0] == "123"


@pytest.mark.parametrize(("write", "suffix"), [(write_ods, ".ods"), (write_xls, ".xls"), (write_xlsb, ".xlsb")])
def test_an_error_cell_of_an_ods_xls_or_xlsb_is_remembered_as_in_an_xlsx(tmp_path: Path, write: Callable[..., Path],
                                                                          suffix: str) -> None:
    # calamine reads each format's error cell as '' (and an xlsb formula's error as nothing):
    # a formula's error and one pasted as a value, past blank rows (ods: one row repeated), on
    # the second sheet.
    path = write(tmp_path / f"u{suffix}", [HEADER, GOOD[0], [], [], GOOD[1]],
                 {"B2": ("1/0", "#DIV/0!"), "D5": (None, "#REF!"), "E5": ("NA()", "#N/A")}, cover=True)
    cover, sheet = read_workbook(path).sheets
    assert (cover.name, cover.errors, sheet.name) == ("说明", {}, "名单")
    assert sheet.errors == {(1, 1): "#DIV/0!", (4, 3): "#REF!", (4, 4): "#N/A"}
    assert sheet.rows[1][:3] == [GOOD[0][0], "", GOOD[0][2]] and sheet.rows[4][3:6] == ["", "", GOOD[1][5]]


def test_an_error_typed_or_pasted_as_text_is_remembered_beside_the_error_cells(tmp_path: Path) -> None:
    # calamine reads a text cell "#N/A" as that text: it is the error's text, pasted as a value.
    path = write_xlsx_with_errors(tmp_path / "u.xlsx", [HEADER, [*GOOD[0][:7], "#NUM!"], [*GOOD[1][:4], "#NULL! "]],
                                  {"B2": ("VLOOKUP(A2,花名册!A:B,2,FALSE)", "#N/A")})
    sheet = read_workbook(path).sheets[0]
    assert sheet.errors == {(1, 1): "#N/A", (1, 7): "#NUM!", (2, 4): "#NULL!"}
    assert sheet.rows[1][7] == "" and sheet.rows[2][4] == "" and sheet.rows[2][3] == GOOD[1][3]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_csv_encoding_is_detected(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "u.csv", [HEADER, GOOD[0], ["王五", "王五", "", "", "", "女", "办公室", "科员"]],
                     encoding=encoding)
    book = read_workbook(path)
    assert book.sheets[0].rows[0] == HEADER
    assert book.sheets[0].rows[1][1] == "张三"
    assert book.encoding in ({"utf-8-sig"} if encoding == "utf-8-sig" else {"utf-8"} if encoding == "utf-8"
                             else {"gb18030"})


@pytest.mark.parametrize("encoding", ["big5", "cp950", "big5hkscs"])
def test_a_csv_in_big5_is_read_as_traditional_chinese_not_as_gbk_mojibake(tmp_path: Path, encoding: str) -> None:
    # From a Hong Kong or Taiwan subsidiary: every Big5 byte pair is also a GB18030 one, so read
    # as GBK it gave names in kana and rare characters that passed the check.
    rows = [["帳號", "姓名", "手機號碼", "單位"], ["chan.taiman", "陳大文", "91234567", "資訊科技部"],
            ["wong.siuming", "黃小明", "92345678", "人力資源部"], ["lee.kayan", "李嘉欣", "93456789", "總務處"]]
    book = read_workbook(write_csv(tmp_path / "u.csv", rows, encoding=encoding))
    assert book.sheets[0].rows == rows
    assert [str(note) for note in book.sheets[0].notes] == [
        "u.csv was read as Big5 (Traditional Chinese); if its names look wrong, save it as UTF-8 and check again"]


# Big5 names whose bytes are also common GB2312 characters: detection reads them as GBK (陳偉 as 朝岸).
BIG5_AS_GBK = [["account", "name"], ["chen.wei", "陳偉"], ["huang.guohua", "黃國華"], ["zhao.ya", "趙雅"]]


@pytest.mark.parametrize(("rows", "encoding"), [(BIG5_AS_GBK, "big5"), ([HEADER, *GOOD], "gbk")])
def test_the_mappings_encoding_reads_a_csv_its_detection_would_misread(tmp_path: Path, rows: list[list[str]],
                                                                       encoding: str) -> None:
    path = write_csv(tmp_path / "u.csv", rows, encoding=encoding)
    if encoding == "big5":
        assert read_workbook(path).sheets[0].rows[1] == ["chen.wei", "朝岸"]  # what detection makes of it
    book = read_workbook(path, encoding=encoding)
    assert book.sheets[0].rows == rows and book.encoding == encoding and book.sheets[0].notes == []


def test_a_csv_that_does_not_decode_in_the_mappings_encoding_names_the_line_and_byte(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "u.csv", [["account", "name"], ["zhangsan", "张三"]], encoding="gbk")
    with pytest.raises(UnreadableSheet) as caught:
        read_workbook(path, encoding="utf-8")
    assert str(caught.value.message) == (f"{path} does not decode as utf-8 (the mapping's encoding:): line 2, "
                                         "byte 0xD5 at offset 23")
    assert str(caught.value.hint) == ("it reads as gb18030 (GBK) when detected: remove encoding: from the mapping, "
                                      "or write encoding: gb18030")
    with pytest.raises(UnreadableSheet) as located:
        read_workbook(path, encoding="utf-8", encoding_at="imports/ruoyi.yaml:3:11")
    assert str(located.value.hint) == ("it reads as gb18030 (GBK) when detected: remove encoding: at "
                                       "imports/ruoyi.yaml:3:11, or write encoding: gb18030 there")


def test_a_gbk_csv_that_big5_could_also_read_stays_gbk(tmp_path: Path) -> None:
    rows = [["账号", "姓名", "单位"], ["lisi", "李四", "办公室"], ["wangwu", "王五", "信息中心"],
            ["liuyang", "刘洋", "财务科"], ["chenjing", "陈静", "办公室"]]
    data = "\r\n".join(",".join(row) for row in rows).encode("gbk")
    data.decode("cp950")  # the bytes are valid Big5 as well
    path = tmp_path / "u.csv"
    path.write_bytes(data)
    book = read_workbook(path)
    assert book.sheets[0].rows == rows and book.encoding == "gb18030" and book.sheets[0].notes == []


@pytest.mark.parametrize("title", ["名单（填报单位：人事处，填报日期：2025年2月28日）", "单位;人事处"],
                         ids=["full-width comma", "semicolon"])
def test_a_csv_title_row_does_not_decide_the_delimiter(tmp_path: Path, mapping: ImportMapping, title: str) -> None:
    # A title typed in one cell may hold a full-width comma or a semicolon; the rows below it
    # are still separated by commas.
    path = write_csv(tmp_path / "u.csv", [[title], HEADER, *GOOD])
    tables, _ = lay_out(read_workbook(path), mapping)
    assert tables[0].header_rows == (1,)
    assert [cells[1] for _, cells in tables[0].records()] == ["张三", "李四"]


def test_a_quote_that_never_closes_is_refused_at_its_line_not_read_as_one_cell(tmp_path: Path) -> None:
    # Without the check the rest of the file would be one cell of the row, its people gone.
    path = tmp_path / "u.csv"
    text = ",".join(HEADER) + "\r\n" + ",".join(GOOD[0]) + "\r\n" + '"' + ",".join(GOOD[1]) + "\r\nwang,王五\r\n"
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(UnreadableSheet) as refused:
        read_workbook(path)
    assert refused.value.exit_code == 2
    assert "u.csv: line 3: a quote opens a cell that is never closed" in str(refused.value), str(refused.value)


def test_a_stray_quote_inside_a_cell_is_kept_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes((",".join(HEADER) + '\r\nzhangsan,"张"三,x\r\n').encode("gbk"))
    assert read_workbook(path).sheets[0].rows[1][:3] == ["zhangsan", "张三", "x"]


@pytest.mark.parametrize(("encoding", "spoil", "says"), [
    # Windows' GBK writes the euro sign as 0x80
    ("gbk", lambda data: data.replace(b"office", b"\x80", 1), "line 2: byte 0x80 is not GBK (GB18030) text"),
    ("gbk", lambda data: data + "张".encode("gbk")[:1], "line 32: byte 0xD5 is not GBK (GB18030) text"),
    ("utf-8", lambda data: data.replace(b"office", b"\x80", 1), "line 2: byte 0x80 is not UTF-8 text"),
], ids=["gbk euro sign", "gbk cut off", "utf-8 stray byte"])
def test_a_stray_byte_is_refused_at_its_line_never_guessed_into_mojibake(
        tmp_path: Path, encoding: str, spoil: Callable[[bytes], bytes], says: str) -> None:
    lines = ["login,name,mobile,unit"] + [f"user{i},name{i},138001380{i:02d},office" for i in range(30)]
    data = "\r\n".join([*lines, "zhangsan,张三,13800138099,办公室"]).encode(encoding)
    path = tmp_path / "u.csv"
    path.write_bytes(spoil(data))
    with pytest.raises(UnreadableSheet) as refused:
        read_workbook(path)
    assert f"u.csv: {says}" in str(refused.value), str(refused.value)
    assert refused.value.exit_code == 2


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path: Path) -> None:
    path = tmp_path / "u.txt"
    text = "\t".join(HEADER) + "\r\n" + "\t".join(GOOD[0]) + "\r\n"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert read_workbook(path).sheets[0].rows[1][6] == "办公室"


def test_tsv_reads_tabs(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "u.tsv", [HEADER, GOOD[0]], encoding="utf-8", delimiter="\t")
    assert read_workbook(path).sheets[0].rows[1][0] == "zhangsan"


@pytest.mark.parametrize(("name", "content", "says"), [
    ("empty.xlsx", b"", "empty (0 bytes)"),
    ("notes.xlsx", b"\x00\x01\x02 neither a workbook nor text", "not a readable Excel workbook"),
    ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
    ("u.pdf", b"%PDF-1.4", "not a sheet launchpad reads"),
])
def test_a_file_that_is_not_a_sheet_is_refused_clearly(tmp_path: Path, name: str, content: bytes,
                                                      says: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableSheet) as caught:
        read_workbook(path)
    assert says in caught.value.message and name in caught.value.message
    assert caught.value.exit_code == 2


def test_title_rows_above_the_header_are_skipped(tmp_path: Path, mapping: ImportMapping) -> None:
    rows = [["2024年某某局人员名单"], ["填报单位：办公室", "", "填报日期：2024-03-01"], [], HEADER, *GOOD]
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": rows}, merged={"名单": ["A1:H1"]}))
    tables, _ = lay_out(book, mapping)
    assert tables[0].header_rows == (3,)
    assert [n for n, _ in tables[0].records()] == [5, 6]


def test_two_row_header_with_merged_cells(tmp_path: Path, mapping: ImportMapping) -> None:
    top = ["账号", "姓名", "单位", "", "手机号码"]
    lower = ["", "", "实际单位", "挂职单位", ""]
    rows = [top, lower, ["wang", "王五", "办公室", "信息中心", "13800138001"]]
    merged = {"名单": ["A1:A2", "B1:B2", "C1:D1", "E1:E2"]}
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": rows}, merged=merged))
    table = lay_out(book, mapping)[0][0]
    assert table.header_rows == (0, 1)
    fields = {c.field: c.letter for c in table.columns}
    assert fields == {"user_name": "A", "nick_name": "B", "dept": "C", "attached_dept": "D", "phonenumber": "E"}
    assert [n for n, _ in table.records()] == [3]


def test_several_sheets_and_blank_trailing_rows(tmp_path: Path, mapping: ImportMapping) -> None:
    sheets = {"办公室": [HEADER, GOOD[0], [], ["", "  "], []], "信息中心": [HEADER, GOOD[1]], "说明": [["填表说明"]],
              "空": []}
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", sheets))
    tables, notes = lay_out(book, mapping)
    assert [(t.sheet.name, [n for n, _ in t.records()]) for t in tables] == [("办公室", [2]), ("信息中心", [2])]
    said = [str(n) for n in notes]
    assert "sheet '说明' has no header the mapping knows: skipped" in said
    assert "sheet '空' is empty" in said


def test_a_misspelled_header_is_named_with_the_closest(tmp_path: Path, mapping: ImportMapping) -> None:
    header = [*HEADER[:2], "身份证号吗", *HEADER[3:]]
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": [header, GOOD[0]]}))
    _, notes = lay_out(book, mapping)
    assert any("column C '身份证号吗' matches no field (closest: 身份证号)" in str(n) for n in notes)


def test_a_header_that_matches_nothing_is_an_error(tmp_path: Path, mapping: ImportMapping) -> None:
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"Sheet1": [["a", "b"], ["1", "2"]]}))
    with pytest.raises(SheetDoesNotFit) as caught:
        lay_out(book, mapping)
    assert "no sheet has a header the mapping knows" in caught.value.message
    assert caught.value.exit_code == 2


def test_a_missing_required_column_names_the_field_and_the_spare_headers(tmp_path: Path,
                                                                        mapping: ImportMapping) -> None:
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": [["账号", "名子", "单位"], ["a", "b", "c"]]}))
    with pytest.raises(SheetDoesNotFit) as caught:
        lay_out(book, mapping)
    assert "nick_name (姓名/用户姓名/名字)" in caught.value.message
    assert "B '名子'" in caught.value.message


def test_an_empty_sheet_is_an_error_when_it_is_the_only_one(tmp_path: Path,
                                                           mapping: ImportMapping) -> None:
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"Sheet1": []}))
    with pytest.raises(SheetDoesNotFit, match="is empty"):
        lay_out(book, mapping)


def test_the_mapping_can_name_the_sheets_to_read(tmp_path: Path) -> None:
    from tests.core.users_sheets import MAPPING

    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"甲": [HEADER, GOOD[0]], "乙": [HEADER, GOOD[1]]}))
    only = load_mapping(write_mapping(tmp_path, MAPPING.replace("key: user_name", "key: user_name\nsheets: [乙]")))
    assert [t.sheet.name for t in lay_out(book, only)[0]] == ["乙"]
    wrong = load_mapping(write_mapping(tmp_path, MAPPING.replace("key: user_name", "key: user_name\nsheets: [丙]")))
    with pytest.raises(SheetDoesNotFit, match="no sheet named '丙' .sheets: 甲, 乙."):
        lay_out(book, wrong)


def test_a_password_protected_workbook_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import python_calamine

    def protected(path: str) -> None:
        raise python_calamine.PasswordError("workbook is encrypted")

    path = write_xlsx(tmp_path / "加密.xlsx", {"名单": [HEADER]})
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", protected)
    with pytest.raises(UnreadableSheet, match="is protected by a password") as caught:
        read_workbook(path)
    assert "without the password" in caught.value.hint


def test_a_csv_named_xlsx_is_read_as_the_text_it_is_and_says_so(tmp_path: Path, mapping: ImportMapping) -> None:
    from launchpad.phrases import render

    csv_bytes = (",".join(HEADER) + "\r\n" + ",".join(GOOD[0]) + "\r\n").encode("gbk")  # what Excel saves on Windows
    (tmp_path / "名单.xlsx").write_bytes(csv_bytes)
    book = read_workbook(tmp_path / "名单.xlsx")
    [sheet] = book.sheets
    assert sheet.rows == [HEADER, GOOD[0]] and book.encoding == "gb18030"
    assert [render(note, "zh") for note in sheet.notes] == [
        "名单.xlsx 的扩展名是 .xlsx，内容却是文本（CSV/TSV），不是 Excel 工作簿：已按文本读取"]
    [table] = lay_out(book, mapping)[0]
    assert len(list(table.records())) == 1
    # "Unicode text" (UTF-16 with tabs) that a system exported as .xls
    (tmp_path / "导出.xls").write_bytes(("\t".join(HEADER) + "\r\n" + "\t".join(GOOD[0]) + "\r\n").encode("utf-16"))
    assert read_workbook(tmp_path / "导出.xls").sheets[0].rows == [HEADER, GOOD[0]]


def test_a_web_page_named_xls_is_named_as_one(tmp_path: Path) -> None:
    from launchpad.phrases import render

    (tmp_path / "导出.xls").write_bytes("\ufeff\r\n<html><table><tr><td>账号</td></tr></table>".encode())
    with pytest.raises(UnreadableSheet) as caught:
        read_workbook(tmp_path / "导出.xls")
    assert render(caught.value.said, "zh") == (f"{tmp_path / '导出.xls'} 的扩展名是 .xls，内容却是网页或 XML"
                                               "（有些系统这样导出），不是 Excel 工作簿")
    assert "ZipError" not in str(caught.value)


def test_a_gbk_file_with_utf8_lines_pasted_in_names_those_lines(tmp_path: Path) -> None:
    from launchpad.phrases import render

    data = ",".join(HEADER).encode("gbk") + b"\r\n"
    data += b"".join(f"u{i},张{i},,13800138{i:03},,男,办公室,科员\r\n".encode("gbk") for i in range(5))
    data += "lisi,欧阳李四,,13900139000,,女,信息中心,从另一个文件复制过来的一行\r\n".encode()  # UTF-8
    data += "wangwu,王五,,13700137000,,男,信息中心,\r\n".encode()
    (tmp_path / "名单.csv").write_bytes(data)
    with pytest.raises(UnreadableSheet) as caught:
        read_workbook(tmp_path / "名单.csv")
    assert render(caught.value.said, "zh") == (f"{tmp_path / '名单.csv'}：第 7、8 行是 UTF-8 文本，文件其余部分是 GBK："
                                               "一个文件里混有两种编码（从另一个文件粘贴的行，或两个文件拼接而成）")
    assert caught.value.exit_code == 2


def test_a_utf8_file_cut_off_mid_character_is_refused_at_its_line_not_read_as_gbk_mojibake(tmp_path: Path) -> None:
    data = "账号,姓名\nzhangsan,张三\nlisi,李".encode()
    (tmp_path / "名单.csv").write_bytes(data[:-1])  # the transfer stopped one byte short: 李 is E6 9D 8E
    assert data[:-1].decode("gb18030")  # which GB18030 reads without an error, every name in mojibake
    with pytest.raises(UnreadableSheet) as refused:
        read_workbook(tmp_path / "名单.csv")
    assert "名单.csv: line 3: byte 0xE6 is not UTF-8 text, which the rest of the file is" in str(refused.value)
    assert refused.value.exit_code == 2


def test_an_xlsx_saved_under_an_xls_name_is_read_as_the_workbook_it_is(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "名单.xlsx", {"名单": [HEADER, *GOOD]})
    path.rename(tmp_path / "名单.xls")  # what many systems' "export to Excel" names it
    [sheet] = read_workbook(tmp_path / "名单.xls").sheets
    assert sheet.name == "名单" and sheet.rows == [HEADER, *GOOD]


def test_a_password_protected_xlsx_says_so_not_that_it_is_no_zip(tmp_path: Path) -> None:
    # Excel encrypts an xlsx into an OLE compound file (streams EncryptionInfo, EncryptedPackage)
    # and keeps its .xlsx name; directory entries hold the streams' names in UTF-16.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    entries = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in ("Root Entry", "EncryptionInfo",
                                                                                  "EncryptedPackage"))
    (tmp_path / "加密.xlsx").write_bytes(ole + entries + bytes(4096))
    with pytest.raises(UnreadableSheet) as caught:
        read_workbook(tmp_path / "加密.xlsx")
    assert "加密.xlsx is protected by a password" in str(caught.value), str(caught.value)
    assert "without the password" in caught.value.hint


def test_a_damaged_xls_or_ods_costs_its_error_names_and_never_the_memory(tmp_path: Path) -> None:
    """The error search reads counts the file states: an xls whose header claims 2³² − 1 DIFAT
    sectors in a chain that loops on itself, an ods error cell repeated a billion times. Each is
    read within the file's (or a sheet's) own size."""
    import re
    import struct
    import zipfile

    from launchpad.users.sheet_errors import MAX_COLUMNS, ods_errors, xls_errors

    xls = write_xls(tmp_path / "u.xls", [HEADER, GOOD[0]], {"B2": (None, "#REF!")})
    data = bytearray(xls.read_bytes())
    size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
    struct.pack_into("<II", data, 0x44, 0, 0xFFFFFFFF)  # the DIFAT starts at sector 0, "4 billion" of them
    struct.pack_into("<I", data, 2 * size - 4, 0)  # sector 0's next DIFAT sector: itself
    xls.write_bytes(bytes(data))
    assert isinstance(xls_errors(xls), dict)

    ods = write_ods(tmp_path / "u.ods", [HEADER, GOOD[0]], {"B2": (None, "#REF!")})
    with zipfile.ZipFile(ods) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    parts["content.xml"] = re.sub(rb'(calcext:value-type="error")',
                                  rb'\1 table:number-columns-repeated="1000000000"', parts["content.xml"])
    with zipfile.ZipFile(ods, "w") as book:
        book.writestr("mimetype", parts.pop("mimetype"), compress_type=zipfile.ZIP_STORED)
        for name, content in parts.items():
            book.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    [cells] = ods_errors(ods).values()
    assert set(cells.values()) == {"#REF!"} and len(cells) == MAX_COLUMNS  # the repeat, cut at a sheet's width


def test_only_the_cells_own_number_formats_pad_with_zeros() -> None:
    """A conditional format (dxfs) of zeros reusing a cell format's id pads nothing."""
    from launchpad.users.zero_masks import styles_masks

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    styles = (f'<styleSheet xmlns="{main}"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.00"/></numFmts>'
              '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>'
              '<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="000000"/></dxf></dxfs></styleSheet>')
    assert styles_masks(styles.encode()) == {}
    padded = styles.replace('formatCode="0.00"', 'formatCode="000000"')
    assert styles_masks(padded.encode()) == {1: ("", 6)}
