"""The moment an app under measurement has painted: written as wall-clock time to the file
that the bench names in $LAUNCHPAD_BENCH_PAINTED, then the app exits.

Measuring this moment, rather than when the process ends, keeps work an app deliberately does
after its first frame (launchpad loads the workspace in a worker) out of the start-up figure;
the process wall time is printed as well.
"""

from __future__ import annotations

import os
import time
from typing import Any


def painted_then_exit(app: Any) -> None:
    target = os.environ.get("LAUNCHPAD_BENCH_PAINTED")
    if target:
        with open(target, "w", encoding="utf-8") as handle:
            handle.write(repr(time.time()))
    app.exit()
