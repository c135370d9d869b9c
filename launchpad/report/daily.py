"""The end-of-day report as data: what was reported and resolved on a site-local day, what is
still open with owner and due date, what is overdue, what ran, and tomorrow's plan.

Every number comes from one indexed query, and the lists the client reads in the chat are
capped (the Excel sheet carries them all), so the report takes the same fraction of a second
with 100 issues or 100,000. Lists and counts describe the issues as they are now; the day
selects what was reported and resolved on it, and what was overdue by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from launchpad.issues.model import RESOLVED_STATUSES, SEVERITIES
from launchpad.issues.query import OPEN_SQL
from launchpad.report.activity import BackupLine, CheckLine, RunLine, backups_on, checks_on, runs_on
from launchpad.report.golive_section import GoliveSection, GoliveUnreadable, golive_section
from launchpad.report.monitoring import MONITORING_PLAYBOOK, MonitoringLine, monitoring_status
from launchpad.report.onsite_section import OnsiteLine, onsite_changes_on
from launchpad.report.release_section import ReleaseLine, releases_on
from launchpad.sitetime import day_bounds, local_text
from launchpad.store.audit import audit_head
from launchpad.store.db import Store
from launchpad.workspace.folder import backups_dir
from launchpad.workspace.site import Site

LISTED = 50  # per section in the chat message; more would bury the overdue ones
# The unary + keeps SQLite from choosing the status index (most rows are resolved) over the
# resolved_at range, which is a few hundred rows: 100 ms become 1 ms at 100,000 issues.
_RESOLVED_TODAY = ("resolved_at >= ? AND resolved_at < ? AND +status IN ("
                   + ", ".join(f"'{s}'" for s in RESOLVED_STATUSES) + ")")
_SEVERITY_ORDER = "severity ASC, due IS NULL, due ASC, id ASC"
# A list mark a PM types before an item: a bullet, or a dash or star followed by a space.
_LIST_MARK = re.compile(r"^(?:[·•]+|[-*]+(?=\s))")


@dataclass(frozen=True)
class IssueLine:
    id: int
    title: str
    module: str
    severity: str
    type: str
    status: str
    owner: str
    due: str | None
    reporter: str
    channel: str
    reported_at: str  # site-local, for reading
    resolved_at: str
    resolution: str
    fixed_in: str
    days_overdue: int  # 0 when not overdue

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True)
class Counts:
    new_today: int
    resolved_today: int
    open_total: int
    open_by_severity: dict[str, int]
    overdue: int
    total: int
    other_open: int = 0  # open, not overdue and not reported on the day: 其他未解决
    earlier_overdue: int = 0  # overdue and not reported on the day: 逾期未解决 (overdue counts them all)


@dataclass(frozen=True)
class DailyReport:
    site_name: str
    client: str
    day: date
    generated_at: str
    counts: Counts
    new_today: list[IssueLine]
    resolved_today: list[IssueLine]
    overdue: list[IssueLine]  # overdue and not reported on the day (those are new_today, marked overdue)
    still_open: list[IssueLine]  # open, not overdue and not reported on the day (those are new_today)
    runs: list[RunLine]
    checks: list[CheckLine]
    plan: list[str]
    due_tomorrow: list[IssueLine]
    audit_head: tuple[int, str] | None
    backups: list[BackupLine] = field(default_factory=list)
    # Every issue of the day and every open one, for the xlsx sheet (filled on request).
    all_issues: list[IssueLine] = field(default_factory=list)
    # 上线准备进度, until the go-live date of the workspace's golive.yaml.
    golive: GoliveSection | None = None
    # In its place when golive.yaml has mistakes: where they are and what to do.
    golive_unreadable: GoliveUnreadable | None = None
    # Today's and tonight's releases with where each stands.
    releases: list[ReleaseLine] = field(default_factory=list)
    # 系统与接口检查 opens with the newest daily-monitoring run of each environment.
    monitoring: list[MonitoringLine] = field(default_factory=list)
    # Baseline items changed on site today because the client asked (for HQ to copy back).
    onsite_changes: list[OnsiteLine] = field(default_factory=list)

    def unlisted(self, section: str) -> int:
        """How many of a section's issues the chat message leaves out."""
        shown = len(getattr(self, section))
        total = {"overdue": self.counts.earlier_overdue,
                 "still_open": self.counts.other_open,
                 "new_today": self.counts.new_today,
                 "resolved_today": self.counts.resolved_today}[section]
        return max(0, total - shown)


def collect_daily(store: Store, site: Site, day: date, plan: list[str] | None = None,
                  workspace_root: Path | None = None, with_all_issues: bool = False,
                  now: datetime | None = None) -> DailyReport:
    zone = site.tz
    start, end = day_bounds(day, zone)
    today = day.isoformat()
    # An issue reported on the day is listed once, among the new ones, not again as overdue or
    # still open.
    earlier = "NOT (reported_at >= ? AND reported_at < ?)"
    other_open = f"status IN {OPEN_SQL} AND (due IS NULL OR due >= ?) AND {earlier}"
    earlier_overdue = f"status IN {OPEN_SQL} AND due < ? AND {earlier}"

    def lines(where: str, params: list[Any], order: str, limit: int | None = LISTED) -> list[IssueLine]:
        sql = f"SELECT * FROM issues WHERE {where} ORDER BY {order}" + (f" LIMIT {limit}" if limit else "")
        return [_line(row, day, zone) for row in store.read(sql, params)]

    by_severity = dict.fromkeys(SEVERITIES, 0)
    for row in store.read(f"SELECT severity, COUNT(*) AS n FROM issues WHERE status IN {OPEN_SQL} "
                         "GROUP BY severity", []):
        by_severity[row["severity"]] = row["n"]
    counts = Counts(
        new_today=_count(store, "reported_at >= ? AND reported_at < ?", [start, end]),
        resolved_today=_count(store, _RESOLVED_TODAY, [start, end]),
        open_total=sum(by_severity.values()), open_by_severity=by_severity,
        overdue=_count(store, f"status IN {OPEN_SQL} AND due < ?", [today]),
        total=_count(store, "1", []),
        other_open=_count(store, other_open, [today, start, end]),
        earlier_overdue=_count(store, earlier_overdue, [today, start, end]),
    )
    tomorrow = (day + timedelta(days=1)).isoformat()
    runs = runs_on(store, start, end, zone)
    golive = golive_section(store, site, day, workspace_root, now)
    report = DailyReport(
        site_name=site.site.name, client=site.site.client, day=day,
        generated_at=(now or datetime.now(zone)).astimezone(zone).strftime("%Y-%m-%d %H:%M"), counts=counts,
        new_today=lines("reported_at >= ? AND reported_at < ?", [start, end], _SEVERITY_ORDER),
        resolved_today=lines(_RESOLVED_TODAY, [start, end], "severity ASC, resolved_at ASC"),
        overdue=lines(earlier_overdue, [today, start, end], "severity ASC, due ASC, id ASC"),
        still_open=lines(other_open, [today, start, end], _SEVERITY_ORDER),
        # A monitoring run's checks are listed under it, not again among the day's other checks.
        runs=runs, checks=checks_on(store, [run for run in runs if run.playbook != MONITORING_PLAYBOOK], zone),
        monitoring=monitoring_status(store, site, day),
        plan=plan if plan is not None else read_plan(workspace_root, day),
        due_tomorrow=lines(f"status IN {OPEN_SQL} AND due = ?", [tomorrow], _SEVERITY_ORDER),
        audit_head=audit_head(store),
        backups=backups_on(store, start, end, zone, None if workspace_root is None else backups_dir(workspace_root)),
        golive=golive if isinstance(golive, GoliveSection) else None,
        golive_unreadable=golive if isinstance(golive, GoliveUnreadable) else None,
        releases=releases_on(store, site, day),
        onsite_changes=onsite_changes_on(store, site, day),
    )
    if with_all_issues:
        everything = lines(f"(reported_at >= ? AND reported_at < ?) OR (resolved_at >= ? AND resolved_at < ?) "
                           f"OR status IN {OPEN_SQL}", [start, end, start, end], _SEVERITY_ORDER, limit=None)
        report.all_issues.extend(everything)
    return report


def _count(store: Store, where: str, params: list[Any]) -> int:
    return int(store.read(f"SELECT COUNT(*) AS n FROM issues WHERE {where}", params)[0]["n"])


def _line(row: dict[str, Any], day: date, zone: ZoneInfo) -> IssueLine:
    overdue = 0
    if row["status"] in ("new", "in_progress") and row["due"] and row["due"] < day.isoformat():
        overdue = (day - date.fromisoformat(row["due"])).days
    return IssueLine(
        id=row["id"], title=row["title"], module=row["module"], severity=row["severity"],
        type=row["type"], status=row["status"], owner=row["owner"], due=row["due"],
        reporter=row["reporter"], channel=row["channel"],
        reported_at=local_text(row["reported_at"], zone),
        resolved_at=local_text(row["resolved_at"], zone) if row["resolved_at"] else "",
        resolution=row["resolution"], fixed_in=row["fixed_in"], days_overdue=overdue,
    )


def chat_copy_key(day: date, channel: str) -> str:
    """The outbox key shared by the copies of one day's report to one channel: sent again
    (after an offline failure, or with a corrected plan), the fresh copy replaces one still
    queued, so the group never gets the stale one after it."""
    return f"daily report {day.isoformat()} to {channel}"


def read_plan(workspace_root: Path | None, day: date) -> list[str]:
    """Tomorrow's plan kept in the workspace: `data/plan-YYYY-MM-DD.txt` for the day, else
    `data/plan.txt`; one item a line, blank lines and `#` comments skipped."""
    if workspace_root is None:
        return []
    for name in (f"plan-{day.isoformat()}.txt", "plan.txt"):
        path = workspace_root / "data" / name
        if path.is_file():
            return plan_items(path.read_text(encoding="utf-8"), comments=True)
    return []


def plan_items(text: str, comments: bool = False) -> list[str]:
    """Tomorrow's plan as items: one a line, or between full-width semicolons (`回访；发布`, as a
    PM types a list on one line); list marks (`- `, `* `, `·`, `•`) and blank items dropped, and
    with `comments` (the plan file) `#` lines. A typed `#12 回访` or `**重点**` is the PM's words."""
    items = []
    for line in text.replace("；", "\n").splitlines():
        item = _LIST_MARK.sub("", line.strip()).strip()
        if item and not (comments and item.startswith("#")):
            items.append(item)
    return items
