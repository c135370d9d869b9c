"""What the `backup`, `restore` and `sql` steps and the `fresh_backup` gate share: a backup
session over the run's own workspace and store, and progress turned into the run's output
lines. It lives with the steps, so `launchpad.backup` never needs to know what a step is."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.run.events import OutputLine
from launchpad.steps.base import StepContext

if TYPE_CHECKING:  # the step registry imports every module here: the backup code loads when used
    from launchpad.backup.progress import BackupProgress
    from launchpad.backup.session import BackupSession

PROGRESS_EVERY = 2.0  # seconds between progress lines in a run's output


@contextlib.contextmanager
def step_session(ctx: StepContext) -> Iterator[BackupSession]:
    from launchpad.backup.session import open_backup_session

    if ctx.workspace is None or ctx.store is None:
        raise UsageError(phrase("backup.step_needs_run"), hint=phrase("backup.step_needs_run_hint"))
    last = {"at": -PROGRESS_EVERY}

    def progress(event: BackupProgress) -> None:
        if event.elapsed - last["at"] >= PROGRESS_EVERY:
            last["at"] = event.elapsed
            ctx.emit(OutputLine(ctx.run_id, ctx.step_id, event.target, "stdout", event.describe()))

    with open_backup_session(ctx.workspace, ctx.store, ctx.prompter.actor, ctx.env_name,
                             transport_for=ctx.transport_for, progress=progress,
                             ask_secret=getattr(ctx.prompter, "secret", None), run_id=ctx.run_id,
                             step_id=ctx.step_id) as session:
        yield session
