"""When a backup counts as fresh — the one rule the `fresh_backup` gate and the dashboard
both apply: usable (verified, not deleted, its file still in the workspace at its recorded
size) and finished less than an age ago.

The gate names its age in the playbook (`fresh_backup: 2h`); the dashboard, which has no
playbook, measures against FRESH_FOR."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from launchpad.phrases import Said, phrase

if TYPE_CHECKING:  # kept light: the dashboard imports this before the models are loaded
    from launchpad.backup.records import BackupRecord
    from launchpad.store.db import Store
    from launchpad.workspace.site import Site

FRESH_FOR = timedelta(hours=24)  # a release should not start on a backup older than this
AGE_PATTERN = r"^\d+(\.\d+)?\s*[smhd]$"
_AGE = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# each unit's words for one and for more than one ("1 day", "2 days"; Chinese has one word)
_UNIT_WORDS = {"s": ("duration.second", "duration.seconds"), "m": ("duration.minute", "duration.minutes"),
               "h": ("duration.hour", "duration.hours"), "d": ("duration.day", "duration.days")}


def parse_age(text: str) -> timedelta:
    """`90m`, `2h`, `1d` as a timedelta."""
    match = _AGE.fullmatch(text.strip())
    if match is None:
        raise ValueError(phrase("rule.not_age", text=text))
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def said_age(text: str) -> Said:
    """An age as site.yaml, a playbook or `--backup-age` writes it (`90m`, `2h`, `1d`), said in
    words: "2 小时" in a Chinese sentence, "2 hours" in an English one (a phrase, so each reader
    gets their own language). The unit stays the one written: `90m` is "90 分钟", not 1.5 hours.
    Text that is no age stays as written."""
    match = _AGE.fullmatch(text.strip())
    if match is None:
        return text
    number = float(match.group(1))
    count: int | float = int(number) if number.is_integer() else number
    one, many = _UNIT_WORDS[match.group(2)]
    return phrase(one if count == 1 else many, n=count)


def finished_at(record: BackupRecord) -> datetime:
    """When a backup finished, as an aware datetime (the store writes UTC ISO text)."""
    moment = datetime.fromisoformat(record.finished)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def usable(record: BackupRecord, backups_dir: Path) -> bool:
    """Verified, not deleted, and its file is still there, at its recorded size, to restore
    from: the very rule the lists show (`records.standing`), so no two places disagree."""
    from launchpad.backup.records import standing

    return standing(record, backups_dir).usable


def is_fresh(record: BackupRecord, now: datetime, max_age: timedelta) -> bool:
    return now - finished_at(record) < max_age


def newest_usable(store: Store, backups_dir: Path, env_name: str, target: str | None = None) -> BackupRecord | None:
    from launchpad.backup.records import list_backups

    return next((b for b in list_backups(store, env_name, target) if usable(b, backups_dir)), None)


def fresh_backup(store: Store, backups_dir: Path, env_name: str, target: str, now: datetime,
                 max_age: timedelta) -> BackupRecord | None:
    """The newest usable backup of `target` younger than `max_age`, or None."""
    from launchpad.backup.records import list_backups

    return next((b for b in list_backups(store, env_name, target)
                 if usable(b, backups_dir) and is_fresh(b, now, max_age)), None)


@dataclass(frozen=True)
class BackupFreshness:
    """One environment on the dashboard: how many backup targets site.yaml gives it, and when
    its newest usable backup finished (None: it has none)."""

    environment: str
    targets: int
    newest_verified: datetime | None

    def age(self, now: datetime) -> timedelta | None:
        return None if self.newest_verified is None else now - self.newest_verified

    def stale(self, now: datetime, max_age: timedelta = FRESH_FOR) -> bool:
        return self.newest_verified is None or not now - self.newest_verified < max_age


def read_freshness(store: Store, site: Site, backups_dir: Path) -> dict[str, BackupFreshness]:
    """Every environment's newest usable backup, for the dashboard."""
    found = {}
    for name, environment in site.environments.items():
        record = newest_usable(store, backups_dir, name)
        found[name] = BackupFreshness(name, len(environment.backups), finished_at(record) if record else None)
    return found
