"""Checking the person's keymap (`~/.config/launchpad/keymap.yaml`) before it is applied.

Textual applies a keymap silently: an id it does not know is ignored, and a key given to two
actions on one screen runs whichever it finds first. A person who wrote `run.skp: k`, or moved
`run.skip` onto `n` where `run.next` already is, would find out in the middle of a go-live.
So the keymap is checked against every binding id the app has, and one with any problem is
not applied at all; the app says what is wrong, in red, when it opens.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode

from screens.support.i18n import t

KEYMAP_FILE = Path("~/.config/launchpad/keymap.yaml")


def read_keymap(path: Path, app_class: type[Any]) -> tuple[dict[str, str], list[str]]:
    """The keymap in `path` and its problems, checked against `app_class` (the app, whose
    bindings are active on every screen) and every screen; one with problems must not be applied."""
    import yaml

    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        return {}, [t("keymap.unreadable", error=str(error).splitlines()[0])]
    if loaded is None:
        return {}, []
    if not isinstance(loaded, dict):
        return {}, [t("keymap.not_mapping")]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in loaded.items():
        if not isinstance(keys, str) or not keys.strip():
            problems.append(t("keymap.bad_keys", id=binding_id))
        else:
            keymap[str(binding_id)] = keys.strip()
    return keymap, problems + check_keymap(keymap, binding_scopes(app_class))


def check_keymap(keymap: dict[str, str], scopes: dict[str, dict[str, str]]) -> list[str]:
    """Unknown ids, and keys the keymap gives to two actions that are active at once."""
    known = {binding_id for bindings in scopes.values() for binding_id in bindings}
    problems = []
    for binding_id in keymap:
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, sorted(known), n=1)
            hint = t("keymap.did_you_mean", id=close[0]) if close else ""
            problems.append(t("keymap.unknown_id", id=binding_id, hint=hint))
    seen: set[tuple[str, str, str]] = set()
    for bindings in scopes.values():
        remapped = {binding_id: keymap.get(binding_id, keys) for binding_id, keys in bindings.items()}
        holders: dict[str, list[str]] = {}
        for binding_id, keys in remapped.items():
            for key in _keys(keys):
                holders.setdefault(key, []).append(binding_id)
        for key, ids in holders.items():
            # Only what the keymap changed: the app's own bindings share keys on purpose
            # (`?` opens help and, on the help screen, closes it).
            if len(ids) > 1 and any(i in keymap for i in ids):
                first, second = sorted(ids)[:2]
                if (key, first, second) not in seen:
                    seen.add((key, first, second))
                    problems.append(t("keymap.conflict", keys=key, first=first, second=second))
    return problems


def binding_scopes(app_class: type[Any]) -> dict[str, dict[str, str]]:
    """For each screen, dialog and widget of the app: the ids and keys of the bindings active
    on it (its own, those it inherits, and the app's)."""
    _import_all_screens()
    app_bindings = _own_bindings(app_class)
    scopes = {}
    for cls in _subclasses(DOMNode):
        if not cls.__module__.startswith("screens.") or issubclass(cls, app_class):
            continue
        bindings: dict[str, str] = {}
        for base in reversed(cls.__mro__):
            bindings.update(_own_bindings(base))
        if bindings:
            scopes[cls.__qualname__] = {**app_bindings, **bindings}
    scopes[app_class.__qualname__] = app_bindings
    return scopes


def _own_bindings(cls: type[Any]) -> dict[str, str]:
    return {b.id: b.key for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and b.id}


def _keys(keys: str) -> list[str]:
    return [key.strip() for key in keys.split(",") if key.strip()]


def _subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _import_all_screens() -> None:
    """So that every screen, dialog and widget class exists to be asked (the app, which calls
    this, is loaded already and passed in)."""
    import screens

    for module in pkgutil.walk_packages(screens.__path__, "screens."):
        if module.name != "screens.app":
            importlib.import_module(module.name)
