"""An import's hand-out files after its rollback: the plain initial passwords of users that no
longer exist are removed (audited as `users handout ID --remove` audits it), unless some user
the import inserted is still in the target — then the files stay, and the rollback says who.
`said_after_rollback` is how the command line and the import screen both say it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from launchpad.oserrors import os_reason
from launchpad.phrases import Phrase, Said, phrase
from launchpad.users import records
from launchpad.users.handout import handout_dir, list_handouts, remove_handouts
from launchpad.users.profile import TARGETS_DIR, load_profile
from launchpad.users.state import live

if TYPE_CHECKING:
    from launchpad.users.apply import ImportTarget


@dataclass(frozen=True)
class HandoutsAfterRollback:
    folder: Path
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # files left because users they name are still there
    still_there: list[str] = field(default_factory=list)  # the import's new users the rollback left
    error: Said = ""  # why the files could not all be removed (a permission): they are kept


def clear_handouts(to: ImportTarget, import_id: int) -> HandoutsAfterRollback:
    """Import `import_id`'s hand-out files removed once its rollback deleted every user it
    inserted (asked of the target, not assumed); kept, with those users named, otherwise."""
    folder = handout_dir(to.workspace_root, import_id)
    files = list_handouts(folder)
    if not files:
        return HandoutsAfterRollback(folder)
    still_there = _still_there(to, import_id)
    if still_there:
        return HandoutsAfterRollback(folder, kept=files, still_there=still_there)
    try:
        return HandoutsAfterRollback(folder, removed=remove_handouts(folder, to.audit))
    except OSError as exc:  # the rollback itself is done: what is left is said, not a traceback
        return HandoutsAfterRollback(folder, kept=list_handouts(folder), error=os_reason(exc))


def said_after_rollback(import_id: int, env_name: str, handouts: HandoutsAfterRollback | None) -> Phrase | None:
    """What became of the rolled-back import's hand-out files, or None when it had none. Files
    left (`handouts.kept`) are a warning: someone has to remove them later."""
    if handouts is None or not (handouts.removed or handouts.kept):
        return None
    folder = str(handouts.folder)
    if handouts.removed and not handouts.kept:
        return phrase("users.rollback.handouts_removed", id=import_id, count=len(handouts.removed), folder=folder)
    if handouts.error:
        return phrase("users.rollback.handouts_not_removed", id=import_id, folder=folder, reason=handouts.error,
                      count=len(handouts.kept))
    still = handouts.still_there
    return phrase("users.rollback.handouts_kept", id=import_id, count=len(handouts.kept), folder=folder,
                  still=len(still), env=env_name, users=still if len(still) <= 10
                  else phrase("more", text=still[:10], count=len(still) - 10))


def _still_there(to: ImportTarget, import_id: int) -> list[str]:
    """The live users the import created (its mark in their created-by column)."""
    found = records.get_import(to.store, import_id)
    profile = load_profile(found["target"], to.workspace_root / TARGETS_DIR)
    users = profile.users
    where, params = live(users.soft_delete, users.tenant)
    rows = to.session.query(f"SELECT {profile.column(users.key)} FROM {users.table} WHERE "
                            f"{users.mark.created_by} = :mark AND {where}",
                            {"mark": records.mark(import_id), **params}).rows
    return sorted(str(row[0]) for row in rows)
