"""The compiled column checks give exactly the rule's answers: `check_value(transform(raw))`
for every cell, whatever the shortcut they take (an 11-digit mobile, an ASCII ID number, a
remembered unit name)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from launchpad.phrases import Phrase
from launchpad.users.idnumber import CHECK_CHARS, check_digit
from launchpad.users.mapping import FieldSpec
from launchpad.users.validators import BIRTH_DAYS, REMEMBERED, Bad, compile_check, compile_column
from launchpad.users.values import check_value, transform

TODAY = datetime.date(2026, 1, 1)
SPECS = {
    "text": FieldSpec(headers=["姓名"]),
    "required text, 30": FieldSpec(headers=["姓名"], required=True, max_length=30),
    "lower, halfwidth": FieldSpec(headers=["账号"], required=True, transforms=["trim", "halfwidth", "lower"],
                                  max_length=30),
    "id_number": FieldSpec(headers=["身份证号"], check="id_number", unique=True),
    "id_number, required, 17": FieldSpec(headers=["身份证号"], check="id_number", required=True, max_length=17),
    "mobile, 11": FieldSpec(headers=["手机"], check="mobile", max_length=11),
    "mobile, 10": FieldSpec(headers=["手机"], check="mobile", max_length=10),
    "mobile, no_spaces": FieldSpec(headers=["手机"], check="mobile", transforms=["no_spaces"]),
    "email, 50": FieldSpec(headers=["邮箱"], check="email", max_length=50),
    "date": FieldSpec(headers=["入职日期"], check="date", required=True),
    "codes": FieldSpec(headers=["性别"], codes={"男": "0", "女": "1"}, max_length=1),
}


def _good_id(first17: str) -> str:
    return first17 + check_digit(first17)


# Cells near every edge the shortcuts decide on, and some from far away.
EDGES = [
    "", " ", "　", "13800138000", "12800138000", " 13800138000", "138 0013 8000", "+8613800138000",
    "１３８００１３８０００", "1380013800", "138001380000", "١٣٨٠٠١٣٨٠٠٠",
    _good_id("11010519491231002"), _good_id("11010519491231002").lower(), "11010519491231002x",
    _good_id("99010519491231002"), _good_id("11010518991231002"), _good_id("11010520270101002"),
    _good_id("11010519490230002"), "11010519491231002Y", "110105491231002", "11010519491231002",
    " " + _good_id("11010519491231002"), _good_id("11010519491231002")[:17] + "0",
    "a@b.cn", "A@B", "zs@example.cn ", "2020-01-02", "2020/1/2", "20200102", "2020年1月2日", "2020-02-30",
    "男", " 女 ", "未知", "张三", "Ｚｈａｎｇ", "x" * 31, "ZhangSan",
]


@pytest.mark.parametrize("name", list(SPECS))
def test_compiled_checks_answer_as_the_rule_on_the_edges(name: str) -> None:
    spec = SPECS[name]
    compiled = compile_check(spec, TODAY)
    for raw in EDGES:
        assert _answer(compiled(raw)) == check_value(transform(raw, spec), spec, TODAY), (name, raw)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(list(SPECS)), st.text(alphabet="0123456789X x-+()@.年月日/１３８男女中", max_size=20))
def test_compiled_checks_answer_as_the_rule_on_any_cell(name: str, raw: str) -> None:
    spec = SPECS[name]
    assert _answer(compile_check(spec, TODAY)(raw)) == check_value(transform(raw, spec), spec, TODAY)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(list(SPECS)),
       st.lists(st.sampled_from(EDGES) | st.text(alphabet="0123456789 x@.-Ｚ张", max_size=12), max_size=8))
def test_a_column_checked_whole_answers_as_each_cell_would(name: str, raws: list[str]) -> None:
    spec = SPECS[name]
    assert [_answer(v) for v in compile_column(spec, TODAY)(raws)] == \
        [check_value(transform(raw, spec), spec, TODAY) for raw in raws]


def test_a_remembering_check_answers_past_what_it_remembers() -> None:
    spec = SPECS["date"]
    compiled = compile_check(spec, TODAY)
    days = [(datetime.date(2000, 1, 1) + datetime.timedelta(days=n)).isoformat() for n in range(REMEMBERED + 50)]
    assert [compiled(d) for d in days] == days
    assert compiled("2020-02-30") == Bad("2020-02-30", Phrase("users.date_invalid"))


def _answer(result: str | Bad) -> tuple[str, Phrase | None]:
    return (result.value, result.problem) if isinstance(result, Bad) else (result, None)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["11", "44", "99", "00"]), st.text(alphabet="0123456789", min_size=4, max_size=4),
       st.integers(1890, 2030), st.integers(0, 13), st.integers(0, 32), st.text(alphabet="0123456789", min_size=3,
                                                                                  max_size=3),
       st.sampled_from("0123456789Xx"))
def test_an_id_number_shaped_cell_gets_the_rules_answer(province: str, region: str, year: int, month: int, day: int,
                                                        sequence: str, last: str) -> None:
    """18 ASCII digits reach the shortcut's check digit (read in base 13) and its remembered
    birth days: any check character, real and unreal days, the same day asked twice."""
    spec = SPECS["id_number"]
    compiled = compile_check(spec, TODAY)
    raw = f"{province}{region}{year:04d}{month:02d}{day:02d}{sequence}{last}"
    for cell in (raw, _good_id(raw[:17]), raw):
        assert _answer(compiled(cell)) == check_value(transform(cell, spec), spec, TODAY), cell


def test_the_remembered_birth_days_stay_bounded_and_right() -> None:
    """1900 to 2099 is more days than are remembered: past the bound, and for days after today,
    the answers are still the rule's."""
    spec = SPECS["id_number"]
    compiled = compile_check(spec, TODAY)
    days = [datetime.date(1900, 1, 1) + datetime.timedelta(days=n) for n in range(200 * 366)]
    assert len(days) > BIRTH_DAYS
    cells = [_good_id(f"110105{d:%Y%m%d}002") for d in days if d.year < 2100]
    assert [_answer(compiled(c)) for c in cells] == [check_value(c, spec, TODAY) for c in cells]


GOOD_IDS = [_good_id(f"{p}0105{y}{m:02d}{d:02d}00{n}") for p, y, m, d, n in
            [("11", 1949, 12, 31, 2), ("44", 1980, 2, 29, 7), ("65", 2000, 1, 1, 3), ("83", 1999, 9, 9, 1)]]
GOOD_MOBILES = ["13800138000", "19912345678", "15000000000", "17700001111"]
# 17 characters int(…, 13) reads although they are not 17 ASCII digits, given the check digit that reading gives.
NOT_DIGITS = ["1101051949123100a", "110105_1949123100", "1101051949123100١", "11010519491231 02"]


def _base13_id(first17: str) -> str:
    return first17 + CHECK_CHARS[2 * int(first17.replace(" ", "0"), 13) % 11]


# One bad cell among good ones: each reason the column shortcut must notice and leave to the cells.
PLANTED = ["", " 13800138000", "12800138000", "1380013800", "13800138000\n13800138001", "１３８００１３８０００",
           _good_id("11010519491231002").lower(), _good_id("99010519491231002"), _good_id("11010520270101002"),
           _good_id("11010519490230002"), _good_id("11010518991231002"), GOOD_IDS[0][:17] + "0",
           GOOD_IDS[0] + "\n" + GOOD_IDS[1], "x", *(_base13_id(first17) for first17 in NOT_DIGITS)]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["id_number", "id_number, required, 17", "mobile, 11", "mobile, 10"]),
       st.lists(st.sampled_from(GOOD_IDS + GOOD_MOBILES), min_size=1, max_size=12),
       st.sampled_from([None, *PLANTED]), st.integers(0, 12))
def test_a_column_of_good_numbers_answers_at_once_as_each_cell_would(name: str, raws: list[str], planted: str | None,
                                                                     at: int) -> None:
    """Mobile and ID-number columns are answered whole when every cell is good as it stands; one
    bad, empty or two-line cell anywhere sends the column back to the cells."""
    spec = SPECS[name]
    kind = GOOD_IDS if spec.check == "id_number" else GOOD_MOBILES
    raws = [raw for raw in raws if raw in kind]
    if planted is not None:
        raws.insert(min(at, len(raws)), planted)
    assert [_answer(v) for v in compile_column(spec, TODAY)(raws)] == \
        [check_value(transform(raw, spec), spec, TODAY) for raw in raws]


def test_a_column_of_many_distinct_dates_answers_as_each_cell_would() -> None:
    """Past the cells a column remembers, and with most cells distinct, dates are asked one by one."""
    spec = SPECS["date"]
    days = [(datetime.date(2000, 1, 1) + datetime.timedelta(days=n)).isoformat() for n in range(REMEMBERED + 50)]
    raws = [*days, "2020-02-30", "下周", days[0]]
    assert [_answer(v) for v in compile_column(spec, TODAY)(raws)] == \
        [check_value(transform(raw, spec), spec, TODAY) for raw in raws]


def test_a_column_no_transform_changes_keeps_its_own_cells() -> None:
    spec = SPECS["lower, halfwidth"]
    kept = [f"user{i}" for i in range(50)]
    assert all(answer is raw for answer, raw in zip(compile_column(spec, TODAY)(kept), kept, strict=True))
    for changed in (kept[:-1] + ["User49"], kept[:-1] + ["ｕｓｅｒ49"], ["ΟΔΟΣ", "ΣΑ", "σ"]):  # final sigma: per cell
        assert [_answer(v) for v in compile_column(spec, TODAY)(changed)] == \
            [check_value(transform(raw, spec), spec, TODAY) for raw in changed]
