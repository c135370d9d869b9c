"""Which process holds a record marked as in progress (a running run, a notice being sent):
this one, another live one on this computer, one that is gone (so the work was interrupted),
or one on another computer, which nothing here can tell about."""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from pathlib import Path
from typing import Any


def this_process() -> dict[str, Any]:
    """The fields an owned record keeps: pid, hostname and the boot it belongs to."""
    try:  # after a reboot the stored pid may belong to some other program
        boot_id: str | None = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        boot_id = None  # not Linux: the pid alone has to do
    return {"pid": os.getpid(), "hostname": socket.gethostname(), "boot_id": boot_id}


def owner_of(record: dict[str, Any]) -> str:
    """Who holds `record` (its pid, hostname and boot_id): "us", "dead", "alive" (another live
    process on this computer) or "remote" (another computer)."""
    here = this_process()
    if record["hostname"] != here["hostname"]:
        return "remote"
    if here["boot_id"] and record["boot_id"] and record["boot_id"] != here["boot_id"]:
        return "dead"
    if record["pid"] == here["pid"]:
        return "us"
    return "alive" if record["pid"] is not None and _process_alive(record["pid"]) else "dead"


def _process_alive(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # os.kill(pid, 0) would terminate it there; unknown must count as alive
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by another user
    with contextlib.suppress(OSError):  # a zombie answers signals but will never write again
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True
