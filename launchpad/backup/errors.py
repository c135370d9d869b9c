"""Backup errors: what failed, on which environment and target, and what to do next."""

from __future__ import annotations

from launchpad.errors import LaunchpadError, Refusal


class BackupFailed(LaunchpadError):
    """A backup, verification, drill or restore did not complete; nothing false was recorded."""

    title = "backup failed"
    exit_code = 1


class BackupFolderUnusable(BackupFailed):
    """The workspace's backups folder is a dangling link, a file, or not writable: the
    person's to fix (exit 2), and within a playbook a step failure they can retry."""

    title = "backup folder unusable"
    exit_code = 2


class VerifyFailed(BackupFailed):
    title = "backup does not verify"


class DrillRefused(Refusal, BackupFailed):
    """A drill not started: the backup's file does not match its record. Nothing failed to back
    up; the backup is not usable, and the person takes a new one or drills another: a refusal
    (exit 4), still a BackupFailed to whoever catches those."""

    title = "drill refused"


class DrillNotRun(BackupFailed):
    """A drill that could not reach its host, or lost it, proves nothing about the backup: the
    drill it recorded before (a pass) stands, and the attempt is audited apart."""

    title = "drill not run"


class RestoreRefused(Refusal):
    """A restore that launchpad will not start, nothing changed: the backup was deleted, its file
    does not verify, its target now has another driver, its database is gone and its user may
    not create one. A condition not met (exit 4) — not
    exit 1, the restore that started and failed (BackupFailed)."""

    title = "restore refused"


class RestoreNotConfirmed(RestoreRefused):
    """Nobody confirmed the restore, or production's name was not typed: the person puts it
    right by asking again, so it is bad usage (exit 2)."""

    exit_code = 2


class RestoreOtherEnvironment(RestoreRefused):
    """A backup of another environment given to restore (never across: no option allows it):
    the person's own input, exit 2."""

    exit_code = 2
