"""The organisation map: the unit names the client's sheet uses → the target's departments.

A sheet names a unit by its name (办公室) or by a path (市局/办公室); the mapping's `units.map`
turns the sheet's spelling into the target's. A name that two departments share (RuoYi's demo
has two 市场部门) must be written as a path; a name nobody has is listed with the closest
existing ones, so the fix is a choice, not a search.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from launchpad.phrases import Phrase, phrase
from launchpad.users.mapping import Units


@dataclass(frozen=True)
class Department:
    id: int | str  # as the target numbers it (RuoYi: a number; some systems: a UUID)
    name: str
    path: tuple[str, ...]  # names from the root down to this department


class UnitResolver:
    def __init__(self, departments: list[Department], units: Units) -> None:
        self.departments = departments
        self.separator = units.separator
        self.map = {self._fold(k): v for k, v in units.map.items()}
        self._resolved: dict[str, tuple[Department | None, Phrase | None]] = {}

    @staticmethod
    def _fold(text: str) -> str:
        return "".join(text.split()).casefold()

    def _split(self, text: str) -> tuple[str, ...]:
        return tuple(self._fold(part) for part in text.split(self.separator) if part.strip())

    def resolve(self, unit: str) -> tuple[Department | None, Phrase | None]:
        # A sheet names a few hundred units over many thousand rows: each is looked up once.
        if unit not in self._resolved:
            self._resolved[unit] = self._resolve(unit)
        return self._resolved[unit]

    def _resolve(self, unit: str) -> tuple[Department | None, Phrase | None]:
        wanted = self.map.get(self._fold(unit), unit)
        parts = self._split(wanted)
        if not parts:
            return None, phrase("users.unknown_unit_far", unit=unit)
        found = [d for d in self.departments
                 if tuple(self._fold(p) for p in d.path[-len(parts):]) == parts and len(d.path) >= len(parts)]
        if len(found) == 1:
            return found[0], None
        if found:
            return None, phrase("users.ambiguous_unit", unit=unit,
                                paths=[self.separator.join(d.path) for d in found])
        closest = self.closest(wanted)
        return None, phrase("users.unknown_unit", unit=unit, closest=closest) if closest else \
            phrase("users.unknown_unit_far", unit=unit)

    def closest(self, unit: str, count: int = 3) -> list[str]:
        names = {self.separator.join(d.path): d for d in self.departments}
        by_name = {d.name: self.separator.join(d.path) for d in self.departments}
        pool = list(names) + list(by_name)
        hits = difflib.get_close_matches(unit, pool, n=count * 2, cutoff=0.3)
        shown: list[str] = []
        for hit in hits:
            path = by_name.get(hit, hit)
            if path not in shown:
                shown.append(path)
        return shown[:count]
