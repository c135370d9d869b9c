"""Critical items set aside as not applicable: who did it, when, and why, for every place that
shows the go/no-go.

A critical item open on the go-live date stops go-live; marked not applicable, it no longer
does. That is sometimes right (the release does not include the feature), but it turns a no-go
into a go, so it must never be quiet: the verdict says so in its own sentence, and each item
set aside is listed with the person who set it aside (the actor of the item's latest
`golive_marked` audit entry), the moment in site time, and the reason golive.yaml gives. An item
set aside by editing golive.yaml by hand has no such entry, and says that instead of a name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from launchpad.golive.checklist import Item
from launchpad.golive.marking import MARKED
from launchpad.phrases import Phrase, phrase
from launchpad.safetext import one_line
from launchpad.sitetime import local_moment
from launchpad.store.db import Store

AT = "%Y-%m-%d %H:%M"  # site time, as people read a moment


@dataclass(frozen=True)
class SetAside:
    """Who marked a critical item not applicable, and when (site time); both None when no mark
    through launchpad set its current status and reason (golive.yaml was edited by hand)."""

    by: str | None
    at: datetime | None

    def as_dict(self, item: Item) -> dict[str, Any]:
        return {"id": item.id, "title": item.title, "owner": item.owner, "reason": item.reason,
                "by": self.by, "at": self.at.isoformat(timespec="minutes") if self.at else None}


def who_set_aside(store: Store, item: Item, zone: ZoneInfo) -> SetAside:
    """The latest mark of `item`, when it is the one that set the item aside with the reason it
    has now; otherwise the status and reason were written some other way."""
    rows = store.read("SELECT actor, at, detail FROM audit WHERE action = ? AND target = ? ORDER BY id DESC LIMIT 1",
                      [MARKED, item.id])
    if not rows:
        return SetAside(None, None)
    detail = json.loads(rows[0]["detail"]) if isinstance(rows[0]["detail"], str) else rows[0]["detail"]
    if detail.get("to") != "not_applicable" or detail.get("reason") != item.reason:
        return SetAside(None, None)
    return SetAside(rows[0]["actor"], local_moment(rows[0]["at"], zone))


def set_aside_said(item: Item, aside: SetAside) -> Phrase:
    """One item set aside, on one line: its title, who and when, and the reason."""
    title, reason = one_line(item.title), one_line(item.reason) or "—"
    if aside.by is None or aside.at is None:
        return phrase("golive.set_aside_by_hand", title=title, reason=reason)
    return phrase("golive.set_aside", title=title, by=one_line(aside.by), at=f"{aside.at:{AT}}", reason=reason)


def go_set_aside(titles: list[str]) -> Phrase:
    """A go that rests on critical items set aside, said in the verdict's own sentence."""
    key = "golive.go_set_aside_one" if len(titles) == 1 else "golive.go_set_aside"
    return phrase(key, count=len(titles), items=[one_line(title) for title in titles])
