"""The plans people read, kept so that the import can say what changed in the target between
the plan someone approved (`users plan`) and the moment it writes (`users import`, which plans
again against the live target and writes exactly that)."""

from __future__ import annotations

import json
from typing import Any

from launchpad.phrases import CATALOG, Phrase, parts, phrase
from launchpad.sitetime import utc_now
from launchpad.store.db import Store
from launchpad.users.plan import Plan

SHOWN = 20


def _actions(plan: Plan) -> dict[str, Any]:
    """Per key: the action, the changes as written, the roles and posts added, and what each
    change becomes as the sheet says it (its header, or null for the account's unit; the value)."""
    return {u.key: [u.action, {c: list(v) for c, v in u.changes.items()}, u.roles_added, u.posts_added,
                    [[label if isinstance(label, str) else None, new] for label, _, new in u.changes_said]]
            for u in plan.users if u.key}


def record_plan(store: Store, environment: str, file_name: str, sha: str, plan: Plan, actor: str) -> int:
    row = {"environment": environment, "file_name": file_name, "file_sha256": sha, "digest": plan.digest(),
           "counts": json.dumps(plan.counts()), "actions": json.dumps(_actions(plan), ensure_ascii=False),
           "planned": utc_now(), "operator": actor}
    with store.transaction():
        store.db.table("user_import_plans").insert(row)
        return int(store.db.execute("SELECT last_insert_rowid()").fetchone()[0])


def latest_plan(store: Store, environment: str, sha: str) -> dict[str, Any] | None:
    """The newest plan of this file on this environment made since an import of it last
    finished or was rolled back: that import changed the target by itself, so comparing with a
    plan made before it listed every row it wrote as "changed since the plan"."""
    rows = list(store.db.query(
        "SELECT * FROM user_import_plans WHERE environment = ? AND file_sha256 = ? AND planned > "
        "(SELECT COALESCE(MAX(MAX(COALESCE(finished, ''), COALESCE(rolled_back, ''))), '') FROM user_imports "
        " WHERE environment = ? AND file_sha256 = ?) ORDER BY id DESC LIMIT 1", [environment, sha, environment, sha]))
    if not rows:
        return None
    found = rows[0]
    found["counts"], found["actions"] = json.loads(found["counts"]), json.loads(found["actions"])
    return found


def last_import(store: Store, environment: str, sha: str) -> int | None:
    """The newest import of this file on this environment that finished or was rolled back:
    the one a plan must come after to count (`latest_plan`)."""
    row = store.db.execute(
        "SELECT id FROM user_imports WHERE environment = ? AND file_sha256 = ? AND "
        "(finished IS NOT NULL OR rolled_back IS NOT NULL) "
        "ORDER BY MAX(COALESCE(finished, ''), COALESCE(rolled_back, '')) DESC, id DESC LIMIT 1",
        [environment, sha]).fetchone()
    return None if row is None else int(row[0])


def differences(recorded: dict[str, Any], plan: Plan) -> list[Phrase]:
    """Per key, how the plan now differs from the recorded one (empty when they agree), in the
    reader's words (`str()` is the English the audit and a run's evidence keep)."""
    if recorded["digest"] == plan.digest():
        return []
    before, now = recorded["actions"], _actions(plan)
    found = []
    for key in sorted(set(before) | set(now)):
        old, new = before.get(key), now.get(key)
        if old == new:
            continue
        if old is None or new is None or old[0] != new[0]:
            found.append(phrase("users.since.action", login=key, before=_action(old), after=_action(new)))
        else:
            found.append(phrase("users.since.values", login=key, action=_action(new), before=_changes(old),
                                after=_changes(new)))
    return found


def _action(entry: list[Any] | None) -> Phrase | str:
    if entry is None:
        return phrase("users.since.absent")
    key = f"users.action.{entry[0]}"
    return phrase(key) if key in CATALOG else str(entry[0])


def _changes(entry: list[Any]) -> Phrase:
    # as the sheet says it; a plan recorded before that was kept, by the target's column names
    changed = [(label if label is not None else phrase("users.account_unit"), new) for label, new in entry[4]] \
        if len(entry) > 4 else [(column, new) for column, (_, new) in entry[1].items()]
    said: list[Phrase | str] = [phrase("users.since.field", field=label, value=new) for label, new in changed]
    said += [phrase("users.since.roles", names=list(entry[2]))] if entry[2] else []
    said += [phrase("users.since.posts", names=list(entry[3]))] if entry[3] else []
    return parts(said) if said else phrase("users.since.nothing")
