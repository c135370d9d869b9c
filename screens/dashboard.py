"""The dashboard: where the person lands, and what they must know before touching anything —
which site, which environments (production in red), who is on duty today and who backs them
up, whether a release window is open and when the next opens, how many feedback issues are
open (by severity) and overdue, how old each environment's newest verified backup is (in
colour once older than a day, or when there is none), how far the site is from go-live (when
the workspace has a golive.yaml), what ran recently, and whether the hosts answer.

It renders the app's reactives only; the workspace, runs and host checks are loaded by the
app's workers, so this screen paints at once and fills in as answers arrive.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import DataTable, Static

from launchpad.backup.freshness import BackupFreshness
from launchpad.errors import InvalidInput, UsageError
from launchpad.golive.progress import Progress, owner_name
from launchpad.golive.set_aside import set_aside_said
from launchpad.phrases import parts
from screens.base import LaunchpadScreen
from screens.support.display import (
    age_text,
    countdown_text,
    production_tag,
    run_title,
    status_text,
    stored_time,
    verdict_style,
    weekday_name,
)
from screens.support.i18n import said, t
from screens.support.messages import GoliveRead
from screens.widgets.tables import fill_table


class DashboardScreen(LaunchpadScreen):
    BINDINGS = [
        Binding("p", "app.playbooks", "key.playbooks", id="dashboard.playbooks"),
        Binding("h", "app.check_hosts", "key.hosts", id="dashboard.hosts"),
        Binding("e", "next_environment", "key.next_env", id="dashboard.environment"),
        Binding("r", "resume", "key.resume", id="dashboard.resume"),
        Binding("i", "app.issues", "key.issues", id="dashboard.issues"),
        Binding("c", "app.issues('capture')", "key.capture", id="dashboard.capture"),
        Binding("d", "app.daily_report", "key.report", id="dashboard.report"),
        # Not in the footer, which is full at 80 columns: the backups panel shows the key.
        Binding("b", "app.backups", "key.backups", id="dashboard.backups", show=False),
        Binding("o", "app.handover", "key.handover", id="dashboard.handover", show=False),
        # Not in the footer either: help (?) and the palette ("users: import") list it.
        Binding("u", "app.user_import", "key.users_import", id="dashboard.user_import", show=False),
        Binding("f", "app.drift", "key.drift", id="dashboard.drift", show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return bool(self.launchpad.interrupted_runs)
        return True

    def action_resume(self) -> None:
        self.launchpad.action_resume()

    def compose_body(self) -> ComposeResult:
        # Only a line at first: the tables come with the workspace, so the first frame (and
        # the first key) does not wait for widgets that would have nothing to show.
        yield Static(t("app.loading"), id="site-line")
        yield Vertical(id="dash-body")

    @staticmethod
    def body_widgets() -> list[Widget]:
        environments = Vertical(
            DataTable(id="environments", cursor_type="row", zebra_stripes=False),
            Static("", id="selected-hosts"),
            Static("", id="dash-issues"),
            Static("", id="dash-backups"),
            id="environments-box",
        )
        return [
            Horizontal(environments, Static("", id="today"), id="dash-top"),
            Static("", id="dash-golive"),
            DataTable(id="runs", cursor_type="row"),
        ]

    def __init__(self) -> None:
        super().__init__()
        self.filled = False  # True once the tables are mounted (not merely added): rows need sizes
        self._env_columns: list[Any] = []
        self.golive: GoliveRead | None = None  # None until read; its progress None without a checklist

    def screen_title(self) -> str:
        return t("dash.subtitle")

    def on_mount(self) -> None:
        super().on_mount()
        self.sub_title = self.screen_title()
        self.watch(self.app, "session", self._show_session)
        self.watch(self.app, "environment", self._show_environment, init=False)
        self.watch(self.app, "host_health", self._show_hosts, init=False)
        self.watch(self.app, "recent_runs", self._show_runs)
        self.watch(self.app, "interrupted_runs", lambda _runs: self.refresh_bindings(), init=False)
        self.watch(self.app, "issue_summary", self._show_issues, init=False)
        self.watch(self.app, "backup_freshness", self._show_backups, init=False)
        self.set_interval(1.0, self._show_today)
        self.set_interval(GOLIVE_INTERVAL, self.read_golive)

    def relabel(self) -> None:
        super().relabel()
        self.call_later(self._show_session)

    # -- rendering ----------------------------------------------------------------------------

    async def _show_session(self, _session: object = None) -> None:
        session = self.launchpad.session
        if session is None:
            return
        if not self.query("#runs"):
            await self.query_one("#dash-body", Vertical).mount_all(self.body_widgets())
            self.filled = True
            self.query_one("#environments", DataTable).focus()
        info = session.site.site
        self.query_one("#site-line", Static).update(
            Text.assemble((info.name, "bold"), "  ·  ", (f"{t('dash.client')}: ", "dim"), info.client)
        )
        table = self.query_one("#environments", DataTable)
        table.border_title = t("dash.environments")
        # Rebuilding moves the cursor; only the person's own moves may select an environment.
        with table.prevent(DataTable.RowHighlighted):
            rows = []
            for name, env in session.site.environments.items():
                label = Text.assemble((name, "bold red" if env.production else "bold"))
                description = Text(env.description)
                if env.production:
                    description = Text.assemble(production_tag(), " ", env.description)
                rows.append((name, (label, description, self._hosts_cell(name))))
            # Wide enough for any answer of the host check, so it never has to grow.
            hosts_width = max(cell_len(t("dash.checking")), cell_len("✓ " + t("dash.reachable", ok=99, total=99)))
            headers = (t("dash.env"), t("dash.description"), t("dash.hosts"))
            self._env_columns = fill_table(table, headers, rows, (0, 0, hosts_width))
            self._show_environment()
        self._show_today()
        self._show_issues()
        self._show_backups()
        self._show_golive()
        self._show_runs()
        if self.golive is None:
            self.read_golive()

    def on_screen_resume(self) -> None:
        # Back from the issues screen, the backups screen, the checklist or a run: the counts
        # and the go-live states may have moved.
        self.launchpad.refresh_issue_summary()
        self.launchpad.refresh_backup_freshness()
        self.read_golive()

    @work(thread=True, exclusive=True, exit_on_error=False, group="dash-golive")
    def read_golive(self) -> None:
        """The checklist's states as `launchpad golive` and the checklist screen compute them
        (their `read_progress`); no checklist, or one with mistakes, is said, never raised."""
        from launchpad.golive.progress import read_progress

        session = self.launchpad.session
        if session is None:
            return
        try:
            self.post_message(GoliveRead(read_progress(session)))
        except InvalidInput as problem:
            self.post_message(GoliveRead(None, mistakes=len(problem.problems)))
        except UsageError:
            self.post_message(GoliveRead(None))

    def on_golive_read(self, message: GoliveRead) -> None:
        self.golive = message
        self._show_golive()

    def _show_golive(self) -> None:
        """Two lines under the top panels: version, days to go-live, done/total, late count and
        the verdict; then the first late items with their owners. Critical items set aside as
        not applicable take a line between them (a go resting on them starts it). Nothing
        without a checklist."""
        session = self.launchpad.session
        if session is None or not self.filled:
            return
        panel = self.query_one("#dash-golive", Static)
        read = self.golive
        panel.display = read is not None and (read.progress is not None or read.mistakes > 0)
        if read is None or not panel.display:
            return
        title = (t("dash.golive") + " ", "bold")
        if read.progress is None:
            panel.update(Text.assemble(title, ("⚠ " + t("dash.golive_mistakes", count=read.mistakes), "bold red")))
            return
        panel.update(golive_lines(read.progress, title, session.site))

    def _show_issues(self, _summary: object = None) -> None:
        summary = self.launchpad.issue_summary
        if not self.filled:
            return
        title = (t("dash.issues") + " ", "bold")
        panel = self.query_one("#dash-issues", Static)
        if summary is None:
            panel.update(Text.assemble(title, (t("dash.checking"), "dim")))
            return
        overdue = ("⚠ " if summary.overdue else "") + t("dash.overdue", count=summary.overdue)
        lines = Text.assemble(title, t("dash.open_issues", count=summary.open_total), " · ",
                              (overdue, "bold red" if summary.overdue else "green"), "\n")
        for severity, count in summary.open_by_severity.items():
            style = {"P0": "bold red", "P1": "bold yellow"}.get(severity, "") if count else "dim"
            lines.append_text(Text.assemble((f"{severity} {count}", style), "  "))
        panel.update(lines)

    def _show_backups(self, _freshness: object = None) -> None:
        """One line per environment: its newest verified backup's age, under a title that
        names the key; stale (over a day) or missing stands out, as an overdue issue does."""
        session = self.launchpad.session
        if session is None or not self.filled:
            return
        freshness = self.launchpad.backup_freshness
        title = t("dash.backups") + " "
        lines = Text.assemble((title, "bold"))
        if freshness is None:
            lines.append(t("dash.checking"), "dim")
        else:
            now = session.now()
            width = max((cell_len(name) for name in freshness), default=0)
            for index, (name, fresh) in enumerate(freshness.items()):
                if index:
                    lines.append("\n" + " " * cell_len(title))
                lines.append(name + " " * (width - cell_len(name) + 2), "bold red" if session.is_production(name)
                             else "bold")
                lines.append_text(self._backup_age(fresh, now))
        self.query_one("#dash-backups", Static).update(lines)

    @staticmethod
    def _backup_age(fresh: BackupFreshness, now: datetime) -> Text:
        age = fresh.age(now)
        if age is None and not fresh.targets:
            return Text(t("dash.no_backup_targets"), style="dim")
        if age is None:
            return Text("⚠ " + t("dash.no_verified"), style="bold yellow")
        if fresh.stale(now):
            return Text("⚠ " + age_text(age), style="bold yellow")
        return Text("✓ " + age_text(age), style="green")

    def _hosts_cell(self, env_name: str) -> Text:
        health = self.launchpad.host_health.get(env_name)
        if health is None:
            return Text(t("dash.checking"), style="dim")
        ok = sum(1 for h in health if h.reachable)
        style = "green" if ok == len(health) else "bold red"
        glyph = "✓" if ok == len(health) else "✗"
        return Text(f"{glyph} {t('dash.reachable', ok=ok, total=len(health))}", style=style)

    def _show_hosts(self, _health: object = None) -> None:
        session = self.launchpad.session
        if session is None or not self.filled:
            return
        table = self.query_one("#environments", DataTable)
        for name in session.site.environments:
            if name in table.rows and len(self._env_columns) == 3:
                table.update_cell(name, self._env_columns[2], self._hosts_cell(name))
        self._show_selected_hosts()

    def _show_environment(self, _env: object = None) -> None:
        if not self.filled:
            return
        env_name = self.launchpad.environment
        table = self.query_one("#environments", DataTable)
        if env_name is not None and env_name in table.rows:
            row = table.get_row_index(env_name)
            if table.cursor_row != row:
                with table.prevent(DataTable.RowHighlighted):
                    table.move_cursor(row=row)
        self._show_selected_hosts()

    def _show_selected_hosts(self) -> None:
        env_name = self.launchpad.environment
        session = self.launchpad.session
        if session is None or env_name is None:
            return
        health = {h.host: h for h in self.launchpad.host_health.get(env_name, [])}
        parts: list[Any] = [(t("dash.selected_hosts", env=env_name) + ": ", "dim")]
        for host in session.site.environments[env_name].hosts:
            found = health.get(host.name)
            glyph, style = ("·", "dim") if found is None else (("✓", "green") if found.reachable else ("✗", "red"))
            parts += [(glyph, f"bold {style}"), f" {host.name}  "]
        self.query_one("#selected-hosts", Static).update(Text.assemble(*parts))

    def _show_today(self) -> None:
        session = self.launchpad.session
        if session is None or not self.filled:
            return
        now: datetime = session.now()
        primary, backup = session.site.on_duty(now.date())
        lines: list[Text] = [Text(f"{now:%Y-%m-%d} {weekday_name(now)} {now:%H:%M}", style="bold")]
        if primary is None:
            lines.append(Text(f"{t('dash.duty')}: {t('dash.nobody')}", style="bold yellow"))
        else:
            lines.append(Text(f"{t('dash.duty')}: {primary.name} {primary.phone}"))
            if backup is not None:
                lines.append(Text(f"{t('dash.backup')}: {backup.name} {backup.phone}"))
        lines.append(Text(t("dash.windows"), style="bold"))
        lines += [self._window_line(name, window, now) for name, window in session.site.windows.items()]
        if not session.site.windows:
            lines.append(Text(t("dash.no_windows"), style="dim"))
        today = self.query_one("#today", Static)
        today.border_title = t("dash.today")
        today.update(Text("\n").join(lines))
        self._show_backups()  # ages move with the clock

    @staticmethod
    def _window_line(name: str, window: Any, now: datetime) -> Text:
        schedule = window.schedule()
        span = schedule.open_span(now)
        label = f"{window.description or name} {window.start}–{window.end}: "
        if span is not None:
            return Text.assemble(label, ("● " + t("dash.window_open", left=countdown_text(span[1] - now)), "green"))
        opens = schedule.next_opening(now)
        state = t("dash.window_closed", left=countdown_text(opens - now), at=f"{weekday_name(opens)} {opens:%H:%M}")
        return Text.assemble(label, ("○ " + state, "yellow"))

    def _show_runs(self, _runs: object = None) -> None:
        if not self.filled:
            return
        table = self.query_one("#runs", DataTable)
        table.border_title = t("dash.runs")
        session = self.launchpad.session
        runs = self.launchpad.recent_runs
        if session is None:
            return
        headers = (
            t("dash.run"), t("dash.playbook"), t("dash.env"), t("dash.status"), t("dash.started"), t("dash.operator")
        )
        rows: list[tuple[str | None, tuple[Any, ...]]] = [
            (
                str(run["id"]),
                (
                    f"#{run['id']}",
                    run_title(run),
                    Text(run["environment"], style="bold red" if run.get("production") else ""),
                    status_text(run["status"]),
                    stored_time(run.get("started"), session.site.tz),
                    run.get("operator") or "",
                ),
            )
            for run in runs
        ]
        if not runs:
            rows = [(None, ("", Text(t("dash.no_runs"), style="dim"), "", "", "", ""))]
        fill_table(table, headers, rows)

    # -- choosing an environment --------------------------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "environments" and event.row_key.value:
            self.launchpad.action_select_environment(str(event.row_key.value))

    def action_next_environment(self) -> None:
        session = self.launchpad.session
        if session is None:
            return
        names = list(session.site.environments)
        if names:
            current = names.index(self.launchpad.environment) if self.launchpad.environment in names else -1
            self.launchpad.action_select_environment(names[(current + 1) % len(names)])


GOLIVE_INTERVAL = 60.0  # a proof that came or went (a run, a backup) shows up this fast
GOLIVE_LATE_SHOWN = 2  # the rest are counted; the checklist (ctrl+g) lists them all


def golive_lines(progress: Progress, title: tuple[str, str], site: Any) -> Text:
    counts = progress.counts()
    late = [p for p in progress.items if p.late]
    text = Text.assemble(
        title, progress.checklist.version, " · ",
        t("dash.golive_days_one" if progress.days_to_golive == 1 else "dash.golive_days",
          days=progress.days_to_golive), " · ",
        t("dash.golive_done", done=counts["done"], total=counts["total"] - counts["not_applicable"]), " · ",
        ((("⚠ " if late else "") + t("dash.overdue", count=len(late))), "bold red" if late else "green"),
    )
    aside = progress.set_aside
    if progress.go and aside:
        # A go that rests on critical items set aside starts a line of its own, so no ellipsis
        # can cut the sentence that says so; who, when and why follow it.
        text.append("\n  ")
        text.append(said(progress.verdict()), verdict_style(progress))
    else:
        text.append("  ")
        text.append(said(progress.verdict()), verdict_style(progress))
        if aside:
            text.append("\n  ⚠ " + t("dash.golive_set_aside"), "yellow")
    if aside:
        text.append(" " + said(parts([set_aside_said(item, why) for item, why in aside])), "yellow")
    if late:
        # Titles and owners are people's words: plain Text, never markup.
        shown = [t("dash.golive_item", title=p.item.title.replace("\n", " "), owner=owner_name(site, p.item.owner))
                 for p in sorted(late, key=lambda p: p.item.due)[:GOLIVE_LATE_SHOWN]]
        more = len(late) - len(shown)
        text.append("\n  ")
        text.append(t("dash.golive_late", items=parts(shown)), "red")
        if more:
            text.append(" " + t("dash.golive_more", count=more), "dim")
    # Two lines at most, at 80 columns too: long titles end in an ellipsis, the checklist
    # screen shows them whole.
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text
