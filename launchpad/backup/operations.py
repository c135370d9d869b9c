"""The four backup operations by name, for a front end that offers them as one menu (the TUI's
backups screen): each is the very core function `launchpad backup`, `backups verify`, `backups
drill` or `restore` calls, with the same checks, records and audit entries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from launchpad.backup.session import BackupSession
    from launchpad.run.prompter import Prompter
    from launchpad.store.db import Store
    from launchpad.workspace.folder import Workspace

OPERATIONS = ("take", "verify", "drill", "restore")


def run_operation(backups: BackupSession, kind: str, env_name: str, targets: tuple[str, ...],
                  backup_id: int | None, prompter: Prompter) -> Any:
    """One of the four operations; returns what its core function returns (a list of the
    backups taken, for take)."""
    if kind == "take":
        from launchpad.backup.take import take_backup

        return [take_backup(backups, env_name, name) for name in targets]
    if backup_id is None:
        raise ValueError(f"{kind} needs a backup")
    if kind == "verify":
        from launchpad.backup.verify import verify_backup

        return verify_backup(backups, backup_id)
    if kind == "drill":
        from launchpad.backup.drill import drill_backup

        return drill_backup(backups, backup_id)
    if kind == "restore":
        from launchpad.backup.restore import restore_backup

        return restore_backup(backups, backup_id, env_name, prompter)
    raise ValueError(f"unknown backup operation {kind!r}")


def count_unrecorded(store: Store, workspace: Workspace, env_name: str) -> int:
    """Complete backup files of `env_name` the store lacks (see `launchpad backups adopt`)."""
    from launchpad.backup.adopt import find_unrecorded

    found = find_unrecorded(store, workspace.backups_dir, check=False)
    return sum(1 for item in found if item.relative.startswith(f"{env_name}/"))
