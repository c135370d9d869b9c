"""What the backups screen and the dashboard ask of the core, kept free of Textual so that
workers (threads) call it: a `BackupSession` wired as `launchpad backup …` wires it, an
environment's backups, and each environment's newest verified backup.

The screen's workers call the very functions the CLI calls — `take_backup`, `verify_backup`,
`drill_backup`, `restore_backup` — inside `backup_session`, so whatever a person does here they
could do from the command line, with the same checks, records and audit entries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from launchpad.backup.progress import ProgressSink
    from launchpad.backup.records import BackupRecord
    from launchpad.backup.session import BackupSession
    from launchpad.prompter import Prompter
    from screens.session import Session

STALE_AFTER = timedelta(hours=24)  # a release should not start on a backup older than this


@dataclass(frozen=True)
class BackupFreshness:
    """One environment on the dashboard: how many backup targets site.yaml gives it, and when
    its newest verified backup finished (None: it has none)."""

    environment: str
    targets: int
    newest_verified: datetime | None

    def age(self, now: datetime) -> timedelta | None:
        return None if self.newest_verified is None else now - self.newest_verified

    def stale(self, now: datetime) -> bool:
        age = self.age(now)
        return age is None or age > STALE_AFTER


def finished_at(record: BackupRecord) -> datetime:
    """When a backup finished, as an aware datetime (the store writes UTC ISO text)."""
    moment = datetime.fromisoformat(record.finished)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def read_freshness(session: Session) -> dict[str, BackupFreshness]:
    from launchpad.backup.records import newest_verified

    store = session.store()
    found = {}
    for name, environment in session.site.environments.items():
        record = newest_verified(store, name)
        found[name] = BackupFreshness(name, len(environment.backups), finished_at(record) if record else None)
    return found


def read_backups(session: Session, env_name: str, target: str | None) -> list[BackupRecord]:
    """Newest first, as `launchpad backups --env ENV [--target T]` lists them."""
    from launchpad.backup.records import list_backups

    return list_backups(session.store(), env_name, target)


def count_unrecorded(session: Session, env_name: str) -> int:
    """Complete backup files of `env_name` the store lacks (see `launchpad backups adopt`)."""
    from launchpad.backup.adopt import find_unrecorded

    found = find_unrecorded(session.store(), session.workspace.backups_dir, check=False)
    return sum(1 for item in found if item.relative.startswith(f"{env_name}/"))


@contextmanager
def backup_session(session: Session, env_name: str, progress: ProgressSink,
                   ask_secret: Callable[[str], str] | None) -> Iterator[BackupSession]:
    """A BackupSession with connections to `env_name`'s hosts, closed afterwards."""
    from launchpad.backup.session import BackupSession
    from launchpad.connect import HostConnections

    store = session.store()
    with HostConnections(session.workspace, env_name, store=store, actor=session.actor) as connections:
        yield BackupSession(session.workspace, store, connections.transport_for, session.actor,
                            progress=progress, ask_secret=ask_secret)


OPERATIONS = ("take", "verify", "drill", "restore")


def run_operation(backups: BackupSession, kind: str, env_name: str, targets: tuple[str, ...],
                  backup_id: int | None, prompter: Prompter) -> Any:
    """One of the four operations, by the core function `launchpad backup`, `backups verify`,
    `backups drill` or `restore` calls; returns what that function returns (a list of the
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
