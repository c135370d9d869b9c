"""Giving up an unfinished import: its pending plain passwords discarded, its record `abandoned`.

An import interrupted (killed, stopped, a closed laptop) and never run again keeps, for its
resume, every initial password it hashed — in plain text, with its hash — in
`handouts/import-ID/hashing-in-progress.jsonl` (0600 in a 0700 folder; hashing_progress.py).
Nothing else removes that file but finishing the import, rolling it back or removing its
hand-outs, so an import nobody comes back to would keep them for ever. `users abandon ID`
discards them on purpose: confirmed (the import's id typed, or `--yes` without a terminal),
audited (`user_import_abandoned`: how many passwords, which users already written have none
now), and the record reads `abandoned`.

An abandoned import is not resumed: its passwords are gone, so running the same file again would
leave the users it already wrote with passwords nobody knows — it is refused (exit 4) until the
import is rolled back (`users rollback ID` still undoes what it wrote), after which the file can
be imported afresh. Users it wrote can instead be given new passwords (`users handout ID
--reset LOGIN`). Hand-outs already written (a stop writes its users' hand-out at once) are
hand-outs, not pending passwords: they stay, listed by `users handout ID`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.store.db import Store
from launchpad.users import records
from launchpad.users.guard import ImportRefused
from launchpad.users.handout import handout_dir, list_handouts
from launchpad.users.hashing_progress import FILE_NAME, kept_passwords, remove_progress

ABANDONED = "abandoned"
BY_YES = "--yes"  # how the audit log says the command's flag confirmed it
ABANDON_REFUSED = "abandon refused"  # the title of an abandon a running import refuses (error.abandon_refused)


class AbandonNotConfirmed(UsageError):
    """Nobody confirmed: at a terminal the import's id is typed; without one, --yes."""

    def __init__(self, import_id: int) -> None:
        super().__init__(phrase("users.abandon_not_confirmed", id=import_id),
                         hint=phrase("users.abandon_not_confirmed_hint", id=import_id))
        self.import_id = import_id


@dataclass(frozen=True)
class PendingPasswords:
    """What an unfinished import keeps for its resume, read before it is discarded."""

    import_id: int
    file: Path  # the kept file (it may be missing: killed before it hashed anything)
    passwords: int  # plain passwords in it
    written_without_handout: list[str] = field(default_factory=list)  # committed, not handed out
    handouts: list[Path] = field(default_factory=list)  # hand-outs already written (stops, resets)


def pending_passwords(store: Store, root: Path, record: dict[str, Any]) -> PendingPasswords:
    import_id = int(record["id"])
    folder = handout_dir(root, import_id)
    written = [row["key"] for row in records.import_rows(store, import_id)
               if row["action"] == "insert" and row["done"] == 1]
    return PendingPasswords(import_id, folder / FILE_NAME, len(kept_passwords(folder)), written,
                            list_handouts(folder))


def abandon_import(store: Store, root: Path, actor: str, import_id: int, *, typed: str = "",
                   yes: bool = False) -> PendingPasswords:
    """Discard the pending passwords of unfinished import `import_id` and record it abandoned.
    Confirmed by `yes` (the command's --yes) or by what the person `typed`, which must be the
    import's id (text typed is never taken for the flag); neither raises AbandonNotConfirmed
    with nothing done. Refused (ImportRefused, a gate: exit 4) for an import that is not
    unfinished, or that a live process is still writing: its state, not the person's input."""
    record = records.get_import(store, import_id)
    if record["status"] != "applying":
        raise ImportRefused(phrase("users.abandon_not_unfinished", id=import_id,
                                   status=phrase(f"status.{record['status']}")),
                            hint=phrase("users.abandon_not_unfinished_hint", id=import_id), title=ABANDON_REFUSED)
    records.refuse_if_running(record, title=ABANDON_REFUSED)
    typed = typed.strip()
    if not (yes or typed):
        raise AbandonNotConfirmed(import_id)
    target = f"{record['environment']}/{record['database']}"
    if not yes and typed != str(import_id):
        store.audit(actor, "user_import_abandon_refused", target, {"import": import_id, "typed": typed})
        raise UsageError(phrase("users.abandon_typed_wrong", typed=typed, id=import_id),
                         hint=phrase("users.abandon_typed_wrong_hint", id=import_id))
    pending = pending_passwords(store, root, record)

    def audit(action: str, where: str, detail: dict[str, Any]) -> None:
        store.audit(actor, action, where, {"import": import_id, **detail})

    # The file first: should it not go (a read-only folder), the import stays as it was.
    remove_progress(pending.file.parent, audit, ABANDONED)
    with store.transaction():
        records.finish_import(store, import_id, ABANDONED)
        store.audit(actor, "user_import_abandoned", target,
                    {"import": import_id, "passwords_discarded": pending.passwords,
                     "confirmed": BY_YES if yes else "typed",
                     "written_without_handout": pending.written_without_handout,
                     "handouts_left": [str(p) for p in pending.handouts]})
    return pending


def refuse_abandoned(store: Store, environment: str, file_sha256: str) -> None:
    """Refuse (ImportRefused, a gate: exit 4) running again a file whose latest import into
    `environment` was abandoned: its passwords are gone, so a resume would leave the users it
    wrote with passwords nobody knows. Rolled back, the file imports afresh."""
    rows = store.read("SELECT id, file_name, status FROM user_imports WHERE environment = ? AND file_sha256 = ? "
                      "ORDER BY id DESC LIMIT 1", [environment, file_sha256])
    if rows and rows[0]["status"] == ABANDONED:
        found = rows[0]
        raise ImportRefused(phrase("users.import_abandoned", id=found["id"], file=found["file_name"],
                                   env=environment), hint=phrase("users.import_abandoned_hint", id=found["id"]))
