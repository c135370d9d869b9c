"""What ran on a day, for the daily report: each run (a release when it ran a release on
production: its playbook gates, moves or deploys a release — `RELEASE_KINDS` — so a backup or an
acceptance run on production is not one) with its result, and the latest result of each system
and interface check in those runs.

Checks are the `http` steps (interfaces, pages) and `shell` steps (host checks) of the day's
runs, latest result per environment and step. `launchpad hosts check` prints its findings
without storing them, so they cannot appear here; the readiness playbooks, which run the same
probes as steps, do.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from launchpad.backup.records import BackupRecord, Standing, finished_between, standing
from launchpad.phrases import Phrase, Said, loads, phrase
from launchpad.sitetime import local_text
from launchpad.store.db import Store

CHECK_KINDS = ("http", "shell")
# The step kinds that make a run a release: the release record's gates and moves, the artifact's upload.
RELEASE_KINDS = ("release_approved", "release_window", "release_status", "upload")
MAX_RUNS = 200  # a day; more would be a script in a loop, not a go-live


@dataclass(frozen=True)
class StepNote:
    """A step the client must hear about by name: skipped, not checked or refused, and why."""

    title: str
    reason: Said  # rendered in the report's language


@dataclass(frozen=True)
class RunLine:
    id: int
    playbook: str
    title: str
    environment: str
    production: bool
    status: str
    operator: str
    started: str  # site-local
    finished: str
    steps_total: int  # the playbook's steps it ran, not those left for another environment
    steps_passed: int
    failures: tuple[str, ...]  # titles of failed steps, a rollback's too
    skipped: tuple[StepNote, ...] = ()  # skipped by a person, with the person's reason
    not_checked: tuple[StepNote, ...] = ()  # had nothing to check, with why
    refused: tuple[StepNote, ...] = ()  # gates that refused, with the refusal
    declined: tuple[StepNote, ...] = ()  # steps left unrun because a person did not confirm them, with why
    overridden: tuple[StepNote, ...] = ()  # gates that refused and a person overrode, with the person's reason
    release: bool = False  # a release on production (labelled 发布 in the report)
    rollback_total: int = 0  # the rollback steps it ran or a person declined after a failure, said apart
    rollback_passed: int = 0
    rollback_declined_by: str = ""  # who answered no when the rollback was offered after a failure: none of it ran


@dataclass(frozen=True)
class CheckLine:
    run_id: int
    environment: str
    kind: str  # http (interface) or shell (host)
    title: str
    status: str
    summary: Said  # rendered in the report's language
    at: str
    hint: Said = ""  # a failed check's "→ 建议：…", what the command line said to do about it


def check_hint(state: dict[str, Any]) -> Said:
    """What to do about a check that did not pass, as the command line said it (the step's
    recorded hint), or nothing."""
    hint = loads(state.get("hint"), state.get("hint_phrase")) if state["status"] != "passed" else ""
    return phrase("step.hint", hint=hint) if hint else ""


@dataclass(frozen=True)
class BackupLine:
    id: int
    environment: str
    target: str
    purpose: str  # manual, playbook, safety
    finished: str  # site-local
    size: int
    sha256: str
    verified: bool  # a rollback can use it now: verified, kept, its file there and whole
    drill_status: str | None  # passed, failed, or void once the file it proved changed or went
    state: Said  # what it is now, rendered in the report's language


def backups_on(store: Store, start: str, end: str, zone: ZoneInfo, backups_dir: Path | None) -> list[BackupLine]:
    """Backups finished in [start, end) (UTC), oldest first, each as it stands now by the very
    rule the backups lists apply (`records.standing`, a stat of its file): one whose file is
    missing or cut short, whose verification failed or that was deleted since is not called
    verified, whatever its record said when it was taken. Without a workspace (`backups_dir`
    None) there are no files to look at, so no backups are listed."""
    if backups_dir is None:
        return []
    if not store.read("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'backups'", []):
        return []
    lines = []
    for record in finished_between(store, start, end, MAX_RUNS):
        now = standing(record, backups_dir)
        lines.append(BackupLine(
            id=record.id, environment=record.environment, target=record.target, purpose=record.purpose,
            finished=local_text(record.finished, zone), size=record.size, sha256=record.sha256,
            verified=now.usable, drill_status=now.drill, state=_state(record, now, backups_dir),
        ))
    return lines


def _state(record: BackupRecord, now: Standing, backups_dir: Path) -> Phrase:
    if now.checksum == "deleted":
        return phrase("daily.backup_deleted", reason=record.deleted_said())
    if now.checksum == "changed":
        if not record.path(backups_dir).exists():
            return phrase("daily.backup_missing")  # not its full path: the client reads this
        return phrase("daily.backup_changed", problem=now.problem)
    if now.checksum == "failed":
        return phrase("daily.backup_verify_failed", problem=now.problem)
    return phrase("daily.verified_ok" if now.usable else "daily.verified_no")


def runs_on(store: Store, start: str, end: str, zone: ZoneInfo) -> list[RunLine]:
    """Runs started in [start, end) (UTC), oldest first."""
    rows = store.read("SELECT id FROM runs WHERE started >= ? AND started < ? ORDER BY id LIMIT ?",
                     [start, end, MAX_RUNS])
    lines = []
    for row in rows:
        run = store.get_run(row["id"])
        if run is None:
            continue
        titles = step_info(run.get("playbook_snapshot") or {})
        rollback = rollback_info(run.get("playbook_snapshot") or {})
        states = store.latest_step_states(run["id"])
        failed = tuple({**titles, **rollback}.get(step_id, {}).get("name", step_id)
                       for step_id, state in states.items() if state["status"] == "failed")
        decisions = store.decisions(run["id"])
        notes = _step_notes(store, run["id"], states, {**titles, **rollback})
        ran = _steps_ran(store, run["id"], states, rollback)
        rolled = [state for step_id, state in states.items() if step_id in rollback]
        # A rollback step a person declined never ran: it counts among the rollback's, not passed.
        rolled += [{"status": "declined"} for step_id in _declined(store, run["id"], states, decisions)
                   if step_id in rollback]
        lines.append(RunLine(
            id=run["id"], playbook=run["playbook"],
            title=(run.get("playbook_snapshot") or {}).get("title", run["playbook"]),
            environment=run["environment"], production=bool(run["production"]),
            status=run["status"], operator=run["operator"] or "",
            started=local_text(run["started"], zone), finished=local_text(run["finished"], zone),
            steps_total=len(ran), steps_passed=sum(1 for s in ran if s["status"] == "passed"),
            rollback_total=len(rolled), rollback_passed=sum(1 for s in rolled if s["status"] == "passed"),
            failures=failed, skipped=notes["skipped"], not_checked=notes["not_checked"], refused=notes["refused"],
            declined=notes["declined"], overridden=notes["overridden"],
            rollback_declined_by=_rollback_declined_by(decisions),
            release=bool(run["production"]) and is_release(titles),
        ))
    return lines


def _rollback_declined_by(decisions: list[dict[str, Any]]) -> str:
    """Who declined the rollback offered after a failure, when that was the last answer to it."""
    answers = [d for d in decisions if d["step_id"] == "rollback" and d["kind"] in ("confirmed", "declined")]
    return answers[-1]["actor"] or "?" if answers and answers[-1]["kind"] == "declined" else ""


def _steps_ran(store: Store, run_id: int, states: dict[str, dict[str, Any]],
               rollback: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The states of the steps a run was meant to run: not its rollback (said apart), nor a step
    skipped because it is not for this environment — one a person skipped counts, as not passed."""
    by_person = {d["step_id"] for d in store.decisions(run_id) if d["kind"] == "skipped"}
    return [state for step_id, state in states.items()
            if step_id not in rollback and (state["status"] != "skipped" or step_id in by_person)]


def _step_notes(store: Store, run_id: int, states: dict[str, dict[str, Any]],
                info: dict[str, dict[str, Any]]) -> dict[str, tuple[StepNote, ...]]:
    """Skipped steps (only those a person skipped: a step not meant for this environment is not
    news) with the person's reason; unchecked and refused steps with their summary; steps a
    person did not confirm (a declined switch), which never ran, with why; gates that refused and
    a person overrode (a release window), with the person's reason — they count as passed."""
    decisions = store.decisions(run_id)
    skip_reasons = {d["step_id"]: d["reason"] for d in decisions if d["kind"] == "skipped"}
    declined = {step_id: reason for step_id, reason in _declined(store, run_id, states, decisions).items()
                if step_id in info}
    notes: dict[str, list[StepNote]] = {"skipped": [], "not_checked": [], "refused": [],
                                        "declined": [StepNote(info[step_id].get("name", step_id), reason)
                                                     for step_id, reason in declined.items()],
                                        "overridden": [StepNote(info.get(d["step_id"], {}).get("name", d["step_id"]),
                                                                d["reason"] or "")
                                                       for d in decisions if d["kind"] == "overrode"]}
    for step_id, state in states.items():
        title = info.get(step_id, {}).get("name", step_id)
        if state["status"] == "skipped" and step_id in skip_reasons:
            notes["skipped"].append(StepNote(title, skip_reasons[step_id]))
        elif state["status"] in ("not_checked", "refused"):
            notes[state["status"]].append(StepNote(title, loads(state.get("summary"), state.get("summary_phrase"))))
    return {status: tuple(found) for status, found in notes.items()}


def _declined(store: Store, run_id: int, states: dict[str, dict[str, Any]],
              decisions: list[dict[str, Any]] | None = None) -> dict[str, Said]:
    """The steps a person did not confirm and that did not pass or get skipped since, with why."""
    return {d["step_id"]: loads(d["reason"], d.get("reason_phrase")) for d in decisions or store.decisions(run_id)
            if d["kind"] == "declined" and states.get(d["step_id"], {}).get("status") not in ("passed", "skipped")}


def checks_on(store: Store, runs: list[RunLine], zone: ZoneInfo) -> list[CheckLine]:
    """The latest result of each check step per environment, failed ones first."""
    latest: dict[tuple[str, str], CheckLine] = {}
    for line in runs:
        run = store.get_run(line.id)
        info = step_info((run or {}).get("playbook_snapshot") or {})
        for step_id, state in store.latest_step_states(line.id).items():
            kind = info.get(step_id, {}).get("kind")
            if kind not in CHECK_KINDS or state["status"] == "running":
                continue
            latest[(line.environment, step_id)] = CheckLine(
                run_id=line.id, environment=line.environment, kind=str(kind),
                title=info[step_id].get("name", step_id), status=state["status"],
                summary=loads(state.get("summary"), state.get("summary_phrase")),
                at=local_text(state.get("finished") or state["started"], zone), hint=check_hint(state),
            )
    return sorted(latest.values(), key=lambda c: (c.status == "passed", c.environment, c.title))


def is_release(info: dict[str, dict[str, Any]]) -> bool:
    """Whether a playbook (its steps by id, `step_info`) releases something."""
    return any(step.get("kind") in RELEASE_KINDS for step in info.values())


def rollback_info(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The `rollback:` steps of a playbook's phases by id: they run only after a failure."""
    return {step["id"]: step for phase in snapshot.get("phases", []) for step in phase.get("rollback") or []
            if isinstance(step, dict) and "id" in step}


def step_info(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {step["id"]: step for phase in snapshot.get("phases", []) for step in phase.get("steps", [])
            if isinstance(step, dict) and "id" in step}

