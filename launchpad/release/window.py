"""A release's planned window, in site time, held against site.yaml's named windows.

The client allows changes only in its windows (`after_hours: mon-fri 18:30–23:30`): a release
planned at 17:00, or running past the window's close, is refused when it is recorded, not
discovered on the night. The plan names the window it fits in; without a name, the first
window of site.yaml that holds it is taken.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from launchpad.errors import UsageError
from launchpad.phrases import Phrase, parts, phrase
from launchpad.workspace.site import Site

_MOMENT = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})[ T](\d{1,2}:\d{2})\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2}:\d{2})\s*$")


@dataclass(frozen=True)
class PlannedWindow:
    name: str
    start: datetime  # aware, site time
    end: datetime

    def text(self) -> str:
        """`2026-12-04 19:00–21:00` (the end's date shown only when it is another day)."""
        end = f"{self.end:%H:%M}" if self.end.date() == self.start.date() else f"{self.end:%Y-%m-%d %H:%M}"
        return f"{self.start:%Y-%m-%d %H:%M}–{end}"


def parse_moment(text: str, site: Site, what: str) -> datetime:
    """`2026-12-04 19:00` as an aware site-time moment."""
    said = phrase(f"error.window_what_{what}")
    match = _MOMENT.match(text)
    if match is None:
        raise UsageError(phrase("error.window_not_moment", what=said, text=text),
                         hint=phrase("error.window_not_moment_hint"))
    if not 1970 <= int(match.group(1)[:4]) <= 2999:
        raise UsageError(phrase("error.window_year", what=said, text=text), hint=phrase("error.window_year_hint"))
    try:
        moment = datetime.strptime(f"{match.group(1)} {match.group(2)}", "%Y-%m-%d %H:%M")
    except ValueError:
        raise UsageError(phrase("error.window_bad_moment", what=said, text=text,
                                reason=_what_does_not_exist(match.group(1), match.group(2))),
                         hint=phrase("error.window_bad_moment_hint")) from None
    return moment.replace(tzinfo=site.tz)


def _what_does_not_exist(date_text: str, clock: str) -> Phrase:
    """Which part of a date and time that has the right shape does not exist (month 13, 30 February, 25:00)."""
    year, month, day = (int(part) for part in date_text.split("-"))
    if not 1 <= month <= 12:
        return phrase("error.moment_no_month", month=month)
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return phrase("error.moment_no_day", year=year, month=month, days=days)
    return phrase("error.moment_no_clock", clock=clock)


def parse_end(text: str, start: datetime, site: Site) -> datetime:
    """The end as a date and time, or as a clock time after the start (past midnight: the next day)."""
    clock = _CLOCK.match(text)
    if clock is None:
        return parse_moment(text, site, "end")
    try:
        hour, minute = (int(part) for part in clock.group(1).split(":"))
        end = start.replace(hour=hour, minute=minute)
    except ValueError:
        raise UsageError(phrase("error.window_not_clock", text=text), hint=phrase("error.window_not_clock_hint")) \
            from None
    return end if end > start else end + timedelta(days=1)


def plan_window(site: Site, start_text: str, end_text: str, window: str | None = None) -> PlannedWindow:
    """The planned window, refused unless it lies inside one opening of a named window."""
    start = parse_moment(start_text, site, "start")
    end = parse_end(end_text, start, site)
    if end <= start:
        raise UsageError(phrase("error.window_backwards", end=f"{end:%Y-%m-%d %H:%M}", start=f"{start:%Y-%m-%d %H:%M}"),
                         hint=phrase("error.window_backwards_hint"))
    return _inside_a_window(site, start, end, window)


def already_begun(start: datetime, now: datetime) -> Phrase | None:
    """What to say when the planned window starts before the current minute, else None. Said,
    not refused: a release recorded after the fact (an emergency fix put out first) is a record
    the client still needs, and a run outside its record's window is refused by the playbook's
    `release_window` gate anyway."""
    current = now.astimezone(start.tzinfo).replace(second=0, microsecond=0)
    if start >= current:
        return None
    return phrase("error.window_past", start=f"{start:%Y-%m-%d %H:%M}", now=f"{current:%Y-%m-%d %H:%M}")


def _inside_a_window(site: Site, start: datetime, end: datetime, window: str | None) -> PlannedWindow:
    if not site.windows:
        raise UsageError(phrase("error.window_none"), hint=phrase("error.window_none_hint"))
    if window is not None and window not in site.windows:
        raise UsageError(phrase("error.window_unknown", window=window),
                         hint=phrase("error.window_unknown_hint", names=list(site.windows)))
    names = [window] if window is not None else list(site.windows)
    for name in names:
        span = site.windows[name].schedule().open_span(start)
        if span is not None and end <= span[1]:
            return PlannedWindow(name, start, end)
    described = parts([f"{n} {_describe(site, n)}" for n in names])
    # An --end of HH:MM before the start was read as the next day: the refusal shows that day.
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    raise UsageError(phrase("error.window_outside" if window else "error.window_outside_any",
                            start=f"{start:%Y-%m-%d %H:%M}", end=end_text,
                            weekday=phrase(f"weekday.{start.weekday()}"), described=described),
                     hint=phrase("error.window_outside_hint"))


def _describe(site: Site, name: str) -> str:
    window = site.windows[name]
    days = window.days if isinstance(window.days, str) else ",".join(window.days)
    return f"({days} {window.start}–{window.end})"


def on_day(start: datetime, end: datetime, day: date) -> bool:
    """Whether a window touches `day`: it starts on it, or runs into it from the night before."""
    return start.date() == day or end.date() == day and end.time() > datetime.min.time()
