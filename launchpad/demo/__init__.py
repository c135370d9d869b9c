"""The demo: a complete workspace on this machine, so a newcomer sees every capability work
within a minute with no server of their own (`launchpad demo`).

`build_demo` writes the workspace (local-transport environments, SQLite "client" databases,
the bundled playbooks); `start_demo_webapp` and `stop_demo_webapp` run the small local web app
that stands for the client's system.
"""

from launchpad.demo.builder import build_demo
from launchpad.demo.launcher import start_demo_webapp, stop_demo_webapp

__all__ = ["build_demo", "start_demo_webapp", "stop_demo_webapp"]
