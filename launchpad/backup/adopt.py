"""Backups whose file is complete but whose row is missing, and taking them back into the store.

A backup is renamed into place, its manifest written, and only then its row inserted. A
`kill -9` (or a power cut) between the rename and the insert leaves a whole, checked dump that
the store does not know: never a recorded incomplete one, but a good backup nobody would find
at 23:00. The manifest beside the file is written only after the dump passed its completeness
check, so a file whose size and sha256 still equal its manifest's is exactly the backup that
was about to be recorded; anything else (no manifest, a different checksum) is reported and
left alone for a person to look at.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launchpad.backup import records
from launchpad.backup.records import BackupRecord, manifest_path_for
from launchpad.backup.session import BackupSession
from launchpad.backup.take import MANIFEST_FORMAT
from launchpad.backup.verify import file_sha256
from launchpad.phrases import Said, dumps, phrase
from launchpad.sitetime import utc_now
from launchpad.store.db import Store

_NOT_COLUMNS = ("format", "launchpad", "check")


@dataclass(frozen=True)
class Unrecorded:
    path: Path
    relative: str  # as the store would name it, relative to the backups folder
    manifest: dict[str, Any] | None
    problem: Said  # why it cannot be adopted as it is; "" when it can


def find_unrecorded(store: Store, backups_dir: Path, *, check: bool = True) -> list[Unrecorded]:
    """Files in ENV/TARGET/ folders that no backup row names (manifests and partials aside);
    with `check`, whether each matches its manifest (which reads the whole file)."""
    if not backups_dir.is_dir():
        return []
    with store.lock:
        rows = list(store.db.query("SELECT id, uid, file FROM backups"))
    known = {row["file"] for row in rows}
    # A copy of a recorded backup (file and manifest) under another name is that backup, not a new one.
    uids = {row["uid"]: phrase("adopt.already_recorded", id=row["id"], file=row["file"]) for row in rows}
    found = []
    for path in sorted(backups_dir.glob("*/*/*")):
        if not path.is_file() or path.name.startswith(".") or path.name.endswith(".json"):
            continue
        relative = path.relative_to(backups_dir).as_posix()
        if relative not in known:
            manifest = _read_manifest(manifest_path_for(path))
            problem = _problem(path, manifest) if check else "unchecked"
            if not problem and manifest is not None:
                problem = uids.get(manifest.get("uid"), "")
            found.append(Unrecorded(path, relative, manifest, problem))
    return found


def adopt(session: BackupSession, found: Unrecorded) -> BackupRecord:
    """Record a file that matches its manifest, as the interrupted backup would have."""
    if found.problem or found.manifest is None:
        raise ValueError(f"{found.relative} cannot be adopted: {found.problem}")
    row = {key: value for key, value in found.manifest.items() if key not in _NOT_COLUMNS}
    checked = phrase("check.adopted")
    row.update(file=found.relative, verified_at=utc_now(), verify_status="ok", verify_detail=str(checked),
               verify_phrase=dumps(checked))
    record = records.insert_backup(session.store, row)
    session.audit("backup_adopted", f"{record.environment}/{record.target}",
                  {"backup": record.id, "file": record.file, "sha256": record.sha256})
    return record


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _problem(path: Path, manifest: dict[str, Any] | None) -> Said:
    if manifest is None:
        return phrase("adopt.no_manifest")
    if manifest.get("format") != MANIFEST_FORMAT or manifest.get("file") != path.name:
        return phrase("adopt.other_manifest")
    if path.stat().st_size != manifest.get("size"):
        return phrase("adopt.size", size=path.stat().st_size, recorded=manifest.get("size"))
    if file_sha256(path) != manifest.get("sha256"):
        return phrase("adopt.sha256")
    return ""
