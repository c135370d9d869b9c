"""Dates as people say them on the phone: 明天, 周五, 下周一, 11-25, +3 — always read
relative to the site's today (`launchpad.sitetime`, which also converts store times for
people). Due dates are site-local calendar dates.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from launchpad.errors import UsageError
from launchpad.phrases import phrase

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
             "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_RELATIVE_DAYS = {"今天": 0, "今日": 0, "today": 0, "明天": 1, "明日": 1, "tomorrow": 1,
                  "后天": 2, "大后天": 3, "昨天": -1, "yesterday": -1, "前天": -2}
_WEEKDAY = re.compile(r"^(下下|下|本|这)?(?:周|星期|礼拜)([一二三四五六日天])$"
                      r"|^(next\s+)?(mon|tue|wed|thu|fri|sat|sun)[a-z]*$")
_MONTH_DAY = re.compile(r"^(\d{1,2})[-/.月](\d{1,2})[日号]?$")
_FULL_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$")
_DAY_OF_MONTH = re.compile(r"^(\d{1,2})[日号]$")
_IN_DAYS = re.compile(r"^\+?(\d{1,3})\s*(?:d|天|days?)$|^\+(\d{1,3})$")
_CLOCK = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?$")
# Days a go-live tool can mean. Python's own limits (years 1 and 9999) fail one time zone
# away, where a day's UTC bounds or its neighbours fall outside them.
EARLIEST = date(1970, 1, 1)
LATEST = date(2999, 12, 31)


def _normal(text: str) -> str:
    # NFKC folds full-width digits and punctuation (１１－２５, ：) typed on a Chinese keyboard.
    return unicodedata.normalize("NFKC", text).strip().lower()


def parse_day(text: str, today: date) -> date:
    """A calendar day from what a person typed, relative to the site's `today`."""
    typed = _normal(text)
    if typed in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[typed])
    found = _parse_weekday(typed, today) or _parse_numeric(typed, today)
    if found is None:
        raise UsageError(phrase("error.date_unread", text=text), hint=phrase("error.date_unread_hint"))
    return _within_range(found, text)


def _within_range(day: date, text: str) -> date:
    if not EARLIEST <= day <= LATEST:
        raise UsageError(phrase("error.date_range", text=text),
                         hint=phrase("error.date_range_hint", first=EARLIEST.isoformat(), last=LATEST.isoformat()))
    return day


def _parse_weekday(typed: str, today: date) -> date | None:
    match = _WEEKDAY.match(typed)
    if not match:
        return None
    prefix, cn_day, en_next, en_day = match.groups()
    weekday = _WEEKDAYS[cn_day or en_day[:3]]
    weeks_ahead = {"下": 1, "下下": 2}.get(prefix or "", 1 if en_next else 0)
    if prefix in ("下", "下下") or en_next:
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(weeks=weeks_ahead, days=weekday)
    if prefix in ("本", "这"):
        return today - timedelta(days=today.weekday()) + timedelta(days=weekday)
    # A bare 周五 is the next Friday, today included: what someone means on a Friday morning.
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _parse_numeric(typed: str, today: date) -> date | None:
    try:
        if match := _FULL_DATE.match(typed):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _MONTH_DAY.match(typed):
            return nearest_year(today, int(match[1]), int(match[2]))
        if match := _DAY_OF_MONTH.match(typed):
            day = int(match[1])
            candidate = today.replace(day=day)
            if candidate < today:  # 5号 said on the 20th means next month's 5th
                month = today.month % 12 + 1
                candidate = date(today.year + (month == 1), month, day)
            return candidate
    except ValueError:
        raise UsageError(phrase("error.date_not_real", text=typed)) from None
    if match := _IN_DAYS.match(typed):
        return today + timedelta(days=int(match[1] or match[2]))
    return None


def nearest_year(today: date, month: int, day: int) -> date:
    """11-25 in this year, unless that was long ago (01-05 typed in late December)."""
    candidate = date(today.year, month, day)
    if (today - candidate).days > 180:
        candidate = date(today.year + 1, month, day)
    return candidate


def parse_moment(text: str, zone: ZoneInfo, today: date) -> datetime:
    """A site-local moment: `09:15`, `昨天 18:30`, `11-20 09:15`, `2025-11-20 09:15:32`, or an
    ISO time with its own offset. Returned aware, in UTC."""
    typed = _normal(text)
    try:
        parsed = datetime.fromisoformat(typed)
    except ValueError:
        day_text, _, clock_text = typed.rpartition(" ")
        clock = _CLOCK.match(clock_text)
        if clock is None:
            day_text, clock_text = typed, ""
        day = parse_day(day_text, today) if day_text else today
        hour, minute, second = (int(clock[1]), int(clock[2]), int(clock[3] or 0)) if clock else (0, 0, 0)
        try:
            parsed = datetime.combine(day, time(hour, minute, second))
        except ValueError:
            raise UsageError(phrase("error.time_not_real", text=text)) from None
    _within_range(parsed.date(), text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed.astimezone(UTC)
