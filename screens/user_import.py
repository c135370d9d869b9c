"""The user-import screen: the client's sheet checked, planned against an environment, imported
and — when it must be — rolled back, from the keyboard.

f chooses the sheet and the mapping (the workspace's `imports/`, or a path typed); the check runs
at once and every problem is listed (sheet, row, column letter, header, value, why), filtered
with /; w writes the annotated copy for the client. p plans against the app's environment (e
moves to the next, the production banner follows it): the counts per unit, and the rows of each
kind (k), an update showing old → new. a imports: the same core as `launchpad users import`
(`users.importing`) plans again against the live target, asks — on production by the typed
environment name — passes production's fresh-backup gate, then applies with a progress bar
(rows done, rate, time left; hashing, then writing). x stops it between batches: what was
written stays and a continues it. Afterwards the import's id, o for its hand-out files, l for
the past imports, r to roll one back (asked for first) and d to abandon an unfinished one (its id
typed, as `users abandon ID` asks).

Every read and write runs in a thread worker; the UI only shows what the workers post.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState, get_current_worker

from launchpad.backup.freshness import said_age
from launchpad.errors import LaunchpadError
from launchpad.safetext import shell_word
from launchpad.users.plan import ACTIONS
from launchpad.workspace.folder import workspace_relative
from screens.base import LaunchpadScreen
from screens.support.i18n import current_language, said, t
from screens.widgets.import_tables import (
    ImportActivity,
    import_headers,
    import_rows,
    kind_headers,
    kind_rows,
    problem_headers,
    problem_rows,
    unit_headers,
    unit_rows,
)
from screens.widgets.tables import fill_table

PROGRESS_EVERY = 0.1  # seconds between progress messages: 100,000 hashes must not flood the UI


# -- what the workers post ------------------------------------------------------------------------


class SheetChecked(Message):
    def __init__(self, checked: Any, rows: Any) -> None:
        super().__init__()
        self.checked, self.rows = checked, rows


class SheetPlanned(Message):
    def __init__(self, env_name: str, planned: Any, plan_id: int, rows: Any) -> None:
        super().__init__()
        self.env_name, self.planned, self.plan_id, self.rows = env_name, planned, plan_id, rows


class ImportProgressed(Message):
    def __init__(self, progress: Any) -> None:
        super().__init__()
        self.progress = progress


class ImportEnded(Message):
    """An operation ended: `text` says how, `ok` colours it; `outcome` is the core's answer."""

    def __init__(self, kind: str, text: str, ok: bool, outcome: Any = None) -> None:
        super().__init__()
        self.kind, self.text, self.ok, self.outcome = kind, text, ok, outcome


NOTES_SHOWN = 5  # the check's notes above the tables; the rest counted


class ImportFailed(Message):
    def __init__(self, kind: str, error: BaseException, declined: bool = False) -> None:
        super().__init__()
        self.kind, self.error, self.declined = kind, error, declined


class ImportsRead(Message):
    def __init__(self, found: list[dict[str, Any]]) -> None:
        super().__init__()
        self.found = found


@dataclass
class Chosen:
    sheet: Path
    mapping: Path


class UserImportScreen(LaunchpadScreen):
    BINDINGS = [
        Binding("f", "choose", "key.ui_file", id="user_import.file"),
        Binding("p", "plan", "key.ui_plan", id="user_import.plan"),
        Binding("a", "apply", "key.ui_apply", id="user_import.apply"),
        Binding("x", "stop", "key.ui_stop", id="user_import.stop"),
        Binding("w", "annotate", "key.ui_annotate", id="user_import.annotate"),
        # The line above the tables names these; the footer is full at 80 columns.
        Binding("e", "next_environment", "key.environment", id="user_import.environment", show=False),
        Binding("slash", "filter", "key.ui_filter", key_display="/", id="user_import.filter", show=False),
        Binding("n", "problems", "key.ui_problems", id="user_import.problems", show=False),
        Binding("k", "next_kind", "key.ui_kind", id="user_import.kind", show=False),
        Binding("l", "imports", "key.ui_imports", id="user_import.imports", show=False),
        Binding("r", "rollback", "key.ui_rollback", id="user_import.rollback", show=False),
        Binding("o", "handout", "key.ui_handout", id="user_import.handout", show=False),
        Binding("d", "abandon", "key.ui_abandon", id="user_import.abandon", show=False),
        Binding("escape", "back", "key.back", id="user_import.back"),
    ]

    def __init__(self, sheet: Path | None = None, mapping: Path | None = None) -> None:
        super().__init__()
        self.chosen: Chosen | None = Chosen(sheet, mapping) if sheet and mapping else None
        self.checked: Any = None  # operations.Checked of the chosen sheet
        self.rows_read: Any = None  # operations.Rows
        self.planned: Any = None  # operations.Planned against `planned_env`
        self.planned_env: str | None = None
        self.plan_id: int | None = None
        self.kind = "insert"
        self.operation: str | None = None  # check, plan, apply, rollback, annotate while one runs
        self.stop_asked = False
        self.imports: list[dict[str, Any]] = []
        self.last_import: int | None = None
        self.last_progress: Any = None
        self._last_posted = 0.0

    def compose_body(self) -> ComposeResult:
        yield Static("", id="import-bar")
        yield Static("", id="import-summary")
        with TabbedContent(id="import-tabs", initial="tab-problems"):
            with TabPane(t("ui.tab_problems"), id="tab-problems"):
                yield Input(placeholder=t("ui.filter_placeholder"), id="problem-filter")
                yield DataTable(id="problems", cursor_type="row", zebra_stripes=True)
            with TabPane(t("ui.tab_plan"), id="tab-plan"):
                yield DataTable(id="plan-units", cursor_type="row")
                yield Static("", id="plan-kind")
                yield DataTable(id="plan-rows", cursor_type="row", zebra_stripes=True)
            with TabPane(t("ui.tab_imports"), id="tab-imports"):
                yield DataTable(id="imports", cursor_type="row")
        yield ImportActivity(id="import-activity")

    def screen_title(self) -> str:
        return t("ui.subtitle")

    @property
    def env_name(self) -> str:
        return str(self.launchpad.environment)

    @property
    def activity(self) -> ImportActivity:
        return self.query_one(ImportActivity)

    @property
    def operation_in_progress(self) -> bool:
        return self.operation is not None

    @property
    def ready(self) -> bool:
        """Nothing runs (tests and snapshots wait on it)."""
        return self.operation is None

    def quit_warning(self) -> tuple[str, str]:
        op = t(f"ui.op_{self.operation or 'apply'}")
        return t("ui.quit_title", op=op), t("ui.quit_body")

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "environment", self._environment_changed, init=False)
        self.relabel()
        self.read_imports()
        if self.chosen is None:
            self._choose_default()
        else:
            self._check()

    def relabel(self) -> None:
        super().relabel()
        tabs = self.query_one(TabbedContent)
        for pane_id, key in (("tab-problems", "ui.tab_problems"), ("tab-plan", "ui.tab_plan"),
                             ("tab-imports", "ui.tab_imports")):
            tabs.get_tab(pane_id).label = t(key)
        self.query_one("#problem-filter", Input).placeholder = t("ui.filter_placeholder")
        self._show_bar()
        self._show_summary()
        self._show_problems()
        self._show_plan()
        self._show_imports()
        if self.operation is None and not self.activity.text:
            self.activity.say(t("ui.keys_hint"), "dim")

    # -- choosing the sheet -------------------------------------------------------------------

    def _choose_default(self) -> None:
        """The only sheet and mapping of imports/ are checked at once; otherwise the person chooses."""
        from launchpad.users.operations import import_files

        sheets, mappings = import_files(self.session.workspace.root)
        if len(sheets) == 1 and len(mappings) == 1:
            self.chosen = Chosen(sheets[0], mappings[0])
            self._check()
        else:
            self.action_choose()

    def action_choose(self) -> None:
        from launchpad.users.operations import import_files
        from screens.dialogs.import_source import ImportSourceDialog

        if not self._idle():
            return
        root = self.session.workspace.root
        sheets, mappings = import_files(root)
        current = self.chosen.sheet if self.chosen else None
        self.app.push_screen(ImportSourceDialog(root, sheets, mappings, current), callback=self._chosen)

    def _chosen(self, answer: tuple[Path, Path] | None) -> None:
        if answer is not None:
            self.chosen = Chosen(*answer)
            self._check()

    def _check(self) -> None:
        assert self.chosen is not None
        self.checked = self.rows_read = self.planned = None
        self.planned_env = self.plan_id = None
        self._start("check", t("ui.checking", file=self.chosen.sheet.name))
        self._show_bar()
        self.check(self.chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="user-import")
    def check(self, chosen: Chosen) -> None:
        from launchpad.users.checks import check_workbook
        from launchpad.users.mapping import load_mapping
        from launchpad.users.operations import Checked

        try:
            mapping = load_mapping(chosen.mapping)
            rows = self._read_rows(chosen, mapping, self._prompter().secret)  # a source's token may be asked
            checked = Checked(rows.workbook, mapping, check_workbook(rows.workbook, mapping))
        except LaunchpadError as error:
            self.post_message(ImportFailed("check", error))
            return
        self.post_message(SheetChecked(checked, rows))

    def _read_rows(self, chosen: Chosen, mapping: Any, ask_secret: Any = None) -> Any:
        from launchpad.users.operations import read_rows

        session = self.session
        sheet = None if mapping.source is not None else chosen.sheet  # the mapping reads its own source
        return read_rows(sheet, mapping, chosen.mapping, session.workspace, session.store(), session.actor,
                         ask_secret)

    def on_sheet_checked(self, message: SheetChecked) -> None:
        self.checked, self.rows_read = message.checked, message.rows
        self._finish("", "")
        self.activity.say(t("ui.keys_hint"), "dim")
        self._show_all()
        self.query_one(TabbedContent).active = "tab-problems"

    # -- planning -----------------------------------------------------------------------------

    def action_plan(self) -> None:
        if not self._idle() or not self._has_sheet():
            return
        assert self.chosen is not None
        self._start("plan", t("ui.planning", env=self.env_name))
        self.plan(self.chosen, self.env_name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="user-import")
    def plan(self, chosen: Chosen, env_name: str) -> None:
        from launchpad.users.importing import connect_target
        from launchpad.users.mapping import load_mapping
        from launchpad.users.operations import plan_workbook
        from launchpad.users.planlog import record_plan

        session = self.session
        prompter = self._prompter()
        try:
            mapping = load_mapping(chosen.mapping)
            rows = self._read_rows(chosen, mapping, prompter.secret)
            with connect_target(session.workspace, session.store(), session.actor, env_name, mapping.database,
                                prompter.secret) as to:
                planned = plan_workbook(rows.workbook, mapping, to.session, env_name)
                plan_id = record_plan(to.store, env_name, rows.name, rows.sha256, planned.plan, to.actor)
        except LaunchpadError as error:
            self.post_message(ImportFailed("plan", error))
            return
        self.post_message(SheetPlanned(env_name, planned, plan_id, rows))

    def on_sheet_planned(self, message: SheetPlanned) -> None:
        self.planned, self.planned_env, self.plan_id = message.planned, message.env_name, message.plan_id
        self.rows_read = message.rows
        counts = self.planned.plan.counts()
        self.kind = next((a for a in ACTIONS if counts[a]), "insert")
        self._finish(t("ui.plan_recorded", plan=message.plan_id), "dim")
        self._show_all()
        self.query_one(TabbedContent).active = "tab-plan"

    def action_next_kind(self) -> None:
        if self.planned is None:
            self.notify(t("ui.no_plan", env=self.env_name), severity="warning")
            return
        self.kind = ACTIONS[(ACTIONS.index(self.kind) + 1) % len(ACTIONS)]
        self._show_plan()
        self.query_one(TabbedContent).active = "tab-plan"

    # -- importing ----------------------------------------------------------------------------

    def action_apply(self) -> None:
        if not self._idle() or not self._has_sheet():
            return
        assert self.chosen is not None
        self.stop_asked = False
        self.last_progress = None
        self._start("apply", t("ui.starting", env=self.env_name))
        self.apply(self.chosen, self.env_name)

    def action_stop(self) -> None:
        if self.operation != "apply":  # the key is always shown: say why it did nothing
            self.notify(t("ui.nothing_to_stop"), severity="warning")
        elif not self.stop_asked:
            self.stop_asked = True
            self.activity.say(t("ui.stopping"), "bold yellow", bar=self.last_progress is not None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="user-import")
    def apply(self, chosen: Chosen, env_name: str) -> None:
        import time

        from launchpad.run.prompter import PromptCancelled
        from launchpad.users.apply import ApplyProgress, ImportStopped
        from launchpad.users.guard import ImportRefused
        from launchpad.users.importing import ImportGates, connect_target, prepare_import, run_import
        from launchpad.users.mapping import load_mapping
        from launchpad.users.operations import plan_workbook

        worker = get_current_worker()
        session = self.session
        prompter = self._prompter()

        def progress(moved: ApplyProgress) -> None:
            now = time.monotonic()
            if moved.done in (0, moved.total) or now - self._last_posted >= PROGRESS_EVERY:
                self._last_posted = now
                self.post_message(ImportProgressed(moved))

        try:
            mapping = load_mapping(chosen.mapping)
            rows = self._read_rows(chosen, mapping, prompter.secret)
            environment = session.workspace.environment(env_name)
            with connect_target(session.workspace, session.store(), session.actor, env_name, mapping.database,
                                prompter.secret) as to:
                planned = plan_workbook(rows.workbook, mapping, to.session, env_name)
                # Rejected rows are shown on the screen and skipped, as `--skip-rejected` does.
                ready = prepare_import(to, planned, rows, skip_rejected=True)
                if ready.nothing_to_write:
                    owed = "" if ready.handout_owed is None else \
                        " · " + t("ui.handout_owed_of", id=ready.handout_owed)
                    rejected, unchanged = ready.counts["rejected"], ready.counts["unchanged"]
                    nothing = t("ui.nothing_rejected", unchanged=unchanged, rejected=rejected) if rejected else \
                        t("ui.nothing")
                    self.post_message(ImportEnded("apply", nothing + owed, True))
                    return
                prompter.question = (t("ui.confirm_title", file=rows.name, env=env_name),
                                     confirm_detail(ready, env_name))
                gates = ImportGates(environment, session.workspace.backups_dir)

                def backup_passed(backup: int) -> None:  # production's gate, before the question
                    title, detail = prompter.question
                    prompter.question = (title, detail + "\n" + t("ui.production_backup", backup=backup,
                                                                   age=said_age(gates.backup_age)))

                outcome = run_import(to, ready, gates, prompter, mapping_name=chosen.mapping.name,
                                     skip_rejected=True, progress=progress, backup_passed=backup_passed,
                                     should_stop=lambda: self.stop_asked or worker.is_cancelled)
        except PromptCancelled:  # the screen or the app closed while a question was open
            return
        except ImportStopped as stopped:
            self.post_message(ImportEnded("stopped", t("ui.stopped", id=stopped.import_id, done=stopped.done,
                                                       total=stopped.total), False, stopped))
            return
        except ImportRefused as error:
            self.post_message(ImportFailed("apply", error, declined=prompter.declined))
            return
        except LaunchpadError as error:
            self.post_message(ImportFailed("apply", error))
            return
        counts = ready.counts
        how = t("ui.done_resumed") if outcome.resumed else t("ui.done_applied")
        text = t("ui.done", id=outcome.import_id, how=how, **counts)
        if outcome.handouts:
            text += " · " + t("ui.handouts", count=len(outcome.handouts))
        if outcome.without_password:
            text += " · " + t("ui.without_password", count=len(outcome.without_password), id=outcome.import_id)
        self.post_message(ImportEnded("apply", text, True, outcome))

    def on_import_progressed(self, message: ImportProgressed) -> None:
        if self.operation == "apply":
            self.last_progress = message.progress
            if not self.stop_asked:
                self.activity.advance(message.progress)
            else:
                self.activity.bar.update(total=max(message.progress.total, 1), progress=message.progress.done)

    # -- past imports, rollback, hand-out -------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="user-import-list")
    def read_imports(self) -> None:
        from launchpad.users.records import list_imports

        self.post_message(ImportsRead(list_imports(self.session.store())))

    def on_imports_read(self, message: ImportsRead) -> None:
        self.imports = message.found
        self._show_imports()
        self._show_summary()

    def action_imports(self) -> None:
        self.read_imports()
        self.query_one(TabbedContent).active = "tab-imports"
        self.query_one("#imports", DataTable).focus()

    def _highlighted_import(self) -> dict[str, Any] | None:
        table = self.query_one("#imports", DataTable)
        if self.query_one(TabbedContent).active != "tab-imports" or not self.imports or table.row_count == 0:
            return None
        return self.imports[min(table.cursor_row, len(self.imports) - 1)]

    def _unfinished_import(self) -> dict[str, Any] | None:
        """The unfinished import the line above the tables names, with the keys r and d for it."""
        return next((r for r in self.imports if r["status"] == "applying"), None)

    def action_rollback(self) -> None:
        if not self._idle():
            return
        record = self._highlighted_import() or self._unfinished_import()
        if record is None:
            self.action_imports()
            self.notify(t("ui.choose_import"), severity="warning")
            return
        if record["status"] == "rolled_back":
            self.notify(t("ui.already_rolled_back", id=record["id"]), severity="warning")
            return
        self._start("rollback", t("ui.asking"))
        self.rollback(record)

    @work(thread=True, exclusive=True, exit_on_error=False, group="user-import")
    def rollback(self, record: dict[str, Any]) -> None:
        from launchpad.run.prompter import PromptCancelled
        from launchpad.users.guard import ImportRefused
        from launchpad.users.importing import connect_target, run_rollback
        from launchpad.users.records import rollback_counts
        from launchpad.users.rollback_handouts import said_after_rollback

        session = self.session
        prompter = self._prompter()
        env_name = record["environment"]
        counts = rollback_counts(session.store(), record["id"])
        prompter.question = (t("ui.rollback_title", id=record["id"], file=record["file_name"]),
                             t("ui.rollback_detail", insert=counts["insert"], update=counts["update"], env=env_name))
        try:
            environment = session.workspace.environment(env_name)
            with connect_target(session.workspace, session.store(), session.actor, env_name, record["database"],
                                prompter.secret) as to:
                outcome = run_rollback(to, record, environment, prompter)
        except PromptCancelled:
            return
        except ImportRefused as error:
            self.post_message(ImportFailed("rollback", error, declined=prompter.declined))
            return
        except LaunchpadError as error:
            self.post_message(ImportFailed("rollback", error))
            return
        text = t("ui.rolled_back", id=outcome.import_id, deleted=outcome.deleted, restored=outcome.restored)
        if outcome.left_alone:
            text += " · " + t("ui.left_alone", keys=list(outcome.left_alone))
        # What became of its hand-outs, as `users rollback` says it; files left are a warning.
        handouts = said_after_rollback(outcome.import_id, env_name, outcome.handouts)
        if handouts is not None:
            text += " · " + said(handouts)
        kept = outcome.handouts is not None and bool(outcome.handouts.kept)
        self.post_message(ImportEnded("rollback", text, not kept, outcome))

    def action_abandon(self) -> None:
        """The highlighted unfinished import given up (users/abandon.py), its id typed first."""
        from launchpad.users.abandon import AbandonNotConfirmed, abandon_import, pending_passwords
        from screens.dialogs.abandon_import import AbandonImportDialog

        if not self._idle():
            return
        record = self._highlighted_import() or self._unfinished_import()
        if record is None:
            self.action_imports()
            self.notify(t("ui.choose_unfinished"), severity="warning")
            return
        session = self.session
        store, root = session.store(), session.workspace.root
        import_id = int(record["id"])
        # Asked unconfirmed first, as the command line asks: the core refuses an import that is not
        # unfinished or that a live process still writes; only then is the id asked for.
        try:
            abandon_import(store, root, session.actor, import_id)
        except AbandonNotConfirmed:
            pass
        except LaunchpadError as error:
            self.launchpad.show_error(error)
            return
        about = pending_passwords(store, root, record)
        body = t("ui.abandon_body", id=import_id, file=record["file_name"], env=record["environment"],
                 kept=str(about.file), count=about.passwords)

        def typed(answer: str | None) -> None:
            if answer:
                self._start("abandon", t("ui.op_abandon"))
                self.abandon(import_id, answer)

        self.app.push_screen(AbandonImportDialog(import_id, body), callback=typed)

    @work(thread=True, exclusive=True, exit_on_error=False, group="user-import")
    def abandon(self, import_id: int, typed: str) -> None:
        from launchpad.users.abandon import abandon_import

        session = self.session
        try:  # what was typed is the core's to judge: a wrong id is refused and audited there
            pending = abandon_import(session.store(), session.workspace.root, session.actor, import_id,
                                     typed=typed)
        except LaunchpadError as error:
            self.post_message(ImportFailed("abandon", error))
            return
        text = t("ui.abandoned", id=import_id, count=pending.passwords)
        if pending.written_without_handout:
            text += " · " + t("ui.abandoned_without_password", id=import_id,
                              count=len(pending.written_without_handout))
        self.post_message(ImportEnded("abandon", text, True, pending))

    def action_handout(self) -> None:
        from launchpad.users.handout import handout_dir, list_handouts
        from launchpad.users.handout_kept import handout_owed
        from launchpad.users.handout_removal import removal_refused
        from launchpad.users.records import get_import
        from screens.dialogs.import_source import HandoutDialog

        record = self._highlighted_import()
        import_id = record["id"] if record is not None else self.last_import
        if import_id is None:
            self.action_imports()
            self.notify(t("ui.choose_import"), severity="warning")
            return
        root = self.session.workspace.root
        record = record or get_import(self.session.store(), import_id)
        # an import whose hand-out could not be written (a full disk): written now from the kept passwords
        if handout_owed(root, record):
            self.write_kept_handout(import_id)
            return
        files = list_handouts(handout_dir(root, import_id))
        if not files:
            self.notify(t("ui.handout_none", id=import_id))
            return
        def answered(remove: bool | None) -> None:
            if remove:
                self.remove_handouts(import_id)

        # The core's own rule: a removal it would refuse (an unfinished import) is not offered.
        refused = removal_refused(root, record)
        self.app.push_screen(HandoutDialog(import_id, files, root, refused), callback=answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="user-import-handout")
    def write_kept_handout(self, import_id: int) -> None:
        """The hand-out of an applied import whose hand-out failed (a full disk), from the
        passwords it kept; then shown as any hand-out."""
        from launchpad.users.handout_kept import handout_from_kept

        session = self.session
        store = session.store()

        def audit(action: str, target: str, detail: dict[str, Any]) -> None:
            store.audit(session.actor, action, target, detail)

        try:
            kept = handout_from_kept(store, session.workspace.root, import_id, audit)
        except LaunchpadError as error:
            self.post_message(ImportFailed("handout", error))
            return
        if kept.without_password:
            self.app.call_from_thread(self.notify, t("ui.handout_without_password", id=import_id,
                                                     users=list(kept.without_password)), severity="warning")
        self.app.call_from_thread(self.action_handout)

    @work(thread=True, exclusive=True, exit_on_error=False, group="user-import-handout")
    def remove_handouts(self, import_id: int) -> None:
        from launchpad.users.handout_removal import remove_import_handouts

        session = self.session
        try:  # an unfinished import's are refused: its kept passwords go only by abandoning it
            removed = remove_import_handouts(session.store(), session.workspace.root, session.actor, import_id)
        except LaunchpadError as error:
            self.post_message(ImportFailed("handout", error))
            return
        self.app.call_from_thread(self.notify, t("ui.handout_removed", count=len(removed)))

    # -- the annotated copy ---------------------------------------------------------------------

    def action_annotate(self) -> None:
        if not self._idle() or not self._has_sheet():
            return
        result = self._result()
        if result is None or not result.problems:
            self.notify(t("ui.no_problems_to_annotate"))
            return
        self._start("annotate", t("ui.op_annotate"))
        self.annotate(self.checked.workbook, result, self.rows_read.annotated)

    @work(thread=True, exclusive=True, exit_on_error=False, group="user-import")
    def annotate(self, workbook: Any, result: Any, out: Path) -> None:
        from launchpad.users.annotate import write_annotated

        try:
            written = write_annotated(workbook, result, out, self.session.site.site.language)
        except LaunchpadError as error:
            self.post_message(ImportFailed("annotate", error))
            return
        self.post_message(ImportEnded("annotate", t("ui.annotated", path=str(written)), True, written))

    # -- endings --------------------------------------------------------------------------------

    def on_import_ended(self, message: ImportEnded) -> None:
        style = "bold green" if message.ok else "bold yellow"
        if message.kind in ("apply", "stopped") and self.last_progress is not None:
            self.operation = None
            self.activity.keep_bar(message.text, style)
        else:
            self._finish(message.text, style)
        if message.kind == "apply" and message.outcome is not None:
            self.last_import = message.outcome.import_id
        if message.kind == "stopped":
            self.last_import = message.outcome.import_id
        self.notify(message.text, severity="information" if message.ok else "warning", timeout=10)
        if message.kind in ("apply", "stopped", "rollback"):
            self.planned = None  # the target moved: plan again to see it
            self.read_imports()
            self._show_all()
        if message.kind == "abandon":
            self.read_imports()

    def on_import_failed(self, message: ImportFailed) -> None:
        if message.declined:
            self._finish(t("ui.declined"), "yellow")
            self.notify(t("ui.declined"), severity="warning")
            return
        error = message.error
        title = error.title_in(current_language()) if isinstance(error, LaunchpadError) else type(error).__name__
        text = error.said if isinstance(error, LaunchpadError) else str(error)
        self._finish(t("ui.failed", title=title, message=text), "bold red")
        if message.kind == "check":
            self.checked = None
            self._show_all()
        self.launchpad.show_error(error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Not a LaunchpadError (a bug): the error dialog says so, and the keys work again.
        if event.state == WorkerState.ERROR and event.worker.group == "user-import" and self.operation:
            self._finish(f"✗ {type(event.worker.error).__name__}: {event.worker.error}", "bold red")
        super().on_worker_state_changed(event)

    # -- helpers --------------------------------------------------------------------------------

    def _prompter(self) -> Any:
        from screens.support.import_prompter import ImportPrompter
        from screens.support.run_control import RunControl

        worker = get_current_worker()
        return ImportPrompter(self.app, self.session.actor, RunControl([], is_cancelled=lambda: worker.is_cancelled))

    def _idle(self) -> bool:
        if self.operation is None:
            return True
        self.notify(t("ui.busy", op=t(f"ui.op_{self.operation}")), severity="warning")
        return False

    def _has_sheet(self) -> bool:
        if self.chosen is None:
            self.notify(t("ui.choose_first"), severity="warning")
            return False
        return True

    def _start(self, kind: str, text: str) -> None:
        self.operation = kind
        self.activity.say(text, "bold")

    def _finish(self, text: str, style: str) -> None:
        self.operation = None
        if text:
            self.activity.say(text, style)

    def _result(self) -> Any:
        """The problems shown: the plan's (checked against the target too) or the plain check's."""
        if self.planned is not None:
            return self.planned.result
        return self.checked.result if self.checked is not None else None

    def _environment_changed(self, _env: object = None) -> None:
        self._show_bar()
        self._show_summary()
        self._show_plan()

    def action_next_environment(self) -> None:
        if not self._idle():
            return
        names = list(self.session.site.environments)
        current = names.index(self.env_name) if self.env_name in names else -1
        self.launchpad.action_select_environment(names[(current + 1) % len(names)])

    def action_filter(self) -> None:
        self.query_one(TabbedContent).active = "tab-problems"
        self.query_one("#problem-filter", Input).focus()

    def action_problems(self) -> None:
        self.query_one(TabbedContent).active = "tab-problems"
        self.query_one("#problems", DataTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "problem-filter":
            self._show_problems()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "problem-filter":
            self.query_one("#problems", DataTable).focus()

    def action_back(self) -> None:
        if self._idle():
            self.app.pop_screen()

    # -- showing ------------------------------------------------------------------------------

    def _show_all(self) -> None:
        self._show_bar()
        self._show_summary()
        self._show_problems()
        self._show_plan()

    def _show_bar(self) -> None:
        session = self.session
        production = session.is_production(self.env_name)
        chosen = self.chosen
        line = Text(t("ui.bar", file=chosen.sheet.name if chosen else t("ui.no_file"),
                      mapping=chosen.mapping.name if chosen else "-"), style="dim")
        line.append(self.env_name, "bold red" if production else "bold")
        line.append(" (e)", "dim")
        self.query_one("#import-bar", Static).update(line)

    def _show_summary(self) -> None:
        parts: list[Any] = []
        result = self._result()
        if result is not None:
            rows = len(result.rows)
            # Units and values taken in the target are checked only against an environment: said
            # with problems too, or the list reads as every problem when some are still to come.
            scope = "" if result.against_target else t("ui.not_against_target")
            if result.problems:
                bad = rows - len(result.good_rows)
                parts.append((t("ui.checked_bad", rows=rows, bad=bad, count=len(result.problems)), "bold red"))
                parts.append((scope, "dim"))
            else:
                parts.append((t("ui.checked_ok", rows=rows, scope=scope), "green"))
            # A header that matches no field is a column not imported: said here as the command
            # line says it, or a misspelled 身份证号 would go unseen.
            notes = result.sheet_notes
            parts += [("\n⚠ " + t("ui.note", note=said(note)), "yellow") for note in notes[:NOTES_SHOWN]]
            if len(notes) > NOTES_SHOWN:
                parts.append(("\n  " + t("ui.more_notes", count=len(notes) - NOTES_SHOWN,
                                         command=self._check_command()), "yellow"))
        if self.planned is not None and self.planned_env is not None:
            counts = self.planned.plan.counts()
            parts.append(("\n" + t("ui.plan_counts", env=self.planned_env, **counts), "bold"))
        unfinished = self._unfinished_import()
        if unfinished is not None and self.operation is None:
            parts.append(("\n⚠ " + t("ui.unfinished", id=unfinished["id"], file=unfinished["file_name"],
                                     env=unfinished["environment"]), "bold yellow"))
        self.query_one("#import-summary", Static).update(Text.assemble(*parts) if parts else Text(""))

    def _check_command(self) -> str:
        """`launchpad users check` for the sheet and mapping on the screen, as typed in the workspace."""
        if self.chosen is None:
            return "launchpad users check"
        root = self.session.workspace.root
        return " ".join(["launchpad", "users", "check", shell_word(workspace_relative(self.chosen.sheet, root)), "-m",
                         shell_word(workspace_relative(self.chosen.mapping, root))])

    def _show_problems(self) -> None:
        result = self._result()
        problems = result.problems if result is not None else []
        needle = self.query_one("#problem-filter", Input).value.strip()
        table = self.query_one("#problems", DataTable)
        rows = problem_rows(problems, needle)
        fill_table(table, problem_headers(), rows)
        table.border_title = t("ui.shown", shown=len(rows), count=len(problems)) if needle else ""

    def _show_plan(self) -> None:
        units = self.query_one("#plan-units", DataTable)
        kind_table = self.query_one("#plan-rows", DataTable)
        line = self.query_one("#plan-kind", Static)
        if self.planned is None:
            fill_table(units, unit_headers(), [])
            fill_table(kind_table, kind_headers(), [])
            line.update(Text(t("ui.no_plan", env=self.env_name), style="dim"))
            return
        plan = self.planned.plan
        fill_table(units, unit_headers(), unit_rows(plan))
        count = plan.counts()[self.kind]
        line.update(Text(t("ui.kind_line", kind=t(f"ui.{self.kind}"), count=count), style="bold"))
        fill_table(kind_table, kind_headers(), kind_rows(plan, self.kind))

    def _show_imports(self) -> None:
        session = self.session
        production = {name for name, env in session.site.environments.items() if env.production}
        rows = import_rows(self.imports, session.site.tz, production, session.workspace.root)
        table = self.query_one("#imports", DataTable)
        if not rows:
            rows = [(None, [Text(""), Text(""), Text(""), Text(""), Text(t("ui.no_imports"), style="dim"), Text(""),
                            Text("")])]
        fill_table(table, import_headers(), rows)


def confirm_detail(ready: Any, env_name: str) -> str:
    """What the person approves: the counts, what changed since the recorded plan and the hashing
    time (on production, the backup that passed its gate follows)."""
    from launchpad.users.planlog import SHOWN

    lines = [t("ui.confirm_counts", **ready.counts)]
    since = ready.since_plan
    if since.plan_id is None:
        lines.append(t("ui.since_none", env=env_name))
    elif not since.differences:
        lines.append(t("ui.since_same", plan=since.plan_id, at=since.planned_at))
    else:
        lines.append(t("ui.since_changed", plan=since.plan_id, at=since.planned_at, count=len(since.differences)))
        lines += [f"  {said(line)}" for line in since.differences[:SHOWN]]
    if ready.counts["rejected"]:
        lines.append(t("ui.skip_rejected"))
    if ready.hashing is not None:
        h = ready.hashing
        lines.append(t("ui.hashing", count=h.count, cost=h.cost, took=h.took, cores=h.cores))
        if h.kept:
            lines.append(t("users.hashing_kept", kept=h.kept))
    return "\n".join(lines)
