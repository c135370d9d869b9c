"""Test and production alike: the users of one environment's target against another's.
Departments, roles and posts are compared by their names and keys, never by their ids (the two
databases number them independently)."""

from __future__ import annotations

from dataclasses import dataclass

from launchpad.phrases import Phrase, phrase
from launchpad.users.mapping import ImportMapping
from launchpad.users.state import UNIT, TargetState

# compare's own fields beside the target's columns, as a person reads them
_OWN_LABELS = {"dept": "users.account_unit", "roles": "users.roles_label", "posts": "users.posts_label"}


@dataclass(frozen=True)
class UserDifference:
    key: str
    only_in: str | None  # the environment that has the user, when only one does
    fields: dict[str, tuple[str, str]]  # field → (left, right)


def _profile(state: TargetState) -> dict[str, dict[str, str]]:
    paths = {str(d.id): "/".join(d.path) for d in state.departments}
    compared = [f for f in state.profile.user_columns if f != state.profile.users.key]
    result = {}
    for key, user in state.users.items():
        values = {c: user.values.get(c, "") for c in compared}
        values["dept"] = paths.get(user.values.get(UNIT, ""), user.values.get(UNIT, ""))
        values["roles"] = ",".join(sorted(user.roles))
        values["posts"] = ",".join(sorted(user.posts))
        result[key] = values
    return result


def compare_states(left_name: str, left: TargetState, right_name: str, right: TargetState) -> list[UserDifference]:
    ours, theirs = _profile(left), _profile(right)
    found = []
    for key in sorted(set(ours) | set(theirs)):
        if key not in theirs:
            found.append(UserDifference(key, left_name, {}))
        elif key not in ours:
            found.append(UserDifference(key, right_name, {}))
        else:
            differing = {f: (ours[key][f], theirs[key][f]) for f in ours[key] if ours[key][f] != theirs[key][f]}
            if differing:
                found.append(UserDifference(key, None, differing))
    return found


def field_label(field: str, mapping: ImportMapping | None) -> str | Phrase:
    """How a compared field is named to a person: the unit, roles and posts in words; a column
    by the first header the workspace's mapping gives it, else as the target spells it."""
    if field in _OWN_LABELS:
        return phrase(_OWN_LABELS[field])
    return mapping.header_of(field) if mapping is not None else field
