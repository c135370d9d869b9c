"""The hand-out of an import that was applied but whose hand-out could not be written (a full
disk, a folder gone read-only), written later from the passwords kept in its folder.

The import keeps every password it hashed in its hand-out folder until the hand-out is written
(hashing_progress.py), and the file is synced before the first batch is sent: so when the
hand-out fails after the users went in, their passwords are still there. `users handout ID`
writes the hand-out from them once there is room — the users need no password reset — and
the file is removed, as after any hand-out. A user the import inserted whose password is not
in the file (removed with `--remove`) is returned for `users handout ID --reset`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launchpad.oserrors import os_reason
from launchpad.phrases import phrase
from launchpad.store.db import Store
from launchpad.users import records
from launchpad.users.annotate import CannotWrite
from launchpad.users.handout import AuditFn, handout_dir, people_from_kept, write_handouts
from launchpad.users.hashing_progress import FILE_NAME, kept_passwords, remove_progress


@dataclass
class KeptHandout:
    files: list[Path] = field(default_factory=list)
    without_password: list[str] = field(default_factory=list)  # for `users handout ID --reset`


def passwords_kept(root: Path, record: dict[str, Any]) -> Path | None:
    """The folder where the import (its record) keeps plain passwords it hashed and has not
    handed out, or None. An import still applying keeps them for its resume; one applied, when
    its hand-out could not be written. Rolling back removes them."""
    folder = handout_dir(root, int(record["id"]))
    return folder if record["status"] in ("applying", "applied") and (folder / FILE_NAME).is_file() else None


def handout_owed(root: Path, record: dict[str, Any]) -> bool:
    """Whether the import (its record) was applied and its passwords are still kept, not handed
    out: the hand-out failed after the users went in. An import still applying keeps them for
    its resume, and is not owed one."""
    return record["status"] == "applied" and passwords_kept(root, record) is not None


def handout_from_kept(store: Store, root: Path, import_id: int, audit: AuditFn) -> KeptHandout:
    """Write the hand-out of the users import `import_id` inserted and did not hand out yet, from
    the kept passwords; then remove them, as after any hand-out."""
    folder = handout_dir(root, import_id)
    inserted = [row for row in records.import_rows(store, import_id)
                if row["action"] == "insert" and row["done"] == 1]  # committed, no hand-out yet
    people, without_password = people_from_kept(inserted, kept_passwords(folder))
    outcome = KeptHandout(without_password=without_password)
    if people:
        try:
            outcome.files = write_handouts(folder, people, audit)
        except OSError as exc:  # still no room: the passwords stay kept for the next try
            raise CannotWrite(phrase("users.os_error", path=str(folder), reason=os_reason(exc)),
                              hint=phrase("users.cannot_write_hint")) from None
        records.handed_out(store, import_id, [person["key"] for person in people])
    remove_progress(folder, audit, "handed_out")
    return outcome
