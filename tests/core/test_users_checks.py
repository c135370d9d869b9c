"""Every row checked, every problem reported with sheet, row, column letter, header, value and
why; the annotated copy marks the same cells for the client."""

from __future__ import annotations

import datetime
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from launchpad.errors import InvalidInput
from launchpad.phrases import phrase, render
from launchpad.users.annotate import write_annotated
from launchpad.users.checks import CheckResult, Target, check_workbook
from launchpad.users.idnumber import check_id_number, upgrade_15
from launchpad.users.mapping import load_mapping
from launchpad.users.sources import read_workbook
from launchpad.users.units import Department
from tests.core.users_sheet_formats import write_ods, write_xls, write_xlsb
from tests.core.users_sheets import GOOD, HEADER, MAPPING, write_csv, write_mapping, write_xlsx, write_xlsx_with_errors

DEPARTMENTS = [
    Department(100, "某某局", ("某某局",)),
    Department(101, "办公室", ("某某局", "办公室")),
    Department(102, "信息中心", ("某某局", "信息中心")),
    Department(103, "综合科", ("某某局", "办公室", "综合科")),
    Department(104, "综合科", ("某某局", "信息中心", "综合科")),
]


def check(tmp_path: Path, rows: Sequence[Sequence[object]], target: Target | None = None,
          mapping: str = MAPPING) -> CheckResult:
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": [HEADER, *rows]}))
    return check_workbook(book, load_mapping(write_mapping(tmp_path, mapping)), target)


def problems(result: CheckResult) -> list[tuple[int, str, str, str, str]]:
    return [(p.row, p.column, p.header, p.value, str(p.reason)) for p in result.problems]


@pytest.mark.parametrize(("number", "why"), [
    ("11010519491231002X", None),
    ("11010519491231002x", None),  # a lower-case x is the same number
    ("110105194912310021", "check digit is 1, the number's digits give X"),
    ("110105194902300028", "birth date 19490230 is not a real date"),
    ("110105230001010025", "birth date 23000101 is not a real date"),
    ("990105194912310021", "region code 990105 is not a province's"),
    ("1101051949123100", "an ID number has 18 characters (or 15 digits), not 16"),
    ("11010519491231002Y", "an ID number has 18 characters (or 15 digits), not 18"),
])
def test_id_numbers_follow_gb_11643(number: str, why: str | None) -> None:
    value, problem = check_id_number(number, today=datetime.date(2026, 1, 1))
    assert (str(problem) if problem else None) == why
    if why is None:
        assert value == number.upper()


def test_a_15_digit_number_becomes_its_18_digit_form() -> None:
    assert upgrade_15("110105491231002") == "11010519491231002X"
    assert check_id_number("110105491231002") == ("11010519491231002X", None)


@pytest.mark.parametrize("typed", ["１１０１０５１９４９１２３１００２Ｘ", "110105 19491231 002X",
                                   "110105\u300019491231002x"])
def test_an_id_number_typed_in_full_width_or_with_spaces_is_the_number(typed: str) -> None:
    assert check_id_number(typed, today=datetime.date(2026, 1, 1)) == ("11010519491231002X", None)


@pytest.mark.parametrize("shown", ["1.10105E+17", "1.10105e+17", "1.10105194912310E+17",
                                   "110105194912310000"])  # a number cell formatted "0": 15 digits kept
def test_an_id_number_excel_saved_as_a_number_says_its_digits_are_lost(shown: str) -> None:
    assert check_id_number(shown, today=datetime.date(2026, 1, 1)) == (shown, phrase("users.id_lossy"))


def test_good_rows_have_no_problems_and_values_as_the_target_stores_them(tmp_path: Path) -> None:
    result = check(tmp_path, [*GOOD, ["ＷＡＮＧ５ ", "王 五", "", "+86 139-0013-9001", "", "女", "办公室", ""]])
    assert problems(result) == []
    last = result.rows[-1].values
    shown = (last["user_name"], last["nick_name"], last["phonenumber"], last["sex"])
    assert shown == ("wang5", "王五", "13900139001", "1")


def test_every_problem_of_every_row_is_reported_at_once(tmp_path: Path) -> None:
    rows = [
        ["", "赵六", "110105194912310021", "1380013800", "zhao@", "未知", "办公室", ""],
        ["qian7", "", "", "12345678901", "", "男", "", ""],
        *GOOD,
    ]
    found = problems(check(tmp_path, rows))
    assert found == [
        (2, "A", "账号", "", "required, but empty"),
        (2, "C", "身份证号", "110105194912310021", "check digit is 1, the number's digits give X"),
        (2, "D", "手机号码", "1380013800", "not a mainland mobile number (11 digits starting 13–19)"),
        (2, "E", "邮箱", "zhao@", "not an e-mail address"),
        (2, "F", "性别", "未知", "not one of 男, 女"),
        (3, "B", "姓名", "", "required, but empty"),
        (3, "D", "手机号码", "12345678901", "not a mainland mobile number (11 digits starting 13–19)"),
        (3, "G", "单位", "", "required, but empty"),
    ]


def test_dates_are_checked_and_written_iso(tmp_path: Path) -> None:
    header = [*HEADER, "入职日期"]
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": [
        header, [*GOOD[0], "2024年3月1日"], [*GOOD[1], "2023-02-30"], ["w", "王", "", "", "", "", "办公室", "", "下周"],
        ["z", "赵", "", "", "", "", "办公室", "", datetime.date(2020, 5, 6)]]}))
    result = check_workbook(book, load_mapping(write_mapping(tmp_path)))
    assert [row.values["joined"] for row in result.rows] == ["2024-03-01", "2023-02-30", "下周", "2020-05-06"]
    assert problems(result) == [(3, "I", "入职日期", "2023-02-30", "no such day"),
                                (4, "I", "入职日期", "下周", "not a date (write 2024-03-01)")]


def test_an_id_number_excel_kept_as_a_number_is_named_as_such(tmp_path: Path) -> None:
    result = check(tmp_path, [["a", "甲", 110105194912310021, "", "", "", "办公室", ""]])
    assert problems(result) == [(2, "C", "身份证号", "110105194912310000",
                                 "stored by Excel as a number, so the last digits are lost; format the column as text "
                                 "and type it again")]


ERROR_CELL = ("{error} is an error Excel showed here (a formula's error, or one pasted as a value), not a "
              "value; fix the formula in the sheet, or type the value")


def test_a_cell_excel_shows_as_an_error_is_named_with_its_error_not_read_as_empty(tmp_path: Path) -> None:
    # A required name looked up by VLOOKUP that found nothing, and a phone column whose
    # cells were pasted as values after their source was deleted: calamine reads both as empty.
    path = write_xlsx_with_errors(tmp_path / "u.xlsx", [HEADER, GOOD[0], GOOD[1]], {
        "B2": ("VLOOKUP(A2,花名册!A:B,2,FALSE)", "#N/A"), "D3": (None, "#REF!"), "E3": ("1/0", "#DIV/0!")})
    result = check_workbook(read_workbook(path), load_mapping(write_mapping(tmp_path)))
    assert problems(result) == [
        (2, "B", "姓名", "#N/A", ERROR_CELL.format(error="#N/A")),
        (3, "D", "手机号码", "#REF!", ERROR_CELL.format(error="#REF!")),
        (3, "E", "邮箱", "#DIV/0!", ERROR_CELL.format(error="#DIV/0!")),
    ]
    assert result.problems[0].place == "名单!B2"


@pytest.mark.parametrize(("write", "suffix"), [(write_ods, ".ods"), (write_xls, ".xls"), (write_xlsb, ".xlsb")])
def test_an_error_cell_of_an_ods_xls_or_xlsb_is_named_as_in_an_xlsx(tmp_path: Path, write: Callable[..., Path],
                                                                    suffix: str) -> None:
    # Read as empty before: the required name "missing", the optional phone and e-mail imported empty.
    path = write(tmp_path / f"u{suffix}", [HEADER, GOOD[0], GOOD[1]],
                 {"B2": ("NA()", "#N/A"), "D3": (None, "#REF!"), "E3": ("1/0", "#DIV/0!")})
    result = check_workbook(read_workbook(path), load_mapping(write_mapping(tmp_path)))
    assert problems(result) == [
        (2, "B", "姓名", "#N/A", ERROR_CELL.format(error="#N/A")),
        (3, "D", "手机号码", "#REF!", ERROR_CELL.format(error="#REF!")),
        (3, "E", "邮箱", "#DIV/0!", ERROR_CELL.format(error="#DIV/0!")),
    ]
    assert result.problems[0].place == "名单!B2"


def test_an_error_excel_saved_into_a_csv_is_named_as_in_an_xlsx(tmp_path: Path) -> None:
    # Excel saves a formula's error into a CSV as its text: a name "#N/A" is no name, and a
    # row of nothing but errors is a lookup filled down past the list, as in the workbook.
    rows = [HEADER, ["zhangsan", "#N/A", *GOOD[0][2:]], [*GOOD[1][:3], "#REF!", " #DIV/0!", *GOOD[1][5:]],
            ["", "", "", "", "", "", "#N/A", "#VALUE!"]]
    path = write_csv(tmp_path / "名单.csv", rows, encoding="utf-8")
    result = check_workbook(read_workbook(path), load_mapping(write_mapping(tmp_path)))
    assert problems(result) == [
        (2, "B", "姓名", "#N/A", ERROR_CELL.format(error="#N/A")),
        (3, "D", "手机号码", "#REF!", ERROR_CELL.format(error="#REF!")),
        (3, "E", "邮箱", "#DIV/0!", ERROR_CELL.format(error="#DIV/0!")),
    ]
    assert len(result.rows) == 2


def test_an_error_pasted_as_text_into_an_xlsx_is_named_as_in_a_csv(tmp_path: Path) -> None:
    # The values of another workbook's lookups pasted as text: a name "#N/A" is no name (it was
    # imported as one), and a row of nothing but errors is a lookup filled down past the list.
    rows = [HEADER, ["zhangsan", "#N/A", *GOOD[0][2:]], [*GOOD[1][:3], "#REF!", " #DIV/0!", *GOOD[1][5:]],
            ["", "", "", "", "", "", "#N/A", "#VALUE!"], ["wangwu", "王五", "", "", "", "男", "办公室", "#NAME?"]]
    path = write_xlsx(tmp_path / "u.xlsx", {"名单": rows})
    result = check_workbook(read_workbook(path), load_mapping(write_mapping(tmp_path)))
    assert problems(result) == [
        (2, "B", "姓名", "#N/A", ERROR_CELL.format(error="#N/A")),
        (3, "D", "手机号码", "#REF!", ERROR_CELL.format(error="#REF!")),
        (3, "E", "邮箱", "#DIV/0!", ERROR_CELL.format(error="#DIV/0!")),
        (5, "H", "岗位", "#NAME?", ERROR_CELL.format(error="#NAME?")),
    ]
    assert result.problems[0].place == "名单!B2"
    assert len(result.rows) == 3


def test_a_row_of_nothing_but_formula_errors_is_a_blank_row(tmp_path: Path) -> None:
    # A lookup column filled down past the end of the list: its rows hold nothing typed.
    path = write_xlsx_with_errors(tmp_path / "u.xlsx", [HEADER, *GOOD, [], []], {
        "G4": ("VLOOKUP(A4,单位表!A:B,2,FALSE)", "#N/A"), "G5": ("VLOOKUP(A5,单位表!A:B,2,FALSE)", "#N/A"),
        "H4": ("IF(G4=\"\",\"\",G4)", "#VALUE!")})
    result = check_workbook(read_workbook(path), load_mapping(write_mapping(tmp_path)))
    assert problems(result) == []
    assert len(result.rows) == 2


# Invisible in Excel and in the check's output: kept, the person could never log in with the
# account they read, and the phone and ID number were "wrong" for no visible reason. Zero-width
# characters; and, also pasted from web pages and WeChat, a left-to-right mark after a phone
# number, a bidi embedding around a name, a soft hyphen a page put inside a long word.
PASTED = {
    "zero-width": ["zhang\u200bsan", "张\u200c三", "\u2060" + GOOD[0][2], "138\u200b00138000", "zs@exa\u200dmple.cn",
                   "男\u200b", "办\ufeff公室", "科长"],  # (a CSV's cells lose a BOM at their edges as they are read)
    "direction marks and soft hyphens": ["zhang\u200esan", "\u202a张三\u202c", GOOD[0][2] + "\u200f",
                                         "\u2066138\u206900138000", "zs@exam\u00adple.cn", "男\u202d",
                                         "办\u2067公\u2068室\u202e", "科长"],
}


@pytest.mark.parametrize("kind", list(PASTED))
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_invisible_characters_copied_from_a_web_page_are_removed_and_said(tmp_path: Path, suffix: str,
                                                                          kind: str) -> None:
    rows = [HEADER, PASTED[kind], GOOD[1]]
    path = write_xlsx(tmp_path / "u.xlsx", {"u": rows}) if suffix == ".xlsx" else \
        write_csv(tmp_path / "u.csv", rows, encoding="utf-8")
    result = check_workbook(read_workbook(path), load_mapping(write_mapping(tmp_path)))
    assert problems(result) == []
    assert result.rows[0].values == {"user_name": "zhangsan", "nick_name": "张三", "id_number": GOOD[0][2],
                                     "phonenumber": "13800138000", "email": "zs@example.cn", "sex": "0",
                                     "dept": "办公室", "post": "科长"}
    said = [str(note) for note in result.sheet_notes]
    assert said == ["7 cell(s) held invisible characters (zero-width, direction marks, soft hyphens; pasted from "
                    "a web page or a chat), removed: u!A2 账号, u!B2 姓名, u!C2 身份证号, u!D2 手机号码, u!E2 邮箱 "
                    "(+2 more)"]


def test_duplicates_inside_the_file_name_the_other_rows(tmp_path: Path) -> None:
    rows = [GOOD[0], [*GOOD[1][:3], GOOD[0][3], *GOOD[1][4:]], ["ZhangSan", "张三丰", "", "", "", "男", "办公室", ""]]
    found = problems(check(tmp_path, rows))
    assert (2, "A", "账号", "zhangsan", "also in row 4") in found
    assert (4, "A", "账号", "zhangsan", "also in row 2") in found
    assert (2, "D", "手机号码", "13800138000", "also in row 3") in found
    assert (3, "D", "手机号码", "13800138000", "also in row 2") in found
    assert len(found) == 4


def test_duplicates_across_sheets_name_the_sheet(tmp_path: Path) -> None:
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"甲": [HEADER, GOOD[0]], "乙": [HEADER, GOOD[0]]}))
    result = check_workbook(book, load_mapping(write_mapping(tmp_path)))
    assert [(p.sheet, p.row, str(p.reason)) for p in result.problems if p.column == "A"] == [
        ("甲", 2, "also in row 乙!2"), ("乙", 2, "also in row 甲!2")]


def test_units_and_values_taken_are_checked_against_the_target(tmp_path: Path) -> None:
    target = Target(DEPARTMENTS, {"zhangsan": {"phonenumber": "13800138000"},
                                  "other": {"phonenumber": "13900139000"}})
    rows = [
        GOOD[0],  # zhangsan keeps his own phone: an update, not a clash
        GOOD[1],  # lisi's phone belongs to `other`
        ["w", "王", "", "", "", "", "信息办", ""],  # the mapping's units.map: 信息办 → 信息中心
        ["z", "赵", "", "", "", "", "综合科", ""],  # two 综合科
        ["q", "钱", "", "", "", "", "办公室/综合科", ""],  # a path picks one
        ["s", "孙", "", "", "", "", "信息中", ""],
    ]
    result = check(tmp_path, rows, target)
    assert problems(result) == [
        (3, "D", "手机号码", "13900139000", "already belongs to user other in the target"),
        (5, "G", "单位", "综合科",
         "'综合科' names several units: 某某局/办公室/综合科, 某某局/信息中心/综合科; write the path"),
        (7, "G", "单位", "信息中", "no unit '信息中' in the target; closest: 某某局/信息中心, 某某局/信息中心/综合科"),
    ]
    assert [row.department.id if row.department else None for row in result.rows] == [101, 102, 102, None, 103, None]


def test_the_attached_unit_holds_the_account_of_seconded_staff(tmp_path: Path) -> None:
    header = ["账号", "姓名", "实际单位", "挂职单位"]
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": [header, ["a", "甲", "办公室", "信息中心"],
                                                                   ["b", "乙", "办公室", ""]]}))
    result = check_workbook(book, load_mapping(write_mapping(tmp_path)), Target(DEPARTMENTS, {}))
    assert [row.department.name for row in result.rows if row.department] == ["信息中心", "办公室"]
    real = load_mapping(write_mapping(tmp_path, MAPPING.replace("account_in: attached", "account_in: real")))
    assert [row.department.name for row in check_workbook(book, real, Target(DEPARTMENTS, {})).rows
            if row.department] == ["办公室", "办公室"]


def test_without_a_target_the_result_says_what_was_not_checked(tmp_path: Path) -> None:
    result = check(tmp_path, [["a", "甲", "", "", "", "", "没有的单位", ""]])
    assert problems(result) == []
    assert not result.against_target
    assert "units and values taken by existing users were not checked (no target given)" in map(str, result.notes)


def test_gbk_csv_is_checked_like_xlsx(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "u.csv", [HEADER, GOOD[0], ["x", "徐", "", "1380", "", "", "办公室", ""]])
    result = check_workbook(read_workbook(path), load_mapping(write_mapping(tmp_path)))
    assert [(p.sheet, p.row, p.column, p.header) for p in result.problems] == [("u", 3, "D", "手机号码")]


def test_annotated_copy_marks_the_bad_cells_and_lists_the_problems(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rows = [GOOD[0], ["", "赵六", "110105194912310021", "=HYPERLINK(\"x\")", "", "男", "办公室", ""],
            ["wang", "王", "", "", "", "", "办公室", "=1+1"]]
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": [["人员名单"], HEADER, *rows]}))
    result = check_workbook(book, load_mapping(write_mapping(tmp_path)))
    out = write_annotated(book, result, tmp_path / "u.checked.xlsx")
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    ws = load_workbook(out)["名单"]
    assert ws["A1"].value == "人员名单" and ws["B3"].value == "张三"
    assert ws["I2"].value == "问题"
    assert ws["A4"].fill.start_color.rgb.endswith("FFC7CE") and ws["B4"].fill.fill_type is None
    assert ws["C4"].comment.text == "校验位为 1，按前 17 位应为 X"
    assert ws["D4"].value == "=HYPERLINK(\"x\")" and ws["D4"].data_type == "s"  # text, never a formula
    assert ws["I4"].value.startswith("A4 账号：必填，但为空；C4 身份证号：校验位为 1")
    assert ws["I3"].value is None
    assert ws["H5"].value == "=1+1" and ws["H5"].data_type == "s" and ws["I5"].value is None
    assert render(result.problems[0].reason, "zh") == "必填，但为空"


def test_an_annotated_copy_fixed_and_sent_back_is_checked_with_its_problems_column_written_afresh(
        tmp_path: Path) -> None:
    """The client fixes the annotated copy and sends it back: checked again, its problems column
    is launchpad's own (no note that it matches no field), and says this check's problems only."""
    from openpyxl import load_workbook

    rows = [GOOD[0], ["zhao", "赵六", "110105194912310021", "", "", "男", "办公室", ""],
            ["wang", "王", "", "1380", "", "", "办公室", ""]]
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": [["人员名单"], HEADER, *rows]}))
    mapping = load_mapping(write_mapping(tmp_path))
    first = write_annotated(book, check_workbook(book, mapping), tmp_path / "u.checked.xlsx")
    fixed = load_workbook(first)
    fixed["名单"]["C4"] = "110105194912310038"  # another person's number, whole; row 5's phone is not
    fixed.save(tmp_path / "sent-back.xlsx")

    again = read_workbook(tmp_path / "sent-back.xlsx")
    result = check_workbook(again, mapping)
    assert [(p.row, p.column) for p in result.problems] == [(5, "D")]
    assert not any("问题" in render(note, "zh") for note in result.notes)
    ws = load_workbook(write_annotated(again, result, tmp_path / "sent-back.checked.xlsx"))["名单"]
    assert ws.max_column == 9 and ws["I2"].value == "问题"  # the same column, not a second one
    assert ws["I4"].value is None and ws["C4"].fill.fill_type is None  # the mended row says nothing now
    assert ws["I5"].value.startswith("D5 手机号码") and ws["D5"].fill.start_color.rgb.endswith("FFC7CE")


def test_an_id_number_excel_rounded_stays_a_number_in_the_annotated_copy(tmp_path: Path) -> None:
    """Checked again unchanged, the annotated copy still says Excel lost the digits: were it
    written as text, the check would blame the check digit, and the client would 'fix' it."""
    rows = [["a", "甲", 110105194912310021, "", "", "", "办公室", ""]]
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": [HEADER, *rows]}))
    mapping = load_mapping(write_mapping(tmp_path))
    copy = write_annotated(book, check_workbook(book, mapping), tmp_path / "u.checked.xlsx")
    again = check_workbook(read_workbook(copy), mapping)
    assert [(p.row, p.column, str(p.reason)) for p in again.problems] == [
        (2, "C", "stored by Excel as a number, so the last digits are lost; format the column as text "
                 "and type it again")]


def test_a_header_like_no_field_says_so_without_a_closest_dash(tmp_path: Path) -> None:
    book = read_workbook(write_xlsx(tmp_path / "u.xlsx", {"名单": [[*HEADER, "ZZZ"], [*GOOD[0], "x"]]}))
    result = check_workbook(book, load_mapping(write_mapping(tmp_path)))
    notes = [render(n, "zh") for n in result.notes]
    assert "工作表“名单”第 I 列“ZZZ”不对应任何字段：不导入" in notes, notes


@pytest.mark.parametrize(("change", "where", "says"), [
    ("key: user_name", "key: login", "key 'login' is not one of the fields"),
    ("  post: {headers: [岗位]}", "  post: {headers: [岗位], check: phone}", "check: input should be"),
    ("  post: {headers: [岗位]}", "  post: {headers: [岗位, 姓名]}", "header '姓名' is listed for both"),
    ("target: ruoyi", "target: ruoyi\nextra: 1", "unknown key 'extra'"),
])
def test_a_bad_mapping_is_located_by_file_line_col(tmp_path: Path, change: str, where: str, says: str) -> None:
    path = write_mapping(tmp_path, MAPPING.replace(change, where))
    with pytest.raises(InvalidInput) as caught:
        load_mapping(path, "imports/ruoyi.yaml")
    rendered = caught.value.render()
    assert says in rendered
    assert rendered.startswith("imports/ruoyi.yaml:")
    line = int(rendered.split(":")[1])
    assert line >= 1


@pytest.mark.parametrize(("encoding", "says"), [
    ("gbk2312", "unknown encoding 'gbk2312'"),
    ("base64", "unknown encoding 'base64'"),  # a codec Python has, but not of text
])
def test_an_encoding_python_cannot_decode_text_with_is_located_in_the_mapping(tmp_path: Path, encoding: str,
                                                                              says: str) -> None:
    path = write_mapping(tmp_path, MAPPING.replace("key: user_name", f"key: user_name\nencoding: {encoding}"))
    with pytest.raises(InvalidInput) as caught:
        load_mapping(path, "imports/ruoyi.yaml")
    rendered = caught.value.render()
    assert rendered.startswith("imports/ruoyi.yaml:3:11") and says in rendered, rendered


def test_an_encoding_beside_a_source_that_is_not_a_file_is_located_in_the_mapping(tmp_path: Path) -> None:
    source = 'source: {kind: api, url: "https://hr.example.cn/api/users"}'
    path = write_mapping(tmp_path, MAPPING.replace("key: user_name", f"key: user_name\n{source}\nencoding: gbk"))
    with pytest.raises(InvalidInput) as caught:
        load_mapping(path, "imports/ruoyi.yaml")
    rendered = caught.value.render()
    assert rendered.startswith("imports/ruoyi.yaml:4:11") and "a CSV/TSV file" in rendered, rendered


def test_a_value_longer_than_the_target_column_is_found_by_check(tmp_path: Path) -> None:
    long_name = "欧阳" * 16  # RuoYi's nick_name holds 30
    result = check(tmp_path, [["a", long_name, "", "", "", "", "办公室", ""]])
    assert problems(result) == [(2, "B", "姓名", long_name, "32 characters, at most 30 fit")]


def test_rows_columns_and_sheets_excel_hides_are_named_because_they_are_imported(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    for row in (["人员名单"], HEADER, *GOOD, ["wangwu", "王五", "", "13700137000", "", "男", "办公室", ""], [], []):
        sheet.append(row)
    sheet.row_dimensions[1].hidden = True  # the title: no one is in it
    sheet.row_dimensions[4].hidden = True  # lisi, filtered out of view
    sheet.row_dimensions[6].hidden = True  # blank
    sheet.column_dimensions["D"].hidden = True  # 手机号码
    away = book.create_sheet("借调")
    away.append(HEADER)
    away.append(["zhaoliu", "赵六", "", "13600136000", "", "男", "信息中心", ""])
    away.sheet_state = "hidden"
    book.save(tmp_path / "名单.xlsx")
    result = check_workbook(read_workbook(tmp_path / "名单.xlsx"), load_mapping(write_mapping(tmp_path)))
    said = [render(note, "zh") for note in result.notes]
    assert "工作表“名单”第 4 行在 Excel 中是隐藏的：其中的人员与其他行一样检查和导入（不应导入的请删除这些行）" in said
    assert "工作表“名单”的 D 列“手机号码”在 Excel 中是隐藏的：其中的值与其他列一样导入" in said
    assert "工作表“借调”在 Excel 中是隐藏的：其中的人员与其他工作表一样检查和导入" in said
    assert sum("隐藏" in note for note in said) == 3, said  # the title, the blank row and visible 名单 are not named
    assert len(result.good_rows) == 4  # all of them are still read: the notes say so, nothing is dropped


def test_a_summary_sheet_beside_the_users_is_answered_with_the_mappings_sheets_to_read(tmp_path: Path) -> None:
    from launchpad.users.checks import SheetDoesNotFit

    book = read_workbook(write_xlsx(tmp_path / "名单.xlsx", {"一科": [HEADER, GOOD[0]], "二科": [HEADER, GOOD[1]],
                                                           "汇总": [["单位", "人数"], ["办公室", 1]]}))
    with pytest.raises(SheetDoesNotFit) as refused:
        check_workbook(book, load_mapping(write_mapping(tmp_path)))
    hint = render(refused.value.said_hint, "zh")
    assert "如果工作表“汇总”中没有人员（汇总、说明），请在映射中写明要读取的工作表：sheets: [" in hint, hint
    sheets = hint.split("sheets: ")[1]
    result = check_workbook(book, load_mapping(write_mapping(tmp_path, MAPPING + f"sheets: {sheets}\n")))
    assert len(result.good_rows) == 2  # as the hint says, word for word: both sheets of users, the summary left out


def test_a_cell_merged_down_over_several_peoples_rows_is_each_rows_value(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["人员名单"])
    sheet.append(HEADER)
    sheet.append(["zhangsan", "张三", "", "13800138000", "", "男", "办公室", "科长"])
    sheet.append(["lisi", "李四", "", "13900139000", "", "女", None, None])
    sheet.append(["wangwu", "王五", "", "13700137000", "", "男", None, None])
    sheet.append(["zhaoliu", "赵六", "", "13600136000", "", "男", "信息中心", "科员"])
    sheet.merge_cells("A1:H1")  # the title, above the header: not a person's
    sheet.merge_cells("G3:G5")  # 单位, written once for three people
    sheet.merge_cells("H3:H5")  # 岗位: what role rules go by
    book.save(tmp_path / "名单.xlsx")
    result = check_workbook(read_workbook(tmp_path / "名单.xlsx"), load_mapping(write_mapping(tmp_path)))
    assert not problems(result), problems(result)  # no "required, but empty" for what the sheet shows
    assert [(row.values["dept"], row.values["post"]) for row in result.good_rows] == [
        ("办公室", "科长"), ("办公室", "科长"), ("办公室", "科长"), ("信息中心", "科员")]
    assert "工作表“名单”的合并单元格 G3:G5、H3:H5 跨了多行：每一行都取合并单元格的值" in [
        render(note, "zh") for note in result.notes]


def test_rows_numbered_down_an_empty_template_are_not_people(tmp_path: Path) -> None:
    rows: list[list[object]] = [["序号", *HEADER], [1, *GOOD[0]], [2, *GOOD[1]]]
    rows += [[n] for n in range(3, 21)]  # 序号 filled down to 20 before anyone was typed in
    rows += [[21, "", "", "", "", "", "", "", "", "备注：借调人员另表报送"]]  # a note beside the list
    result = check_workbook(read_workbook(write_xlsx(tmp_path / "名单.xlsx", {"名单": rows})),
                            load_mapping(write_mapping(tmp_path)))
    assert not problems(result), problems(result)[:3]  # not 19 rows × 3 required fields "required, but empty"
    assert len(result.good_rows) == 2
    assert "工作表“名单”有 19 行（第 4–22 行）只在不导入的列中有内容（如预先编好的序号）：不是人员，已跳过" in [
        render(note, "zh") for note in result.notes]
