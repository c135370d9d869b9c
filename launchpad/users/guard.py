"""Before an import writes: a person confirms the plan's counts, production needs its name typed,
and production needs a fresh verified backup of the database being written (the same rule as
the `fresh_backup` gate of playbooks). Each refusal is audited and raised as `ImportRefused`,
never as an ordinary failure; nothing is written after one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from launchpad.errors import LaunchpadError
from launchpad.run.prompter import ConfirmRequest, TypeNameRequest
from launchpad.store.db import Store
from launchpad.workspace.site import Environment

DEFAULT_BACKUP_AGE = "2h"


class ImportRefused(LaunchpadError):
    """An import launchpad will not start: rejected rows, no confirmation, no fresh backup."""

    title = "import refused"
    exit_code = 1


def confirm_import(prompter: Any, audit: Any, env_name: str, production: bool, counts: dict[str, int],
                   file_name: str) -> None:
    title = f"import users from {file_name} into {env_name}"
    detail = (f"insert {counts['insert']}, update {counts['update']}, unchanged {counts['unchanged']}, "
              f"rejected {counts['rejected']}")
    where = f"{env_name}/users"
    if not prompter.confirm(ConfirmRequest("user-import", title, env_name, production, detail)):
        audit("user_import_declined", where, {"file": file_name, "reason": "not confirmed"})
        raise ImportRefused("the import was not confirmed; nothing was written")
    if production:
        typed = prompter.type_environment(TypeNameRequest("user-import", title, env_name)).strip()
        if typed != env_name:
            audit("user_import_declined", where, {"file": file_name, "reason": "environment name typed wrong",
                                                  "typed": typed})
            raise ImportRefused(f"{env_name} is production: its name was not typed ({typed!r}); nothing was written",
                                hint=f"type {env_name}, or pass --confirm {env_name}")
    audit("user_import_confirmed", where, {"file": file_name, "production": production, **counts})


def require_fresh_backup(store: Store, backups_dir: Path, environment: Environment, env_name: str, database: str,
                         audit: Any, age: str = DEFAULT_BACKUP_AGE, now: datetime | None = None,
                         action: str = "user_import", refusal: type[LaunchpadError] = ImportRefused,
                         production: bool = True) -> int:
    """The id of a verified backup of `database` younger than `age` whose file is still there.
    `action` prefixes the audit entries and `refusal` is raised: a baseline fix shares the rule."""
    from launchpad.backup.freshness import fresh_backup, parse_age

    targets = [name for name, target in environment.backups.items() if target.database == database]
    limit = parse_age(age)
    moment = now or datetime.now(UTC)
    for name in targets:
        record = fresh_backup(store, backups_dir, env_name, name, moment, limit)
        if record is not None:
            audit(f"{action}_gate_passed", f"{env_name}/{database}", {"backup": record.id, "age": age})
            return record.id
    audit(f"{action}_gate_refused", f"{env_name}/{database}", {"age": age, "targets": targets})
    said = f"{env_name} is production and" if production else f"{env_name}:"
    if not targets:
        raise refusal(f"{said} no backup target covers database {database!r}",
                      hint=f"add a backup target with `database: {database}` to {env_name} in site.yaml")
    raise refusal(f"{said} {', '.join(targets)} has no verified backup younger than {age}; nothing was written",
                  hint=f"launchpad backup --env {env_name} {targets[0]}")
