"""Drift: what a target (an environment) has that differs from a reference (the baseline, or
another environment). Each difference is one item of one kind, `missing` in the target, `extra`
in it, or `changed` with the exact fields (reference → target), and carries a severity:

| kind        | missing | extra  | changed                                                     |
|-------------|---------|--------|-------------------------------------------------------------|
| role        | high    | high   | status, data_scope: high; name, sort: low                   |
| permission  | high    | high   | —                                                           |
| dictionary  | medium  | medium | status: medium; name: low                                   |
| dict_item   | medium  | medium | status, default: medium; label, order, css/list class: low  |
| post        | medium  | medium | status: medium; name, sort: low                             |

A role missing or extra is one difference that carries its permissions (a fix writes them with
the role); a dictionary likewise carries its items. The table is docs/commands.md's too."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from launchpad.baseline.model import (
    KINDS,
    SECTIONS,
    Baseline,
    dictionary_fields,
    item_fields,
    post_fields,
    role_fields,
)
from launchpad.phrases import Said, phrase

SEVERITIES = ("high", "medium", "low")
CHANGES = ("missing", "extra", "changed")
PRESENCE: dict[str, str] = {"role": "high", "permission": "high", "dictionary": "medium", "dict_item": "medium",
                            "post": "medium"}
FIELD_SEVERITY: dict[tuple[str, str], str] = {
    ("role", "status"): "high", ("role", "data_scope"): "high", ("role", "name"): "low", ("role", "sort"): "low",
    ("dictionary", "status"): "medium", ("dictionary", "name"): "low",
    ("dict_item", "status"): "medium", ("dict_item", "default"): "medium", ("dict_item", "label"): "low",
    ("dict_item", "order"): "low", ("dict_item", "css_class"): "low", ("dict_item", "list_class"): "low",
    ("post", "status"): "medium", ("post", "name"): "low", ("post", "sort"): "low",
}


@dataclass(frozen=True)
class Difference:
    id: str  # kind/natural key: what `baseline fix --item` names
    kind: str
    change: str  # missing | extra | changed
    item: str  # the natural key as people read it
    severity: str
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # changed: field → (reference, target)
    detail: dict[str, Any] = field(default_factory=dict)  # missing/extra: the item's values
    fixable: bool = True
    note: Said = ""  # why it cannot be fixed, read in the reader's language

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "change": self.change, "item": self.item,
                "severity": self.severity, "fields": {k: {"expected": a, "actual": b} for k, (a, b)
                                                      in self.fields.items()},
                "detail": self.detail, "fixable": self.fixable, "note": str(self.note)}


@dataclass
class Drift:
    reference: str  # the baseline's file, or the reference environment
    reference_version: str
    target: str  # the environment compared
    differences: list[Difference]
    not_compared: list[str] = field(default_factory=list)  # sections the baseline leaves out (SECTIONS)

    def counts(self) -> dict[str, int]:
        by = Counter(d.severity for d in self.differences)
        return {s: by.get(s, 0) for s in SEVERITIES} | {"total": len(self.differences)}

    def by_kind(self) -> dict[str, int]:
        by = Counter(d.kind for d in self.differences)
        return {k: by[k] for k in KINDS if by.get(k)}

    def of_kinds(self, kinds: set[str] | None) -> list[Difference]:
        return [d for d in self.differences if kinds is None or d.kind in kinds]

    def as_json(self) -> dict[str, Any]:
        return {"reference": self.reference, "reference_version": self.reference_version, "target": self.target,
                "counts": self.counts(), "by_kind": self.by_kind(), "not_compared": self.not_compared,
                "differences": [d.as_json() for d in self.differences]}


def _changed(kind: str, expected: dict[str, Any], actual: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {name: (value, actual[name]) for name, value in expected.items() if actual[name] != value}


def _worst(kind: str, changed: dict[str, tuple[Any, Any]]) -> str:
    found = {FIELD_SEVERITY.get((kind, name), "low") for name in changed}
    return next(s for s in SEVERITIES if s in found)


def compare(reference: Baseline, target: Baseline, target_name: str) -> Drift:
    """Every difference of `target` from `reference`, in the order of KINDS, then by key, in
    the sections both hold."""
    out: list[Difference] = []
    menus = target.menus
    held = reference.sections & target.sections
    kept = phrase("baseline.super_admin_kept", role=target.super_admin or "", target=target_name)
    for key in sorted(reference.roles.keys() | target.roles.keys() if "roles" in held else ()):
        want, have = reference.roles.get(key), target.roles.get(key)
        if have is None and want is not None:
            unknown = sorted(want.permissions - menus) if menus is not None else []
            out.append(Difference(f"role/{key}", "role", "missing", key, PRESENCE["role"],
                                  detail={**role_fields(want), "permissions": sorted(want.permissions)},
                                  note=phrase("error.fix_no_menus", permissions=unknown) if unknown else ""))
        elif want is None and have is not None:
            admin = key == target.super_admin
            out.append(Difference(f"role/{key}", "role", "extra", key, PRESENCE["role"],
                                  detail={**role_fields(have), "permissions": sorted(have.permissions)},
                                  fixable=not admin, note=kept if admin else ""))
        elif want is not None and have is not None:
            changed = _changed("role", role_fields(want), role_fields(have))
            if changed:
                admin = key == target.super_admin
                out.append(Difference(f"role/{key}", "role", "changed", key, _worst("role", changed), changed,
                                      fixable=not admin, note=kept if admin else ""))
    for key in sorted(reference.roles.keys() & target.roles.keys() if "roles" in held else ()):
        want_perms, have_perms = reference.roles[key].permissions, target.roles[key].permissions
        for perm in sorted(want_perms - have_perms):
            known = menus is None or perm in menus
            note = "" if known else phrase("error.fix_target_no_menu", target=target_name, permission=perm)
            out.append(Difference(f"permission/{key}/{perm}", "permission", "missing", f"{key} → {perm}",
                                  PRESENCE["permission"], detail={"role": key, "permission": perm},
                                  fixable=known, note=note))
        for perm in sorted(have_perms - want_perms):
            out.append(Difference(f"permission/{key}/{perm}", "permission", "extra", f"{key} → {perm}",
                                  PRESENCE["permission"], detail={"role": key, "permission": perm}))
    dictionaries = "dictionaries" in held
    for key in sorted(reference.dictionaries.keys() | target.dictionaries.keys() if dictionaries else ()):
        want_d, have_d = reference.dictionaries.get(key), target.dictionaries.get(key)
        if have_d is None and want_d is not None:
            out.append(Difference(f"dictionary/{key}", "dictionary", "missing", key, PRESENCE["dictionary"],
                                  detail={**dictionary_fields(want_d), "items": len(want_d.items)}))
        elif want_d is None and have_d is not None:
            out.append(Difference(f"dictionary/{key}", "dictionary", "extra", key, PRESENCE["dictionary"],
                                  detail={**dictionary_fields(have_d), "items": len(have_d.items)}))
    for key in sorted(reference.dictionaries.keys() & target.dictionaries.keys() if dictionaries else ()):
        want_d, have_d = reference.dictionaries[key], target.dictionaries[key]
        changed = _changed("dictionary", dictionary_fields(want_d), dictionary_fields(have_d))
        if changed:
            out.append(Difference(f"dictionary/{key}", "dictionary", "changed", key, _worst("dictionary", changed),
                                  changed))
        for value in sorted(want_d.items.keys() | have_d.items.keys()):
            want_i, have_i = want_d.items.get(value), have_d.items.get(value)
            ident, shown = f"dict_item/{key}/{value}", f"{key} = {value}"
            if have_i is None and want_i is not None:
                out.append(Difference(ident, "dict_item", "missing", shown, PRESENCE["dict_item"],
                                      detail={"type": key, "value": value, **item_fields(want_i)}))
            elif want_i is None and have_i is not None:
                out.append(Difference(ident, "dict_item", "extra", shown, PRESENCE["dict_item"],
                                      detail={"type": key, "value": value, **item_fields(have_i)}))
            elif want_i is not None and have_i is not None:
                changed = _changed("dict_item", item_fields(want_i), item_fields(have_i))
                if changed:
                    out.append(Difference(ident, "dict_item", "changed", shown, _worst("dict_item", changed),
                                          changed, detail={"type": key, "value": value}))
    for key in sorted(reference.posts.keys() | target.posts.keys() if "posts" in held else ()):
        want_p, have_p = reference.posts.get(key), target.posts.get(key)
        if have_p is None and want_p is not None:
            out.append(Difference(f"post/{key}", "post", "missing", key, PRESENCE["post"], detail=post_fields(want_p)))
        elif want_p is None and have_p is not None:
            out.append(Difference(f"post/{key}", "post", "extra", key, PRESENCE["post"], detail=post_fields(have_p)))
        elif want_p is not None and have_p is not None:
            changed = _changed("post", post_fields(want_p), post_fields(have_p))
            if changed:
                out.append(Difference(f"post/{key}", "post", "changed", key, _worst("post", changed), changed))
    return Drift(reference.source, reference.version, target_name, out,
                 [section for section in SECTIONS if section not in held])


def choose(drift: Drift, *, everything: bool = False, kinds: set[str] | None = None,
           items: set[str] | None = None) -> list[Difference]:
    """The differences a fix was asked for: all, those of `kinds`, or those whose id is in `items`."""
    from launchpad.errors import UsageError

    if items:
        known = {d.id for d in drift.differences}
        unknown = sorted(items - known)
        if unknown:
            raise UsageError(phrase("error.fix_unknown_difference", ids=unknown, target=drift.target),
                             hint=phrase("error.fix_unknown_difference_hint"))
    if not (everything or kinds or items):
        raise UsageError(phrase("error.fix_choose"), hint=phrase("error.fix_choose_hint"))
    return [d for d in drift.differences
            if everything or (kinds and d.kind in kinds) or (items and d.id in items)]
