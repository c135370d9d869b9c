"""The playbook engine: runs phases and steps against one environment, storing each result
before telling anyone about it, asking people through the Prompter, reporting through Events.

A run can be killed at any moment. What was stored stays true: a step is `passed` only once
its result is in the store, a step found `running` on resume is `interrupted`, and re-running a
step that is not idempotent needs a person's yes.

`Engine.cancel` is the one way to stop a run from outside (the TUI's stop key, quitting): the
engine stops before the next step, or when the question it waits on is withdrawn
(`PromptCancelled`), and itself marks the run `interrupted`, resumable like a killed one.
"""

from __future__ import annotations

import shlex
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from launchpad.errors import REFUSED_EXIT, LaunchpadError, UsageError
from launchpad.hosts.base import Transport
from launchpad.phrases import Phrase, Said, parts, phrase, status_word
from launchpad.run.events import (
    DecisionRecorded,
    EventSink,
    GateRefused,
    HostFinished,
    Notice,
    PhaseStarted,
    RunFinished,
    RunStarted,
    StepFinished,
    StepStarted,
    ignore,
)
from launchpad.run.playbook import LoadedPlaybook, Phase, Playbook, describe_changes
from launchpad.run.prompter import (
    ConfirmRequest,
    FailureRequest,
    OverrideRequest,
    PromptCancelled,
    Prompter,
    RerunRequest,
    TypeNameRequest,
)
from launchpad.run.templating import TemplateProblem
from launchpad.run.variables import resolve_variables, template_values
from launchpad.steps import step_kinds
from launchpad.steps.base import HostOutcome, StepContext, StepOutcome, StepSpec
from launchpad.store.db import Store
from launchpad.workspace.folder import Workspace
from launchpad.workspace.site import Host

DONE = ("passed", "skipped", "not_checked")
# A run that reached its end with steps skipped by a person or left unchecked is not a pass:
# it exits 1 like any check that did not pass (3 is the crash handler's code, 2 bad input), and
# its status, `partial`, says why.
PARTIAL_EXIT = 1
# A run a gate refused exits REFUSED_EXIT (launchpad/errors.py), as every refused gate does.


@dataclass(frozen=True)
class RunResult:
    run_id: int
    status: str  # passed | partial | failed | aborted | refused | interrupted

    @property
    def exit_code(self) -> int:
        return {"passed": 0, "partial": PARTIAL_EXIT, "refused": REFUSED_EXIT}.get(self.status, 1)


def resumable_run(store: Store, run_id: int, env_name: str | None = None) -> dict[str, Any]:
    """The stored run `run_id` if it can be resumed, on `env_name` when one is asked for: a run
    goes on where it began (`run["environment"]`), never on another environment. Raises
    UsageError saying why not — no such run, another environment, already passed or ended."""
    run = store.get_run(run_id)
    if run is None:
        raise UsageError(phrase("error.no_run", id=run_id), hint=phrase("error.no_run_hint"))
    if env_name and env_name != run["environment"]:
        raise UsageError(phrase("error.run_other_env", id=run_id, env=run["environment"], given=env_name),
                         hint=phrase("error.run_other_env_hint", env=run["environment"]))
    if run["status"] == "passed":
        raise UsageError(phrase("error.run_passed", id=run_id))
    if run["status"] not in ("running", "interrupted"):  # it ended: failed, aborted, refused
        again = " ".join(["launchpad run", shlex.quote(run["playbook"]), "--env", shlex.quote(run["environment"]),
                          *(f"--var {shlex.quote(f'{k}={v}')}" for k, v in (run.get("variables") or {}).items())])
        raise UsageError(phrase("error.run_ended", id=run_id, status=status_word(run["status"])),
                         hint=phrase("error.run_ended_hint", command=again))
    return run


class _Stop(Exception):
    """Ends the run early with a final status (failed, aborted, refused, interrupted);
    `after_failure` when a step failed first, so the rollback plan is offered."""

    def __init__(self, status: str, *, after_failure: bool = False) -> None:
        self.status = status
        self.after_failure = after_failure


class Engine:
    def __init__(
        self,
        workspace: Workspace,
        store: Store,
        prompter: Prompter,
        transport_for: Callable[[Host], Transport],
        *,
        emit: EventSink = ignore,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.workspace, self.store, self.prompter = workspace, store, prompter
        self.transport_for = transport_for
        self.emit = emit
        self.now = now or workspace.site.now
        # Set by `cancel`; steps see it on their context, the engine looks before each step.
        self.cancelled = threading.Event()

    def cancel(self) -> None:
        """Stop the run at the next safe point: before the next step starts, or when the
        question being asked is withdrawn. Safe to call from any thread, and more than once."""
        self.cancelled.set()

    # -- starting and resuming ------------------------------------------------------------

    def start(self, loaded: LoadedPlaybook, env_name: str, given: dict[str, str]) -> RunResult:
        playbook = loaded.playbook
        environment = self.workspace.environment(env_name)
        variables = resolve_variables(playbook, env_name, given, self.prompter)
        _refuse_bad_release_versions(loaded, variables)
        run_id = self.store.create_run(
            playbook=playbook.name,
            playbook_path=str(loaded.path),
            playbook_hash=playbook.digest(),
            playbook_snapshot=playbook.snapshot(),
            environment=env_name,
            production=environment.production,
            variables=variables,
            operator=self.prompter.actor,
        )
        self._audit("run_started", f"run {run_id}", {"playbook": playbook.name, "environment": env_name})
        self.emit(RunStarted(run_id, playbook.name, env_name, environment.production, resumed=False))
        return self._execute(run_id, playbook, env_name, variables)

    def resume(self, run_id: int, loaded: LoadedPlaybook) -> RunResult:
        run = resumable_run(self.store, run_id)
        playbook = loaded.playbook
        if run["playbook"] != playbook.name:
            raise UsageError(
                phrase("engine.resume_other_playbook", id=run_id, actual=run["playbook"], given=playbook.name),
                hint=phrase("engine.resume_other_playbook_hint", id=run_id, actual=run["playbook"]),
            )
        env_name = run["environment"]
        environment = self.workspace.environment(env_name)
        interrupted = self.store.mark_interrupted(run_id)
        self.store.resume_run(run_id)
        self._audit("run_resumed", f"run {run_id}", {"interrupted_steps": interrupted})
        self.emit(RunStarted(run_id, playbook.name, env_name, environment.production, resumed=True))
        if run["playbook_hash"] != playbook.digest():
            changes = describe_changes(run["playbook_snapshot"], playbook.snapshot())
            said = phrase("engine.playbook_changed",
                          changes=parts(changes) if changes else phrase("engine.details_changed"))
            self.emit(Notice(run_id, said))
            request = ConfirmRequest("", phrase("engine.continue_changed"), env_name, False, said)
            listed = [str(change) for change in changes]
            try:
                going_on = self.prompter.confirm(request)
            except PromptCancelled:
                return self._interrupted(run_id)
            if not going_on:
                self._decide(run_id, "", "declined", phrase("engine.reason.playbook_changed"), {"changes": listed})
                return self._finish(run_id, "aborted")
            self._decide(run_id, "", "confirmed", phrase("engine.reason.continue_changed"), {"changes": listed})
        return self._execute(run_id, playbook, env_name, run["variables"])

    # -- the run itself -------------------------------------------------------------------

    def _execute(self, run_id: int, playbook: Playbook, env_name: str, variables: dict[str, Any]) -> RunResult:
        try:
            return self._run_phases(run_id, playbook, env_name, variables)
        except PromptCancelled:
            return self._interrupted(run_id)

    def _run_phases(self, run_id: int, playbook: Playbook, env_name: str, variables: dict[str, Any]) -> RunResult:
        values = template_values(self.workspace.site, env_name, variables, run_id, self.prompter.actor, self.now)
        states = {sid: row["status"] for sid, row in self.store.latest_step_states(run_id).items()}
        try:
            for phase in playbook.phases:
                self._stop_if_cancelled()
                self.emit(PhaseStarted(run_id, phase.id, phase.name))
                for step in phase.steps:
                    assert step.id is not None
                    if states.get(step.id) in DONE:
                        continue
                    self._stop_if_cancelled()
                    states[step.id] = self._run_step(run_id, phase, step, env_name, values, states)
        except _Stop as stop:
            if stop.after_failure:
                self._offer_rollback(run_id, playbook, env_name, values, states)
            return self._finish(run_id, stop.status)
        return self._finish(run_id, self._ending(run_id))

    def _stop_if_cancelled(self) -> None:
        if self.cancelled.is_set():
            raise _Stop("interrupted")

    def _interrupted(self, run_id: int) -> RunResult:
        """Stopped while a person was being asked: a step caught mid-way stays `interrupted`,
        so resuming asks about it again rather than calling it done."""
        self.store.mark_interrupted(run_id)
        return self._finish(run_id, "interrupted")

    def _ending(self, run_id: int) -> str:
        """`passed` only when every step passed or was not meant for this environment. A step a
        person skipped, or one that found nothing to check, makes the run `partial`: the client
        must not read it as a clean pass."""
        skipped_by_person = {d["step_id"] for d in self.store.decisions(run_id) if d["kind"] == "skipped"}
        for step_id, row in self.store.latest_step_states(run_id).items():
            if row["status"] == "not_checked" or (row["status"] == "skipped" and step_id in skipped_by_person):
                return "partial"
        return "passed"

    def _offer_rollback(
        self, run_id: int, playbook: Playbook, env_name: str, values: dict[str, Any], states: dict[str, str]
    ) -> None:
        """After a failure the person aborted: offer the `rollback:` steps of every phase that
        ran, newest phase first. Each is an ordinary step (stored, confirmed, retried); the run
        stays `failed` either way, and the answer is a recorded decision."""
        started = {row["phase_id"] for row in self.store.latest_step_states(run_id).values()}
        phases = [p for p in reversed(playbook.phases) if p.id in started and p.rollback]
        if not phases:
            return
        plan = parts([phrase("engine.rollback_phase", phase=p.name, steps=[s.name for s in p.rollback])
                      for p in phases])
        production = self.workspace.site.environments[env_name].production
        request = ConfirmRequest("rollback", phrase("engine.roll_back"), env_name, production, plan)
        if not self.prompter.confirm(request):
            self._decide(run_id, "rollback", "declined", phrase("engine.reason.rollback_not_run"), {"plan": str(plan)})
            return
        self._decide(run_id, "rollback", "confirmed", phrase("engine.reason.rollback"), {"plan": str(plan)})
        last = phases[-1].rollback[-1]
        step = last
        try:
            for phase in phases:
                self.emit(PhaseStarted(run_id, phase.id, phrase("engine.rollback_phase_started", phase=phase.name)))
                for step in phase.rollback:
                    assert step.id is not None
                    if states.get(step.id) not in DONE:
                        # A stop during the rollback ends it; the run keeps the status of the
                        # failure that led here.
                        self._stop_if_cancelled()
                        states[step.id] = self._run_step(run_id, phase, step, env_name, values, states)
        except _Stop as stop:
            # The last step declined or failed (a restore the release did not need) leaves nothing unrun.
            if step is not last or stop.status == "interrupted":
                self.emit(Notice(run_id, phrase("engine.rollback_stopped", status=status_word(stop.status))))

    def _finish(self, run_id: int, status: str) -> RunResult:
        self.store.set_run_status(run_id, status, finished=status != "interrupted")
        self._audit("run_finished", f"run {run_id}", {"status": status})
        self.emit(RunFinished(run_id, status))
        return RunResult(run_id, status)

    def _run_step(
        self,
        run_id: int,
        phase: Phase,
        step: StepSpec,
        env_name: str,
        values: dict[str, Any],
        states: dict[str, str],
    ) -> str:
        assert step.id is not None
        kind = step_kinds()[step.kind]
        environment = self.workspace.site.environments[env_name]
        if step.environments is not None and env_name not in step.environments:
            self.store.step_started(run_id, step.id, phase.id, 1, [])
            self.store.step_finished(run_id, step.id, 1, "skipped", phrase("engine.not_for_env", env=env_name), {})
            return "skipped"
        if states.get(step.id) == "interrupted" and not self._may_rerun(run_id, step, kind.idempotent):
            # Left interrupted, so it can be resumed once someone has looked at the host.
            raise _Stop("interrupted")
        if step.confirm:
            self._confirm(run_id, step, env_name, environment.production, values)
        group = step.hosts_group()
        all_hosts = environment.hosts_in(group) if kind.runs_on_hosts and group else []
        hosts = all_hosts
        attempt = self.store.last_attempt(run_id, step.id) + 1
        while True:
            outcome = self._attempt(run_id, phase, step, attempt, env_name, values, hosts)
            if outcome.status in DONE:
                return outcome.status
            if outcome.status == "refused":
                # A gate is never an ordinary failure: no retry, skip or answer gets past it.
                raise _Stop("refused")
            action = self._after_failure(run_id, step, attempt, outcome, all_hosts)
            if action == "skipped":
                return "skipped"
            # Retrying only the failed hosts narrows the next attempt; retrying all widens it again.
            failed = set(outcome.failed_hosts)
            hosts = [h for h in all_hosts if h.name in failed] if action == "retry_failed" and failed else all_hosts
            attempt += 1

    def _after_failure(
        self, run_id: int, step: StepSpec, attempt: int, outcome: StepOutcome, all_hosts: list[Host]
    ) -> str:
        """Ask the person what to do about a failed attempt and record the answer: returns
        `retry_all`, `retry_failed` or `skipped`; an abort ends the run."""
        assert step.id is not None
        request = FailureRequest(
            step.id, step.name, outcome.failed_hosts, tuple(h.name for h in all_hosts), outcome.summary, step.critical,
            outcome.hint,
        )
        choice = self.prompter.on_failure(request)
        if choice.action in ("retry_all", "retry_failed"):
            kind = "retried" if choice.action == "retry_all" else "retried_failed"
            self._decide(run_id, step.id, kind, choice.reason, {"attempt": attempt})
            return choice.action
        after = {"after": str(outcome.summary)}
        if choice.action == "skip":
            refusal = self._skip_refusal(step, str(choice.reason))
            if refusal is None:
                reason = str(choice.reason).strip()
                self._decide(run_id, step.id, "skipped", reason, after)
                # The skip, its reason, and still what failed and what to do about it: the report
                # tells the client all of it, and the step's record keeps the failure's evidence.
                summary = phrase("engine.skipped_failed", skipped=phrase("engine.skipped_after_failure", reason=reason),
                                 failure=outcome.summary)
                self.store.step_finished(run_id, step.id, attempt, "skipped", summary, outcome.evidence, outcome.hint)
                self.emit(StepFinished(run_id, step.id, "skipped", summary, outcome.hint))
                return "skipped"
            # The person's words are not recorded as a reason for a skip that did not happen.
            self.emit(Notice(run_id, refusal))
            self._decide(run_id, step.id, "aborted", refusal, after)
            raise _Stop("failed", after_failure=True)
        self._decide(run_id, step.id, "aborted", choice.reason, after)
        raise _Stop("failed" if choice.unanswered else "aborted", after_failure=True)

    @staticmethod
    def _skip_refusal(step: StepSpec, reason: str) -> Phrase | None:
        """Why a skip is refused, or None when it may go ahead."""
        if step.critical:
            return phrase("engine.critical_no_skip", step=step.name)
        if not reason.strip():
            return phrase("engine.skip_needs_reason", step=step.name)
        return None

    def _attempt(
        self,
        run_id: int,
        phase: Phase,
        step: StepSpec,
        attempt: int,
        env_name: str,
        values: dict[str, Any],
        hosts: list[Host],
    ) -> StepOutcome:
        assert step.id is not None
        kind = step_kinds()[step.kind]
        names = [h.name for h in hosts]
        self.store.step_started(run_id, step.id, phase.id, attempt, names)
        self.emit(StepStarted(run_id, step.id, step.name, step.kind, tuple(names), attempt))

        def report_host(result: HostOutcome) -> None:
            self.store.host_finished(
                run_id,
                step.id or "",
                attempt,
                result.host,
                result.status,
                result.exit_code,
                result.duration,
                result.stdout,
                result.stderr,
                result.message,
            )
            self.emit(
                HostFinished(
                    run_id, step.id or "", result.host, result.status, result.exit_code, result.duration, result.message
                )
            )

        context = StepContext(
            run_id=run_id,
            phase_id=phase.id,
            step_id=step.id,
            attempt=attempt,
            site=self.workspace.site,
            env_name=env_name,
            environment=self.workspace.site.environments[env_name],
            values=values,
            prompter=self.prompter,
            emit=self.emit,
            hosts=hosts,
            transport_for=self.transport_for,
            report_host=report_host,
            audit=lambda action, target, detail: self._audit(action, target, {"run": run_id, **detail}),
            phase_status=lambda phase_id: self._phase_status(run_id, phase_id),
            now=self.now,
            cancel=self.cancelled,
            workspace=self.workspace,
            store=self.store,
        )
        try:
            outcome = kind.execute(step, context)
        except LaunchpadError as exc:
            # Every kind alike: what failed, and what the error says to do next.
            outcome = StepOutcome("failed", exc.said, hint=exc.said_hint)
        except TemplateProblem as exc:
            outcome = StepOutcome("failed", exc.said)
        if kind.gate and outcome.status == "failed":
            # A gate that could not be checked has not been met.
            outcome = replace(outcome, status="refused")
        if outcome.status == "refused":
            outcome = self._refused(run_id, step, outcome)
        if outcome.decision is not None:
            kind_name, reason, detail = outcome.decision
            self._decide(run_id, step.id, kind_name, reason, detail)
        self.store.step_finished(run_id, step.id, attempt, outcome.status, outcome.summary, outcome.evidence,
                                 outcome.hint)
        self.emit(StepFinished(run_id, step.id, outcome.status, outcome.summary, outcome.hint))
        return outcome

    # -- people ---------------------------------------------------------------------------

    def _confirm(self, run_id: int, step: StepSpec, env_name: str, production: bool,
                 values: dict[str, Any]) -> None:
        assert step.id is not None
        # What will run with this run's values: a person confirms the command, not its template.
        described = step.describe_with(values, self.workspace.site.environments[env_name])
        request = ConfirmRequest(step.id, step.name, env_name, production, described,
                                 by_yes=not step_kinds()[step.kind].asks_a_person)
        if not self.prompter.confirm(request):
            self._decide(run_id, step.id, "declined", phrase("engine.reason.not_confirmed"), {})
            raise _Stop("aborted")
        if production:
            typed = self.prompter.type_environment(TypeNameRequest(step.id, step.name, env_name))
            if not typed.strip():
                # Nobody typed anything (no terminal, no --confirm): not a name typed wrong.
                self._decide(run_id, step.id, "declined", phrase("engine.reason.name_not_typed"), {})
                self.emit(Notice(run_id, phrase("engine.name_not_typed", env=env_name)))
                raise _Stop("aborted")
            if typed.strip() != env_name:
                self._decide(run_id, step.id, "declined", phrase("engine.reason.name_typed_wrong"), {"typed": typed})
                self.emit(Notice(run_id, phrase("engine.typed_wrong", typed=typed, env=env_name)))
                raise _Stop("aborted")
        self._decide(run_id, step.id, "confirmed", "", {"production": production})

    def _refused(self, run_id: int, step: StepSpec, outcome: StepOutcome) -> StepOutcome:
        """A refused gate stays refused unless the gate allows an override (release windows)
        and the person gives a reason; either way the answer is a recorded decision."""
        assert step.id is not None
        self.emit(GateRefused(run_id, step.id, outcome.summary, outcome.hint))
        refusal = {"refusal": str(outcome.summary)}
        overridable = getattr(step, "overridable", lambda: False)()
        answer: str | None = ""
        if overridable:
            answer = self.prompter.override_gate(OverrideRequest(step.id, step.name, outcome.summary))
        reason = (answer or "").strip()
        if not reason:
            # Nobody to ask (no terminal) is not a person who said no: the words say which.
            why = phrase("engine.reason.not_overridable" if not overridable
                         else "engine.reason.override_unasked" if answer is None
                         else "engine.reason.override_declined")
            self._decide(run_id, step.id, "refused", why, refusal)
            return StepOutcome("refused", outcome.summary, outcome.hosts, outcome.evidence, hint=outcome.hint)
        self._decide(run_id, step.id, "overrode", reason, refusal)
        return StepOutcome(
            "passed",
            phrase("engine.overridden", reason=reason, refusal=outcome.summary),
            outcome.hosts,
            {**outcome.evidence, "override_reason": reason},
        )

    def _may_rerun(self, run_id: int, step: StepSpec, kind_idempotent: bool) -> bool:
        assert step.id is not None
        idempotent = step.idempotent if step.idempotent is not None else kind_idempotent
        if idempotent:
            self.emit(Notice(run_id, phrase("engine.rerun_safe", step=step.id)))
            return True
        if self.prompter.rerun_interrupted(RerunRequest(step.id, step.name, idempotent)):
            self._decide(run_id, step.id, "rerun_interrupted", "", {})
            return True
        self._decide(run_id, step.id, "declined", phrase("engine.reason.interrupted_not_rerun"), {})
        return False

    def _decide(self, run_id: int, step_id: str, kind: str, reason: Said, detail: dict[str, Any]) -> None:
        actor = detail.get("by") or self.prompter.actor
        self.store.record_decision(run_id, step_id, kind, actor, reason, detail)
        self._audit(f"decision:{kind}", f"run {run_id} step {step_id}", {"reason": str(reason), **detail})
        self.emit(DecisionRecorded(run_id, step_id, kind, actor, reason))

    def _audit(self, action: str, target: str, detail: dict[str, Any]) -> None:
        self.store.audit(self.prompter.actor, action, target, detail)

    # -- values ---------------------------------------------------------------------------

    def _phase_status(self, run_id: int, phase_id: str) -> str | None:
        rows = [r for r in self.store.latest_step_states(run_id).values() if r["phase_id"] == phase_id]
        if not rows:
            return None
        if all(r["status"] == "passed" for r in rows):
            return "passed"
        return "failed" if any(r["status"] == "failed" for r in rows) else "incomplete"


def _refuse_bad_release_versions(loaded: LoadedPlaybook, variables: dict[str, str]) -> None:
    """A release's version that is no version label stops the run before it starts (exit 2)."""
    from launchpad.errors import InvalidInput
    from launchpad.steps.release_approved import bad_release_versions

    problems = bad_release_versions(loaded, variables)
    if problems:
        raise InvalidInput(problems, hint=phrase("release.var_bad_version_hint"))
