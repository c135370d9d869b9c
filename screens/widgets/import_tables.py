"""What the import screen's tables hold: the problems (sheet, row, column letter, header, value,
why), the plan's counts per unit, the planned rows of one kind (an update shows old → new), and
the past imports. Every value from the client's sheet is a `Text`, never markup: a cell holding
"[bold]" shows as typed.

Also the line under the tables: while an import runs, a progress bar with rows done, the rate
and the time left, for the hashing phase and the writing phase in turn.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from launchpad.durations import said_duration
from launchpad.phrases import parts
from launchpad.users.apply import ApplyProgress
from launchpad.users.checks import RowProblem
from launchpad.users.handout_kept import handout_owed
from launchpad.users.plan import ACTIONS, Plan, PlannedUser
from launchpad.users.planned import shown_changes
from screens.support.display import stored_time
from screens.support.i18n import said, t

Row = tuple[str | None, Sequence[Any]]

ACTION_STYLE = {"insert": "green", "update": "yellow", "unchanged": "dim", "rejected": "bold red"}
STATUS_STYLE = {"applying": "bold yellow", "applied": "green", "rolled_back": "dim", "abandoned": "dim"}
SHOWN_ROWS = 2000  # a table of 100,000 rows helps nobody: the filter narrows it, the copy has all


def _one_line(value: str) -> Text:
    return Text(value.replace("\n", " "))


def problem_headers() -> list[str]:
    return [t("ui.col_sheet"), t("ui.col_row"), t("ui.col_column"), t("ui.col_header"), t("ui.col_value"),
            t("ui.col_why")]


def problem_cells(problem: RowProblem) -> list[Any]:
    return [_one_line(problem.sheet), Text(str(problem.row), justify="right"), Text(problem.column),
            _one_line(problem.header), _one_line(problem.value), Text(said(problem.reason), style="red")]


def matches(problem: RowProblem, needle: str) -> bool:
    """The filter: any of the row's shown texts holds `needle` (case ignored)."""
    if not needle:
        return True
    texts = (problem.sheet, str(problem.row), problem.column, problem.header, problem.value, said(problem.reason))
    folded = needle.casefold()
    return any(folded in text.casefold() for text in texts)


def problem_rows(problems: Sequence[RowProblem], needle: str) -> list[Row]:
    found = [p for p in problems if matches(p, needle)]
    return [(None, problem_cells(p)) for p in found[:SHOWN_ROWS]]


def unit_headers() -> list[str]:
    return [t("ui.col_unit"), *(t(f"ui.{action}") for action in ACTIONS)]


def unit_rows(plan: Plan) -> list[Row]:
    rows: list[Row] = []
    for unit, counts in plan.counts_by_unit().items():
        cells = [_one_line(unit)]
        cells += [Text(str(counts[a]), justify="right", style=ACTION_STYLE[a] if counts[a] else "dim")
                  for a in ACTIONS]
        rows.append((unit, cells))
    return rows


def kind_headers() -> list[str]:
    return [t("ui.col_row"), t("ui.col_key"), t("ui.col_unit"), t("ui.col_what")]


def what_happens(user: PlannedUser) -> Text:
    """An update: each changed field old → new; an insert: its unit, roles and posts; a
    rejected row: its problems."""
    pieces: list[str] = []
    if user.action == "update":
        pieces += [said(change) for change in shown_changes(user)]
    if user.action == "insert":
        pieces.append(t("ui.into", unit=user.unit or "-"))
    if user.action in ("insert", "update"):
        if user.roles_added:
            pieces.append(t("ui.roles_added", roles=list(user.roles_added)))
        if user.posts_added:
            pieces.append(t("ui.posts_added", posts=list(user.posts_added)))
    if user.action == "rejected":
        pieces += [f"{p.column}{'' if p.records else p.row} {p.header}: {said(p.reason)}" for p in user.problems]
    return Text(said(parts(pieces)).replace("\n", " "), style=ACTION_STYLE[user.action] if user.action != "update"
                else "")


def kind_rows(plan: Plan, kind: str) -> list[Row]:
    users = [u for u in plan.users if u.action == kind]
    return [(None, [Text(f"{u.sheet}!{u.row}"), _one_line(u.key or "?"), _one_line(u.unit or "-"), what_happens(u)])
            for u in users[:SHOWN_ROWS]]


def import_headers() -> list[str]:
    return [t("ui.col_id"), t("ui.col_time"), t("ui.col_env"), t("ui.col_status"), t("ui.col_file"),
            t("ui.col_counts"), t("ui.col_operator")]


def import_rows(found: Sequence[dict[str, Any]], zone: Any, production: set[str], root: Path) -> list[Row]:
    rows: list[Row] = []
    for record in found:
        counts = record["planned"]
        status = record["status"]
        # an import whose hand-out could not be written: `o` writes it from the kept passwords
        said = Text(t(f"status.{status}"), style=STATUS_STYLE.get(status, ""))
        if handout_owed(root, record):
            said.append(" " + t("ui.handout_owed"), style="bold yellow")
        rows.append((str(record["id"]), [
            Text(f"#{record['id']}"),
            Text(stored_time(record.get("started"), zone)),
            Text(record["environment"], style="bold red" if record["environment"] in production else ""),
            said,
            _one_line(record["file_name"]),
            Text(f"+{counts['insert']} ~{counts['update']} ={counts['unchanged']} ✗{counts['rejected']}"),
            _one_line(record.get("operator") or ""),
        ]))
    return rows


def time_left_text(seconds: float) -> str:
    """The time an import has left, in the screen's language and as the command line says it:
    45 秒, 3 分钟 5 秒, 1 小时 20 分钟."""
    return said(said_duration(round(seconds), "second"))


def progress_text(progress: ApplyProgress) -> str:
    left = t("ui.left_unknown") if progress.left is None else t("ui.left", time=time_left_text(progress.left))
    return t("ui.progress", done=progress.done, total=progress.total, rate=f"{progress.rate:.0f}", left=left,
             phase=t(f"ui.phase_{progress.phase}"))


class ImportActivity(Horizontal):
    """The progress bar (while an import runs, and at its end) and what is happening, on one line
    that wraps over up to six when a result or refusal is longer than the screen is wide."""

    DEFAULT_CSS = """
    ImportActivity {
        /* A result wraps (a failure's next step comes last), up to six lines at 80 columns. */
        height: auto;
        max-height: 6;
        padding: 0 1;
    }
    ImportActivity ProgressBar {
        width: auto;
        display: none;
        margin-right: 1;
    }
    ImportActivity.-bar ProgressBar {
        display: block;
    }
    ImportActivity Bar {
        width: 20;
    }
    ImportActivity #import-activity-text {
        width: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        yield ProgressBar(total=None, show_eta=False, id="import-bar-progress")
        yield Static("", id="import-activity-text", markup=False)

    @property
    def bar(self) -> ProgressBar:
        return self.query_one(ProgressBar)

    @property
    def text(self) -> str:
        return str(self.query_one("#import-activity-text", Static).render())

    def say(self, text: str, style: str = "", bar: bool = False) -> None:
        self.set_class(bar, "-bar")
        self.query_one("#import-activity-text", Static).update(Text(text.replace("\n", "  "), style=style))

    def advance(self, progress: ApplyProgress) -> None:
        self.add_class("-bar")
        self.bar.update(total=max(progress.total, 1), progress=progress.done if progress.total else 1)
        self.query_one("#import-activity-text", Static).update(Text(progress_text(progress), style="bold"))

    def keep_bar(self, text: str, style: str) -> None:
        """The import ended: the bar stays where it got to, the text says how it ended."""
        self.query_one("#import-activity-text", Static).update(Text(text.replace("\n", "  "), style=style))
