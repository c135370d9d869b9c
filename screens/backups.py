"""The backups screen: an environment's backups — age, size, checksum state, drill result — and
the four things a field engineer does with them from the keyboard: take one (t), verify (v),
drill (d) and restore (r) the highlighted one.

The environment is the app's selected one (e moves to the next, and the production banner
follows it); g narrows the list to one target, and take then backs up that target, or every
target of the environment. Each operation runs in a thread worker through the same core
function the CLI calls (see `launchpad.backup.operations`), reporting its bytes and throughput to a
progress bar. A restore asks first, through the TUI's Prompter: on production by the typed
environment name, and a wrong name or Escape changes nothing. Results come as notifications,
failures as the error dialog, whose text can be copied.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState, get_current_worker

from launchpad.backup.freshness import finished_at
from launchpad.backup.operations import count_unrecorded, run_operation
from launchpad.backup.progress import BackupProgress
from launchpad.backup.records import BackupRecord, list_backups, standing
from launchpad.backup.session import open_backup_session
from launchpad.errors import LaunchpadError
from launchpad.phrases import listed
from screens.base import LaunchpadScreen
from screens.support.display import age_text
from screens.support.i18n import current_language, said, t
from screens.support.messages import BackupOperationEnded, BackupOperationFailed, BackupProgressed, BackupsRead
from screens.widgets.backup_activity import BackupActivity, describe_outcome
from screens.widgets.backup_table import BackupTable, backup_detail

REREAD_SECONDS = 60.0  # backups taken from the CLI in another terminal show up this fast


class BackupsScreen(LaunchpadScreen):
    BINDINGS = [
        Binding("t", "take", "key.bk_take", id="backups.take"),
        Binding("v", "verify", "key.bk_verify", id="backups.verify"),
        Binding("d", "drill", "key.bk_drill", id="backups.drill"),
        Binding("r", "restore", "key.bk_restore", id="backups.restore"),
        Binding("u", "refresh", "key.refresh", id="backups.refresh"),
        # The line above the table names these two keys; the footer is full at 80 columns.
        Binding("e", "next_environment", "key.environment", id="backups.environment", show=False),
        Binding("g", "next_target", "key.bk_target", id="backups.target", show=False),
        Binding("escape", "back", "key.back", id="backups.back"),
    ]

    def __init__(self, then: str = "") -> None:
        super().__init__()
        self.then = then  # take, verify, drill or restore once the list is read (the palette)
        self.target: str | None = None  # None: every target of the environment
        self.generation = 0
        self.shown_generation = -1
        self.unrecorded = 0  # complete backup files of this environment the store lacks
        self.operation: tuple[str, str] | None = None  # (kind, "env/target") while one runs
        self._keep: int | None = None  # the backup the cursor should stay on after a re-read
        self._result_shown = False  # the line under the table holds a result, not the hint

    def compose_body(self) -> ComposeResult:
        yield Static("", id="backup-bar")
        yield BackupTable(id="backup-table")
        yield Static("", id="backup-detail")
        yield BackupActivity(id="backup-activity")

    def screen_title(self) -> str:
        return t("bk.subtitle")

    @property
    def table(self) -> BackupTable:
        return self.query_one(BackupTable)

    @property
    def activity(self) -> BackupActivity:
        return self.query_one(BackupActivity)

    @property
    def env_name(self) -> str:
        return str(self.launchpad.environment)

    @property
    def ready(self) -> bool:
        """The list shows the latest read and nothing runs (tests and snapshots wait on it)."""
        return self.shown_generation == self.generation and self.operation is None

    @property
    def operation_in_progress(self) -> bool:
        return self.operation is not None

    def quit_warning(self) -> tuple[str, str]:
        kind, where = self.operation or ("take", "")
        return t("bk.quit_title"), t("bk.quit_body", op=t(f"bk.op_{kind}"), where=where)

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "environment", self._environment_changed, init=False)
        self.relabel()
        self.table.focus()
        self.requery()
        self.set_interval(REREAD_SECONDS, self._reread)

    def relabel(self) -> None:
        super().relabel()
        self.table.border_title = t("bk.table", env=self.env_name)
        self._show_bar()
        if self.operation is None and not self._result_shown:
            self.activity.end(t("bk.hint"), "dim")
        if self.shown_generation >= 0:
            self.table.show(self.table.records, self.session.now(), keep=self._current_id(),
                            standings=self.table.standings)
            self._show_detail()

    # -- the list -----------------------------------------------------------------------------

    def requery(self) -> None:
        self.generation += 1
        self.read_list(self.generation, self.env_name, self.target)

    @work(thread=True, exclusive=True, exit_on_error=False, group="backup-list")
    def read_list(self, generation: int, env_name: str, target: str | None) -> None:
        store, workspace = self.session.store(), self.session.workspace
        records = list_backups(store, env_name, target)
        standings = {r.id: standing(r, workspace.backups_dir) for r in records}  # a stat each, as the CLI lists
        self.post_message(BackupsRead(generation, records, count_unrecorded(store, workspace, env_name), standings))

    def on_backups_read(self, message: BackupsRead) -> None:
        if message.generation != self.generation:
            return  # an older environment or target, answered after the person moved on
        keep = self._keep if self._keep is not None else self._current_id()
        self._keep = None
        self.table.show(message.records, self.session.now(), keep=keep, standings=message.standings)
        self.shown_generation = message.generation
        self.unrecorded = message.unrecorded
        self._show_bar()
        self._show_detail()
        if self.then:
            then, self.then = self.then, ""
            getattr(self, f"action_{then}", lambda: None)()

    def _reread(self) -> None:
        if self.operation is None:
            self.requery()

    def _current_id(self) -> int | None:
        record = self.table.record
        return record.id if record else None

    def _show_bar(self) -> None:
        environment = self.session.site.environments.get(self.env_name)
        production = bool(environment and environment.production)
        line = Text.assemble((t("bk.env") + " ", "dim"), (self.env_name, "bold red" if production else "bold"),
                             ("(e)  ", "dim"), (t("bk.target") + " ", "dim"),
                             (self.target or t("bk.all_targets"), "bold"), ("(g)  ", "dim"))
        if environment is not None and not environment.backups:
            line.append(t("bk.no_targets"), "yellow")
        elif self.shown_generation >= 0:
            records = self.table.records
            line.append(t("bk.count_one") if len(records) == 1 else t("bk.count", count=len(records)))
            # The newest a rollback can use, by the list's own standings: not one whose file is cut short.
            standings = self.table.standings
            newest = next((r for r in records if r.id in standings and standings[r.id].usable), None)
            if newest is not None:
                line.append("  ·  " + t("bk.newest", age=age_text(self.session.now() - finished_at(newest))), "dim")
            if self.unrecorded:
                line.append("\n⚠ " + t("bk.unrecorded", count=self.unrecorded), "bold yellow")
        self.query_one("#backup-bar", Static).update(line)

    def _show_detail(self) -> None:
        record = self.table.record
        detail = backup_detail(record, self.session.site.tz) if record else Text("")
        self.query_one("#backup-detail", Static).update(detail)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _environment_changed(self, _env: object = None) -> None:
        environment = self.session.site.environments.get(self.env_name)
        if environment is None or self.target not in environment.backups:
            self.target = None
        self.table.border_title = t("bk.table", env=self.env_name)
        self.shown_generation = -1
        self._show_bar()
        self.requery()

    # -- keys ---------------------------------------------------------------------------------

    def _idle(self) -> bool:
        if self.operation is None:
            return True
        kind, where = self.operation
        self.notify(t("bk.busy", op=t(f"bk.op_{kind}"), where=where), severity="warning")
        return False

    def _chosen(self) -> BackupRecord | None:
        record = self.table.record
        if record is None:  # with none listed there is nothing to choose: say how to get one
            self.notify(t("bk.choose") if self.table.records else t("bk.none"), severity="warning")
        return record

    def action_take(self) -> None:
        if not self._idle():
            return
        environment = self.session.site.environments[self.env_name]
        targets = (self.target,) if self.target else tuple(environment.backups)
        if not targets:
            self.notify(t("bk.no_targets_take", env=self.env_name), severity="warning")
            return
        self._start("take", f"{self.env_name}/{said(listed(targets))}", self.env_name, targets, None)

    def action_verify(self) -> None:
        self._on_chosen("verify")

    def action_drill(self) -> None:
        self._on_chosen("drill")

    def action_restore(self) -> None:
        self._on_chosen("restore")

    def _on_chosen(self, kind: str) -> None:
        if not self._idle():
            return
        record = self._chosen()
        if record is not None:
            self._start(kind, f"{record.environment}/{record.target}", record.environment, (), record)

    def action_refresh(self) -> None:
        self.requery()
        self.launchpad.refresh_backup_freshness()

    def action_next_environment(self) -> None:
        if not self._idle():
            return
        names = list(self.session.site.environments)
        current = names.index(self.env_name) if self.env_name in names else -1
        self.launchpad.action_select_environment(names[(current + 1) % len(names)])

    def action_next_target(self) -> None:
        if not self._idle():
            return
        choices: list[str | None] = [None, *self.session.site.environments[self.env_name].backups]
        self.target = choices[(choices.index(self.target) + 1) % len(choices)]
        self.shown_generation = -1
        self._show_bar()
        self.requery()

    def action_back(self) -> None:
        if self._idle():
            self.app.pop_screen()

    # -- operations ---------------------------------------------------------------------------

    def _start(self, kind: str, where: str, env_name: str, targets: tuple[str, ...],
               record: BackupRecord | None) -> None:
        self.operation = (kind, where)
        if kind == "restore":
            self.activity.ask(t(f"bk.op_{kind}"), where)
        else:
            self.activity.begin(t(f"bk.op_{kind}"), where)
        self.operate(kind, env_name, targets, record)

    @work(thread=True, exclusive=True, exit_on_error=False, group="backup-operation")
    def operate(self, kind: str, env_name: str, targets: tuple[str, ...], record: BackupRecord | None) -> None:
        from launchpad.run.prompter import PromptCancelled
        from screens.support.backup_prompter import BackupPrompter
        from screens.support.run_control import RunControl

        worker = get_current_worker()
        session = self.session
        prompter = BackupPrompter(self.app, session.actor, RunControl([], is_cancelled=lambda: worker.is_cancelled),
                                  session.site.tz)
        prompter.record = record if kind == "restore" else None

        def progress(moved: BackupProgress) -> None:
            # A restore re-reads the file before it asks; its bar waits for the answer.
            if kind != "restore" or prompter.confirmed:
                self.post_message(BackupProgressed(moved))

        try:
            with open_backup_session(session.workspace, session.store(), session.actor, env_name, progress=progress,
                                     ask_secret=prompter.secret) as backups:
                outcome = run_operation(backups, kind, env_name, targets, record.id if record else None, prompter)
        except PromptCancelled:  # the screen or the app closed while a question was open
            return
        except LaunchpadError as error:
            self.post_message(BackupOperationFailed(kind, error, declined=prompter.declined))
            return
        self.post_message(BackupOperationEnded(kind, record.id if record else None, outcome))

    def on_backup_progressed(self, message: BackupProgressed) -> None:
        if self.operation is not None:
            self.activity.advance(message.progress)

    def on_backup_operation_ended(self, message: BackupOperationEnded) -> None:
        text, ok = describe_outcome(message.kind, message.backup_id, message.outcome)
        if message.kind == "take" and message.outcome:
            self._keep = message.outcome[-1].id
        self._finished(text, "bold green" if ok else "bold red")
        self.notify(text, severity="information" if ok else "error", timeout=10)

    def on_backup_operation_failed(self, message: BackupOperationFailed) -> None:
        if message.declined:
            self._finished(t("bk.declined"), "yellow")
            self.notify(t("bk.declined"), severity="warning")
            return
        error = message.error
        # A host's refusal (a dump over SSH) reads in the screen's language like the dialog's.
        title = error.title_in(current_language()) if isinstance(error, LaunchpadError) else type(error).__name__
        summary = error.said if isinstance(error, LaunchpadError) else str(error)
        self._finished("✗ " + t("error.says", title=title, message=summary), "bold red")
        self.launchpad.show_error(error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Not a LaunchpadError (a bug): the error dialog says so, and the keys work again.
        failed = event.state == WorkerState.ERROR and event.worker.group == "backup-operation"
        if failed and self.operation is not None:
            self._finished(f"✗ {type(event.worker.error).__name__}: {event.worker.error}", "bold red")
        super().on_worker_state_changed(event)

    def _finished(self, text: str, style: str) -> None:
        """The operation is over: say how it went, re-read the list and the dashboard's ages."""
        self.operation = None
        self._result_shown = True
        self.activity.end(text.replace("\n", "  "), style)
        self.requery()
        self.launchpad.refresh_backup_freshness()
