"""Textual messages: how workers (threads) tell the screens what happened.

Workers never touch widgets; they post one of these (post_message is thread-safe) and the
handler runs on the UI thread. Names are in the past tense, like the core's events, because
each one reports something that already happened. Engine events are wrapped as they are: the
core defines them once and the UI does not re-describe them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from launchpad.backup.freshness import BackupFreshness
    from launchpad.backup.progress import BackupProgress
    from launchpad.backup.records import BackupRecord, Standing
    from launchpad.errors import LaunchpadError
    from launchpad.golive.progress import Progress
    from launchpad.hosts.hostcheck import HostHealth
    from launchpad.issues.chat import ChatPaste
    from launchpad.issues.model import Issue
    from launchpad.issues.summary import IssueSummary
    from launchpad.report.publish import SendOutcome
    from launchpad.run.engine import RunResult
    from launchpad.run.events import Event
    from launchpad.run.playbook_list import PlaybookEntry
    from launchpad.session import Session
    from screens.widgets.issue_table import PageSource


class WorkspaceOpened(Message):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session


class WorkspaceFailed(Message):
    """The workspace could not be found or loaded (WorkspaceNotFound, InvalidInput …)."""

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error


class RunsLoaded(Message):
    def __init__(self, recent: list[dict[str, Any]], interrupted: list[dict[str, Any]]) -> None:
        super().__init__()
        self.recent = recent
        self.interrupted = interrupted


class HostsChecked(Message):
    def __init__(self, env_name: str, health: list[HostHealth]) -> None:
        super().__init__()
        self.env_name = env_name
        self.health = health


class PlaybooksRead(Message):
    def __init__(self, entries: list[PlaybookEntry]) -> None:
        super().__init__()
        self.entries = entries


class RunEventReceived(Message):
    """One engine event (RunStarted, StepStarted, OutputLine …), delivered on the UI thread."""

    def __init__(self, event: Event) -> None:
        super().__init__()
        self.event = event


class RunEnded(Message):
    def __init__(self, result: RunResult) -> None:
        super().__init__()
        self.result = result


class RunStopped(Message):
    """The person stopped the run (or quit): it is stored as interrupted, resumable."""

    def __init__(self, run_id: int | None) -> None:
        super().__init__()
        self.run_id = run_id


class RunFailedToStart(Message):
    """The engine refused to run (a bad variable, a missing environment …)."""

    def __init__(self, error: LaunchpadError) -> None:
        super().__init__()
        self.error = error


class LanguageChanged(Message):
    pass


class RunPaused(Message):
    """The engine waits between steps for "run next" or "run all" (or it went on again)."""

    def __init__(self, paused: bool) -> None:
        super().__init__()
        self.paused = paused


class OutputReceived(Message):
    """Output lines or commands are waiting in the run screen's OutputBurst."""


# -- feedback issues and the daily report ---------------------------------------------------------


class IssueSummaryRead(Message):
    """The dashboard's counts: open issues by severity, overdue."""

    def __init__(self, summary: IssueSummary) -> None:
        super().__init__()
        self.summary = summary


class IssuesFound(Message):
    """A filter's result: how many match, the first page, and how to read the others."""

    def __init__(self, generation: int, total: int, first_page: list[Issue], source: PageSource,
                 cursor: int) -> None:
        super().__init__()
        self.generation, self.total, self.first_page = generation, total, first_page
        self.source, self.cursor = source, cursor


class IssuesAdded(Message):
    """Issues logged (quick capture, the form, a paste), and the drafts the log refused."""

    def __init__(self, added: list[Issue], refused: list[tuple[str, LaunchpadError]],
                 skipped: list[str] | None = None) -> None:
        super().__init__()
        self.added = added
        self.refused = refused
        self.skipped = skipped or []  # pasted messages already logged, each said in a line


class IssueChanged(Message):
    def __init__(self, issue: Issue) -> None:
        super().__init__()
        self.issue = issue


class IssueWriteFailed(Message):
    """The log refused a change (the workflow, a value it cannot read, a locked store)."""

    def __init__(self, error: LaunchpadError) -> None:
        super().__init__()
        self.error = error


class ChatParsed(Message):
    def __init__(self, generation: int, paste: ChatPaste) -> None:
        super().__init__()
        self.generation = generation
        self.paste = paste


class ReportRendered(Message):
    def __init__(self, generation: int, text: str) -> None:
        super().__init__()
        self.generation = generation
        self.text = text


class PlanRead(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class ReportExported(Message):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class ReportDrafted(Message):
    """The report written as a mail draft (.eml) at `path`."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path


class ReportCopied(Message):
    """The text went to the clipboard program `tool`, or there is none (tool is None)."""

    def __init__(self, tool: str | None, text: str) -> None:
        super().__init__()
        self.tool = tool
        self.text = text


class ReportSent(Message):
    """A send's outcome; when it did not go, `copied` says where the text went instead."""

    def __init__(self, outcome: SendOutcome, copied: str | None) -> None:
        super().__init__()
        self.outcome = outcome
        self.copied = copied


class ReportFailed(Message):
    """Rendering or exporting failed (a workspace template with an error, a full disk)."""

    def __init__(self, error: LaunchpadError | OSError) -> None:
        super().__init__()
        self.error = error


# -- backups ----------------------------------------------------------------------------------------


class GoliveRead(Message):
    """The dashboard's go-live panel: the checklist's progress, or none (no golive.yaml, or
    one with `mistakes`)."""

    def __init__(self, progress: Progress | None, mistakes: int = 0) -> None:
        super().__init__()
        self.progress = progress
        self.mistakes = mistakes


class BackupFreshnessRead(Message):
    """The dashboard's line: each environment's newest verified backup."""

    def __init__(self, freshness: dict[str, BackupFreshness]) -> None:
        super().__init__()
        self.freshness = freshness


class BackupsRead(Message):
    def __init__(self, generation: int, records: list[BackupRecord], unrecorded: int = 0,
                 standings: dict[int, Standing] | None = None) -> None:
        super().__init__()
        self.generation = generation
        self.records = records
        self.standings = standings or {}  # each backup as it stands now (a stat of its file)
        self.unrecorded = unrecorded  # complete backup files the store lacks


class BackupProgressed(Message):
    """Bytes moved by a dump, a check, a drill or a restore (at most twice a second)."""

    def __init__(self, progress: BackupProgress) -> None:
        super().__init__()
        self.progress = progress


class BackupOperationEnded(Message):
    """A take, verify, drill or restore finished; `outcome` is what the core function returned
    (the backups taken, a VerifyReport, a DrillOutcome, a RestoreResult)."""

    def __init__(self, kind: str, backup_id: int | None, outcome: Any) -> None:
        super().__init__()
        self.kind = kind
        self.backup_id = backup_id
        self.outcome = outcome


class BackupOperationFailed(Message):
    """The core refused or failed; `declined` when the person said no to a restore."""

    def __init__(self, kind: str, error: BaseException, declined: bool = False) -> None:
        super().__init__()
        self.kind = kind
        self.error = error
        self.declined = declined
