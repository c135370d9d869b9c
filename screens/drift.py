"""The drift screen: roles, permissions, dictionaries, items and posts of an environment against
HQ's baseline (or against another environment), found, picked and fixed from the keyboard.

c chooses what to compare (an environment against the baseline, or one environment against
another; the app's environment follows the target, so the production banner does). The kinds
are listed with their counts per severity; the items of the highlighted kind (k moves on) with
their id, severity and change, filtered by severity with s. Under them, the highlighted item on
every side at once — the baseline, then each environment — with the fields that differ
highlighted. Space picks an item for fixing, a picks every shown item of the kind; v shows the
SQL the picks become (the core's fix plan, values as parameters, as `baseline fix --dry-run`
prints it). f applies: the environment is read again and the picks planned against it, the
person confirms (on production by typing its name), the fresh-backup gate decides, and the
statements run in one transaction — `launchpad.baseline.operations`, as `baseline fix` does;
then the environment is compared again. w writes the comparison as .md and .xlsx to reports/.

Every read and write runs in a thread worker; the UI only shows what the workers post.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState, get_current_worker

from launchpad.baseline.drift import SEVERITIES, Difference, Drift
from launchpad.baseline.model import KINDS, Baseline
from launchpad.errors import LaunchpadError
from launchpad.phrases import phrase
from launchpad.workspace.folder import workspace_relative
from screens.base import LaunchpadScreen
from screens.support.i18n import current_language, said, t
from screens.widgets.id_column import IdColumnTable, id_room, wrapped_id
from screens.widgets.tables import fill_table

BASELINE_SIDE = ""  # the sides' key of the baseline file (environment names are never empty)
SEVERITY_STYLE = {"high": "bold red", "medium": "bold yellow", "low": ""}


@dataclass(frozen=True)
class Comparison:
    """What is compared: `target` against the baseline (`against` None) or against an environment."""

    target: str
    against: str | None = None


@dataclass
class Compared:
    """A comparison's answer: the drift, the reference it was held against, and every side read."""

    comparison: Comparison
    drift: Drift
    reference: Baseline
    target_state: Any  # baseline.ruoyi.LiveState of the target: the menu ids a fix plan needs
    sides: dict[str, Baseline] = field(default_factory=dict)  # BASELINE_SIDE first, then environments


# -- what the workers post ------------------------------------------------------------------------


class DriftRead(Message):
    def __init__(self, compared: Compared) -> None:
        super().__init__()
        self.compared = compared


class DriftEnded(Message):
    """An operation ended: `text` says how; `refused` a gate or a person said no (not a failure)."""

    def __init__(self, kind: str, text: str, ok: bool, *, refused: bool = False,
                 error: BaseException | None = None) -> None:
        super().__init__()
        self.kind, self.text, self.ok, self.refused, self.error = kind, text, ok, refused, error


class DriftScreen(LaunchpadScreen):
    BINDINGS = [
        Binding("c", "choose", "key.drift_compare", id="drift.compare"),
        Binding("space", "pick", "key.drift_pick", id="drift.pick"),
        Binding("a", "pick_kind", "key.drift_pick_kind", id="drift.pick_kind"),
        Binding("f", "fix", "key.drift_fix", id="drift.fix"),
        # The line above the tables names these; the footer is full at 80 columns.
        Binding("k", "next_kind", "key.drift_kind", id="drift.kind", show=False),
        Binding("s", "severity", "key.drift_severity", id="drift.severity", show=False),
        Binding("v", "show_sql", "key.drift_sql", id="drift.sql", show=False),
        Binding("w", "write_report", "key.drift_report", id="drift.report", show=False),
        Binding("r", "compare_again", "key.drift_again", id="drift.again", show=False),
        Binding("escape", "back", "key.back", id="drift.back"),
    ]

    def __init__(self, comparison: Comparison | None = None) -> None:
        super().__init__()
        self.comparison = comparison
        self.compared: Compared | None = None
        self.kind = KINDS[0]
        self.severity: str | None = None  # None: every severity
        self.picked: set[str] = set()
        self.operation: str | None = None  # compare, fix, report while one runs
        self.shown: list[Difference] = []  # the items table's rows, in order
        self.last_fix: Any = None  # operations.FixOutcome of the last fix applied here

    def compose_body(self) -> ComposeResult:
        yield Static("", id="drift-bar")
        with Horizontal(id="drift-top"):
            yield DataTable(id="drift-kinds", cursor_type="row")
            yield IdColumnTable(id="drift-items", cursor_type="row", zebra_stripes=True)
        with TabbedContent(id="drift-tabs", initial="tab-sides"):
            with TabPane(t("drift.tab_sides"), id="tab-sides"):
                yield DataTable(id="drift-sides", cursor_type="none")
            with TabPane(t("drift.tab_sql"), id="tab-sql"), VerticalScroll(id="drift-sql-box"):
                yield Static("", id="drift-sql")
        yield Static("", id="drift-activity")

    def screen_title(self) -> str:
        return t("drift.subtitle")

    @property
    def operation_in_progress(self) -> bool:
        # Only a fix is worth a question on quitting: a comparison or a report left halfway
        # changes nothing.
        return self.operation == "fix"

    @property
    def ready(self) -> bool:
        """Nothing runs (tests and snapshots wait on it)."""
        return self.operation is None

    def quit_warning(self) -> tuple[str, str]:
        return t("drift.quit_title"), t("drift.quit_body")

    def on_mount(self) -> None:
        super().on_mount()
        if self.comparison is None:
            self.comparison = Comparison(self._default_target())
        self.relabel()
        self.query_one("#drift-items", DataTable).focus()
        self._compare()

    def _default_target(self) -> str:
        """The app's environment, when it has a database; else the first that has one."""
        environments = self.session.site.environments
        with_db = [name for name, env in environments.items() if env.databases]
        current = self.launchpad.environment
        return current if current in with_db else next(iter(with_db or list(environments)), str(current))

    def relabel(self) -> None:
        super().relabel()
        tabs = self.query_one(TabbedContent)
        tabs.get_tab("tab-sides").label = t("drift.tab_sides")
        tabs.get_tab("tab-sql").label = t("drift.tab_sql")
        self._show_all()

    # -- comparing ----------------------------------------------------------------------------

    def action_choose(self) -> None:
        from screens.dialogs.compare_choice import CompareChoiceDialog

        if not self._idle():
            return
        environments = list(self.session.site.environments)
        choices = [Comparison(name) for name in environments]
        choices += [Comparison(b, a) for a in environments for b in environments if a != b]
        self.app.push_screen(CompareChoiceDialog(choices, self.comparison), callback=self._chosen)

    def _chosen(self, answer: Comparison | None) -> None:
        if answer is not None:
            self.comparison = answer
            self.picked = set()
            self._compare()

    def action_compare_again(self) -> None:
        if self._idle():
            self._compare()

    def _compare(self) -> None:
        assert self.comparison is not None
        # The target is the environment this screen may change: the banner follows it.
        self.launchpad.action_select_environment(self.comparison.target)
        self._start("compare", t("drift.reading", what=self._comparison_words(self.comparison)))
        self.compare(self.comparison)

    @work(thread=True, exclusive=True, exit_on_error=False, group="drift")
    def compare(self, comparison: Comparison) -> None:
        from launchpad.baseline.operations import baseline_for, compared, environment_sessions, read_environment
        from launchpad.errors import UsageError

        session = self.session
        workspace, store, actor = session.workspace, session.store(), session.actor

        def audit(action: str, target: str, detail: dict[str, Any]) -> None:
            store.audit(actor, action, target, detail)

        try:
            try:
                baseline: Baseline | None = baseline_for(workspace, None)
            except UsageError:
                if comparison.against is None:
                    raise
                baseline = None  # two environments compare without one; the sides leave it out
            environments = workspace.site.environments
            for name in (comparison.target, comparison.against):
                if name is not None:
                    workspace.environment(name)  # an unknown name is said before anything connects
            # Every environment with a database is read, so the sides show each of them.
            names = [n for n, env in environments.items() if env.databases]
            for name in (comparison.against, comparison.target):
                if name is not None and name not in names:
                    names.append(name)
            with environment_sessions(workspace, store, actor, names, self._prompter().secret) as targets:
                states = {name: read_environment(target, name, workspace.site.tz)
                          for name, target in zip(names, targets, strict=True)}
            reference = baseline if comparison.against is None else states[comparison.against].baseline
            assert reference is not None
            drift, _ = compared(store, reference, states[comparison.target], comparison.target, actor, audit)
        except LaunchpadError as error:
            self.post_message(DriftEnded("compare", _failed(error), False, error=error))
            return
        sides = ({BASELINE_SIDE: baseline} if baseline is not None else {}) | {n: s.baseline for n, s in states.items()}
        self.post_message(DriftRead(Compared(comparison, drift, reference, states[comparison.target], sides)))

    def on_drift_read(self, message: DriftRead) -> None:
        self.compared = message.compared
        drift = self.compared.drift
        known = {d.id for d in drift.differences}
        self.picked &= known
        if self.kind not in drift.by_kind() and drift.by_kind():
            self.kind = next(iter(drift.by_kind()))
        text, style = said(_summary(drift)), "bold yellow" if drift.differences else "bold green"
        if self.last_fix is not None:
            text = t("drift.fixed", fix=self.last_fix.fix_id, applied=len(self.last_fix.applied),
                     remaining=len(self.last_fix.after.differences)) + " · " + text
        self._finish(text, style)
        self._show_all()

    # -- choosing what to see -----------------------------------------------------------------

    def action_next_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        self._show_all()

    def action_severity(self) -> None:
        order: list[str | None] = [None, *SEVERITIES]
        self.severity = order[(order.index(self.severity) + 1) % len(order)]
        self._show_all()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "drift-kinds" and event.row_key.value in KINDS:
            if self.kind != event.row_key.value:
                self.kind = str(event.row_key.value)
                self._show_bar()
                self._show_items()
                self._show_sides()
        elif event.data_table.id == "drift-items":
            self._show_sides()

    # -- picking fixes --------------------------------------------------------------------------

    def action_pick(self) -> None:
        d = self._highlighted()
        if d is None:
            return
        if d.id in self.picked:
            self.picked.discard(d.id)
        elif not d.fixable:
            self.notify(t("drift.unfixable", id=d.id, note=d.note), severity="warning")
            return
        else:
            self.picked.add(d.id)
        self._show_picks()

    def action_pick_kind(self) -> None:
        fixable = [d.id for d in self.shown if d.fixable]
        if fixable and all(i in self.picked for i in fixable):
            self.picked -= set(fixable)
        else:
            self.picked |= set(fixable)
        self._show_picks()

    def action_show_sql(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = "tab-sides" if tabs.active == "tab-sql" else "tab-sql"

    def _picked_differences(self) -> list[Difference]:
        if self.compared is None:
            return []
        return [d for d in self.compared.drift.differences if d.id in self.picked]

    def plan_text(self) -> Text:
        """The picks as the statements `baseline fix --dry-run` prints: SQL with `:name`
        parameters and their values under each (planned on the last read; f plans again)."""
        from launchpad.baseline.fix import Unfixable
        from launchpad.baseline.operations import plan_fix

        chosen = self._picked_differences()
        if self.compared is None or not chosen:
            return Text(t("drift.sql_none"), style="dim")
        try:
            statements = plan_fix(self.compared.reference, self.compared.target_state, chosen, self.session.actor)
        except Unfixable as error:
            return Text(error.render(current_language()), style="bold red")
        text = Text(t("drift.sql_head", count=len(chosen), statements=len(statements),
                      env=self.compared.comparison.target) + "\n", style="bold")
        for statement in statements:
            text.append(statement.shown() + "\n")  # values from people stay text: Text, never markup
        return text

    # -- fixing ---------------------------------------------------------------------------------

    def action_fix(self) -> None:
        if not self._idle() or self.compared is None:
            return
        if not self.picked:
            self.notify(t("drift.pick_first"), severity="warning")
            return
        compared = self.compared
        self._start("fix", t("drift.asking"))
        self.fix(compared.comparison, compared.reference, sorted(self.picked))

    @work(thread=True, exclusive=True, exit_on_error=False, group="drift")
    def fix(self, comparison: Comparison, reference: Baseline, picked: list[str]) -> None:
        from launchpad.baseline.operations import (
            FixRefused,
            apply_fix,
            confirm_fix,
            environment_sessions,
            fix_gate,
            prepare_fix,
        )
        from launchpad.run.prompter import PromptCancelled

        session = self.session
        workspace, store, actor = session.workspace, session.store(), session.actor
        env_name = comparison.target
        prompter = self._prompter()

        def audit(action: str, target: str, detail: dict[str, Any]) -> None:
            store.audit(actor, action, target, detail)

        try:
            environment = workspace.environment(env_name)
            with environment_sessions(workspace, store, actor, [env_name], prompter.secret) as (target,):
                prepared = prepare_fix(store, reference, target, env_name, actor, audit, items=set(picked))
                backup_id = fix_gate(workspace, store, target, env_name, audit)
                prompter.question = (t("drift.confirm_title", count=len(prepared.chosen), env=env_name),
                                     confirm_detail(prepared, backup_id))
                confirm_fix(prompter, audit, env_name, environment.production, prepared.chosen)
                outcome = apply_fix(store, target, prepared.drift, reference, prepared.chosen, prepared.statements,
                                    env_name, actor, audit, backup_id)
        except PromptCancelled:  # the screen or the app closed while a question was open
            return
        except FixRefused as refused:
            text = t("drift.declined") if prompter.declined else t("drift.refused", reason=refused.said)
            self.post_message(DriftEnded("fix", text, False, refused=True))
            return
        except LaunchpadError as error:
            self.post_message(DriftEnded("fix", _failed(error), False, error=error))
            return
        self.post_message(DriftEnded("fix", "", True, error=None))
        self.app.call_from_thread(self._fixed, outcome)

    def _fixed(self, outcome: Any) -> None:
        self.last_fix = outcome
        self.picked = set()
        self.notify(t("drift.fixed", fix=outcome.fix_id, applied=len(outcome.applied),
                      remaining=len(outcome.after.differences)), timeout=10)
        self._compare()  # the re-diff, with every side read again

    # -- the report -----------------------------------------------------------------------------

    def action_write_report(self) -> None:
        if not self._idle() or self.compared is None:
            return
        self._start("report", t("drift.writing"))
        self.write_report(self.compared.drift)

    @work(thread=True, exclusive=True, exit_on_error=False, group="drift")
    def write_report(self, drift: Drift) -> None:
        from launchpad.baseline.reports import write_report
        from launchpad.sitetime import utc_now

        session = self.session
        stamp = f"{session.now():%Y%m%d-%H%M}"
        folder = session.workspace.root / "reports"
        written: list[Path] = []
        try:
            for suffix in ("md", "xlsx"):
                path = folder / f"baseline-{drift.target}-{stamp}.{suffix}"
                written.append(write_report(drift, path, session.site.site.language, session.actor,
                                            utc_now()[:19], session.workspace.root))
        except (LaunchpadError, OSError) as error:
            failed = _failed(error) if isinstance(error, LaunchpadError) else \
                t("drift.failed", title=type(error).__name__, message=str(error))
            self.post_message(DriftEnded("report", failed, False, error=error))
            return
        session.store().audit(session.actor, "baseline_report_written", drift.target,
                              {"files": [str(p) for p in written]})
        shown = [workspace_relative(p, session.workspace.root) for p in written]
        self.post_message(DriftEnded("report", t("drift.written", files=shown), True))

    # -- endings --------------------------------------------------------------------------------

    def on_drift_ended(self, message: DriftEnded) -> None:
        if message.kind == "fix" and message.ok:
            return  # the re-diff follows and says the outcome
        style = "bold green" if message.ok else ("bold yellow" if message.refused else "bold red")
        self._finish(message.text, style)
        if message.ok or message.refused:
            self.notify(message.text, severity="information" if message.ok else "warning", timeout=10)
        elif message.error is not None:
            self.launchpad.show_error(message.error)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Not a LaunchpadError (a bug): the error dialog says so, and the keys work again.
        if event.state == WorkerState.ERROR and event.worker.group == "drift" and self.operation:
            self._finish(f"✗ {type(event.worker.error).__name__}: {event.worker.error}", "bold red")
        super().on_worker_state_changed(event)

    # -- helpers --------------------------------------------------------------------------------

    def _prompter(self) -> Any:
        from screens.support.fix_prompter import FixPrompter
        from screens.support.run_control import RunControl

        worker = get_current_worker()
        return FixPrompter(self.app, self.session.actor, RunControl([], is_cancelled=lambda: worker.is_cancelled))

    def _idle(self) -> bool:
        if self.operation is None:
            return True
        self.notify(t("drift.busy", op=t(f"drift.op_{self.operation}")), severity="warning")
        return False

    def _start(self, kind: str, text: str) -> None:
        self.operation = kind
        self.query_one("#drift-activity", Static).update(Text(text, style="bold"))

    def _finish(self, text: str, style: str) -> None:
        self.operation = None
        if text:
            self.query_one("#drift-activity", Static).update(Text(text, style=style))

    def _highlighted(self) -> Difference | None:
        table = self.query_one("#drift-items", DataTable)
        if not self.shown or table.row_count == 0:
            return None
        return self.shown[min(max(table.cursor_row, 0), len(self.shown) - 1)]

    def action_back(self) -> None:
        if self._idle():
            self.app.pop_screen()

    @staticmethod
    def _comparison_words(comparison: Comparison) -> str:
        if comparison.against is None:
            return t("drift.against_baseline", env=comparison.target)
        return t("drift.against_env", env=comparison.target, other=comparison.against)

    # -- showing ------------------------------------------------------------------------------

    def _show_all(self) -> None:
        self._show_bar()
        self._show_kinds()
        self._show_items()
        self._show_sides()
        self._show_sql()

    def _show_bar(self) -> None:
        comparison = self.comparison
        if comparison is None:
            return
        production = self.session.is_production(comparison.target)
        line = Text(t("drift.comparing") + " ", style="dim")
        line.append(comparison.target, "bold red" if production else "bold")
        if comparison.against is None:
            reference = self.compared.drift.reference if self.compared is not None else t("drift.baseline")
            version = self.compared.drift.reference_version if self.compared is not None else "…"
            line.append(" ← " + t("drift.reference_baseline", file=reference, version=version))
        else:
            line.append(f" ← {comparison.against}")
        line.append(" (c)", "dim")
        severity = t(f"drift.sev_{self.severity}") if self.severity else t("drift.sev_all")
        line.append("\n" + t("drift.keys_line", severity=severity, picked=len(self.picked)), "dim")
        self.query_one("#drift-bar", Static).update(line)

    def _show_kinds(self) -> None:
        table = self.query_one("#drift-kinds", DataTable)
        drift = self.compared.drift if self.compared is not None else None
        headers = [t("drift.col_kind"), *(t(f"drift.col_{s}") for s in SEVERITIES),
                   t("drift.col_total")]
        rows: list[tuple[str | None, list[Any]]] = []
        for kind in KINDS:
            of_kind = [d for d in drift.differences if d.kind == kind] if drift is not None else []
            cells: list[Any] = [Text(t(f"drift.kind.{kind}"), style="bold" if of_kind else "dim")]
            for severity in SEVERITIES:
                count = sum(1 for d in of_kind if d.severity == severity)
                cells.append(Text(str(count), style=SEVERITY_STYLE[severity] if count else "dim"))
            cells.append(Text(str(len(of_kind)), style="bold" if of_kind else "dim"))
            rows.append((kind, cells))
        with table.prevent(DataTable.RowHighlighted):
            fill_table(table, headers, rows)
            table.move_cursor(row=KINDS.index(self.kind))

    def _show_items(self) -> None:
        table = self.query_one("#drift-items", DataTable)
        drift = self.compared.drift if self.compared is not None else None
        previous = self._highlighted()
        self.shown = [d for d in (drift.differences if drift is not None else [])
                      if d.kind == self.kind and (self.severity is None or d.severity == self.severity)]
        headers = ["", t("drift.col_severity"), t("drift.col_change"), t("drift.col_id")]
        # A long id wraps in the room the other columns leave it, never cut at the edge.
        cells = [self._item_cells(d) for d in self.shown]
        room = id_room(table, headers, cells, [d.id for d in self.shown])
        rows: list[tuple[str | None, list[Any]]] = [
            (d.id, [*before, wrapped_id(d.id, room)]) for d, before in zip(self.shown, cells, strict=True)]
        if not rows:
            none = t("drift.none_of_kind") if drift is not None else ""
            rows = [(None, [Text(""), Text(""), Text(""), Text(none, style="dim")])]
        with table.prevent(DataTable.RowHighlighted):
            fill_table(table, headers, rows, tall_rows=True)
            if previous is not None and previous in self.shown:
                table.move_cursor(row=self.shown.index(previous))
        table.border_title = t("drift.items_title", kind=said(phrase(f"baseline.kind.{self.kind}")),
                               shown=len(self.shown))

    def _item_cells(self, d: Difference) -> list[Any]:
        """The cells before the id (`wrapped_id` makes it Text: it holds people's words)."""
        mark = "✓" if d.id in self.picked else ("✗" if not d.fixable else " ")
        return [Text(mark, style="bold green" if d.id in self.picked else "dim"),
                Text(said(phrase(f"baseline.severity.{d.severity}")), style=SEVERITY_STYLE[d.severity]),
                Text(said(phrase(f"baseline.change.{d.change}")))]

    def on_id_column_table_width_changed(self, _event: IdColumnTable.WidthChanged) -> None:
        if self.compared is not None:  # the id column's room changed with the table
            self._show_items()

    def _show_picks(self) -> None:
        table = self.query_one("#drift-items", DataTable)
        cursor = table.cursor_row
        with table.prevent(DataTable.RowHighlighted):
            self._show_items()
            if self.shown:
                table.move_cursor(row=min(cursor, len(self.shown) - 1))
        self._show_bar()
        self._show_sql()

    def _show_sides(self) -> None:
        from launchpad.baseline.sides import sides_of

        table = self.query_one("#drift-sides", DataTable)
        d = self._highlighted()
        if self.compared is None or d is None:
            fill_table(table, [t("drift.col_field")], [])
            return
        view = sides_of(d, self.compared.sides)
        differing = view.differing()
        names = list(view.values)
        headers = [t("drift.col_field"), *(self._side_title(n) for n in names)]
        rows: list[tuple[str | None, list[Any]]] = []
        for name in view.fields:
            hot = name in differing
            cells: list[Any] = [Text(t(f"baseline.field.{name}"), style="bold yellow" if hot else "")]
            for side in names:
                held = view.values[side]
                if held is None:
                    cells.append(Text(t("drift.absent"), style="bold red" if hot or name == view.fields[0] else "dim"))
                else:
                    cells.append(Text(_value(held.get(name)), style="bold yellow" if hot else ""))
            rows.append((name, cells))
        if not view.fields:
            rows = [(None, [Text(t("drift.absent"), style="dim"), *(Text("") for _ in names)])]
        fill_table(table, headers, rows)

    def _side_title(self, side: str) -> str:
        """The baseline, or the environment's name; ◀ marks the one compared (the target)."""
        if side == BASELINE_SIDE:
            return t("drift.baseline")
        target = self.compared is not None and side == self.compared.comparison.target
        return side + (" ◀" if target else "")

    def _show_sql(self) -> None:
        self.query_one("#drift-sql", Static).update(self.plan_text())


def _summary(drift: Drift) -> Any:
    from launchpad.baseline.reports import summary

    return summary(drift)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "Y" if value else "N"
    return "" if value is None else str(value)


def confirm_detail(prepared: Any, backup_id: int) -> str:
    """What the person approves: the differences picked, the statements they became, and the
    backup that passed the gate."""
    from launchpad.backup.freshness import said_age
    from launchpad.baseline.operations import DEFAULT_BACKUP_AGE

    lines = [t("drift.confirm_counts", count=len(prepared.chosen), statements=len(prepared.statements))]
    lines += [f"  {d.id}" for d in prepared.chosen[:10]]
    if len(prepared.chosen) > 10:
        lines.append("  " + t("drift.confirm_more", count=len(prepared.chosen) - 10))
    lines.append(t("drift.confirm_backup", backup=backup_id, age=said_age(DEFAULT_BACKUP_AGE)))
    return "\n".join(lines)


def _failed(error: LaunchpadError) -> str:
    """What failed, in the UI's language: the error's title and its message as the word-book says them."""
    return t("drift.failed", title=error.title_in(current_language()), message=error.said)
