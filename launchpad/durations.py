"""How long something took, has left, or is away, said once for every place a person reads a
measured span: the postmortem's "after report", an import's estimate and its time left, the
handover's backup ages, the dashboard's window countdown and a host's time on a step.

Two forms, both phrases, so each reader gets their own language. `said_duration` is for
sentences and reports: "1 小时 20 分钟" / "1 h 20 min". `terse_duration` is for table cells and
tight status lines: "1小时05分" / "1h05m", "0.52秒" / "0.52s". Both say the two largest units a
span has, down to `finest`: past a day nobody plans by the minute, and a span shorter than one
`finest` unit is said in seconds rather than as "0 minutes".

An age written in site.yaml or a playbook (`2h`) is not measured and keeps the unit it was
written in: that is `backup.freshness.said_age`."""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from launchpad.phrases import Phrase, phrase

Unit = Literal["day", "hour", "minute", "second"]

_SECONDS: dict[Unit, int] = {"day": 86400, "hour": 3600, "minute": 60, "second": 1}


def said_duration(span: timedelta | float, finest: Unit = "minute") -> Phrase:
    """`span` (a timedelta or seconds) in words: "50 分钟", "1 小时 20 分钟", "2 天 3 小时";
    "50 min", "1 h 20 min", "2 d 3 h". A smaller unit of none is left out ("2 小时")."""
    shown = _largest_two(_seconds(span), finest)
    if len(shown) == 2 and shown[1][1] == 0:
        shown = shown[:1]
    counts: dict[str, int | str] = {f"{unit}s": count for unit, count in shown}
    return phrase("span." + _named(counts), **counts)


def terse_duration(span: timedelta | float, finest: Unit = "second", decimals: int = 0) -> Phrase:
    """`span` for a cell: "2h05m", "3m05s", "45m"; "2小时05分", "3分05秒", "45分". The smaller
    unit keeps two digits, so a column that ticks keeps its width. A span under a minute said in
    seconds shows `decimals` places: a host's "0.52s"."""
    seconds = _seconds(span)
    shown = _largest_two(seconds, finest)
    if shown[0][0] == "second":
        return phrase("span.terse_seconds", seconds=f"{max(0.0, seconds):.{decimals}f}")
    (larger, count), *smaller = shown
    counts: dict[str, int | str] = {f"{larger}s": count, **{f"{unit}s": f"{n:02d}" for unit, n in smaller}}
    return phrase("span.terse_" + _named(counts), **counts)


def _named(counts: dict[str, int | str]) -> str:
    """The end of the word-book's key for these units, largest first: `hours_minutes`."""
    return "_".join(counts)


def _seconds(span: timedelta | float) -> float:
    return span.total_seconds() if isinstance(span, timedelta) else float(span)


def _largest_two(seconds: float, finest: Unit) -> list[tuple[Unit, int]]:
    """The span in whole units (rounded down, never below zero), from its largest unit that is
    not zero, at most two of them and none finer than `finest` — unless the span is shorter
    than one `finest` unit (but not nothing), which is said in seconds."""
    total = max(0, int(seconds))
    if 0 < total < _SECONDS[finest]:
        finest = "second"
    units = list(_SECONDS)[: list(_SECONDS).index(finest) + 1]
    counts: list[tuple[Unit, int]] = []
    rest = total
    for unit in units:
        count, rest = divmod(rest, _SECONDS[unit])
        counts.append((unit, count))
    first = next((index for index, (_, count) in enumerate(counts) if count), len(counts) - 1)
    return counts[first:first + 2]
