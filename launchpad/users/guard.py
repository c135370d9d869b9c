"""Before an import writes: a person confirms the plan's counts, production needs its name typed,
and production needs a fresh verified backup of the database being written (the same rule as
the `fresh_backup` gate of playbooks). Each refusal is audited and raised as `ImportRefused`,
never as an ordinary failure; nothing is written after one. A write nobody confirmed is
`ImportNotConfirmed` (exit 2, bad usage); the other refusals are gates, exit 4."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from launchpad.errors import LaunchpadError, Refusal
from launchpad.phrases import phrase, typed_instead
from launchpad.run.prompter import ConfirmRequest, TypeNameRequest
from launchpad.store.db import Store
from launchpad.workspace.site import Environment

DEFAULT_BACKUP_AGE = "2h"


class ImportRefused(Refusal):
    """An import launchpad will not start: rejected rows, no fresh backup, another import of the
    environment unfinished or still running, the file's import abandoned (gates, exit 4); with
    their own titles, abandoning an import still running and removing the hand-outs of one
    unfinished. Not confirmed is `ImportNotConfirmed`."""

    title = "import refused"


class ImportNotConfirmed(ImportRefused):
    """Nobody confirmed the write, or production's name was not typed: the person can put it
    right by asking again, so it is bad usage (exit 2) like a restore not confirmed, not a refusal."""

    exit_code = 2


class RollbackRefused(Refusal):
    """A rollback launchpad will not do, nothing changed: the import was already rolled back.
    Its state refuses it, not the person's typing: exit 4."""

    title = "rollback refused"


def confirm_import(prompter: Any, audit: Any, env_name: str, production: bool, counts: dict[str, int],
                   file_name: str) -> None:
    title = phrase("error.import_title", file=file_name, env=env_name)
    detail = phrase("error.import_counts", insert=counts["insert"], update=counts["update"],
                    unchanged=counts["unchanged"], rejected=counts["rejected"])
    where = f"{env_name}/users"
    if not prompter.confirm(ConfirmRequest("user-import", title, env_name, production, detail)):
        audit("user_import_declined", where, {"file": file_name, "reason": "not confirmed"})
        raise ImportNotConfirmed(phrase("error.import_not_confirmed"))
    if production:
        typed = prompter.type_environment(TypeNameRequest("user-import", title, env_name)).strip()
        if typed != env_name:
            audit("user_import_declined", where, {"file": file_name, "reason": "environment name typed wrong",
                                                  "typed": typed})
            raise ImportNotConfirmed(phrase("error.write_not_named", env=env_name, typed=typed_instead(typed)),
                                     hint=phrase("error.import_rollback_not_named_hint", env=env_name))
    audit("user_import_confirmed", where, {"file": file_name, "production": production, **counts})


def require_fresh_backup(store: Store, backups_dir: Path, environment: Environment, env_name: str, database: str,
                         audit: Any, age: str = DEFAULT_BACKUP_AGE, now: datetime | None = None,
                         action: str = "user_import", refusal: type[LaunchpadError] = ImportRefused,
                         production: bool = True) -> int:
    """The id of a verified backup of `database` younger than `age` whose file is still there.
    `action` prefixes the audit entries and `refusal` is raised: a baseline fix shares the rule."""
    from launchpad.backup.freshness import fresh_backup, parse_age, said_age

    targets = [name for name, target in environment.backups.items() if target.database == database]
    limit = parse_age(age)
    moment = now or datetime.now(UTC)
    for name in targets:
        record = fresh_backup(store, backups_dir, env_name, name, moment, limit)
        if record is not None:
            audit(f"{action}_gate_passed", f"{env_name}/{database}", {"backup": record.id, "age": age})
            return record.id
    audit(f"{action}_gate_refused", f"{env_name}/{database}", {"age": age, "targets": targets})
    here = "" if production else "_here"
    if not targets:
        raise refusal(phrase(f"error.backup_gate_no_target{here}", env=env_name, database=database),
                      hint=phrase("error.backup_gate_no_target_hint", env=env_name, database=database))
    raise refusal(phrase(f"error.backup_gate_stale{here}", env=env_name, targets=targets, age=said_age(age)),
                  hint=phrase("error.backup_gate_stale_hint", env=env_name, target=targets[0]))
