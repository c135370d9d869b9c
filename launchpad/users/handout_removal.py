"""Removing an import's hand-outs once they were handed over (`users handout ID --remove`, the
import screen's `o`): every file of its folder that holds plain passwords, audited
(`user_handout_removed`, and `user_import_hashing_progress_removed` for a kept file).

An unfinished import is refused (`ImportRefused`, a gate: exit 4), nothing removed: besides
any hand-out a stop wrote, its folder keeps the plain passwords its resume needs
(hashing_progress.py), and deleting them unasked would let a later resume leave the users it
already wrote with passwords nobody knows. Giving them up is `users abandon ID` (abandon.py):
confirmed, audited, the record `abandoned` — after which, as after the import is applied or
rolled back, its hand-outs are removed here.

An applied import whose hand-out was never written (a full disk: handout_kept.py) is refused
too: its kept file is then the only place its new users' initial passwords exist, so removing
it would lose them for good. `users handout ID` writes the hand-out first.

`--keep-resets` keeps the reset hand-outs that still give a user its working password
(handout_rewrite.current_resets): a reset's new file is written after the import's were handed
over, and is usually still to hand over when the earlier ones are cleared away. Without it
every hand-out goes, the newest reset's too: once everything is handed over, no plain password
should stay behind because of an option not typed. A reset's hand-out that cannot be read
(handout_rewrite.unreadable_resets: damaged, not a workbook) is kept by `--keep-resets` too,
and named with why and what to do (audited `user_handout_unreadable_kept`): nobody can tell
whether it holds the only working passwords of its users.

A reset's hand-out never made final (`.reset-STAMP.pending/`, reset.py: the target could not say
whether it took the new passwords, or the rename after it failed) may hold the only passwords
that work. `--keep-resets` keeps it, and the command says what to do about it; plain `--remove`
is refused while one is there (a gate, exit 4, nothing removed): "remove every hand-out" must not
lose the only working passwords before someone looked at them.

`removal_refused` is the rule, asked by the command and by the import screen's dialog (which
greys its remove button instead of offering what would be refused).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from launchpad.phrases import phrase
from launchpad.store.db import Store
from launchpad.users import records
from launchpad.users.guard import ImportRefused
from launchpad.users.handout import handout_dir, remove_handouts
from launchpad.users.handout_kept import handout_owed
from launchpad.users.handout_rewrite import current_resets, pending_resets, unreadable_resets
from launchpad.users.hashing_progress import kept_passwords

UNFINISHED = "applying"
REMOVAL_REFUSED = "hand-out removal refused"  # the refusal's title (error.hand-out_removal_refused)


def removal_refused(root: Path, record: dict[str, Any], *, keep_resets: bool = False) -> ImportRefused | None:
    """Why the hand-outs of import `record` may not be removed now (the error to raise or show),
    or None when they may: an unfinished import, an applied one whose hand-out is owed, or (but
    with `keep_resets`) a reset's hand-out never made final. The import's state refuses it, not
    what was typed: a gate, exit 4."""
    import_id = int(record["id"])
    folder = handout_dir(root, import_id)
    if record["status"] == UNFINISHED:
        return ImportRefused(phrase("users.handout_remove_unfinished", id=import_id,
                                    count=len(kept_passwords(folder))),
                             hint=phrase("users.handout_remove_unfinished_hint", id=import_id), title=REMOVAL_REFUSED)
    if handout_owed(root, record):
        return ImportRefused(phrase("users.handout_remove_owed", id=import_id, count=len(kept_passwords(folder))),
                             hint=phrase("users.handout_remove_owed_hint", id=import_id), title=REMOVAL_REFUSED)
    if not keep_resets and (pending := pending_resets(folder)):
        return ImportRefused(phrase("users.handout_remove_pending", id=import_id,
                                    folders=[str(path) for path in pending]),
                             hint=phrase("users.handout_remove_pending_hint", id=import_id), title=REMOVAL_REFUSED)
    return None


def remove_import_handouts(store: Store, root: Path, actor: str, import_id: int, *,
                           keep_resets: bool = False) -> list[Path]:
    """The hand-out files of import `import_id` removed (returned), but with `keep_resets` the
    reset hand-outs still giving a working password, those that cannot be read and those never
    made final; refused,
    nothing removed, when `removal_refused` says so."""
    refused = removal_refused(root, records.get_import(store, import_id), keep_resets=keep_resets)
    if refused is not None:
        raise refused
    folder = handout_dir(root, import_id)

    def audit(action: str, target: str, detail: dict[str, Any]) -> None:
        store.audit(actor, action, target, detail)

    if not keep_resets:
        return remove_handouts(folder, audit)
    pending = {path for one in pending_resets(folder) for path in one.rglob("*") if path.is_file()}
    unreadable = unreadable_resets(folder)
    removed = remove_handouts(folder, audit, frozenset(current_resets(folder) | pending | set(unreadable)))
    if unreadable:
        audit("user_handout_unreadable_kept", str(folder),
              {"import": import_id, "files": {str(path.relative_to(folder)): None if reason is None else str(reason)
                                              for path, reason in sorted(unreadable.items())}})
    return removed
