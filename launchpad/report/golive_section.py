"""The daily report's 上线准备进度: how far the site is from go-live, read from the workspace's
`golive.yaml` the same way `launchpad golive` reads it, shown on every day up to the go-live
date and no longer after it. A go that rests on critical items set aside as not applicable says
so in its verdict, and lists each with who set it aside, when (site time) and why.

Titles, owners and reasons are people's words: they stay plain strings here and go through the
report's `people_text` like the issues do, so every format shows them as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from launchpad.errors import InvalidInput, LaunchpadError, Problem
from launchpad.golive.progress import ItemProgress, evaluate, owner_name, playbook_titles, state_word
from launchpad.golive.set_aside import AT
from launchpad.phrases import Lang, Phrase, Said, phrase, render
from launchpad.store.db import Store
from launchpad.workspace.site import Site

if TYPE_CHECKING:
    from launchpad.golive.checklist import Checklist


@dataclass(frozen=True)
class GoliveLine:
    title: str
    owner: str
    due: str
    state: Phrase
    days_late: int  # 0 when not late
    why: Phrase | str  # what the proof found, or the reason it is blocked


@dataclass(frozen=True)
class GoliveSetAside:
    """A critical item marked not applicable: by and at (site time) are None when golive.yaml
    was edited by hand, so no mark through launchpad recorded them."""

    title: str
    reason: str
    by: str | None
    at: str | None


@dataclass(frozen=True)
class GoliveSection:
    date: date
    version: str
    days_to_go: int
    done: int
    total: int  # not counting items that do not apply
    go: bool
    stoppers: list[GoliveLine]  # critical items still open or blocked
    late: list[GoliveLine]  # late items that do not stop go-live
    set_aside: list[GoliveSetAside] = field(default_factory=list)  # critical items not applicable


@dataclass(frozen=True)
class GoliveUnreadable:
    """A golive.yaml with mistakes, in place of the section: which file, where each mistake is
    (file:line:col, as `launchpad golive` locates them) and what to do. The rest of the report
    is still made: at 22:00 the client gets the day's issues and releases, and this note."""

    file: str
    places: tuple[Problem | Said, ...]

    def lines(self, lang: Lang) -> list[str]:
        """The note in `lang`: what could not be read, each place, then what to do."""
        places = [place.render(lang) if isinstance(place, Problem) else render(place, lang) for place in self.places]
        return [render(phrase("daily.golive_unreadable", file=self.file), lang), *places,
                render(phrase("daily.golive_unreadable_hint", file=self.file), lang)]


def golive_section(store: Store, site: Site, day: date, workspace_root: Path | None,
                   now: datetime | None = None) -> GoliveSection | GoliveUnreadable | None:
    """The section for `day`, or None when the workspace has no checklist or go-live is past.
    A checklist with mistakes gives no progress (one read from a wrong file would tell the
    client something untrue) but a note locating them, as `launchpad golive` does."""
    from launchpad.golive.checklist import CHECKLIST_FILE
    from launchpad.run.playbook import list_playbooks

    if workspace_root is None or not (workspace_root / CHECKLIST_FILE).is_file():
        return None
    names = {path.stem for path in list_playbooks(workspace_root)}
    checklist = read_checklist_for_report(workspace_root, site, names)
    if isinstance(checklist, GoliveUnreadable):
        return checklist
    if day > checklist.date:
        return None
    progress = evaluate(checklist, site, store, workspace_root / "backups", today=day,
                        now=now or datetime.now(UTC), titles=playbook_titles(workspace_root, checklist))
    counts = progress.counts()
    return GoliveSection(
        date=checklist.date, version=checklist.version, days_to_go=progress.days_to_golive,
        done=counts["done"], total=counts["total"] - counts["not_applicable"], go=progress.go,
        stoppers=[_line(p, site, day) for p in progress.stoppers],
        late=[_line(p, site, day) for p in progress.items if p.late and not p.stops_golive],
        set_aside=[GoliveSetAside(item.title, item.reason, aside.by, f"{aside.at:{AT}}" if aside.at else None)
                   for item, aside in progress.set_aside])


def _line(p: ItemProgress, site: Site, day: date) -> GoliveLine:
    why: Phrase | str = p.item.reason if p.state == "blocked" and p.item.reason else (
        p.finding.said if p.finding is not None else "")
    return GoliveLine(title=p.item.title, owner=owner_name(site, p.item.owner), due=p.item.due.isoformat(),
                      state=state_word(p), days_late=(day - p.item.due).days if p.late else 0, why=why)


def read_checklist_for_report(root: Path, site: Site, playbook_names: set[str]) -> Checklist | GoliveUnreadable:
    """The checklist, or its mistakes located for the report to say instead of stopping."""
    from launchpad.golive.checklist import CHECKLIST_FILE, load_checklist

    try:
        return load_checklist(root, site, playbook_names)
    except InvalidInput as error:
        return GoliveUnreadable(CHECKLIST_FILE, tuple(error.problems))
    except LaunchpadError as error:
        return GoliveUnreadable(CHECKLIST_FILE, (error.said,))
