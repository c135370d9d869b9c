"""Removing an import's hand-outs once they were handed over (`users handout ID --remove`, the
import screen's `o`): every file of its folder that holds plain passwords, audited
(`user_handout_removed`, and `user_import_hashing_progress_removed` for a kept file).

An unfinished import is refused (exit 2), nothing removed: besides any hand-out a stop wrote,
its folder keeps the plain passwords its resume needs (hashing_progress.py), and deleting them
unasked would let a later resume leave the users it already wrote with passwords nobody knows.
Giving them up is `users abandon ID` (abandon.py): confirmed, audited, the record `abandoned` —
after which, as after the import is applied or rolled back, its hand-outs are removed here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.store.db import Store
from launchpad.users import records
from launchpad.users.handout import handout_dir, remove_handouts
from launchpad.users.hashing_progress import kept_passwords

UNFINISHED = "applying"


def remove_import_handouts(store: Store, root: Path, actor: str, import_id: int) -> list[Path]:
    """The hand-out files of import `import_id` removed (returned); refused for an unfinished one."""
    record = records.get_import(store, import_id)
    folder = handout_dir(root, import_id)
    if record["status"] == UNFINISHED:
        raise UsageError(phrase("users.handout_remove_unfinished", id=import_id,
                                count=len(kept_passwords(folder))),
                         hint=phrase("users.handout_remove_unfinished_hint", id=import_id))

    def audit(action: str, target: str, detail: dict[str, Any]) -> None:
        store.audit(actor, action, target, detail)

    return remove_handouts(folder, audit)
