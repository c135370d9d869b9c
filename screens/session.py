"""What the app has open: the workspace, its store, the clock and who is at the keyboard.

Kept free of Textual so that the workers (threads) can use it without touching widgets, and so
the same values reach the engine that the CLI would give it. The core is imported inside the
functions: the first paint must not wait for pydantic and the models.
"""

from __future__ import annotations

import getpass
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from launchpad.errors import Problem
    from launchpad.issues.log import IssueLog
    from launchpad.playbook import LoadedPlaybook
    from launchpad.store import Store
    from launchpad.workspace import Workspace

Clock = Callable[[], datetime]


def actor_name() -> str:
    """The person at the keyboard, as the CLI names them (LAUNCHPAD_ACTOR, else the login)."""
    try:
        return os.environ.get("LAUNCHPAD_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Session:
    workspace: Workspace
    now: Clock
    actor: str
    _store: Store | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _issue_log: IssueLog | None = field(default=None, repr=False)
    _log_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def site(self) -> Any:
        return self.workspace.site

    def store(self) -> Store:
        """The workspace store, opened on first use (from a worker: it may migrate)."""
        with self._lock:
            if self._store is None:
                from launchpad.store import Store

                self._store = Store.open(self.workspace.store_path)
            return self._store

    def close(self) -> None:
        with self._log_lock:
            self._issue_log = None
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def issue_log(self) -> IssueLog:
        """The feedback log, written on behalf of the person at the keyboard and stamped by the
        session's clock, so "today", overdue and 明天 agree with the dashboard (from a worker)."""
        store = self.store()
        with self._log_lock:
            if self._issue_log is None:
                from launchpad.issues.log import IssueLog

                self._issue_log = IssueLog(store, self.site.tz, self.actor, clock=self.utc_now)
            return self._issue_log

    def utc_now(self) -> str:
        """Now as the store writes times (UTC ISO-8601 to the microsecond)."""
        return self.now().astimezone(UTC).isoformat(timespec="microseconds")

    def today(self) -> date:
        """The site's date now: what overdue, 明天 and the daily report are measured from."""
        return self.now().astimezone(self.site.tz).date()

    @property
    def people(self) -> dict[str, str]:
        """Contact ids to names, so `@zhang` and `@张伟` name the same owner, as in the CLI."""
        return {contact.id: contact.name for contact in self.site.contacts}

    def is_production(self, env_name: str | None) -> bool:
        env = self.site.environments.get(env_name) if env_name else None
        return bool(env and env.production)


def open_session(workspace_arg: str | Path | None, now: Clock | None = None) -> Session:
    """Find and load the workspace; raises WorkspaceNotFound or InvalidInput as the CLI does."""
    from launchpad.workspace import open_workspace

    workspace = open_workspace(workspace_arg)
    return Session(workspace, now or workspace.site.now, actor_name())


@dataclass(frozen=True)
class PlaybookEntry:
    """One playbook file as the playbook list shows it: loaded, or why it cannot be."""

    path: Path
    name: str
    bundled: bool
    loaded: LoadedPlaybook | None
    problems: tuple[Problem, ...]

    @property
    def usable(self) -> bool:
        return self.loaded is not None and not self.problems

    @property
    def title(self) -> str:
        return self.loaded.playbook.title if self.loaded else self.name


def read_playbooks(session: Session) -> list[PlaybookEntry]:
    """Every playbook the workspace can run (workspace copies hide bundled ones), each checked
    against site.yaml so the list can say which cannot run, and where the problem is."""
    from launchpad.errors import InvalidInput
    from launchpad.playbook import BUNDLED_DIR, check_against_site, list_playbooks, load_playbook

    entries = []
    for path in list_playbooks(session.workspace.root):
        bundled = path.parent.resolve() == BUNDLED_DIR.resolve()
        display = path.name if bundled else _relative(path, session.workspace.root)
        try:
            loaded = load_playbook(path, display)
        except InvalidInput as exc:
            entries.append(PlaybookEntry(path, path.stem, bundled, None, tuple(exc.problems)))
            continue
        problems = tuple(check_against_site(loaded, session.site))
        entries.append(PlaybookEntry(path, loaded.playbook.name, bundled, loaded, problems))
    return entries


def load_run_playbook(session: Session, run: dict[str, Any]) -> LoadedPlaybook:
    """The playbook of a stored run, found by name as `launchpad run NAME --resume` finds it."""
    from launchpad.playbook import find_playbook, load_playbook

    return load_playbook(find_playbook(run["playbook"], session.workspace.root))


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
