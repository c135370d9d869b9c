"""A line under the backups table: while a take, verify, drill or restore runs, a progress bar
with the bytes moved and the throughput; otherwise the last result (`describe_outcome`, also
the notification's text, wrapped over up to six lines so a failure's next step is read whole)
or what the keys do.

The core reports progress at most twice a second as `BackupProgress` (bytes, elapsed, the
file's size when it is known), so moving the bar never slows the stream. A dump's final size
is unknown until it ends, so its bar is indeterminate and the text carries the bytes; checks,
drills and restores read a file of known size and show a percentage. The numbers come first in
the text, so a narrow terminal wraps the name of the operation, not the numbers.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from launchpad.backup.progress import BackupProgress, human_size
from screens.support.i18n import known, said, t
from screens.widgets.backup_table import drill_rows_text


class BackupActivity(Horizontal):
    DEFAULT_CSS = """
    BackupActivity {
        /* A result wraps (a failure's next step comes last), up to six lines at 80 columns. */
        height: auto;
        max-height: 6;
        padding: 0 1;
    }
    BackupActivity ProgressBar {
        width: auto;
        display: none;
        margin-right: 1;
    }
    BackupActivity.-busy ProgressBar {
        display: block;
    }
    BackupActivity Bar {
        width: 20;
    }
    BackupActivity #activity-text {
        width: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=None, show_eta=False, id="activity-bar")
        yield Static("", id="activity-text", markup=False)

    @property
    def bar(self) -> ProgressBar:
        return self.query_one(ProgressBar)

    def begin(self, operation: str, where: str) -> None:
        """An operation started: an indeterminate bar until the first bytes arrive."""
        self.operation, self.where = operation, where
        self.add_class("-busy")
        self.bar.update(total=None, progress=0)
        self._say(Text(t("bk.starting", op=operation, where=where), style="bold"))

    def ask(self, operation: str, where: str) -> None:
        """An operation that asks first (a restore): no bar until the person has answered,
        so nothing on the screen suggests it already started."""
        self.operation, self.where = operation, where
        self.remove_class("-busy")
        self._say(Text(t("bk.asking", op=operation, where=where), style="bold"))

    def advance(self, progress: BackupProgress) -> None:
        if not self.has_class("-busy"):
            self.add_class("-busy")
        done = human_size(progress.bytes)
        if progress.total:
            done = t("bk.of", done=done, total=human_size(progress.total))
            self.bar.update(total=progress.total, progress=min(progress.bytes, progress.total))
        else:
            self.bar.update(total=None)
        key = f"bk.phase_{progress.phase}"
        phase = t(key) if known(key) else progress.phase
        text = t("bk.progress", op=self.operation, where=f"{progress.environment}/{progress.target}",
                 phase=phase, done=done, rate=human_size(progress.rate))
        self._say(Text(text, style="bold"))

    def end(self, text: str, style: str = "") -> None:
        self.remove_class("-busy")
        self._say(Text(text, style=style))

    def _say(self, text: Text) -> None:
        self.query_one("#activity-text", Static).update(text)


def describe_outcome(kind: str, backup_id: int | None, outcome: Any) -> tuple[str, bool]:
    """What an operation's core function returned, in words, and whether it went well: the
    backups taken, a VerifyReport, a DrillOutcome (with its row counts) or a RestoreResult."""
    if kind == "take":
        lines = [t("bk.taken", id=r.id, where=f"{r.environment}/{r.target}", size=human_size(r.size),
                   sha=r.sha256[:12]) for r in outcome]
        return "\n".join(lines), True
    if kind == "verify":
        key = "bk.verify_ok" if outcome.ok else "bk.verify_bad"
        # A failure says what to do next, the core's own words (VerifyReport.hint), as the CLI does.
        next_step = f"\n→ {said(outcome.hint)}" if outcome.hint is not None else ""
        return t(key, id=backup_id, detail=outcome.detail) + next_step, bool(outcome.ok)
    if kind == "drill":
        key = "bk.drill_none" if not outcome.supported else "bk.drill_ok" if outcome.passed else "bk.drill_bad"
        rows = drill_rows_text(list(outcome.rows or []))
        text = t(key, id=backup_id, summary=outcome.summary) + (f"\n{rows}" if rows else "")
        return text, bool(outcome.passed)
    backup, safety = outcome.backup, outcome.safety_backup
    if safety is None:  # the database was not there: created for the restore, nothing to save
        return t("bk.restored_created", id=backup.id, where=f"{backup.environment}/{backup.target}"), True
    return t("bk.restored", id=backup.id, where=f"{backup.environment}/{backup.target}", safety=safety.id), True
