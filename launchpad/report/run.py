"""A run as a report the client can read (the release test report): who ran what, when, on
which environment, and each step's result with its evidence, in Chinese or English."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from launchpad.durations import terse_duration
from launchpad.errors import UsageError
from launchpad.phrases import loads, phrase, section
from launchpad.phrases import render as render_phrase
from launchpad.report.render import render_template
from launchpad.sitetime import local_text
from launchpad.steps import host_code
from launchpad.workspace.site import Site

# Steps whose own summary, not a count of hosts, tells the client what happened.
UNPASSED_SAYS_WHY = ("not_checked", "skipped", "refused")
# What a host's row reads once it answered; the others stopped with the step (aborted, …).
REPORTED = ("passed", "failed", "not_checked")
# The host table's number, by what the step kind reports (steps.host_code): its column's
# heading (md, html) and, where there are no headings (text), the words before it.
CODE_HEADINGS = {"exit": "exit", "http": "http_status"}
CODE_CELLS = {"exit": "exit_code", "http": "http_code"}


def collect_run(store: Any, site: Site, run_id: int) -> dict[str, Any]:
    """Everything a report shows, as plain data (also what `--format json` prints)."""
    run = store.get_run(run_id)
    if run is None:
        raise UsageError(phrase("error.no_run", id=run_id), hint=phrase("store.see_runs"))
    snapshot = run.get("playbook_snapshot") or {}
    titles, kinds = _step_titles(snapshot), _step_kinds(snapshot)
    steps = []
    for row in store.step_rows(run_id):
        hosts = [h for h in store.host_rows(run_id, row["step_id"]) if h["attempt"] == row["attempt"]]
        steps.append({**row, "title": titles.get(row["step_id"], row["step_id"]), "kind": kinds.get(row["step_id"]),
                      "hosts": hosts})
    latest: dict[str, dict[str, Any]] = {}
    for step in steps:  # keep the latest attempt of each step, in first-seen order
        latest[step["step_id"]] = step
    decisions = store.decisions(run_id)
    # A step a person did not confirm never started, so it has no row: it is listed among the
    # steps all the same (a declined restore in a rollback), not only among the decisions.
    for step_id, reason in _declined_unstarted(decisions, latest, titles).items():
        latest[step_id] = {"step_id": step_id, "title": titles[step_id], "kind": kinds.get(step_id),
                           "status": "declined", "summary": reason["reason"],
                           "summary_phrase": reason.get("reason_phrase"), "hosts": [], "attempt": 0}
    return {
        "site": site.site.model_dump(),
        "run": run,
        # The title the playbook had when it ran, then its id: what a person reads it by.
        "playbook": f"{snapshot['title']} ({run['playbook']})" if snapshot.get("title") else run["playbook"],
        "steps": list(latest.values()),
        "attempts": steps,
        # each decision with its step's title where it is about a step ("step"), its id kept
        "decisions": [{**d, "step": titles.get(d["step_id"] or "", d["step_id"])} for d in decisions],
    }


def _declined_unstarted(decisions: list[dict[str, Any]], started: dict[str, Any],
                        titles: dict[str, str]) -> dict[str, dict[str, Any]]:
    """The playbook's steps whose last answer was no and that never started, with that answer."""
    last: dict[str, dict[str, Any]] = {}
    for d in decisions:
        if d["step_id"] in titles and d["step_id"] not in started:
            last[d["step_id"]] = d
    return {step_id: d for step_id, d in last.items() if d["kind"] == "declined"}


def _step_titles(snapshot: dict[str, Any]) -> dict[str, str]:
    # Rollback steps too: a rolled-back release's report names what the rollback did.
    return {
        step["id"]: f"{phase.get('name', '')} / {step.get('name', step['id'])}"
        for phase in snapshot.get("phases", [])
        for step in [*phase.get("steps", []), *phase.get("rollback", [])]
    }


def _step_kinds(snapshot: dict[str, Any]) -> dict[str, str]:
    """Each step's kind, as the run ran it: what its hosts' numbers are."""
    return {
        step["id"]: step.get("kind", "")
        for phase in snapshot.get("phases", [])
        for step in [*phase.get("steps", []), *phase.get("rollback", [])]
    }


def render_run(report: dict[str, Any], fmt: str, lang: str, timezone: str = "Asia/Shanghai",
               workspace_root: Path | None = None) -> str:
    """The run report in `fmt` (text, md, html). A workspace's `templates/run_report.md.j2`
    replaces the bundled one, as for the daily report. Everything the templates print — step
    titles, the operator, a host's output, a person's reason — is text from people or servers,
    so every value passes through that format's cleaner (launchpad.safetext) on its way out."""
    suffix = {"text": "txt", "md": "md", "html": "html"}[fmt]
    context = {"r": report, **run_helpers(lang, timezone)}
    return render_template(f"run_report.{suffix}.j2", context, lang, workspace_root, clean_every_value=True)


def run_helpers(lang: str, timezone: str) -> dict[str, Any]:
    """What the run report's templates call — labels `t`, status words `s`, site-time `local`,
    `said`, `hosts_summary`, `step_result`, `code_heading`/`host_code_text` for the hosts' numbers and
    a host's time `took` — for other reports that show a run (the release test report)."""
    labels = section("runreport", lang)
    zone = ZoneInfo(timezone)

    def local(stamp: str | None) -> str:
        """Store times are UTC; the client reads the site's wall-clock time."""
        return local_text(stamp, zone, with_seconds=True)

    def said(row: dict[str, Any], column: str) -> str:
        """A stored summary or host message in the report's language (see phrases.py)."""
        return render_phrase(loads(row.get(column), row.get(f"{column}_phrase")), lang)

    def hosts_summary(step: dict[str, Any]) -> str:
        if step["status"] in UNPASSED_SAYS_WHY:
            return said(step, "summary")  # why it was not checked, skipped or refused
        if step["status"] == "failed" and not any(h["status"] in REPORTED for h in step["hosts"]):
            return said(step, "summary")  # it failed before any host answered: the count says nothing
        passed = sum(1 for h in step["hosts"] if h["status"] == "passed")
        return labels["hosts_passed"].format(passed=passed, total=len(step["hosts"]))

    def step_result(step: dict[str, Any]) -> str:
        """A step's cell: its hosts' count or its own summary, then what to do next when the
        step failed with a launchpad error that says (its hint)."""
        result = hosts_summary(step) if step["hosts"] else said(step, "summary")
        hint = loads(step.get("hint"), step.get("hint_phrase"))
        return f"{result} {render_phrase(phrase('step.hint', hint=hint), lang)}" if hint else result

    def code_heading(step: dict[str, Any]) -> str:
        """The heading over the hosts' numbers: exit code, or HTTP status for an http step."""
        return labels[CODE_HEADINGS[host_code(step.get("kind"))]]

    def host_code_text(step: dict[str, Any], host: dict[str, Any]) -> str:
        """A host's number with what it is, where no heading says it (the text report)."""
        return labels[CODE_CELLS[host_code(step.get("kind"))]].format(code=host["exit_code"])

    def took(seconds: float | None) -> str:
        """A host's time on a step as the command line and the run screen show it: "0.52秒"."""
        return render_phrase(terse_duration(seconds or 0, decimals=2), lang)

    def decision(kind: str) -> str:
        return labels.get("decision_" + kind, kind)

    def step_of(d: dict[str, Any]) -> str:
        """What a decision is about: its step's title, the run's rollback, or nothing (a dash)."""
        return labels["rollback_step"] if d.get("step_id") == "rollback" else d.get("step") or "—"

    def step_status(step: dict[str, Any]) -> str:
        """A step's result; a gate that refused and was overridden says so, not "passed"."""
        return labels["overridden"] if overridden(step) else labels.get(step["status"], step["status"])

    return {"t": labels, "s": lambda status: labels.get(status, status), "local": local,
            "hosts_summary": hosts_summary, "step_result": step_result, "said": said, "decision": decision,
            "step_of": step_of, "step_status": step_status, "overridden": overridden, "code_heading": code_heading,
            "host_code_text": host_code_text, "took": took}


def overridden(step: dict[str, Any]) -> bool:
    """Whether the step is a refused gate a person overrode (the engine records the reason in
    the step's evidence)."""
    return step["status"] == "passed" and bool((step.get("evidence") or {}).get("override_reason"))
