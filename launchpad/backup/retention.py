"""Retention per target: keep the N newest backups and those younger than D days (a backup
either rule keeps is kept), and never delete the newest usable backup of a target (verified,
its file there at its recorded size: `freshness.usable`) — it may be the only one a rollback
can trust — nor one taken by a run that has not finished (its rollback may still need it)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from launchpad.backup import freshness, records
from launchpad.backup.errors import BackupFolderUnusable
from launchpad.backup.records import BackupRecord
from launchpad.backup.session import BackupSession
from launchpad.oserrors import os_reason
from launchpad.phrases import Phrase, parts, phrase
from launchpad.workspace.site import BackupRetention


@dataclass(frozen=True)
class PruneDecision:
    record: BackupRecord
    delete: bool
    reason: Phrase  # rendered in the reader's language; kept with the row when it is deleted


def plan_retention(backups: list[BackupRecord], retention: BackupRetention, now: datetime,
                   unfinished_runs: Collection[int] = (),
                   usable: Callable[[BackupRecord], bool] | None = None) -> list[PruneDecision]:
    """One decision per backup of one target (given newest first). `usable` says which a
    rollback can still use (`prune` stats their files); without it, the verified ones."""
    can_use = usable or (lambda backup: backup.verified)
    # Not merely the newest verified: when its file was cut short, the one before is the last good one.
    newest_usable = next((b.id for b in backups if can_use(b)), None)
    decisions = []
    for position, backup in enumerate(backups):
        age = now - datetime.fromisoformat(backup.finished)
        kept_by: list[Phrase] = []
        if retention.keep is None and retention.keep_days is None:
            kept_by.append(phrase("retention.no_rule"))
        if retention.keep is not None and position < retention.keep:
            newest = "retention.newest_one" if retention.keep == 1 else "retention.newest"
            kept_by.append(phrase(newest, keep=retention.keep))
        if retention.keep_days is not None and age < timedelta(days=retention.keep_days):
            young = "retention.young_one" if retention.keep_days == 1 else "retention.young"
            kept_by.append(phrase(young, days=retention.keep_days))
        if backup.id == newest_usable:
            kept_by.append(phrase("retention.newest_usable"))
        if backup.run_id is not None and backup.run_id in unfinished_runs:
            kept_by.append(phrase("retention.run_unfinished", run=backup.run_id))
        if kept_by:
            decisions.append(PruneDecision(backup, False, parts(kept_by)))
        else:
            expired = "retention.expired_one" if age.days == 1 else "retention.expired"
            decisions.append(PruneDecision(backup, True, phrase(expired, days=age.days, number=position + 1)))
    return decisions


def prune(session: BackupSession, environment: str | None = None, *, dry_run: bool = False) -> list[PruneDecision]:
    """Apply every target's retention; returns all decisions (deleted ones with delete=True)."""
    now = datetime.now(UTC)
    unfinished = {run["id"] for status in ("running", "interrupted")
                  for run in session.store.list_runs(limit=10_000, status=status)}
    decisions: list[PruneDecision] = []
    for env_name, env in session.workspace.site.environments.items():
        if environment is not None and env_name != environment:
            continue
        for target_name, target in env.backups.items():
            backups = records.list_backups(session.store, env_name, target_name)
            decisions += plan_retention(backups, target.retention, now, unfinished,
                                        lambda backup: freshness.usable(backup, session.backups_dir))
    if not dry_run:
        for decision in decisions:
            if decision.delete:
                _delete(session, decision)
    return decisions


def _delete(session: BackupSession, decision: PruneDecision) -> None:
    record = decision.record
    for path in (record.path(session.backups_dir), record.manifest_path(session.backups_dir)):
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:  # a disk gone read-only: the backup stays recorded, as it stays there
            raise BackupFolderUnusable(phrase("backup.cannot_delete", path=str(path), reason=os_reason(exc),
                                              id=record.id),
                                       hint=phrase("backup.folder_unusable_hint")) from None
    records.mark_deleted(session.store, record.id, decision.reason)
    session.audit("backup_deleted", f"{record.environment}/{record.target}",
                  {"backup": record.id, "file": record.file, "reason": str(decision.reason)})
