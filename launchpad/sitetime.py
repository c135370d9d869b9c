"""Site time, written once: how the store writes a moment, how people read it, and which day
it is on the site.

The store writes every time column as UTC ISO-8601 to the microsecond, so text order is time
order. People read the site's wall clock, in the site's time zone, because "today" on a site in
Urumqi or Shanghai is not the laptop's today when the laptop is set to UTC. Turning words people
say (明天, 周五, 11-25) into days is `launchpad.issues.dates`' job; this module only converts.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def utc_now() -> str:
    """Now, as every time column holds it."""
    return to_stamp(datetime.now(UTC))


def to_stamp(moment: datetime) -> str:
    """An aware moment in the store's time format (UTC ISO-8601 to the microsecond)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def local_text(stamp: str | None, zone: ZoneInfo, with_seconds: bool = False) -> str:
    """A stored UTC time as the site's wall clock, for people to read."""
    if not stamp:
        return "—"
    pattern = "%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M"
    return datetime.fromisoformat(stamp).astimezone(zone).strftime(pattern)


def zoned_text(stamp: str | None, zone: ZoneInfo) -> str:
    """`local_text` to the second with the zone's name, for a message that may be read away
    from the site (a refusal copied into a chat)."""
    return f"{local_text(stamp, zone, with_seconds=True)} {zone.key}"


def local_moment(stamp: str, zone: ZoneInfo) -> datetime:
    """A stored UTC time as an aware moment on the site's wall clock (a release's window)."""
    return datetime.fromisoformat(stamp).astimezone(zone)


def local_day(stamp: str, zone: ZoneInfo) -> date:
    """The site's date at a stored UTC time."""
    return datetime.fromisoformat(stamp).astimezone(zone).date()


def day_bounds(day: date, zone: ZoneInfo) -> tuple[str, str]:
    """The UTC range [start, end) of a site-local day, in the store's time format, so the
    store can answer "what happened on the 25th" from an index."""
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return to_stamp(start), to_stamp(end)


def site_today(zone: ZoneInfo) -> date:
    """The site's date now."""
    return datetime.now(zone).date()
