"""Textual messages: how workers (threads) tell the screens what happened.

Workers never touch widgets; they post one of these (post_message is thread-safe) and the
handler runs on the UI thread. Names are in the past tense, like the core's events, because
each one reports something that already happened. Engine events are wrapped as they are: the
core defines them once and the UI does not re-describe them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from launchpad.engine import RunResult
    from launchpad.errors import LaunchpadError
    from launchpad.events import Event
    from launchpad.hostcheck import HostHealth
    from screens.session import PlaybookEntry, Session


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
