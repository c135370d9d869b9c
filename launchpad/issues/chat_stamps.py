"""When a pasted chat says a message was sent, and on which day.

The apps write stamps in many shapes: `2024-11-20 09:15:32` (WeCom), `2024/11/20 9:15` (WeChat
PC), `2026年11月21日 16:01` and `11月21日 16:01` (Feishu, DingTalk), `昨天 下午6:31` and
`星期一 16:42` (WeChat mobile), or a bare `14:32`. A bare clock names no day: it takes the day
the paste last named (a dated header or a divider line such as `昨天 18:30`), and otherwise the
most recent day on which that time has already passed. A chat is always in the past, so a bare
clock never lands after the moment of pasting: `23:50` pasted at 10:00 is yesterday's.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from launchpad.issues.dates import nearest_year

CLOCK = (r"(?:(?P<half>上午|下午|中午|晚上|凌晨|早上|am|pm)\s*)?"
         r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?:\s*(?P<half2>am|pm))?")
DATE = r"(?:(?P<y>\d{4})[-/.年](?P<ym>\d{1,2})[-/.月](?P<yd>\d{1,2})日?|(?P<mo>\d{1,2})[-/月](?P<md>\d{1,2})日?)"
DAY = rf"(?:{DATE}|(?P<rel>昨天|前天|今天)|(?:星期|周)(?P<wd>[一二三四五六日天]))"
STAMP = rf"(?:{DAY}\s*)?{CLOCK}"
# Around a divider line: `—— 2026-11-21 ——`, `----- 昨天 18:30 -----`.
RULE = r"[-—─━=~·_*\s]*"
WEEKDAY = r"(?:\s*(?:星期|周)[一二三四五六日天])?"
STAMP_ONLY = re.compile(rf"^{RULE}[\[(【]?{STAMP}[\])】]?{RULE}$", re.IGNORECASE)
# A day alone heads a day's messages only as a date: a lone 昨天 or 周五 is somebody's answer.
DAY_ONLY = re.compile(rf"^{RULE}{DATE}{WEEKDAY}{RULE}$")
_WEEKDAY_NUMBER = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def shape(match: re.Match[str]) -> str:
    """How much a stamp says: "full" (with the year), "dated", "relative" or "clock"."""
    groups = match.groupdict()
    if groups.get("y"):
        return "full"
    if groups.get("mo"):
        return "dated"
    return "relative" if groups.get("rel") or groups.get("wd") else "clock"


class ChatCalendar:
    """Reads a paste's stamps in order, carrying the day a divider or dated header named."""

    def __init__(self, zone: ZoneInfo, now: datetime) -> None:
        self.zone = zone
        self.now = now.astimezone(zone)
        self.today = self.now.date()
        self.day: date | None = None  # the day the paste last named
        self.last: datetime | None = None  # the latest moment read since then

    def read(self, stamps: list[tuple[bool, re.Match[str]]]) -> list[datetime | None]:
        """The UTC moment of each stamp, given in paste order as (is it a divider, its match);
        None for a divider and for a stamp that is no real time (25:61).

        Bare clocks before any day is named are read back from the first moment the paste does
        name (or from now): a chat is in time order, so `23:50 … 09:58` pasted at 10:30 is last
        night and this morning."""
        moments: list[datetime | None] = []
        floating: list[tuple[int, time]] = []
        for is_divider, match in stamps:
            anchor = self._divider(match) if is_divider else self._header(match)
            moments.append(None if is_divider else anchor)
            if anchor is None and not is_divider and self.day is None and (clock := _clock(match)):
                floating.append((len(moments) - 1, clock))
            elif anchor is not None and floating:
                self._settle(moments, floating, anchor)
                floating = []
        self._settle(moments, floating, self.now)
        return [moment.astimezone(UTC) if moment is not None else None for moment in moments]

    def _settle(self, moments: list[datetime | None], floating: list[tuple[int, time]], ceiling: datetime) -> None:
        ceiling = min(ceiling, self.now)
        for index, clock in reversed(floating):
            local = datetime.combine(ceiling.date(), clock, tzinfo=self.zone)
            ceiling = moments[index] = local - timedelta(days=1) if local > ceiling else local

    def _divider(self, match: re.Match[str]) -> datetime | None:
        """A line that is only a day or a time heads the messages after it. A lone clock is
        how WeChat heads today's messages: the most recent such time, whatever came before."""
        named = self._day_named(match)
        clock = _clock(match)
        if named is not None:
            self.day, self.last = named, None
            return datetime.combine(named, clock or time(0), tzinfo=self.zone)
        if clock is None:
            return None
        local = self._latest(clock)
        self.day, self.last = local.date(), None
        return local

    def _header(self, match: re.Match[str]) -> datetime | None:
        """A header's moment, site-local; None for a bare clock before any day is named (read
        later, back from the next named moment) and for no real time."""
        named = self._day_named(match)
        if named is not None:
            self.day, self.last = named, None
        clock = _clock(match)
        if clock is None or self.day is None:
            return None
        local = datetime.combine(self.day, clock, tzinfo=self.zone)
        if named is None:
            if self.last is not None and local < self.last:
                local += timedelta(days=1)  # the chat went past midnight since the day was named
            if local > self.now:
                local = self._latest(clock)
        self.last = local
        return local

    def _latest(self, clock: time) -> datetime:
        """A bare clock is never in the future: the most recent day it has already passed."""
        local = datetime.combine(self.today, clock, tzinfo=self.zone)
        return local - timedelta(days=1) if local > self.now else local

    def _day_named(self, match: re.Match[str]) -> date | None:
        groups, today = match.groupdict(), self.today
        if groups.get("y"):
            try:
                return date(int(groups["y"]), int(groups["ym"]), int(groups["yd"]))
            except ValueError:
                return None  # 2024-13-45 names no day; the clock still reads
        if groups.get("mo"):
            try:
                day = nearest_year(today, int(groups["mo"]), int(groups["md"]))
                # Chat times are in the past: a 12-28 pasted on 01-03 is last year's.
                return day.replace(year=day.year - 1) if day > today else day
            except ValueError:
                return None  # 13-45, or a 02-29 a year back: no day; the clock still reads
        if groups.get("rel"):
            return today - timedelta(days={"今天": 0, "昨天": 1, "前天": 2}[groups["rel"]])
        if groups.get("wd"):
            # WeChat names the weekday for the last week; today and yesterday have their own words.
            back = (today.weekday() - _WEEKDAY_NUMBER[groups["wd"]]) % 7 or 7
            return today - timedelta(days=back)
        return None


def _clock(match: re.Match[str]) -> time | None:
    groups = match.groupdict()
    if not groups.get("h"):
        return None
    hour, minute = int(groups["h"]), int(groups["m"])
    half = (groups["half"] or groups["half2"] or "").lower()
    if half in ("下午", "晚上", "pm") and hour < 12:
        hour += 12
    elif half in ("凌晨", "上午", "早上", "am") and hour == 12:
        hour = 0
    try:
        return time(hour, minute, int(groups["s"] or 0))
    except ValueError:
        return None
