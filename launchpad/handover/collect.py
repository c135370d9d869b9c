"""What the next engineer must know when the shift changes, read from the store and the
workspace as they are now: runs still going or interrupted (to resume or to explain), user
imports that did not finish or were not handed out (plain passwords kept until then), what waits
for a person's sign-off or a reviewer's approval, today's and tonight's releases and any still in
progress, open P0/P1 issues, backups older than a day (or none at all), late go-live items, and
critical go-live items set aside as not applicable (who, when, why: go-live no longer waits for
them, and the next engineer answers for that decision too).

One use case both front ends call (`collect_handover`); each entry carries a phrase for people
and the plain facts for `--json`. Titles, owners and versions are people's words: they stay
inside the phrase's parameters, and each writer makes them inert for its format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from launchpad.durations import said_duration
from launchpad.phrases import Phrase, phrase, render

if TYPE_CHECKING:
    from launchpad.session import Session
    from launchpad.store.db import Store

SECTIONS = ("runs", "imports", "pending", "releases", "issues", "backups", "golive", "set_aside")
URGENT = ("P0", "P1")


@dataclass(frozen=True)
class Entry:
    said: Phrase
    facts: dict[str, Any]


@dataclass(frozen=True)
class Handover:
    site: str
    at: datetime  # site time
    actor: str
    sections: dict[str, list[Entry]] = field(default_factory=dict)

    @property
    def clear(self) -> bool:
        return not any(self.sections.values())

    def as_dict(self, lang: str) -> dict[str, Any]:
        return {"site": self.site, "at": self.at.isoformat(timespec="minutes"), "actor": self.actor,
                "sections": {name: [{"text": render(e.said, lang), **e.facts} for e in entries]
                             for name, entries in self.sections.items()}}


def collect_handover(session: Session, lang: str | None = None) -> Handover:
    """Everything the next engineer must know now; `lang` names issue statuses (default: the site's)."""
    store = session.store()
    now = session.now().astimezone(session.site.tz)
    sections = {
        "runs": _runs(session, store),
        "imports": _imports(session, store),
        "pending": _pending(session, store, now),
        "releases": _releases(session, store),
        "issues": _issues(store, lang or session.language),
        "backups": _backups(session, store, now),
        "golive": [],
        "set_aside": [],
    }
    golive_pending, golive_late, set_aside = _golive(session, store, now)
    sections["pending"] += golive_pending
    sections["golive"] = golive_late
    sections["set_aside"] = set_aside
    return Handover(session.site.site.name, now, session.actor, sections)


def _runs(session: Session, store: Store) -> list[Entry]:
    from launchpad.sitetime import local_text
    from launchpad.store.db import as_shown

    rows = [as_shown(row) for row in store.read(
        "SELECT * FROM runs WHERE status IN ('running', 'interrupted') ORDER BY id", [])]
    return [Entry(phrase("handover.run", id=row["id"], playbook=row["playbook"], env=row["environment"],
                         status=phrase(f"status.{row['status']}"), started=local_text(row["started"], session.site.tz),
                         operator=row["operator"] or ""),
                  {"run": row["id"], "playbook": row["playbook"], "environment": row["environment"],
                   "status": row["status"]}) for row in rows]


def _imports(session: Session, store: Store) -> list[Entry]:
    """User imports that did not finish (to finish or roll back) and applied imports whose
    hand-out was not written: both keep plain passwords in the import's hand-out folder, which
    the next engineer must know of and close."""
    from launchpad.store.owner import owner_of
    from launchpad.users.handout_kept import passwords_kept
    from launchpad.users.hashing_progress import FILE_NAME, kept_passwords

    entries = []
    for row in store.read("SELECT * FROM user_imports WHERE status IN ('applying', 'applied') ORDER BY id", []):
        kept = passwords_kept(session.workspace.root, row)
        facts = {"import": row["id"], "environment": row["environment"], "file": row["file_name"],
                 "status": row["status"], "passwords_kept": None if kept is None else str(kept)}
        said = {"id": row["id"], "file": row["file_name"], "env": row["environment"]}
        if row["status"] == "applied":
            if kept is not None:
                entries.append(Entry(phrase("handover.import_owed", **said, folder=str(kept)), facts))
            continue
        running = owner_of(row) in ("alive", "remote")
        # What is kept, exactly: the plain passwords hashed so far, in one file; `users abandon`
        # discards them when nobody will finish the import.
        said["kept"] = "" if kept is None else phrase("handover.passwords_kept", file=str(kept / FILE_NAME),
                                                        count=len(kept_passwords(kept)))
        now = phrase("handover.import_running", **said, pid=row["pid"], host=row["hostname"]) if running \
            else phrase("handover.import_unfinished", **said)
        entries.append(Entry(now, {**facts, "running": running}))
    return entries


def _pending(session: Session, store: Store, now: datetime) -> list[Entry]:
    """Releases still waiting for the client's reviewer, whose window has not ended."""
    from launchpad.release.record import Release
    from launchpad.sitetime import to_stamp

    rows = store.read("SELECT * FROM releases WHERE status = 'planned' AND window_end > ? ORDER BY window_start",
                      [to_stamp(now)])
    entries = []
    for release in map(Release.from_row, rows):
        entries.append(Entry(phrase("handover.pending_release", id=release.id, version=release.version,
                                    window=release.window_text(session.site)),
                             {"release": release.id, "version": release.version, "status": release.status}))
    return entries


def _releases(session: Session, store: Store) -> list[Entry]:
    """Today's and tonight's releases, and every release still in progress whatever its window:
    one left 发布中 (a run that stopped, a rollback not finished) is the next engineer's. Each
    reads where it stands (release/standing.py): one whose switch was declined says so, who
    declined it and when, and how to go on or give it up."""
    from launchpad.release.record import Release, releases_between
    from launchpad.release.standing import release_standing
    from launchpad.sitetime import day_bounds

    start, end = day_bounds(session.today(), session.site.tz)
    today = releases_between(store, start, end)
    listed = {r.id for r in today}
    going = [r for r in map(Release.from_row, store.read(
        "SELECT * FROM releases WHERE status = 'in_progress' ORDER BY window_start, id", [])) if r.id not in listed]
    entries = []
    for r in going + today:
        standing = release_standing(store, r)
        declined = standing.declined_by(session.site.tz)
        said = {"id": r.id, "version": r.version, "window": r.window_text(session.site), "status": standing.word,
                "owner": r.owner}
        entries.append(Entry(phrase("handover.release", **said) if declined is None
                             else phrase("handover.release_stopped", **said, declined=declined),
                             {"release": r.id, "version": r.version, "status": r.status,
                              "window": r.window_text(session.site), **standing.facts()}))
    return entries


def _issues(store: Store, lang: str) -> list[Entry]:
    from launchpad.issues.display import value_label
    from launchpad.issues.query import OPEN_SQL

    rows = store.read(f"SELECT id, severity, title, owner, due, status FROM issues WHERE status IN {OPEN_SQL} "
                      "AND severity IN ('P0', 'P1') ORDER BY severity, due IS NULL, due, id", [])
    return [Entry(phrase("handover.issue", id=row["id"], severity=row["severity"], title=row["title"],
                         owner=row["owner"] or "—", due=row["due"] or "—", status=value_label(row["status"], lang)),
                  {"issue": row["id"], "severity": row["severity"], "status": row["status"]}) for row in rows]


def _backups(session: Session, store: Store, now: datetime) -> list[Entry]:
    """Every backup target whose newest usable backup is older than a day, or missing."""
    from launchpad.backup.freshness import FRESH_FOR, finished_at, newest_usable

    entries = []
    for env_name, environment in session.site.environments.items():
        for target in environment.backups:
            newest = newest_usable(store, session.workspace.backups_dir, env_name, target)
            if newest is None:
                entries.append(Entry(phrase("handover.backup_none", env=env_name, target=target),
                                     {"environment": env_name, "target": target, "backup": None}))
                continue
            age = now - finished_at(newest)
            if age >= FRESH_FOR:
                entries.append(Entry(phrase("handover.backup_old", env=env_name, target=target, id=newest.id,
                                            age=said_duration(age, "hour")),
                                     {"environment": env_name, "target": target, "backup": newest.id,
                                      "hours": int(age.total_seconds() // 3600)}))
    return entries


def _golive(session: Session, store: Store, now: datetime) -> tuple[list[Entry], list[Entry], list[Entry]]:
    """Go-live items waiting for a sign-off, late items, and critical items set aside as not
    applicable; none without golive.yaml."""
    from launchpad.golive.checklist import CHECKLIST_FILE, SignOffProof, load_checklist
    from launchpad.golive.progress import evaluate, item_named, owner_name, playbook_titles
    from launchpad.golive.set_aside import set_aside_said
    from launchpad.run.playbook import list_playbooks

    root = session.workspace.root
    if not (root / CHECKLIST_FILE).is_file():
        return [], [], []
    names = {path.stem for path in list_playbooks(root)}
    checklist = load_checklist(root, session.site, names)
    today = now.date()
    progress = evaluate(checklist, session.site, store, session.workspace.backups_dir, today=today, now=now,
                        titles=playbook_titles(root, checklist))
    pending, late = [], []
    for p in progress.items:
        owner = owner_name(session.site, p.item.owner)
        facts = {"item": p.item.id, "state": p.state, "due": p.item.due.isoformat()}
        if isinstance(p.item.proof, SignOffProof) and p.state == "open":
            pending.append(Entry(phrase("handover.pending_golive", item=item_named(p.item), owner=owner,
                                        due=p.item.due.isoformat()), facts))
        if p.late:
            days = (today - p.item.due).days
            key = "handover.golive_item_one" if days == 1 else "handover.golive_item"
            late.append(Entry(phrase(key, item=item_named(p.item), owner=owner, due=p.item.due.isoformat(),
                                     days=days), facts))
    set_aside = [Entry(set_aside_said(item, aside),
                       {"item": item.id, "state": "not_applicable", "reason": item.reason, "by": aside.by,
                        "at": aside.as_dict(item)["at"]}) for item, aside in progress.set_aside]
    return pending, late, set_aside
