"""The daily report's on-site changes: the baseline items changed today on site because the
client asked (`launchpad baseline change record`), each with its environment, the item, why,
the feedback issue and who recorded it, so HQ hears of them the day they happen.

The item, the reason and the issue's title are people's words: plain strings here, cleaned by
the report's `people_text` for every format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from launchpad.baseline.onsite import list_changes
from launchpad.store.db import Store
from launchpad.workspace.site import Site


@dataclass(frozen=True)
class OnsiteLine:
    id: int
    environment: str
    item: str
    change: str  # extra (added on site), missing (removed), changed
    why: str
    issue_id: int
    issue_title: str
    operator: str
    accepted: bool


def onsite_changes_on(store: Store, site: Site, day: date) -> list[OnsiteLine]:
    return [OnsiteLine(c.id, c.environment, c.item, c.change, c.why, c.issue_id, c.issue_title, c.operator,
                       c.status == "accepted")
            for c in list_changes(store, site.tz, since=day, until=day + timedelta(days=1))]
