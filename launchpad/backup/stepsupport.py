"""What the `backup`, `restore` and `sql` steps and the `fresh_backup` gate share: a backup
session over the run's workspace, and progress turned into the run's output lines.

The step context carries no store, so the store is opened again from the workspace (a second
connection to the same WAL database: each write is its own transaction, so the two agree)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from launchpad.backup.progress import BackupProgress
from launchpad.backup.session import BackupSession, open_backup_session
from launchpad.events import OutputLine
from launchpad.steps.base import StepContext
from launchpad.store import Store
from launchpad.workspace import Workspace
from launchpad.yamlsource import SourceMap

PROGRESS_EVERY = 2.0  # seconds between progress lines in a run's output


def store_path(ctx: StepContext) -> Path:
    root = ctx.workspace_root or Path.cwd()
    return root / ".launchpad" / "launchpad.db"


@contextlib.contextmanager
def step_session(ctx: StepContext) -> Iterator[BackupSession]:
    root = ctx.workspace_root or Path.cwd()
    workspace = Workspace(root, ctx.site, SourceMap(str(root / "site.yaml")))
    store = Store.open(store_path(ctx))
    last = {"at": -PROGRESS_EVERY}

    def progress(event: BackupProgress) -> None:
        if event.elapsed - last["at"] >= PROGRESS_EVERY:
            last["at"] = event.elapsed
            ctx.emit(OutputLine(ctx.run_id, ctx.step_id, event.target, "stdout", event.describe()))

    try:
        with open_backup_session(workspace, store, ctx.prompter.actor, ctx.env_name, transport_for=ctx.transport_for,
                                 progress=progress, ask_secret=getattr(ctx.prompter, "secret", None),
                                 run_id=ctx.run_id, step_id=ctx.step_id) as session:
            yield session
    finally:
        store.close()
