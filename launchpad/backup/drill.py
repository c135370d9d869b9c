"""A drill: the proof that a backup restores. The backup (checksum re-verified first) is
restored into a scratch database on the same server, or a scratch directory or file here, and
compared with what the backup held when it was taken: tables and row counts, or files and
their sha256. The source as it is now is shown beside, for information. The scratch copy is
removed afterwards; the result is recorded on the backup and in the audit log.

A drill whose host could not be reached, logged into, or stayed reachable did not test the
backup: it records nothing on the backup (an earlier pass stays a pass) and is audited as
`drill_not_run`."""

from __future__ import annotations

from collections.abc import Iterator

from launchpad.backup import records
from launchpad.backup.compress import decompressed_chunks
from launchpad.backup.drivers import driver_for
from launchpad.backup.drivers.base import DrillOutcome
from launchpad.backup.errors import DrillNotRun, DrillRefused
from launchpad.backup.hostshell import HostShell
from launchpad.backup.restore import feed_backup
from launchpad.backup.session import BackupSession
from launchpad.backup.targets import resolve_target
from launchpad.backup.verify import checksum_problem
from launchpad.errors import (
    AuthenticationFailed,
    ChangedHostKey,
    ConnectionLost,
    HostUnreachable,
    LaunchpadError,
    RevokedHostKey,
    UnknownHostKey,
)
from launchpad.phrases import dumps, phrase

# The host was not there to drill on: these say nothing about the backup.
_HOST_NOT_THERE = (HostUnreachable, AuthenticationFailed, UnknownHostKey, ChangedHostKey, RevokedHostKey,
                   ConnectionLost)


def drill_backup(session: BackupSession, backup_id: int) -> DrillOutcome:
    record = records.require_backup(session.store, backup_id)
    where = f"{record.environment}/{record.target}"
    problem = checksum_problem(record, session.backups_dir, session.progress)
    if problem:
        records.set_verified(session.store, backup_id, False, problem)
        session.audit("drill_refused", where, {"backup": backup_id, "reason": problem})
        raise DrillRefused(phrase("backup.drill_unverified", id=backup_id, problem=problem),
                           hint=phrase("backup.not_usable_hint", env=record.environment, target=record.target))
    environment = session.workspace.environment(record.environment)
    target = resolve_target(environment, record.environment, record.target, session.transport_for,
                            session.workspace.root, ask_secret=session.ask_secret)
    driver = driver_for(target)
    shell = HostShell(target.transport, session.audit, local=target.local)
    path = record.path(session.backups_dir)

    def open_chunks() -> Iterator[bytes]:
        return decompressed_chunks(path, record.compression)

    session.audit("drill_started", where, {"backup": backup_id})
    try:
        with shell.private_dir(driver.secret_files()) as tmp:
            outcome = driver.drill(shell, tmp, lambda command: feed_backup(session, shell, record, command, "drill"),
                                   record.inventory, open_chunks)
    except _HOST_NOT_THERE as exc:
        session.audit("drill_not_run", where, {"backup": backup_id, "reason": exc.message})
        raise DrillNotRun(phrase("backup.drill_not_run", id=backup_id, reason=exc.said), hint=exc.said_hint) from None
    except LaunchpadError as exc:
        outcome = DrillOutcome(False, exc.said, hint=exc.said_hint)
    status = "unsupported" if not outcome.supported else "passed" if outcome.passed else "failed"
    detail = {"summary": str(outcome.summary), "summary_phrase": dumps(outcome.summary), "rows": outcome.rows,
              "scratch": outcome.scratch}
    records.set_drilled(session.store, backup_id, status, detail)
    session.audit(f"drill_{status}", where, {"backup": backup_id, "summary": outcome.summary})
    return outcome
