"""Engines with their own tools (DM `dexp`, KingbaseES `sys_dump`, …): the target's own dump
command writes to stdout, its restore command reads stdin. With `database:`, the commands get
the connection in LAUNCHPAD_DB_HOST/PORT/NAME/USER and the password in a file named by
LAUNCHPAD_DB_PASSWORD_FILE (readable by the command alone, gone when it ends: envelope.py),
never in the command text. A dump is complete when it ends as the
target's `complete:` pattern says; there is no scratch restore, so a drill only checks it."""

from __future__ import annotations

import shlex
from typing import Any

from launchpad.backup.drivers.base import DrillOutcome, Driver, FeedBackup, OpenChunks
from launchpad.backup.hostshell import HostShell
from launchpad.backup.structure import CheckResult, check_pattern
from launchpad.phrases import phrase

PASSWORD_FILE = "db-password"


class CommandDriver(Driver):
    tail_check = True
    name = "command"

    def __init__(self, target: Any) -> None:
        super().__init__(target)
        assert target.spec.command is not None
        self.spec = target.spec.command
        self.extension = self.spec.extension

    def secret_files(self) -> dict[str, str]:
        return {PASSWORD_FILE: self.target.password} if self.target.password is not None else {}

    def environment(self, tmp: str) -> str:
        database = self.target.database
        if database is None:
            return ""
        values = {"LAUNCHPAD_DB_NAME": database.name, "LAUNCHPAD_DB_HOST": database.host or "",
                  "LAUNCHPAD_DB_PORT": str(database.port or ""), "LAUNCHPAD_DB_USER": database.user or ""}
        if self.target.password is not None:
            values["LAUNCHPAD_DB_PASSWORD_FILE"] = f"{tmp}/{PASSWORD_FILE}"
        return "export " + " ".join(f"{k}={shlex.quote(v)}" for k, v in values.items()) + "; "

    def dump_command(self, tmp: str) -> str:
        return f"( {self.environment(tmp)}{self.spec.dump}\n)"

    def restore_command(self, tmp: str) -> str:
        return f"( {self.environment(tmp)}{self.spec.restore}\n)"

    def check(self, open_chunks: OpenChunks) -> CheckResult:
        return check_pattern(open_chunks(), self.spec.complete)

    def drill(self, shell: HostShell, tmp: str, feed: FeedBackup, recorded: dict[str, Any] | None,
              open_chunks: OpenChunks) -> DrillOutcome:
        check = self.check(open_chunks)
        return DrillOutcome(check.ok, phrase("drill.command", detail=check.detail), supported=False)
