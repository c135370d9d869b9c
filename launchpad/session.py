"""What a front end has open: the workspace, its store, the clock (the site's time zone and
"today") and who is at the keyboard — opened once by the CLI for a command and once by the TUI
for its lifetime, so both give the core the same values.

Kept light to import: the CLI opens it on every command and the TUI's first paint must not wait
for pydantic and the models, so the core is imported inside the functions. The store and the
issue log are opened on first use and guarded by locks, because the TUI's workers (threads)
share one session.
"""

from __future__ import annotations

import getpass
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from launchpad.issues.log import IssueLog
    from launchpad.store.db import Store
    from launchpad.workspace.folder import Workspace
    from launchpad.workspace.site import Site

Clock = Callable[[], datetime]


def actor_name() -> str:
    """The person at the keyboard: LAUNCHPAD_ACTOR, else the login name."""
    try:
        return os.environ.get("LAUNCHPAD_ACTOR") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Session:
    workspace: Workspace
    now: Clock
    actor: str
    chosen_language: str | None = None  # `--lang` or LAUNCHPAD_LANG, over site.yaml's
    _store: Store | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _issue_log: IssueLog | None = field(default=None, repr=False)
    _log_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def site(self) -> Site:
        return self.workspace.site

    @property
    def language(self) -> str:
        """The language the person reads: the one chosen for this command (`--lang`,
        LAUNCHPAD_LANG), else site.yaml's — the client's, for reports and issue listings."""
        return self.chosen_language or self.site.site.language

    def store(self) -> Store:
        """The workspace store, opened on first use (in the TUI from a worker: it may migrate)."""
        with self._lock:
            if self._store is None:
                from launchpad.store.db import Store

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
        session's clock, so "today", overdue and 明天 agree with the dashboard and the report."""
        store = self.store()
        with self._log_lock:
            if self._issue_log is None:
                from launchpad.issues.log import IssueLog

                self._issue_log = IssueLog(store, self.site.tz, self.actor, clock=self.stamp_now)
            return self._issue_log

    def stamp_now(self) -> str:
        """Now as the store writes times (UTC ISO-8601 to the microsecond)."""
        from launchpad.sitetime import to_stamp

        return to_stamp(self.now())

    def today(self) -> date:
        """The site's date now: what overdue, 明天 and the daily report are measured from."""
        return self.now().astimezone(self.site.tz).date()

    @property
    def people(self) -> dict[str, str]:
        """Contact ids to names, so `@zhang` and `@张伟` name the same owner."""
        return {contact.id: contact.name for contact in self.site.contacts}

    def is_production(self, env_name: str | None) -> bool:
        env = self.site.environments.get(env_name) if env_name else None
        return bool(env and env.production)


def open_session(workspace_arg: str | Path | None, now: Clock | None = None, actor: str | None = None) -> Session:
    """Find and load the workspace; raises WorkspaceNotFound or InvalidInput."""
    from launchpad.workspace.folder import open_workspace

    workspace = open_workspace(workspace_arg)
    return Session(workspace, now or workspace.site.now, actor or actor_name())
