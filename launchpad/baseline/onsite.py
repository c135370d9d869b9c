"""On-site changes: an item of an environment that differs from HQ's baseline because the
client asked for it (a dictionary option added, a label reworded), recorded with who, when, why
and the feedback issue it came from, so HQ copies it back instead of it drifting for ever.

A change is recorded from a difference of the diff (its id), and carries the item as the site
holds it then — so exporting it, or accepting it into the baseline file, needs no connection
to the environment. Accepting edits only that item's lines of the file (`edit.py`); once
accepted, the site's item is the baseline's and the diff no longer reports it."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from launchpad.baseline.drift import Difference, Drift
from launchpad.baseline.edit import set_item
from launchpad.baseline.files import dictionary_data, item_data, load_baseline, post_data, role_data
from launchpad.baseline.model import Baseline
from launchpad.errors import LaunchpadError, UsageError
from launchpad.oserrors import os_reason
from launchpad.phrases import phrase
from launchpad.sitetime import day_bounds, utc_now
from launchpad.store.db import Store
from launchpad.users.target import AuditFn
from launchpad.workspace.durable import write_complete

TABLE = "baseline_onsite_changes"


@dataclass(frozen=True)
class OnsiteChange:
    id: int
    environment: str
    difference: str
    kind: str
    change: str  # as the diff saw the site: extra (added there), missing (removed there), changed
    item: str
    key: list[str]
    site_value: Any  # None: removed on site
    fields: dict[str, Any]
    why: str
    issue_id: int
    issue_title: str
    baseline: str
    baseline_version: str
    operator: str
    recorded: str
    status: str  # pending | accepted
    accepted_by: str | None
    accepted: str | None

    def as_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def natural_key(d: Difference) -> list[str]:
    if d.kind == "permission":
        return [d.detail["role"], d.detail["permission"]]
    if d.kind == "dict_item":
        return [d.detail["type"], d.detail["value"]]
    return [d.item]


def site_value(site: Baseline, kind: str, key: list[str]) -> Any:
    """The item as the site holds it, in the baseline file's shape; None when it has none."""
    if kind == "role":
        role = site.roles.get(key[0])
        return role_data(role) if role else None
    if kind == "permission":
        holder = site.roles.get(key[0])
        return key[1] if holder is not None and key[1] in holder.permissions else None
    if kind == "dictionary":
        dictionary = site.dictionaries.get(key[0])
        return dictionary_data(dictionary) if dictionary else None
    if kind == "dict_item":
        owner = site.dictionaries.get(key[0])
        item = owner.items.get(key[1]) if owner else None
        return item_data(item) if item else None
    post = site.posts.get(key[0])
    return post_data(post) if post else None


def issue_title(store: Store, issue_id: int) -> str:
    rows = store.read("SELECT title FROM issues WHERE id = ?", [issue_id])
    if not rows:
        raise UsageError(phrase("error.onsite_no_issue", id=issue_id), hint=phrase("error.onsite_no_issue_hint"))
    return str(rows[0]["title"])


def record_change(store: Store, drift: Drift, site: Baseline, difference_id: str, why: str, issue_id: int,
                  actor: str, audit: AuditFn) -> OnsiteChange:
    """The difference `difference_id` of `drift` (ENV against the baseline) as an on-site
    change. Refused (UsageError, nothing written): an id not in the diff, no reason, an issue
    not in the log, the same difference already waiting for HQ."""
    found = next((d for d in drift.differences if d.id == difference_id), None)
    if found is None:
        raise UsageError(phrase("error.onsite_no_difference", id=difference_id, target=drift.target,
                                reference=drift.reference),
                         hint=phrase("error.onsite_no_difference_hint", target=drift.target))
    if not why.strip():
        raise UsageError(phrase("cli.baseline.needs_why"), hint=phrase("cli.baseline.needs_why_hint"))
    issue_title(store, issue_id)  # an issue not in the log is refused
    waiting = store.read(f"SELECT id FROM {TABLE} WHERE environment = ? AND difference = ? AND status = 'pending'",
                         [drift.target, difference_id])
    if waiting:
        raise UsageError(phrase("error.onsite_waiting", id=difference_id, target=drift.target,
                                change=waiting[0]["id"]),
                         hint=phrase("error.onsite_waiting_hint", change=waiting[0]["id"]))
    key = natural_key(found)
    value = site_value(site, found.kind, key)
    fields = {name: {"baseline": a, "site": b} for name, (a, b) in found.fields.items()}
    row = {"environment": drift.target, "difference": found.id, "kind": found.kind, "change": found.change,
           "item": found.item, "item_key": json.dumps(key, ensure_ascii=False),
           "site_value": None if value is None else json.dumps(value, ensure_ascii=False),
           "fields": json.dumps(fields, ensure_ascii=False), "why": why.strip(), "issue_id": issue_id,
           "baseline": drift.reference, "baseline_version": drift.reference_version, "operator": actor,
           "recorded": utc_now(), "status": "pending"}
    with store.transaction():
        store.db.table(TABLE).insert(row)
        change_id = int(store.db.execute("SELECT last_insert_rowid()").fetchone()[0])
    audit("baseline_change_recorded", f"{drift.target}/{found.id}",
          {"change": change_id, "issue": issue_id, "why": why.strip(), "kind": found.kind,
           "baseline_version": drift.reference_version})
    return get_change(store, change_id)


def _from_row(row: dict[str, Any], titles: dict[int, str]) -> OnsiteChange:
    value = row["site_value"]
    return OnsiteChange(
        id=row["id"], environment=row["environment"], difference=row["difference"], kind=row["kind"],
        change=row["change"], item=row["item"], key=json.loads(row["item_key"]),
        site_value=None if value is None else json.loads(value), fields=json.loads(row["fields"]), why=row["why"],
        issue_id=row["issue_id"], issue_title=titles.get(row["issue_id"], ""), baseline=row["baseline"],
        baseline_version=row["baseline_version"], operator=row["operator"], recorded=row["recorded"],
        status=row["status"], accepted_by=row["accepted_by"], accepted=row["accepted"])


def list_changes(store: Store, zone: ZoneInfo, since: date | None = None, until: date | None = None,
                 status: str | None = None) -> list[OnsiteChange]:
    """On-site changes recorded from the site-local day `since` (to before `until`), oldest first."""
    where, params = ["1 = 1"], []
    if since is not None:
        where.append("c.recorded >= ?")
        params.append(day_bounds(since, zone)[0])
    if until is not None:
        where.append("c.recorded < ?")
        params.append(day_bounds(until, zone)[0])
    if status is not None:
        where.append("c.status = ?")
        params.append(status)
    rows = store.read(f"SELECT c.*, i.title AS issue_title FROM {TABLE} c LEFT JOIN issues i ON i.id = c.issue_id "
                      f"WHERE {' AND '.join(where)} ORDER BY c.id", params)
    return [_from_row(r, {r["issue_id"]: r["issue_title"] or ""}) for r in rows]


def get_change(store: Store, change_id: int) -> OnsiteChange:
    rows = store.read(f"SELECT c.*, i.title AS issue_title FROM {TABLE} c LEFT JOIN issues i ON i.id = c.issue_id "
                      "WHERE c.id = ?", [change_id])
    if not rows:
        raise UsageError(phrase("error.onsite_no_change", id=change_id), hint=phrase("error.onsite_no_change_hint"))
    return _from_row(rows[0], {rows[0]["issue_id"]: rows[0]["issue_title"] or ""})


def applied_text(text: str, shown: str, changes: list[OnsiteChange]) -> str:
    """The baseline file's text with every change's item set to what the site holds."""
    for change in changes:
        text = set_item(text, shown, change.kind, change.key, change.site_value)
    return text


def baseline_file(root: Path, change: OnsiteChange, given: Path | None) -> Path:
    path = given if given is not None else root / change.baseline
    if path.suffix.lower() not in (".yaml", ".yml") or not path.is_file():
        raise UsageError(phrase("error.onsite_not_yaml", path=str(path)), hint=phrase("error.onsite_not_yaml_hint"))
    return path


def patch(root: Path, changes: list[OnsiteChange], given: Path | None = None) -> str:
    """A unified diff (`git apply` / `patch -p1` in the workspace) that takes the changes into
    their baseline files; changes to different files give one diff per file."""
    by_file: dict[Path, list[OnsiteChange]] = {}
    for change in changes:
        by_file.setdefault(baseline_file(root, change, given), []).append(change)
    out: list[str] = []
    for path, held in by_file.items():
        shown = _relative(path, root)
        before = path.read_text(encoding="utf-8")
        after = applied_text(before, shown, held)
        out += difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                    f"a/{shown}", f"b/{shown}")
    return "".join(out)


class AcceptFailed(LaunchpadError):
    """The edited baseline would not read back with the site's item: nothing was written."""

    title = "change not accepted"


def accept_change(store: Store, root: Path, change_id: int, actor: str, audit: AuditFn,
                  given: Path | None = None) -> tuple[OnsiteChange, Path | None]:
    """The baseline file takes the site's item (only its lines change), checked by reading the
    file back; then the change is marked accepted and audited. A change accepted before is
    left as it is: (the change, None), nothing to do, like a fix with nothing to fix."""
    change = get_change(store, change_id)
    if change.status == "accepted":
        return change, None
    path = baseline_file(root, change, given)
    shown = _relative(path, root)
    before = path.read_text(encoding="utf-8")
    after = applied_text(before, shown, [change])

    def holds_the_change(written: Path) -> None:
        taken = load_baseline(written, shown)
        if site_value(taken, change.kind, change.key) != change.site_value:
            raise AcceptFailed(phrase("error.onsite_not_held", file=shown, id=change.difference,
                                      env=change.environment),
                               hint=phrase("error.onsite_not_held_hint"))

    try:
        write_complete(path, after.encode("utf-8"), mode=path.stat().st_mode & 0o777, check=holds_the_change)
    except OSError as exc:
        raise AcceptFailed(phrase("error.onsite_cannot_write", file=shown, reason=os_reason(exc)),
                           hint=phrase("error.onsite_cannot_write_hint")) from None
    with store.transaction():
        store.db.execute(f"UPDATE {TABLE} SET status = 'accepted', accepted_by = ?, accepted = ? WHERE id = ?",
                         [actor, utc_now(), change_id])
    audit("baseline_change_accepted", f"{change.environment}/{change.difference}",
          {"change": change_id, "file": shown, "issue": change.issue_id})
    return get_change(store, change_id), path


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
