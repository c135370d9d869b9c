"""One run of the upload step in a fresh Python process, as `launchpad run` would do it:

    python upload_once.py WORKSPACE [--warm]

Loads the workspace, runs playbooks/upload.yaml on the `bench` environment through the engine
(connect, ask each host for the sum at the destination, stream, sha256 on the host, rename,
audit), and prints one JSON line: the step's wall time, each host's state and seconds, and the
sum. With --warm, every host is connected first (as the earlier steps of a release playbook
would have), so a host's time is the upload's own. The caller sets HOME to the benchmark's
private one (its .ssh/config reaches the hosts).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(root: Path, warm: bool) -> int:
    started = time.perf_counter()
    from launchpad.cli.prompter import CliPrompter
    from launchpad.hosts.connect import HostConnections
    from launchpad.run.engine import Engine
    from launchpad.run.playbook import load_playbook
    from launchpad.store.db import Store
    from launchpad.workspace.folder import load_workspace

    ws = load_workspace(root)
    imported = time.perf_counter()
    with Store.open(ws.store_path) as store, HostConnections(ws, "bench") as connections:
        engine = Engine(ws, store, CliPrompter("bench", yes=True, interactive=False),
                        connections.transport_for)
        if warm:
            from launchpad.hosts.pool import in_parallel

            hosts = ws.environment("bench").hosts
            in_parallel(lambda h: connections.transport_for(h).run("true"), hosts, name="warm")
        began = time.perf_counter()
        result = engine.start(load_playbook(root / "playbooks" / "upload.yaml"), "bench", {})
        ended = time.perf_counter()
        rows = store.host_rows(result.run_id, "up")
        step = next(s for s in store.step_rows(result.run_id) if s["step_id"] == "up")
    print(json.dumps({
        "status": result.status,
        "summary": step["summary"],
        "run_seconds": ended - began,
        "process_seconds": ended - started,
        "import_seconds": imported - started,
        "hosts": {r["host"]: {"state": r["stdout"], "seconds": r["duration"], "status": r["status"]} for r in rows},
        "sha256": step["evidence"].get("sha256"),
    }))
    return 0 if result.status == "passed" else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), "--warm" in sys.argv[2:]))
