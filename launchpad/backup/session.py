"""What every backup operation needs: the workspace, its store, transports, who acts, where
progress goes, how to ask for a `prompt` secret, and the playbook run (if any) it belongs to."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launchpad.backup.progress import ProgressSink, ignore_progress
from launchpad.hosts.base import Transport
from launchpad.phrases import phrase
from launchpad.store.db import Store
from launchpad.workspace.folder import Workspace
from launchpad.workspace.secrets import AskSecret
from launchpad.workspace.site import Host


@dataclass
class BackupSession:
    workspace: Workspace
    store: Store
    transport_for: Callable[[Host], Transport]
    actor: str
    progress: ProgressSink = ignore_progress
    ask_secret: AskSecret | None = None
    run_id: int | None = None
    step_id: str | None = None

    @property
    def backups_dir(self) -> Path:
        return self.workspace.backups_dir

    def audit(self, action: str, target: str, detail: dict[str, Any]) -> None:
        context = {"run": self.run_id, "step": self.step_id} if self.run_id is not None else {}
        self.store.audit(self.actor, action, target, {**detail, **context})


@contextmanager
def open_backup_session(workspace: Workspace, store: Store, actor: str, env_name: str | None = None, *,
                        transport_for: Callable[[Host], Transport] | None = None,
                        progress: ProgressSink = ignore_progress, ask_secret: AskSecret | None = None,
                        run_id: int | None = None, step_id: str | None = None) -> Iterator[BackupSession]:
    """A BackupSession for the CLI, the TUI and the playbook steps alike. A step passes its
    run's `transport_for`; the front ends get connections to `env_name`'s hosts (default: the
    first environment), opened here and closed afterwards, every command audited as `actor`."""
    if transport_for is not None:
        yield BackupSession(workspace, store, transport_for, actor, progress, ask_secret, run_id, step_id)
        return
    from launchpad.errors import UsageError
    from launchpad.hosts.connect import HostConnections

    name = env_name or next(iter(workspace.site.environments), None)
    if name is None:
        raise UsageError(phrase("backup.no_environments"))
    with HostConnections(workspace, name, store=store, actor=actor) as connections:
        yield BackupSession(workspace, store, connections.transport_for, actor, progress, ask_secret, run_id,
                            step_id)
