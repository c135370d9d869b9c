"""What the run screen knows about a run, rebuilt from the engine's events.

Kept apart from the widgets (and free of Textual) so the bookkeeping — which step runs, each
host's result, each step's output, the command log — is plain code that can be read and tested
alone, and the screen only draws what `apply` says changed. Output is kept per step and bounded,
so a chatty step on forty hosts cannot eat the laptop's memory during a long release night.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from launchpad.phrases import loads
from launchpad.run.events import (
    CommandSent,
    Event,
    GateRefused,
    HostFinished,
    Notice,
    OutputLine,
    RunStarted,
    StepFinished,
    StepStarted,
)
from launchpad.steps import host_code
from launchpad.steps.base import HostCode
from screens.support.i18n import said, t

OUTPUT_LINES_PER_STEP = 5000
# Output events waiting for the screen before the hosts' threads wait for it (see OutputBurst).
OUTPUT_BACKLOG = 5000
BACKLOG_POLL_SECONDS = 0.1
DONE = ("passed", "skipped", "not_checked")


@dataclass
class HostRow:
    status: str = "running"
    duration: float | None = None
    exit_code: int | None = None
    message: str = ""


@dataclass
class Change:
    """What one event changed, for the screen to redraw."""

    run_id: int | None = None
    step_id: str | None = None
    started: str | None = None
    previous_running: str | None = None
    host: str | None = None
    output: list[str] = field(default_factory=list)
    command: list[str] = field(default_factory=list)
    note: str = ""


class RunView:
    def __init__(self, playbook: Any, env_name: str) -> None:
        self.order = [step.id for _, step in playbook.all_steps()]
        # What each step's hosts report: an exit code, or an http step's HTTP status.
        self.codes: dict[str, HostCode] = {step.id: host_code(step.kind) for _, step in playbook.all_steps()}
        self.statuses: dict[str, str] = {step_id: "pending" for step_id in self.order}
        self.summaries: dict[str, str] = {}
        self.hosts: dict[str, dict[str, HostRow]] = {}
        self.output: dict[str, deque[str]] = {}
        self.running: str | None = None
        self.last_started: str | None = None
        for _, step in playbook.all_steps():
            # The engine skips these without an event; say so before it gets there.
            if step.environments is not None and env_name not in step.environments:
                self.statuses[step.id] = "skipped"
                self.summaries[step.id] = t("pb.only_on", envs=list(step.environments))

    def status(self, step_id: str) -> str:
        return self.statuses.get(step_id, "pending")

    def progress(self) -> tuple[int, int]:
        """(steps done, steps in the playbook), for the status line."""
        return sum(1 for step_id in self.order if self.statuses[step_id] in DONE), len(self.order)

    def step_ids_to_run(self) -> list[str]:
        return [step_id for step_id in self.order if self.statuses[step_id] not in DONE]

    def load_stored(self, states: dict[str, dict[str, Any]]) -> None:
        """A resumed run starts from what the store says each step reached."""
        for step_id, row in states.items():
            if step_id in self.statuses:
                self.statuses[step_id] = row["status"]
                self.summaries[step_id] = said(loads(row.get("summary"), row.get("summary_phrase")))

    def apply(self, event: Event) -> Change:
        if isinstance(event, RunStarted):
            return Change(run_id=event.run_id)
        if isinstance(event, StepStarted):
            return self._step_started(event)
        if isinstance(event, OutputLine):
            return Change(step_id=event.step_id, output=[self.add_output(event)])
        if isinstance(event, CommandSent):
            first, *rest = event.command.splitlines() or [""]
            lines = [f"[{event.step_id}] {event.host} $ {first}", *(f"    {line}" for line in rest)]
            return Change(command=lines)
        if isinstance(event, HostFinished):
            row = HostRow(event.status, event.duration, event.exit_code, said(event.message))
            self.hosts.setdefault(event.step_id, {})[event.host] = row
            return Change(step_id=event.step_id, host=event.host)
        if isinstance(event, StepFinished):
            return self._step_finished(event)
        if isinstance(event, GateRefused):
            hint = f"\n{t('step.hint', hint=event.hint)}" if event.hint else ""
            return Change(note=t("run.gate_refused", reason=event.reason) + hint)
        if isinstance(event, Notice):
            return Change(note=t("run.notice", text=event.text))
        return Change()

    def add_output(self, event: OutputLine) -> str:
        """Keep one line of a step's output; the line as the screen shows it. Called for every
        line forty hosts print, so it does no more than that (no `Change`)."""
        line = f"{event.host}{'!' if event.stream == 'stderr' else '│'} {event.line}"
        kept = self.output.get(event.step_id)
        if kept is None:
            kept = self.output[event.step_id] = deque(maxlen=OUTPUT_LINES_PER_STEP)
        kept.append(line)
        return line

    def _step_started(self, event: StepStarted) -> Change:
        previous = self.last_started
        self.running = self.last_started = event.step_id
        self.statuses[event.step_id] = "running"
        rows = self.hosts.setdefault(event.step_id, {})
        for host in event.hosts:
            rows[host] = HostRow()
        output = self.output.setdefault(event.step_id, deque(maxlen=OUTPUT_LINES_PER_STEP))
        if event.attempt > 1:
            output.append(f"── {event.attempt} ──")
        return Change(step_id=event.step_id, started=event.step_id, previous_running=previous)

    def _step_finished(self, event: StepFinished) -> Change:
        self.statuses[event.step_id] = event.status
        self.summaries[event.step_id] = said(event.summary)
        for row in self.hosts.get(event.step_id, {}).values():
            if row.status == "running":
                row.status = "aborted"  # as the store records a host that never reported
        if self.running == event.step_id:
            self.running = None
        return Change(step_id=event.step_id)


class OutputBurst:
    """Output lines and commands gathered on the engine's threads and handed to the UI in
    batches: forty hosts printing thousands of lines would otherwise queue one message per
    line ahead of the person's keys. Only the first event of a batch asks for a delivery.

    Forty hosts can also print faster than any screen can draw, and forty threads splitting
    their output into lines take the GIL from the UI thread. So a full batch makes `add` wait
    until the UI has taken it: the hosts' output is paced by the screen, as a terminal paces
    ssh, memory stays bounded, and the waiting threads leave the UI the time to answer keys.
    `stopping` (the run is being stopped, the app closing) ends the waits within a poll."""

    def __init__(self, limit: int = OUTPUT_BACKLOG, stopping: Callable[[], bool] = lambda: False) -> None:
        self._lock = threading.Lock()
        self._taken = threading.Condition(self._lock)
        self._events: list[Event] = []
        self.limit = limit
        self.stopping = stopping

    def add(self, event: Event) -> bool:
        """Keep `event`; True when the UI must be told (the batch was empty)."""
        with self._lock:
            while len(self._events) >= self.limit and not self.stopping():
                self._taken.wait(BACKLOG_POLL_SECONDS)
            self._events.append(event)
            return len(self._events) == 1

    def take(self) -> list[Event]:
        with self._lock:
            events, self._events = self._events, []
            self._taken.notify_all()
        return events
