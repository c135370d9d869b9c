"""The release record: what a release changes, when (a planned window inside the client's
window), its impact, the feedback issues it fixes, how it is rolled back and who owns it — and
where it stands: planned → approved → in progress → released / rolled back, or cancelled.

Every change of status is a row of `release_changes` and an audit entry, written in one
transaction with the record itself, so the store and the audit log never disagree about where a
release stands. People's words (changes, impact, the rollback plan) are kept as typed; every
writer that shows them goes through `launchpad.safetext`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, NoReturn

from launchpad.errors import Refusal, UsageError
from launchpad.phrases import Phrase, Said, parts, phrase
from launchpad.release.window import PlannedWindow
from launchpad.sitetime import local_moment, to_stamp, utc_now
from launchpad.store.db import Store
from launchpad.workspace.site import Site

STATUSES = ("planned", "approved", "in_progress", "released", "rolled_back", "cancelled")
FINISHED = ("released", "rolled_back", "cancelled")
# Where a release may go next. Approval comes only through `approve_release` (it records the
# reviewer); `in_progress` only from `approved`, so an unreviewed release never starts.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "planned": ("approved", "cancelled"),
    "approved": ("in_progress", "cancelled"),
    "in_progress": ("released", "rolled_back"),
    "released": (),
    "rolled_back": (),
    "cancelled": (),
}
REQUIRED = ("version", "changes", "impact", "rollback_plan", "owner")
# A version label as packages, playbook variables and the client's notices name it: ASCII
# letters and digits, single marks between them (`V2.3.1-hotfix`, `2.3.1+build.7`), never
# `1..2`, `=1+1`, a mark left at the end (`1.2.`, `v3+`), a space or a control character.
VERSION_LIMIT = 64
_VERSION = re.compile(r"[A-Za-z0-9](?:[._+-]?[A-Za-z0-9])*")


class ReleaseRefused(Refusal):
    """A release moved where its state does not allow (started without a reviewer, approved
    without a test report): refused, never an ordinary failure (exit 4)."""

    title = "release refused"


@dataclass(frozen=True)
class ReleaseDraft:
    version: str
    changes: str
    impact: str
    rollback_plan: str
    owner: str
    window: PlannedWindow
    fixes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Release:
    id: int
    version: str
    changes: str
    impact: str
    window_name: str
    window_start: str  # UTC stamps
    window_end: str
    fixes: tuple[int, ...]
    rollback_plan: str
    owner: str
    status: str
    created: str
    created_by: str
    updated: str
    approved_by: str | None = None
    approved_at: str | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Release:
        values = {name: row[name] for name in cls.__dataclass_fields__ if name in row and name != "fixes"}
        return cls(**values, fixes=tuple(json.loads(row["fixes"] or "[]")))

    def start(self, site: Site) -> datetime:
        return local_moment(self.window_start, site.tz)

    def end(self, site: Site) -> datetime:
        return local_moment(self.window_end, site.tz)

    def window_text(self, site: Site) -> str:
        return PlannedWindow(self.window_name, self.start(site), self.end(site)).text()

    def as_dict(self, site: Site) -> dict[str, Any]:
        data = asdict(self)
        data["fixes"] = list(self.fixes)
        data["window"] = self.window_text(site)
        return data


def check_version(version: str) -> None:
    """Refuse a version that is not a plausible version label (see `_VERSION`), for every
    front end: `release new` asks it first, and every record is checked again before it is written."""
    text = version.strip()
    if len(text) > VERSION_LIMIT or not _VERSION.fullmatch(text):
        # repr: a control character or a trailing space is shown, never acted on by the terminal
        raise UsageError(phrase("error.release_bad_version", version=repr(text), limit=VERSION_LIMIT),
                         hint=phrase("error.release_bad_version_hint"))


def check_draft(store: Store, draft: ReleaseDraft) -> None:
    """Refuse a record that would mislead: a blank field, a version that is no version label,
    or a fixed issue the log lacks."""
    blank = [name.replace("_", " ") for name in REQUIRED if not str(getattr(draft, name)).strip()]
    if blank:
        raise UsageError(phrase("error.release_needs", fields=blank),
                         hint=phrase("error.release_needs_hint"))
    check_version(draft.version)
    if draft.fixes:
        marks = ", ".join("?" for _ in draft.fixes)
        known = {row["id"] for row in store.read(f"SELECT id FROM issues WHERE id IN ({marks})", list(draft.fixes))}
        missing = [str(n) for n in draft.fixes if n not in known]
        if missing:
            raise UsageError(phrase("error.release_no_issue", ids=missing),
                             hint=phrase("error.release_no_issue_hint"))


def create_release(store: Store, actor: str, draft: ReleaseDraft) -> Release:
    check_draft(store, draft)
    now = utc_now()
    row = {
        "version": draft.version.strip(), "changes": draft.changes.strip(), "impact": draft.impact.strip(),
        "window_name": draft.window.name, "window_start": to_stamp(draft.window.start),
        "window_end": to_stamp(draft.window.end), "fixes": json.dumps(list(draft.fixes)),
        "rollback_plan": draft.rollback_plan.strip(), "owner": draft.owner.strip(), "status": "planned",
        "created": now, "created_by": actor, "updated": now,
    }
    with store.transaction():
        release_id = int(store.db.table("releases").insert(row).last_pk or 0)
        _change(store, release_id, None, "planned", actor, "", now)
        store.audit(actor, "release_recorded", f"release {release_id}",
                    {"version": row["version"], "window": draft.window.text(), "window_name": draft.window.name,
                     "fixes": list(draft.fixes), "owner": row["owner"]})
    return get_release(store, release_id)


def get_release(store: Store, release_id: int) -> Release:
    rows = store.read("SELECT * FROM releases WHERE id = ?", [release_id])
    if not rows:
        raise UsageError(phrase("error.no_release", id=release_id), hint=phrase("error.no_release_hint"))
    return Release.from_row(rows[0])


def release_named(store: Store | None, value: str) -> Release | Phrase:
    """The release a playbook step names (its `release:` rendered), or why there is none to
    act on: not a number, or no such record in this workspace."""
    if not value.isdigit():
        return phrase("release.gate_no_id", value=value)
    if store is None:
        return phrase("release.gate_unknown", id=value)
    try:
        return get_release(store, int(value))
    except UsageError:
        return phrase("release.gate_unknown", id=value)


def list_releases(store: Store, limit: int = 50) -> list[Release]:
    rows = store.read("SELECT * FROM releases ORDER BY window_start DESC, id DESC LIMIT ?", [limit])
    return [Release.from_row(row) for row in rows]


def releases_between(store: Store, start: str, end: str) -> list[Release]:
    """Releases whose planned window overlaps [start, end) (UTC stamps), earliest first."""
    rows = store.read("SELECT * FROM releases WHERE window_start < ? AND window_end > ? "
                      "ORDER BY window_start, id", [end, start])
    return [Release.from_row(row) for row in rows]


def history(store: Store, release_id: int) -> list[dict[str, Any]]:
    return store.read("SELECT * FROM release_changes WHERE release_id = ? ORDER BY id", [release_id])


def move_release(store: Store, actor: str, release_id: int, target: str, note: str = "",
                 extra: dict[str, Any] | None = None) -> Release:
    """Move a release to `target`, if its state allows; recorded and audited in one go."""
    if target not in STATUSES:
        raise UsageError(phrase("release.no_status", status=target),
                         hint=phrase("release.statuses_hint", names=list(STATUSES)))
    refused: Release | None = None
    with store.transaction():
        current = get_release(store, release_id)
        if target in TRANSITIONS[current.status]:
            now = utc_now()
            store.db.table("releases").update(release_id, {"status": target, "updated": now, **(extra or {})})
            _change(store, release_id, current.status, target, actor, note.strip(), now)
            store.audit(actor, "release_status", f"release {release_id}",
                        {"from": current.status, "to": target, "note": note.strip(), **(extra or {})})
        else:
            refused = current
    if refused is not None:
        # Audited outside the transaction above: a refusal is a decision that stays on record.
        refuse(store, actor, refused, target)
    return get_release(store, release_id)


def refuse(store: Store, actor: str, release: Release, target: str, why: Said = "", hint: Said = "") -> NoReturn:
    """Audit a refused move and raise it (`hint`: what to do, when the state's next step is not it)."""
    store.audit(actor, "release_refused", f"release {release.id}",
                {"from": release.status, "to": target, **({"why": str(why)} if why else {})})
    cannot = phrase("release.cannot_become", id=release.id, status=_named(release.status), target=_named(target))
    raise ReleaseRefused(why or cannot, hint=hint or _next_hint(release))


def bare_version(version: str) -> str:
    """`v1.1.0` → `1.1.0`: the version as package files and playbook variables write it."""
    return version[1:] if version[:1] in ("v", "V") else version


def same_version(given: str, recorded: str) -> bool:
    """`given` names the recorded version: as recorded, or without the record's leading v
    (records are often written `v1.1.0`; package files and playbook variables are `1.1.0`).
    Never with a v the record lacks: the playbook would look for `portal-v1.3.0.tar.gz`."""
    bare = bare_version(recorded)
    return given == recorded or given == bare != recorded


def _named(status: str) -> Phrase:
    return phrase(f"release.status.{status}")


def _next_hint(release: Release) -> Phrase:
    if release.status == "planned":
        return phrase("release.approve_first_hint", id=release.id)
    allowed = TRANSITIONS[release.status]
    if allowed:
        return phrase("release.can_become_hint", status=_named(release.status),
                      allowed=parts([_named(status) for status in allowed]))
    return phrase("release.finished_hint")


def _change(store: Store, release_id: int, source: str | None, target: str, actor: str, note: str, at: str) -> None:
    store.db.table("release_changes").insert({"release_id": release_id, "from_status": source, "to_status": target,
                                              "actor": actor, "note": note, "at": at})
