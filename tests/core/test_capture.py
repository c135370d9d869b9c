"""Quick capture and the dates people say: one line typed during a call becomes an issue."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from launchpad.errors import UsageError
from launchpad.issues.capture import parse_quick_capture
from launchpad.issues.dates import parse_day, parse_moment
from launchpad.sitetime import day_bounds

WEDNESDAY = date(2025, 11, 19)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_all_tokens_and_the_rest_as_title() -> None:
    found = parse_quick_capture("P1 @张三 #登录 !明天 登录页点提交后白屏", WEDNESDAY)
    assert (found.severity, found.owner, found.module, found.due) == ("P1", "张三", "登录", date(2025, 11, 20))
    assert found.title == "登录页点提交后白屏"


def test_tokens_anywhere_glued_or_full_width() -> None:
    found = parse_quick_capture("报表导出乱码 P0＠李四＃报表！11-25", WEDNESDAY)
    assert (found.severity, found.owner, found.module, found.due) == ("P0", "李四", "报表", date(2025, 11, 25))
    assert found.title == "报表导出乱码"


def test_markers_inside_words_are_text() -> None:
    found = parse_quick_capture("邮件发到 admin@corp.cn 又失败了！ P1级别", WEDNESDAY)
    assert found.owner is None and found.due is None and found.severity is None
    assert found.title == "邮件发到 admin@corp.cn 又失败了！ P1级别"


def test_title_keeps_emoji_and_full_width_punctuation() -> None:
    found = parse_quick_capture("p2 考勤打卡失败😭，提示“网络异常”！", WEDNESDAY)
    assert found.severity == "P2"
    assert found.title == "考勤打卡失败😭，提示“网络异常”！"


def test_contact_ids_become_names() -> None:
    found = parse_quick_capture("@zhang 登录慢", WEDNESDAY, people={"zhang": "张三"})
    assert found.owner == "张三"


@pytest.mark.parametrize("line, problem", [
    ("P1 @张三 !明天", "has no title"),
    ("!下个月 登录慢", "cannot read '下个月' as a date"),
    ("@张三 @李四 登录慢", "two owners"),
])
def test_bad_lines_say_what_is_wrong(line: str, problem: str) -> None:
    with pytest.raises(UsageError, match=problem):
        parse_quick_capture(line, WEDNESDAY)


@pytest.mark.parametrize("typed, expected", [
    ("今天", date(2025, 11, 19)), ("明天", date(2025, 11, 20)), ("后天", date(2025, 11, 21)),
    ("周五", date(2025, 11, 21)), ("周三", date(2025, 11, 19)), ("周一", date(2025, 11, 24)),
    ("星期日", date(2025, 11, 23)), ("下周一", date(2025, 11, 24)), ("下周五", date(2025, 11, 28)),
    ("本周一", date(2025, 11, 17)), ("fri", date(2025, 11, 21)), ("next monday", date(2025, 11, 24)),
    ("11-25", date(2025, 11, 25)), ("11/25", date(2025, 11, 25)), ("11月25日", date(2025, 11, 25)),
    ("１１－２５", date(2025, 11, 25)), ("01-05", date(2026, 1, 5)), ("2025-12-01", date(2025, 12, 1)),
    ("2025年12月1日", date(2025, 12, 1)), ("25号", date(2025, 11, 25)), ("5号", date(2025, 12, 5)),
    ("+3", date(2025, 11, 22)), ("3天", date(2025, 11, 22)),
])
def test_due_dates_as_people_say_them(typed: str, expected: date) -> None:
    assert parse_day(typed, WEDNESDAY) == expected


def test_impossible_dates_are_refused() -> None:
    with pytest.raises(UsageError, match="not a real date"):
        parse_day("02-30", WEDNESDAY)


def test_moments_are_site_time_stored_as_utc() -> None:
    assert parse_moment("09:15", SHANGHAI, WEDNESDAY) == datetime(2025, 11, 19, 1, 15, tzinfo=UTC)
    assert parse_moment("昨天 18:30", SHANGHAI, WEDNESDAY) == datetime(2025, 11, 18, 10, 30, tzinfo=UTC)
    assert parse_moment("2025-11-20 09:15:32", SHANGHAI, WEDNESDAY) == datetime(2025, 11, 20, 1, 15, 32, tzinfo=UTC)
    assert parse_moment("2025-11-20T09:15:00+00:00", SHANGHAI, WEDNESDAY).hour == 9


def test_a_site_day_is_a_utc_range() -> None:
    assert day_bounds(WEDNESDAY, SHANGHAI) == ("2025-11-18T16:00:00.000000+00:00",
                                              "2025-11-19T16:00:00.000000+00:00")
