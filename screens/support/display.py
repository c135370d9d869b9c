"""How statuses, durations and times look on screen, the same on every screen.

A field engineer scans a tree of forty steps at 23:00: a status must read at a glance by its
glyph and colour alone, and the same status must look the same on the dashboard, the run
screen and in dialogs. Glyphs are single-cell characters so wide Chinese text next to them
still lines up.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from rich.text import Text

from launchpad.durations import terse_duration
from screens.support.i18n import said, status_word, t

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
    """A host's time on a step, for its cell: "0.4秒", "1分05秒" / "0.4s", "1m05s" (the core's
    terse form, which the command line prints too)."""
    return "-" if seconds is None else said(terse_duration(seconds, decimals=1))


def countdown_text(delta: timedelta) -> str:
    """A window's countdown on the dashboard: "2小时05分", "45分", "30秒" / "2h05m", "45m", "30s"
    (no seconds once past a minute)."""
    return said(terse_duration(delta, "minute"))


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


def run_title(run: dict[str, Any]) -> str:
    """A stored run's playbook as people read it: the title it was run under (the playbook's
    snapshot), its id only when the snapshot has none."""
    return str((run.get("playbook_snapshot") or {}).get("title") or run["playbook"])


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
