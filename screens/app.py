"""The launchpad terminal app: opening a workspace, app-wide state and keys, the palette.

The app owns what every screen shows — the open workspace, the selected environment (which
drives the production banner), the language, recent runs and host reachability — as reactives
that screens watch; the screens own their own work. Nothing slow happens on the UI thread: the
workspace, the store and the host checks load in thread workers, so the first frame comes as
fast as a bare Textual app's and keys answer while hosts are probed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen

from launchpad.backup.freshness import BackupFreshness
from launchpad.issues.summary import IssueSummary
from launchpad.session import Clock, Session, open_session
from screens.dashboard import DashboardScreen
from screens.support.commands import LaunchpadCommands
from screens.support.i18n import other_language, set_language, t
from screens.support.keymap import KEYMAP_FILE
from screens.support.messages import (
    BackupFreshnessRead,
    HostsChecked,
    IssueSummaryRead,
    RunsLoaded,
    WorkspaceFailed,
    WorkspaceOpened,
)
from screens.support.prompter import QuestionAsked

HOST_CHECK_INTERVAL = 120.0  # seconds between background reachability checks
ISSUE_COUNT_INTERVAL = 60.0  # issues logged from the CLI in another terminal show up this fast
# A refused keymap is said until read: the person expects their keys and must know why not.
KEYMAP_NOTICE_SECONDS = 60.0


class LaunchpadApp(App[None]):
    # Absolute, so an App subclass in another folder (the start-up bench) finds it too.
    CSS_PATH = Path(__file__).parent / "launchpad.tcss"
    TITLE = "launchpad"
    COMMANDS: ClassVar[set[Any]] = {LaunchpadCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "key.quit", id="app.quit", priority=True, show=False),
        Binding("question_mark", "help", "key.help", key_display="?", id="app.help"),
        Binding("ctrl+t", "switch_language", "key.language", id="app.language", show=False),
        Binding("ctrl+p", "command_palette", "key.palette", id="app.palette", show=False, priority=True),
        # On the app, not the dashboard: the checklist is reached from every screen. Listed by
        # help and the palette; the footers are full at 80 columns.
        Binding("ctrl+g", "golive", "key.golive", id="app.golive", show=False),
    ]

    session: reactive[Session | None] = reactive(None)
    environment: reactive[str | None] = reactive(None)
    language: reactive[str] = reactive("zh")
    recent_runs: reactive[list[dict[str, Any]]] = reactive(list, always_update=True)
    interrupted_runs: reactive[list[dict[str, Any]]] = reactive(list, always_update=True)
    host_health: reactive[dict[str, Any]] = reactive(dict, always_update=True)
    issue_summary: reactive[IssueSummary | None] = reactive(None, always_update=True)
    backup_freshness: reactive[dict[str, BackupFreshness] | None] = reactive(None, always_update=True)

    def __init__(
        self,
        workspace: str | Path | None = None,
        *,
        now: Clock | None = None,
        language: str | None = None,
        watch_hosts: bool = True,
        offer_resume: bool = True,
    ) -> None:
        super().__init__()
        self.workspace_arg = workspace
        self.clock = now
        self.forced_language = language
        self.watch_hosts = watch_hosts
        self.offer_resume = offer_resume
        self.open_error: BaseException | None = None
        self._resume_offered = False
        self.set_reactive(LaunchpadApp.language, set_language(language or "zh"))

    # -- opening ------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return DashboardScreen()

    def on_mount(self) -> None:
        self._load_keymap()
        # After the first frame: loading pydantic and site.yaml holds the GIL, and the person
        # should see the screen (and be able to press keys) before it is done.
        self.call_after_refresh(self.open_workspace)

    @work(thread=True, exclusive=True, exit_on_error=False, group="workspace")
    def open_workspace(self) -> None:
        from launchpad.errors import LaunchpadError

        try:
            session = open_session(self.workspace_arg, self.clock)
            session.store()  # open and migrate now, off the UI thread, not in the first run
        except LaunchpadError as error:
            self.post_message(WorkspaceFailed(error))
            return
        except Exception as error:  # e.g. an unreadable file: still a screen, never a traceback
            self.post_message(WorkspaceFailed(error))
            return
        self.post_message(WorkspaceOpened(session))

    def on_workspace_failed(self, message: WorkspaceFailed) -> None:
        from screens.opening_error import OpeningErrorScreen

        self.open_error = message.error
        self.push_screen(OpeningErrorScreen(message.error))

    def on_workspace_opened(self, message: WorkspaceOpened) -> None:
        session = message.session
        if self.forced_language is None:
            self.language = set_language(session.site.site.language)
        environments = session.site.environments
        self.session = session
        # Start on a test environment: production must be chosen, never a default.
        safe = [name for name, env in environments.items() if not env.production]
        self.environment = next(iter(safe or list(environments)), None)
        self.refresh_runs()
        self.refresh_issue_summary()
        self.refresh_backup_freshness()
        self.set_interval(ISSUE_COUNT_INTERVAL, self.refresh_issue_summary)
        self.set_interval(ISSUE_COUNT_INTERVAL, self.refresh_backup_freshness)
        if self.watch_hosts:
            self.action_check_hosts()
            self.set_interval(HOST_CHECK_INTERVAL, self.action_check_hosts)

    def reopen(self) -> None:
        """Try the workspace again (after the person fixed site.yaml)."""
        from screens.opening_error import OpeningErrorScreen

        self.open_error = None
        if isinstance(self.screen, OpeningErrorScreen):
            self.pop_screen()
        self.open_workspace()

    # -- background state ---------------------------------------------------------------------

    @property
    def production(self) -> bool:
        return self.session is not None and self.session.is_production(self.environment)

    def watch_environment(self) -> None:
        self.set_class(self.production, "-production")

    @work(thread=True, exclusive=True, exit_on_error=False, group="runs")
    def refresh_runs(self) -> None:
        if self.session is None:
            return
        store = self.session.store()
        self.post_message(RunsLoaded(store.list_runs(limit=10), store.interrupted_runs()))

    def on_runs_loaded(self, message: RunsLoaded) -> None:
        self.recent_runs = message.recent
        self.interrupted_runs = message.interrupted
        if message.interrupted and self.offer_resume and not self._resume_offered:
            self._resume_offered = True
            self.action_resume()

    @work(thread=True, exclusive=True, exit_on_error=False, group="issue-summary")
    def refresh_issue_summary(self) -> None:
        from launchpad.issues.summary import read_issue_summary

        if self.session is not None:
            self.post_message(IssueSummaryRead(read_issue_summary(self.session)))

    def on_issue_summary_read(self, message: IssueSummaryRead) -> None:
        self.issue_summary = message.summary

    @work(thread=True, exclusive=True, exit_on_error=False, group="backup-freshness")
    def refresh_backup_freshness(self) -> None:
        from launchpad.backup.freshness import read_freshness

        session = self.session
        if session is not None:
            freshness = read_freshness(session.store(), session.site, session.workspace.backups_dir)
            self.post_message(BackupFreshnessRead(freshness))

    def on_backup_freshness_read(self, message: BackupFreshnessRead) -> None:
        self.backup_freshness = message.freshness

    @work(thread=True, exclusive=True, exit_on_error=False, group="hosts")
    def check_all_hosts(self) -> None:
        from launchpad.hosts.connect import HostConnections
        from launchpad.hosts.hostcheck import check_hosts

        session = self.session
        if session is None:
            return
        for env_name, environment in session.site.environments.items():
            with HostConnections(session.workspace, env_name) as connections:
                health = check_hosts(connections, list(environment.hosts))
            self.post_message(HostsChecked(env_name, health))

    def on_hosts_checked(self, message: HostsChecked) -> None:
        self.host_health = {**self.host_health, message.env_name: message.health}

    # -- questions from workers and errors ----------------------------------------------------

    def on_question_asked(self, message: QuestionAsked) -> None:
        message.present()

    def show_error(self, error: BaseException) -> None:
        from screens.dialogs.error import ErrorDialog, describe_error

        title, text = describe_error(error)
        self.push_screen(ErrorDialog(title, text))

    def on_worker_state_changed(self, event: Any) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.show_error(event.worker.error)

    # -- actions ------------------------------------------------------------------------------

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_switch_language(self) -> None:
        self.language = set_language(other_language())
        self.refresh_bindings()
        self.notify(t("language.switched"), timeout=2)

    def action_check_hosts(self) -> None:
        if self.session is not None:
            self.host_health = {}
            self.check_all_hosts()

    def action_select_environment(self, env_name: str) -> None:
        if self.session is not None and env_name in self.session.site.environments:
            self.environment = env_name

    def action_show_dashboard(self) -> None:
        while len(self.screen_stack) > 1 and not self._busy(self.screen):
            self.pop_screen()

    def action_playbooks(self) -> None:
        from screens.playbooks import PlaybooksScreen

        if self.session is not None and not isinstance(self.screen, PlaybooksScreen):
            self.push_screen(PlaybooksScreen())

    def action_issues(self, then: str = "") -> None:
        """The issues screen; `then`: capture, search, paste or new, to begin with."""
        from screens.issues import IssuesScreen

        if self.session is None:
            return
        if isinstance(self.screen, IssuesScreen):
            self.screen.begin(then)
        else:
            self.push_screen(IssuesScreen(then))

    def action_daily_report(self, then: str = "") -> None:
        """The daily report screen; `then`: send, to offer sending at once."""
        from screens.report import ReportScreen

        if self.session is None:
            return
        if isinstance(self.screen, ReportScreen):
            if then == "send":
                self.screen.action_send()
        else:
            self.push_screen(ReportScreen(self.session, then))

    def action_backups(self, then: str = "") -> None:
        """The backups screen; `then`: take, verify, drill or restore, to begin with."""
        from screens.backups import BackupsScreen

        if self.session is None:
            return
        if isinstance(self.screen, BackupsScreen):
            action = getattr(self.screen, f"action_{then}", None) if then else None
            if action is not None:
                action()
        else:
            self.push_screen(BackupsScreen(then))

    def action_golive(self) -> None:
        from screens.golive import GoliveScreen

        if self.session is not None and not isinstance(self.screen, GoliveScreen):
            self.push_screen(GoliveScreen())

    def action_handover(self) -> None:
        from screens.handover import HandoverScreen

        if self.session is not None and not isinstance(self.screen, HandoverScreen):
            self.push_screen(HandoverScreen())
    def action_user_import(self) -> None:
        from screens.user_import import UserImportScreen

        if self.session is not None and not isinstance(self.screen, UserImportScreen):
            self.push_screen(UserImportScreen())

    def action_drift(self) -> None:
        from screens.drift import DriftScreen

        if self.session is not None and not isinstance(self.screen, DriftScreen):
            self.push_screen(DriftScreen())

    def action_resume(self) -> None:
        from screens.dialogs.resume import ResumeDialog

        if self.session is None:
            return
        if not self.interrupted_runs:
            self.notify(t("resume.none"))
            return
        dialog = ResumeDialog(self.interrupted_runs, self.session.site.tz)
        self.push_screen(dialog, callback=self.resume_run)

    def resume_run(self, run_id: int | None) -> None:
        from launchpad.errors import LaunchpadError
        from launchpad.run.engine import resumable_run
        from launchpad.run.playbook_list import load_run_playbook
        from screens.run import RunScreen

        if run_id is None or self.session is None:
            return
        try:  # the engine says whether the run can go on, and where: on its own environment
            run = resumable_run(self.session.store(), run_id)
            loaded = load_run_playbook(self.session.workspace, run["playbook"])
        except LaunchpadError as error:
            self.show_error(error)
            return
        self.environment = run["environment"]
        self.push_screen(RunScreen(loaded, str(self.environment), {}, resume_run_id=run_id))

    async def action_quit(self) -> None:
        from screens.dialogs.confirm import ConfirmDialog

        running = next((s for s in self.screen_stack if self._run_in_progress(s)), None)
        backing_up = next((s for s in self.screen_stack if self._busy(s)), None)
        if running is None and backing_up is not None:
            # A backup or restore stopped halfway: say so, and quit only on yes.
            title, body = backing_up.quit_warning()  # type: ignore[attr-defined]
            self.push_screen(ConfirmDialog(title, body), callback=lambda yes: self.exit() if yes else None)
            return
        if running is None:
            self.exit()
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                running.stop_run()  # type: ignore[attr-defined]
                self.exit()

        self.push_screen(ConfirmDialog(t("run.quit_title"), t("run.quit_body")), callback=answered)

    @staticmethod
    def _run_in_progress(screen: Screen[Any]) -> bool:
        return bool(getattr(screen, "run_in_progress", False))

    @staticmethod
    def _busy(screen: Screen[Any]) -> bool:
        """A run, or a backup operation, that leaving the screen would abandon."""
        return LaunchpadApp._run_in_progress(screen) or bool(getattr(screen, "operation_in_progress", False))

    def _load_keymap(self) -> None:
        path = KEYMAP_FILE.expanduser()
        if not path.is_file():
            return
        from screens.support.keymap import read_keymap

        keymap, problems = read_keymap(path, type(self))
        if problems:
            self.notify(t("keymap.refused", path=str(path), problems="\n".join(problems)),
                        title=t("keymap.refused_title"), severity="error", timeout=KEYMAP_NOTICE_SECONDS)
            return
        self.set_keymap(keymap)


def run_app(workspace: str | Path | None) -> None:
    """Open the TUI on a workspace (None: find it from the current folder, like git)."""
    app = LaunchpadApp(workspace)
    try:
        app.run()
    finally:
        if app.session is not None:
            app.session.close()
