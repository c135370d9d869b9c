"""Holes in the duty roster, found before the night they matter.

A release notice names the person on duty, and the client calls that number when something
breaks; a day with nobody on the roster, or with no one to stand in, leaves them with an empty
"联系人：". `launchpad check` warns about each such day of the coming week (site time), and
about people on the roster who have no phone to be called on.
"""

from __future__ import annotations

from datetime import date, timedelta

from launchpad.errors import Problem
from launchpad.phrases import Phrase, phrase
from launchpad.workspace.site import Site
from launchpad.workspace.yamlsource import SourceMap


def roster_warnings(site: Site, source: SourceMap, today: date, days: int = 7) -> list[Problem]:
    """Warnings, located in site.yaml, for `days` days from `today` (site time)."""
    warnings = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        missing = _missing(site, day)
        if missing:
            said = phrase("roster.gap", day=day.isoformat(), weekday=phrase(f"weekday.{day.weekday()}"),
                          missing=missing)
            warnings.append(source.problem(("duty",), said, at_key=True))
    return warnings + _unreachable(site, source)


def _missing(site: Site, day: date) -> Phrase | None:
    """What the roster lacks on `day`, in words, or None."""
    primary, backup = site.on_duty(day)
    if primary is None:
        return phrase("roster.nobody")
    if backup is None or backup.id == primary.id:
        return phrase("roster.no_backup", name=primary.name, id=primary.id)
    return None


def _unreachable(site: Site, source: SourceMap) -> list[Problem]:
    """People on the roster with no phone: a notice naming them would be refused."""
    on_roster = {who for entry in site.duty for who in (entry.primary, entry.backup)}
    return [
        source.problem(("contacts", index, "phone"),
                       phrase("roster.no_phone", id=contact.id, name=contact.name))
        for index, contact in enumerate(site.contacts)
        if contact.id in on_roster and not contact.phone.strip()
    ]
