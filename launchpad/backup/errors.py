"""Backup errors: what failed, on which environment and target, and what to do next."""

from __future__ import annotations

from launchpad.errors import LaunchpadError


class BackupFailed(LaunchpadError):
    """A backup, verification, drill or restore did not complete; nothing false was recorded."""

    title = "backup failed"
    exit_code = 1


class VerifyFailed(BackupFailed):
    title = "backup does not verify"


class RestoreRefused(LaunchpadError):
    """A restore that launchpad will not start: unverifiable file, no confirmation, wrong env."""

    title = "restore refused"
    exit_code = 1
