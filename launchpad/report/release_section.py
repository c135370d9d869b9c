"""The daily report's releases: every release whose planned window touches the day — today's
and tonight's, a window past midnight included — with where it stands (planned, approved, in
progress, released, rolled back, cancelled; or stopped, its switch declined: release/standing.py),
who owns it, who reviewed it and the feedback issues it fixes.

Versions, owners, reviewers and issue titles are people's words: they stay plain strings here
and go through the report's `people_text`, so every format shows them as text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from launchpad.release.record import releases_between
from launchpad.release.standing import release_standing
from launchpad.sitetime import day_bounds
from launchpad.store.db import Store
from launchpad.workspace.site import Site


@dataclass(frozen=True)
class FixedIssue:
    id: int
    title: str


@dataclass(frozen=True)
class ReleaseLine:
    id: int
    version: str
    window: str
    status: str
    owner: str
    approved_by: str
    fixes: tuple[FixedIssue, ...]


def releases_on(store: Store, site: Site, day: date) -> list[ReleaseLine]:
    start, end = day_bounds(day, site.tz)
    lines = []
    for release in releases_between(store, start, end):
        titles = {}
        if release.fixes:
            marks = ", ".join("?" for _ in release.fixes)
            titles = {row["id"]: row["title"] for row in store.read(
                f"SELECT id, title FROM issues WHERE id IN ({marks})", list(release.fixes))}
        lines.append(ReleaseLine(
            id=release.id, version=release.version, window=release.window_text(site),
            status=release_standing(store, release).status,
            owner=release.owner, approved_by=release.approved_by or "",
            fixes=tuple(FixedIssue(n, titles.get(n, "")) for n in release.fixes)))
    return lines
