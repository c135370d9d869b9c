"""Run next, run all, stop: the person's hold on an engine that runs in a worker thread.

The engine runs a whole playbook in one call. Stepping is done at the points where the engine
has just stored something and has not started anything new — its RunStarted, PhaseStarted and
StepFinished events, which it emits on its own thread: waiting there pauses the run between
steps. Stopping is the engine's own `cancel`: the control calls it (`on_stop`) and lets a
paused engine go on, and the engine stops before its next step and marks the run interrupted,
so it can be resumed like a run whose process died. Prompts use the same flag: a dialog left
open when the person quits ends with `PromptCancelled`, never with an answer they did not give.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from launchpad.run.events import Event, PhaseStarted, RunStarted, StepFinished
from launchpad.run.prompter import PromptCancelled

POLL_SECONDS = 0.1


class RunControl:
    """Shared by the run screen (UI thread) and the engine worker (its thread)."""

    def __init__(
        self,
        step_ids: list[str],
        *,
        step_mode: bool = False,
        is_cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        self._lock = threading.Lock()
        # Steps not yet done; a pause after the last one would only puzzle the person.
        self._remaining = set(step_ids)
        self._step_mode = step_mode
        self._go = threading.Event()
        self._stop = threading.Event()
        self.is_cancelled = is_cancelled
        self.run_id: int | None = None
        # Told (on the engine thread) whether the engine now waits for the person.
        self.on_pause: Callable[[bool], None] = lambda _paused: None
        self._on_stop: Callable[[], None] = lambda: None

    # -- the UI's side ------------------------------------------------------------------------

    @property
    def step_mode(self) -> bool:
        return self._step_mode

    def run_next(self) -> None:
        """Let exactly one more step run, then pause again."""
        with self._lock:
            self._step_mode = True
        self._go.set()

    def run_all(self) -> None:
        with self._lock:
            self._step_mode = False
        self._go.set()

    def pause_after_step(self) -> None:
        with self._lock:
            self._step_mode = True

    def stop_with(self, cancel: Callable[[], None]) -> None:
        """How to stop the engine (its `cancel`), once it exists; a stop asked for before then
        is passed on at once."""
        self._on_stop = cancel
        if self.stopping:
            cancel()

    def request_stop(self) -> None:
        self._stop.set()
        self._on_stop()  # before the engine is let go, so it sees the stop at its next step
        self._go.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set() or self.is_cancelled()

    # -- the engine thread's side -------------------------------------------------------------

    def checkpoint(self, event: Event) -> None:
        """Called after each event is posted; may wait (step mode). A stop found here (the app
        closing its workers) is handed to the engine, which ends the run itself."""
        if isinstance(event, RunStarted):
            self.run_id = event.run_id
        finished = isinstance(event, StepFinished) and event.status in ("passed", "skipped", "not_checked")
        if isinstance(event, StepFinished) and finished:
            self._remaining.discard(event.step_id)
        safe_point = isinstance(event, RunStarted | PhaseStarted) or finished
        if not safe_point:
            return
        if self.stopping:
            self._on_stop()
            return
        if self._step_mode and not isinstance(event, PhaseStarted) and self._remaining:
            self._wait_for_go()

    def raise_if_stopping(self) -> None:
        """For a prompter about to ask: a run being stopped gets no new question."""
        if self.stopping:
            self._on_stop()
            raise PromptCancelled

    def _wait_for_go(self) -> None:
        self._go.clear()
        self.on_pause(True)
        try:
            while not self._go.wait(POLL_SECONDS) and not self.stopping:
                pass
            if self.stopping:
                self._on_stop()
        finally:
            self.on_pause(False)

    def wait_for(self, answered: threading.Event) -> None:
        """Block until `answered` is set; raise PromptCancelled if the run is being stopped."""
        while not answered.wait(POLL_SECONDS):
            self.raise_if_stopping()
