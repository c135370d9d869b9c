"""One `take_backup` in a fresh process, as `launchpad backup` would run it: prints a JSON line
with the backup's size, sha256, the seconds inside the process, the seconds of the stream
itself (the dump command sent until its last byte was hashed and written) and peak memory.

    python take_once.py WORKSPACE ENV TARGET
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from launchpad.backup.hostshell import HostShell
from launchpad.backup.session import BackupSession
from launchpad.backup.take import take_backup
from launchpad.hosts.connect import HostConnections
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace


def main() -> None:
    root, env, target = sys.argv[1:4]
    started = time.monotonic()
    stream_seconds: list[float] = []
    plain_stream = HostShell.stream

    def timed_stream(self: HostShell, command: str, sink: object, *, timeout: float) -> object:
        began = time.monotonic()
        try:
            return plain_stream(self, command, sink, timeout=timeout)
        finally:
            stream_seconds.append(time.monotonic() - began)

    HostShell.stream = timed_stream  # type: ignore[assignment,method-assign]
    workspace = load_workspace(Path(root))
    store = Store.open(workspace.store_path)
    with HostConnections(workspace, env) as connections:
        session = BackupSession(workspace, store, connections.transport_for, "bench")
        record = take_backup(session, env, target)
    print(json.dumps({
        "size": record.size,
        "sha256": record.sha256,
        "seconds": time.monotonic() - started,
        "stream_seconds": sum(stream_seconds),
        "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "file": str(record.path(workspace.backups_dir)),
    }))
    store.close()


if __name__ == "__main__":
    main()
