"""What proves an item, found in the store: the newest finished run of a playbook, verified
backups, the newest user import applied, a release done, a sign-off. Nothing here is ticked by hand, so an item
reopens by itself when a later run fails, a backup grows old or an import is rolled back.

Sign-offs are audit entries (`golive_signed`): the audit log is append-only and hash-chained,
so a sign-off is in the store exactly once, with who, when and the note, and cannot be edited
away. A sign-off counts for the checklist's version it was given for: a new version going live
is signed again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from launchpad.backup.freshness import parse_age, said_age
from launchpad.golive.checklist import (
    BackupProof,
    BaselineProof,
    Checklist,
    ImportProof,
    Item,
    PlaybookProof,
    ReleaseProof,
    SignOffProof,
)
from launchpad.phrases import Phrase, phrase, status_word
from launchpad.store.db import Store, as_shown

SIGNED = "golive_signed"
# A run still going proves nothing yet and disproves nothing either: the newest finished one decides.
_UNDECIDED = ("running",)


@dataclass(frozen=True)
class Finding:
    """Whether an item's proof holds, in words, and what it rests on (a run, backups, a sign-off)."""

    holds: bool
    said: Phrase
    evidence: dict[str, Any] = field(default_factory=dict)


def find_proof(item: Item, store: Store, version: str, now: datetime, backups_dir: Path,
               backup_targets: list[str], titles: Mapping[str, str] | None = None) -> Finding | None:
    """None for an item without a proof: its status is what people wrote. `titles` names a
    playbook by its title (the id when it has none)."""
    proof = item.proof
    if isinstance(proof, PlaybookProof):
        return _run_proof(proof, store, now, (titles or {}).get(proof.playbook) or proof.playbook)
    if isinstance(proof, BackupProof):
        return _backup_proof(proof, store, now, backups_dir, backup_targets)
    if isinstance(proof, ImportProof):
        return _import_proof(proof, store)
    if isinstance(proof, ReleaseProof):
        return _release_proof(proof, store)
    if isinstance(proof, BaselineProof):
        return _baseline_proof(proof, store)
    if isinstance(proof, SignOffProof):
        return _sign_off(item.id, store, version)
    return None


def _run_proof(proof: PlaybookProof, store: Store, now: datetime, title: str) -> Finding:
    rows = store.read("SELECT * FROM runs WHERE playbook = ? AND environment = ? ORDER BY id DESC",
                      [proof.playbook, proof.env])
    finished = [r for r in map(as_shown, rows) if r["status"] not in _UNDECIDED]
    if not finished:
        return Finding(False, phrase("golive.no_run", playbook=title, env=proof.env))
    run = finished[0]
    evidence = {"run": run["id"], "status": run["status"], "finished": run.get("finished")}
    if run["status"] != "passed":
        return Finding(False, phrase("golive.run_not_passed", playbook=title, env=proof.env,
                                     run=run["id"], status=status_word(run["status"])), evidence)
    if proof.max_age and now - datetime.fromisoformat(run["finished"]) >= parse_age(proof.max_age):
        return Finding(False, phrase("golive.run_stale", playbook=title, env=proof.env,
                                     run=run["id"], age=said_age(proof.max_age)), evidence)
    return Finding(True, phrase("golive.run_passed", playbook=title, env=proof.env, run=run["id"]),
                   evidence)


def _backup_proof(proof: BackupProof, store: Store, now: datetime, backups_dir: Path,
                  backup_targets: list[str]) -> Finding:
    from launchpad.backup.freshness import usable
    from launchpad.backup.records import list_backups

    names = proof.targets if proof.targets is not None else backup_targets
    if not names:
        return Finding(False, phrase("gate.no_backup_targets", env=proof.backup))
    limit = parse_age(proof.max_age)
    found, missing = {}, []
    for name in names:
        fresh = next((b for b in list_backups(store, proof.backup, name)
                      if now - datetime.fromisoformat(b.finished) < limit and usable(b, backups_dir)), None)
        if fresh is None:
            missing.append(name)
        else:
            found[name] = fresh.id
    if missing:
        return Finding(False, phrase("golive.backup_missing", env=proof.backup, age=said_age(proof.max_age),
                                     targets=missing), {"backups": found})
    listed = [phrase("gate.backup_ref", target=name, id=backup_id) for name, backup_id in found.items()]
    return Finding(True, phrase("golive.backup_fresh", env=proof.backup, age=said_age(proof.max_age),
                                backups=listed), {"backups": found})


def _import_proof(proof: ImportProof, store: Store) -> Finding:
    """The newest import decides: one rolled back after an applied one reopens the item."""
    env, file = proof.import_, proof.file or ""
    query = "SELECT id, status, file_name, rows, finished FROM user_imports WHERE environment = ?"
    params: list[Any] = [env]
    if file:
        query, params = query + " AND file_name = ?", [*params, file]
    rows = store.read(query + " ORDER BY id DESC LIMIT 1", params)
    if not rows:
        return Finding(False, phrase("golive.no_import_of", env=env, file=file) if file
                       else phrase("golive.no_import", env=env))
    newest = rows[0]
    evidence = {"import": newest["id"], "status": newest["status"], "file": newest["file_name"]}
    if newest["status"] != "applied":
        return Finding(False, phrase("golive.import_not_applied", env=env, id=newest["id"],
                                     file=newest["file_name"], status=status_word(newest["status"])), evidence)
    return Finding(True, phrase("golive.import_applied", env=env, id=newest["id"], file=newest["file_name"],
                                rows=newest["rows"]), evidence)


def _release_proof(proof: ReleaseProof, store: Store) -> Finding:
    """The newest record of the version decides: rolled back or cancelled after a release
    reopens the item."""
    rows = store.read("SELECT id, status FROM releases WHERE version = ? ORDER BY id DESC LIMIT 1", [proof.release])
    if not rows:
        return Finding(False, phrase("golive.no_release", version=proof.release))
    newest = rows[0]
    evidence = {"release": newest["id"], "status": newest["status"]}
    if newest["status"] != "released":
        from launchpad.release.record import get_release
        from launchpad.release.standing import release_standing

        # As people read it: a release whose switch was declined is stopped, not 发布中.
        standing = release_standing(store, get_release(store, int(newest["id"])))
        return Finding(False, phrase("golive.release_not_done", version=proof.release, id=newest["id"],
                                     status=standing.word), evidence)
    return Finding(True, phrase("golive.release_done", version=proof.release, id=newest["id"]), evidence)


def _baseline_proof(proof: BaselineProof, store: Store) -> Finding:
    """The newest comparison of the environment against the baseline decides (one between two
    environments, whose reference version reads `ENV@time`, is not against the baseline)."""
    env, kinds = proof.baseline, proof.kinds
    rows = store.read("SELECT id, reference_version, differences FROM baseline_comparisons WHERE environment = ? "
                      "AND reference_version NOT LIKE reference || '@%' ORDER BY id DESC LIMIT 1", [env])
    if not rows:
        return Finding(False, phrase("golive.no_baseline_diff", env=env))
    newest = rows[0]
    found = [d for d in json.loads(newest["differences"]) if kinds is None or d.get("kind") in kinds]
    evidence = {"comparison": newest["id"], "version": newest["reference_version"], "differences": len(found)}
    if found:
        return Finding(False, phrase("golive.baseline_drift", env=env, id=newest["id"], count=len(found),
                                     version=newest["reference_version"]), evidence)
    return Finding(True, phrase("golive.baseline_clean", env=env, id=newest["id"],
                                version=newest["reference_version"]), evidence)


def _sign_off(item_id: str, store: Store, version: str) -> Finding:
    for entry in sign_offs(store, item_id):
        if entry["version"] == version:
            said = (phrase("manual.signed_note", by=entry["by"], note=entry["note"]) if entry["note"]
                    else phrase("manual.signed", by=entry["by"]))
            return Finding(True, said, {"signed": entry})
    return Finding(False, phrase("manual.not_signed"))


def sign_offs(store: Store, item_id: str) -> list[dict[str, Any]]:
    """Sign-offs of an item, newest first: by, note, version, at."""
    rows = store.read("SELECT at, detail FROM audit WHERE action = ? AND target = ? ORDER BY id DESC",
                      [SIGNED, item_id])
    signed = []
    for row in rows:
        detail = json.loads(row["detail"]) if isinstance(row["detail"], str) else row["detail"]
        signed.append({"by": detail.get("by", ""), "note": detail.get("note", ""),
                       "version": detail.get("version"), "at": row["at"]})
    return signed


def sign_item(store: Store, actor: str, checklist: Checklist, item_id: str, by: str, note: str) -> Item:
    """Sign off an item proved by a sign-off, for `launchpad golive sign` and the TUI alike:
    an unknown item, one a run or backup proves, a blank signer and a critical item without a
    note are refused (UsageError) and nothing is written."""
    from launchpad.errors import UsageError
    from launchpad.golive.checklist import CHECKLIST_FILE

    item = checklist.item(item_id)
    if item is None:
        items = [i.id for i in checklist.items] or phrase("rule.none")
        raise UsageError(phrase("error.mark_no_item", item=item_id, file=CHECKLIST_FILE),
                         hint=phrase("error.mark_no_item_hint", items=items))
    if not isinstance(item.proof, SignOffProof):
        raise UsageError(phrase("error.sign_not_sign_off_proved" if item.proof is not None else "error.sign_no_proof",
                                item=item_id),
                         hint=phrase("error.sign_no_proof_hint", file=CHECKLIST_FILE))
    if not by.strip():
        raise UsageError(phrase("manual.no_signer"), hint=phrase("error.sign_by_hint"))
    if item.critical and not note.strip():
        raise UsageError(phrase("error.sign_critical", item=item_id), hint=phrase("error.sign_critical_hint"))
    record_sign_off(store, actor, item, checklist.version, by.strip(), note.strip())
    return item


def record_sign_off(store: Store, actor: str, item: Item, version: str, by: str, note: str) -> None:
    """The sign-off, as the audit entry `sign_offs` reads back."""
    store.audit(actor, SIGNED, item.id, {"by": by, "note": note, "version": version, "title": item.title})

