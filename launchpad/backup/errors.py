"""Backup errors: what failed, on which environment and target, and what to do next."""

from __future__ import annotations

from launchpad.errors import LaunchpadError


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


class DrillRefused(BackupFailed):
    """A drill not started: the backup's file does not match its record. Nothing failed to back
    up; the backup is not usable, and the person takes a new one or drills another."""

    title = "drill refused"


class DrillNotRun(BackupFailed):
    """A drill that could not reach its host, or lost it, proves nothing about the backup: the
    drill it recorded before (a pass) stands, and the attempt is audited apart."""

    title = "drill not run"


class RestoreRefused(LaunchpadError):
    """A restore that launchpad will not start: unverifiable file, no confirmation, wrong env.
    Nothing was changed and the person can put it right (another backup, the right environment,
    the confirmation), so it is exit 2 like every error a person can cause — not exit 1, the
    restore that started and failed (BackupFailed)."""

    title = "restore refused"
    exit_code = 2
