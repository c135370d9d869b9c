"""How statuses, durations and times look on screen, the same on every screen.

A field engineer scans a tree of forty steps at 23:00: a status must read at a glance by its
glyph and colour alone, and the same status must look the same on the dashboard, the run
screen and in dialogs. Glyphs are single-cell characters so wide Chinese text next to them
still lines up.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rich.text import Text

from screens.support.i18n import status_word, t

if TYPE_CHECKING:
    from launchpad.golive.progress import Progress

GLYPHS = {
    "passed": ("✓", "green"),
    "failed": ("✗", "red"),
    "skipped": ("↷", "yellow"),
    "running": ("▶", "cyan"),
    "waiting": ("?", "magenta"),
    "interrupted": ("‖", "yellow"),
    "aborted": ("■", "red"),
    "refused": ("⊘", "red"),
    "not_checked": ("?", "yellow"),
    "partial": ("!", "yellow"),
    "pending": ("·", "grey50"),
}


def status_glyph(status: str) -> Text:
    glyph, style = GLYPHS.get(status, ("·", "grey50"))
    return Text(glyph, style=f"bold {style}")


def status_text(status: str) -> Text:
    """Glyph and word, e.g. "✓ 通过", coloured by status."""
    glyph, style = GLYPHS.get(status, ("·", "grey50"))
    return Text.assemble((glyph, f"bold {style}"), " ", (status_word(status), style))


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s"


def countdown_text(delta: timedelta) -> str:
    """A short human countdown: "2h05m", "45m", "30s" (no seconds once past a minute)."""
    total = max(0, int(delta.total_seconds()))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d{hours:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m"
    return f"{seconds}s"


def age_text(delta: timedelta) -> str:
    """How long ago, in words: "刚刚", "5 分钟前", "3 小时前", "2 天前" (a clock running behind the
    store reads as just now, never as the future)."""
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return t("age.now")
    if seconds < 3600:
        return t("age.minutes", n=seconds // 60)
    if seconds < 48 * 3600:
        return t("age.hours", n=seconds // 3600)
    return t("age.days", n=seconds // 86400)


def stored_time(value: str | None, tz: ZoneInfo) -> str:
    """A store timestamp (UTC ISO text) shown in the site's time zone, to the minute."""
    if not value:
        return "-"
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)[:16]
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz).strftime("%m-%d %H:%M")


def weekday_name(moment: datetime) -> str:
    return t(f"weekday.{moment.weekday()}")


def production_tag() -> Text:
    return Text(f" {t('production.tag')} ", style="bold white on red")


def verdict_style(progress: Progress) -> str:
    """The go/no-go's colour: red for a no-go, yellow for a go that rests on critical items set
    aside as not applicable, green for a go."""
    return "bold red" if not progress.go else "bold yellow" if progress.set_aside else "bold green"
