"""Daily monitoring: the newest run of the `daily-monitoring` playbook on each environment, for
the daily report's system-status section and the short message the client's group gets.

The playbook runs unattended (cron, `--yes`); what it found is read back from the store, so the
report and the message say exactly what the run recorded — and when it last ran: a monitoring
run missing today is news, never silently yesterday's green.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from launchpad.phrases import loads
from launchpad.report.activity import MAX_RUNS, CheckLine, check_hint, step_info
from launchpad.sitetime import day_bounds, local_text
from launchpad.store.db import Store
from launchpad.workspace.site import Site

MONITORING_PLAYBOOK = "daily-monitoring"
# Steps that tell the group something rather than check something are not findings.
_NOT_FINDINGS = ("announce", "manual")


@dataclass(frozen=True)
class MonitoringLine:
    """One environment's newest monitoring run up to the end of the report's day."""

    run_id: int
    environment: str
    production: bool
    status: str
    finished: str  # site-local
    this_day: bool  # it started on the report's day; else the report says when it last ran
    checks: tuple[CheckLine, ...]

    @property
    def healthy(self) -> bool:
        return self.this_day and self.status == "passed"


def monitoring_status(store: Store, site: Site, day: date, environment: str | None = None) -> list[MonitoringLine]:
    """Production first, then the other environments by name; those that never ran it are absent
    (`never_monitored` names them)."""
    zone = site.tz
    start, end = day_bounds(day, zone)
    query = "SELECT id, environment FROM runs WHERE playbook = ? AND started < ? AND status != 'running'"
    params: list[Any] = [MONITORING_PLAYBOOK, end]
    if environment is not None:
        query, params = query + " AND environment = ?", [*params, environment]
    newest: dict[str, int] = {}
    for row in store.read(query + " ORDER BY id DESC LIMIT ?", [*params, MAX_RUNS]):
        newest.setdefault(row["environment"], row["id"])
    lines = [_line(store, run_id, start, zone) for run_id in newest.values()]
    return sorted((line for line in lines if line is not None), key=lambda m: (not m.production, m.environment))


def _line(store: Store, run_id: int, day_start: str, zone: ZoneInfo) -> MonitoringLine | None:
    run = store.get_run(run_id)
    if run is None:
        return None
    info = step_info(run.get("playbook_snapshot") or {})
    checks = tuple(
        CheckLine(run_id=run_id, environment=run["environment"], kind=str(info.get(step_id, {}).get("kind", "")),
                  title=info.get(step_id, {}).get("name", step_id), status=state["status"],
                  summary=loads(state.get("summary"), state.get("summary_phrase")),
                  at=local_text(state.get("finished") or state["started"], zone), hint=check_hint(state))
        for step_id, state in store.latest_step_states(run_id).items()
        if info.get(step_id, {}).get("kind") not in _NOT_FINDINGS)
    return MonitoringLine(run_id=run_id, environment=run["environment"], production=bool(run["production"]),
                          status=run["status"], finished=local_text(run["finished"] or run["started"], zone),
                          this_day=run["started"] >= day_start, checks=checks)


def monitoring_message(store: Store, site: Site, day: date, lang: str, fmt: str,
                       environment: str | None = None, workspace_root: Path | None = None) -> str:
    """The short message for the client's group (`report monitoring`): each environment's newest
    monitoring run, when it ran, and what each check found; who to call on duty today. Every
    environment of the workspace is there: one never monitored is said so (`never`), not left out."""
    from launchpad.report.notice import render_notice, site_values

    lines = monitoring_status(store, site, day, environment)
    return render_notice("daily_monitoring", {},
                         {**site_values(site, day), "monitoring": lines, "day": day,
                          "never": never_monitored(site, lines, environment)},
                         fmt, lang, workspace_root)


@dataclass(frozen=True)
class NeverMonitored:
    """An environment with no monitoring run up to the report's day: said so, never as passed."""

    environment: str
    production: bool


def never_monitored(site: Site, lines: list[MonitoringLine], environment: str | None = None) -> list[NeverMonitored]:
    """The environments (or the one asked for) with no monitoring run up to the day, production first."""
    ran = {line.environment for line in lines}
    never = [NeverMonitored(name, env.production) for name, env in site.environments.items()
             if name not in ran and environment in (None, name)]
    return sorted(never, key=lambda n: (not n.production, n.environment))

