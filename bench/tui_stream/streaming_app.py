"""launchpad's app opened straight on the run screen of the bench's `stream` playbook, in step
mode (so it waits, idle, before the step), writing what it has taken to a stats file.

The bench drives it from outside, through the terminal, like a person: `n` starts the step,
`?` opens and closes the help screen. What only the app knows — the run's state and how many
output lines the run screen has taken so far — goes to the stats file as one JSON object per
line, a few times a second; the bench reads the last one.

    python streaming_app.py WORKSPACE STATS_FILE
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from launchpad.run.events import OutputLine
from launchpad.run.playbook import load_playbook
from screens.app import LaunchpadApp
from screens.run import RunScreen

STATS_SECONDS = 0.1


class StreamingBenchApp(LaunchpadApp):
    def __init__(self, root: Path, stats: Path) -> None:
        super().__init__(root, watch_hosts=False, offer_resume=False, language="en")
        self.root, self.stats = root, stats
        self.run_screen: RunScreen | None = None
        self.lines_taken = 0

    def on_workspace_opened(self, message: Any) -> None:
        super().on_workspace_opened(message)
        loaded = load_playbook(self.root / "playbooks" / "stream.yaml")
        screen = RunScreen(loaded, "bench", {}, step_mode=True)
        add_output = screen.view.add_output

        def counted(event: OutputLine) -> str:
            self.lines_taken += 1
            return add_output(event)

        screen.view.add_output = counted  # type: ignore[method-assign]
        self.run_screen = screen
        self.push_screen(screen)
        self.set_interval(STATS_SECONDS, self.write_stats)

    def on_workspace_failed(self, message: Any) -> None:
        self.exit(return_code=2)

    def write_stats(self) -> None:
        screen = self.run_screen
        assert screen is not None
        stats = {
            "t": time.monotonic(),
            "state": screen.state,
            "step": screen.view.status("stream"),
            "result": screen.result_status,
            "lines": self.lines_taken,
        }
        with self.stats.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(stats) + "\n")


if __name__ == "__main__":
    app = StreamingBenchApp(Path(sys.argv[1]), Path(sys.argv[2]))
    app.run()
    sys.exit(app.return_code or 0)
