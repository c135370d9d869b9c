"""What a test does when a server or tool it needs (sshd, MariaDB, PostgreSQL, tmux, mount)
is not on this machine: under CI it fails, since `.ci/run` installs them all; elsewhere it is
skipped with a reason starting `MISSING_PREFIX`, and the run's summary lists every such skip in
red, so a green run that tested less is never mistaken for a complete one."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest

MISSING_PREFIX = "not on this machine: "


def missing(what: str, reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing ({reason}): CI must run these tests (.ci/run installs it)",
                    pytrace=False)
    pytest.skip(f"{MISSING_PREFIX}{what} ({reason})")
