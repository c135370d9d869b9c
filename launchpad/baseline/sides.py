"""One difference seen on every side at once: the baseline, test, prod … each holding the item
with its fields, or not holding it. A drift says what one target lacks against one reference;
side by side, a field engineer sees whether prod's extra option is in test too, or only there.

`sides_of(difference, sides)` gives each side's fields of the difference's item (None: the side
does not hold it); `differing(view)` the fields whose values are not the same on every side that
holds the item — the ones a screen or a report highlights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from launchpad.baseline.drift import Difference
from launchpad.baseline.model import Baseline, dictionary_fields, item_fields, post_fields, role_fields

# What a role, a dictionary shows beside its own fields: how many grants and items it holds.
PERMISSIONS, ITEMS, GRANTED = "permissions", "items", "granted"


@dataclass(frozen=True)
class SideBySide:
    difference: Difference
    fields: tuple[str, ...]  # in the model's order
    values: dict[str, dict[str, Any] | None]  # side → field → value; None: the side lacks the item

    def differing(self) -> set[str]:
        held = [v for v in self.values.values() if v is not None]
        return {name for name in self.fields if len({_key(v.get(name)) for v in held}) > 1}

    def holders(self) -> list[str]:
        return [side for side, v in self.values.items() if v is not None]


def _key(value: Any) -> str:
    return repr(value)


def item_of(difference: Difference, side: Baseline) -> dict[str, Any] | None:
    """The fields of the difference's item as `side` holds it, or None."""
    d = difference
    if d.kind == "role":
        role = side.roles.get(d.item)
        return None if role is None else {**role_fields(role), PERMISSIONS: len(role.permissions)}
    if d.kind == "permission":
        role = side.roles.get(d.detail["role"])
        return None if role is None else {GRANTED: d.detail["permission"] in role.permissions}
    if d.kind == "dictionary":
        dictionary = side.dictionaries.get(d.item)
        return None if dictionary is None else {**dictionary_fields(dictionary), ITEMS: len(dictionary.items)}
    if d.kind == "dict_item":
        holder = side.dictionaries.get(d.detail["type"])
        item = holder.items.get(d.detail["value"]) if holder is not None else None
        return None if item is None else item_fields(item)
    post = side.posts.get(d.item)
    return None if post is None else post_fields(post)


def sides_of(difference: Difference, sides: dict[str, Baseline]) -> SideBySide:
    """`sides` in the order they are shown (the baseline first, then the environments)."""
    values = {name: item_of(difference, side) for name, side in sides.items()}
    names: list[str] = []
    for held in values.values():
        for name in held or {}:
            if name not in names:
                names.append(name)
    return SideBySide(difference, tuple(names), values)
