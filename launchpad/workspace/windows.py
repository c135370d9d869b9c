"""Named time windows (release windows, working hours) and the questions asked of them.

Client systems are changed after the client's working day; a window such as
`after_hours: mon-fri 18:30–23:30` lets a gate say whether a release may start now, and the
dashboard say when the next window opens. A window whose end is before its start runs past
midnight and belongs to the day it started on.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from launchpad.phrases import phrase

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_days(spec: str | list[str]) -> frozenset[int]:
    """`mon-fri`, `daily`, `sat,sun` or a list of day names → weekday numbers (Mon = 0)."""
    parts = spec if isinstance(spec, list) else [p for p in re.split(r"[,\s]+", spec) if p]
    days: set[int] = set()
    for part in parts:
        part = part.strip().lower()
        if part in ("daily", "every day", "all"):
            days.update(range(7))
        elif "-" in part:
            first, _, last = part.partition("-")
            a, b = _day(first), _day(last)
            days.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            days.add(_day(part))
    if not days:
        raise ValueError(phrase("rule.no_days"))
    return frozenset(days)


def _day(name: str) -> int:
    short = name.strip().lower()[:3]
    if short not in WEEKDAYS:
        raise ValueError(phrase("rule.unknown_day", name=name))
    return WEEKDAYS.index(short)


def parse_time(text: str) -> time:
    match = _TIME.match(text.strip())
    if not match:
        raise ValueError(phrase("rule.not_time", text=text))
    return time(int(match.group(1)), int(match.group(2)))


class WindowSchedule:
    """When one named window is open. `now` must carry the site's time zone."""

    def __init__(self, days: frozenset[int], start: time, end: time) -> None:
        self.days, self.start, self.end = days, start, end

    def _span(self, day: datetime) -> tuple[datetime, datetime]:
        opens = day.replace(hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0)
        closes = opens.replace(hour=self.end.hour, minute=self.end.minute)
        if closes <= opens:
            closes += timedelta(days=1)
        return opens, closes

    def open_span(self, now: datetime) -> tuple[datetime, datetime] | None:
        """The (opens, closes) span containing `now`, if the window is open."""
        for back in (0, 1):  # yesterday's span may run past midnight into today
            day = now - timedelta(days=back)
            if day.weekday() in self.days:
                opens, closes = self._span(day)
                if opens <= now < closes:
                    return opens, closes
        return None

    def is_open(self, now: datetime) -> bool:
        return self.open_span(now) is not None

    def next_opening(self, now: datetime) -> datetime:
        """The next time the window opens strictly after `now` (or now, if it opens now)."""
        for ahead in range(8):
            day = now + timedelta(days=ahead)
            if day.weekday() in self.days:
                opens, _ = self._span(day)
                if opens >= now:
                    return opens
        raise AssertionError("a window with at least one day opens within a week")
