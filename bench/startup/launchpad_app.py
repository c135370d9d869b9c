"""launchpad's app on a workspace, exiting on its first paint (`--until first-paint`) or once
the workspace is loaded and shown (`--until workspace`).

The first is the start-up the target speaks of — the screen is drawn and keys answer; the
second shows what the person waits for before the dashboard is filled in.
"""

from __future__ import annotations

import sys
from typing import Any

from painted import painted_then_exit

from screens.app import LaunchpadApp


class FirstPaint(LaunchpadApp):
    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(painted_then_exit, self)


class WorkspaceShown(LaunchpadApp):
    def on_workspace_opened(self, message: Any) -> None:
        super().on_workspace_opened(message)
        self.call_after_refresh(painted_then_exit, self)

    def on_workspace_failed(self, message: Any) -> None:
        self.exit(return_code=2)


if __name__ == "__main__":
    root, until = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "first-paint"
    app_class = WorkspaceShown if until == "workspace" else FirstPaint
    app = app_class(root, watch_hosts=False, offer_resume=False)
    app.run()
    sys.exit(app.return_code or 0)
