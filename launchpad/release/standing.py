"""Where a release stands as people read it — one rule for `release list|show`, the handover
(command and screen) and the daily report.

The record's status says it, except in one case: a release in progress whose run stopped at a
step's confirmation — a person said no, or production's name was not typed (no terminal, no
`--confirm`) — as the after-hours release's switch asks. The record stays
`in_progress` — the run can be resumed to switch, or the release given up — but it is no longer
going on: it is a decision, recorded by the engine as a `declined` decision and audited
(`decision:declined`). Read as 发布中 it would tell the next engineer a release is under way
when nobody is switching anything. Like a refused gate (never an ordinary failure), it has its
own word: 已停止，未切换 when the declined step was the switch (a step that switches hosts in
batches, `rolling:`), else 已停止（有步骤未获确认）, with the step, the run's recorded reason, who,
when, and both ways on: the
release run again with the same values (an aborted run is not resumed), or the record moved to
rolled back.

The run is the newest one whose `release_status` step moved (or found) this record in progress;
the decline counts only while that run still ends there (aborted, its last decision the
decline of one of its phases' steps): a resumed run that went on is read as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from launchpad.phrases import Phrase, Said, loads, phrase
from launchpad.release.record import Release
from launchpad.safetext import shell_word
from launchpad.store.db import Store

# The two states read from the run rather than the record.
DECLINED_SWITCH = "declined_switch"
DECLINED = "declined"


@dataclass(frozen=True)
class Declined:
    """The decline that stopped the release's run: which step, who, when (UTC stamp)."""

    run_id: int
    playbook: str
    environment: str
    step_id: str
    step_name: str
    actor: str
    at: str
    again: str  # the command that runs the release again with the same values, up to the same question
    why: Said = ""  # the run's recorded reason: a person's no, or production's name not typed


@dataclass(frozen=True)
class Standing:
    release_id: int
    status: str  # the record's status, or DECLINED_SWITCH / DECLINED
    declined: Declined | None = None

    @property
    def word(self) -> Phrase:
        return phrase(f"release.status.{self.status}")

    def next_steps(self) -> Phrase | None:
        """What to do about a stopped release: run it again to switch after all (an aborted run is
        not resumed; a new run finds the record in progress, passes what is done — the group
        notice is not sent twice — and asks the switch again), or give the release up."""
        if self.declined is None:
            return None
        d = self.declined
        return phrase("release.declined_next", id=self.release_id, command=d.again)

    def declined_by(self, zone: Any) -> Phrase | None:
        """For a stopped release: who declined which step, when (site time), and what to do next."""
        if self.declined is None:
            return None
        from launchpad.sitetime import local_text

        d = self.declined
        return phrase("release.declined_by", step=d.step_name, who=d.actor, at=local_text(d.at, zone), run=d.run_id,
                      why=d.why or phrase("engine.reason.not_confirmed"), next=self.next_steps() or "")

    def facts(self) -> dict[str, Any]:
        """For `--json`: the standing beside the record's own status, and the decline."""
        if self.declined is None:
            return {"standing": self.status}
        d = self.declined
        return {"standing": self.status, "declined": {"run": d.run_id, "step": d.step_id, "by": d.actor,
                                                      "at": d.at}}


def release_standing(store: Store, release: Release) -> Standing:
    if release.status != "in_progress":
        return Standing(release.id, release.status)
    declined = _declined(store, release.id)
    if declined is None:
        return Standing(release.id, release.status)
    return Standing(release.id, declined[0], declined[1])


def _declined(store: Store, release_id: int) -> tuple[str, Declined] | None:
    rows = store.read("SELECT run_id FROM run_steps WHERE status = 'passed' AND json_valid(evidence) "
                      "AND json_extract(evidence, '$.release') = ? AND json_extract(evidence, '$.to') = 'in_progress' "
                      "ORDER BY run_id DESC LIMIT 1", [release_id])
    if not rows:
        return None
    run = store.get_run(int(rows[0]["run_id"]))
    if run is None or run["status"] != "aborted":
        return None
    decisions = store.decisions(run["id"])
    if not decisions or decisions[-1]["kind"] != "declined":
        return None
    last = decisions[-1]
    step = _step_of(run.get("playbook_snapshot") or {}, last["step_id"] or "")
    if step is None:  # a resume declined (step ""), the rollback declined: not a step of the release
        return None
    state = DECLINED_SWITCH if step.get("rolling") else DECLINED
    return state, Declined(run["id"], run["playbook"], run["environment"], str(step["id"]),
                           str(step.get("name") or step["id"]), last["actor"], last["at"], _again(run),
                           loads(last["reason"], last.get("reason_phrase")))


def _again(run: dict[str, Any]) -> str:
    """`launchpad run PLAYBOOK --env ENV --var K=V …` with the run's own values, quoted for a shell."""
    values = run.get("variables") or {}
    given = " ".join(f"--var {shell_word(f'{name}={value}')}" for name, value in values.items())
    return " ".join(part for part in ("launchpad run", shell_word(run["playbook"]), "--env",
                                      shell_word(run["environment"]), given) if part)


def _step_of(snapshot: dict[str, Any], step_id: str) -> dict[str, Any] | None:
    """The step `step_id` among the phases' steps of the playbook as it ran (rollback steps are not)."""
    for phase in snapshot.get("phases", []):
        for step in phase.get("steps", []):
            if step.get("id") == step_id:
                return dict(step)
    return None
