"""The run screen: one playbook running on one environment, watched and steered live.

Steps as a tree with their status; the selected step's hosts (status, time, exit code) and its
output as it streams; every exact command sent to every host; and the person's keys: run next,
run all, retry, retry failed hosts, skip with a reason, abort, the rollback plan.

The engine runs in a thread worker and reports through the event sink, whose events arrive here
as `RunEventReceived` messages — except output lines and commands, which are many: they are
gathered in an `OutputBurst` and drawn in batches, so keys stay answered while forty hosts
stream. A failed step is shown here rather than in a modal, so the person can read the failed
hosts' output before answering with a key.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Log, Static, Tree
from textual.worker import get_current_worker

from launchpad.run.events import CommandSent, Event, OutputLine
from launchpad.run.prompter import FailureRequest
from screens.base import LaunchpadScreen
from screens.support.display import status_glyph
from screens.support.i18n import current_language, status_word, t
from screens.support.messages import (
    OutputReceived,
    RunEnded,
    RunEventReceived,
    RunFailedToStart,
    RunPaused,
    RunStopped,
)
from screens.support.prompter import Answer, TuiPrompter
from screens.support.run_actions import RUN_BINDINGS, RunKeys
from screens.support.run_control import RunControl
from screens.support.run_events import OutputBurst, RunView
from screens.widgets.host_grid import HostGrid
from screens.widgets.step_tree import REASONED, StepTree

OUTPUT_FLUSH_SECONDS = 0.05


class RunScreen(RunKeys, LaunchpadScreen):
    BINDINGS = RUN_BINDINGS

    def __init__(
        self,
        loaded: Any,
        env_name: str,
        values: dict[str, str],
        *,
        resume_run_id: int | None = None,
        step_mode: bool = False,
    ) -> None:
        super().__init__()
        self.loaded, self.env_name, self.values = loaded, env_name, values
        self.resume_run_id = resume_run_id
        self.run_id: int | None = resume_run_id
        self.view = RunView(loaded.playbook, env_name)
        self.control = RunControl(self.view.step_ids_to_run(), step_mode=step_mode)
        self.pending_failure: tuple[FailureRequest, Answer] | None = None
        self.burst = OutputBurst(stopping=lambda: self.control.stopping)
        self.state = "starting"  # starting | running | paused | ended
        self.result_status: str | None = None
        self.selected_step: str | None = None
        self.ended_event: Any = None
        self.ended_text = ""

    # -- layout -------------------------------------------------------------------------------

    def compose_body(self) -> ComposeResult:
        yield Static(id="run-status")
        with Horizontal(id="run-main"):
            yield StepTree(self.loaded.playbook, id="run-steps")
            with Vertical(id="run-right"):
                yield HostGrid(id="run-hosts")
                yield Log(id="run-output", max_lines=5000)
                yield Log(id="run-commands", max_lines=2000)

    def screen_title(self) -> str:
        return t("run.subtitle", id=self.run_id or "…", playbook=self.loaded.playbook.title, env=self.env_name)

    def on_mount(self) -> None:
        import asyncio

        super().on_mount()
        self.ended_event = asyncio.Event()
        self.launchpad.environment = self.env_name
        if self.resume_run_id is not None:
            store = self.launchpad.session.store()  # type: ignore[union-attr]
            self.view.load_stored(store.latest_step_states(self.resume_run_id))
            self.control = RunControl(self.view.step_ids_to_run(), step_mode=self.control.step_mode)
        tree = self.query_one(StepTree)
        for step_id, status in self.view.statuses.items():
            tree.set_status(step_id, status, self.view.summaries.get(step_id))
        self.control.on_pause = lambda paused: self.post_message(RunPaused(paused))
        self.relabel()
        tree.focus()
        self.drive_engine()

    def relabel(self) -> None:
        super().relabel()
        self.query_one("#run-steps", StepTree).border_title = t("run.steps")
        self.query_one("#run-output", Log).border_title = t("run.output")
        self.query_one("#run-commands", Log).border_title = t("run.commands")
        self.query_one(HostGrid).relabel()
        self._show_step(self.selected_step)
        self._show_state()

    # -- the engine ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="engine")
    def drive_engine(self) -> None:
        from launchpad.errors import LaunchpadError
        from launchpad.hosts.connect import HostConnections
        from launchpad.run.engine import Engine
        from launchpad.run.prompter import PromptCancelled

        worker = get_current_worker()
        self.control.is_cancelled = lambda: worker.is_cancelled
        session = self.launchpad.session
        assert session is not None
        store = session.store()
        prompter = TuiPrompter(self.app, session.actor, self.control, self)
        try:
            with HostConnections(session.workspace, self.env_name, store=store, actor=session.actor) as hosts:
                engine = Engine(
                    session.workspace, store, prompter, hosts.transport_for, emit=self._emit, now=session.now
                )
                # The one stop path: the engine ends the run itself and marks it interrupted.
                self.control.stop_with(engine.cancel)
                if self.resume_run_id is not None:
                    result = engine.resume(self.resume_run_id, self.loaded)
                else:
                    result = engine.start(self.loaded, self.env_name, self.values)
        except PromptCancelled:  # stopped while asked for the run's values: no run was started
            self.post_message(RunStopped(None))
            return
        except LaunchpadError as error:
            self.post_message(RunFailedToStart(error))
            return
        if result.status == "interrupted" and self.control.stopping:
            self.post_message(RunStopped(result.run_id))
        else:
            self.post_message(RunEnded(result))

    def _emit(self, event: Event) -> None:
        """The engine's event sink, called on its threads: post first, then maybe pause/stop."""
        if isinstance(event, OutputLine | CommandSent):
            if self.burst.add(event):
                self.post_message(OutputReceived())
            return
        self.post_message(RunEventReceived(event))
        self.control.checkpoint(event)

    @property
    def run_in_progress(self) -> bool:
        return self.state != "ended"

    def stop_run(self) -> None:
        self.control.request_stop()

    # -- engine news --------------------------------------------------------------------------

    def on_run_event_received(self, message: RunEventReceived) -> None:
        change = self.view.apply(message.event)
        if change.run_id is not None:
            self.run_id = change.run_id
            self.state = "running" if self.state == "starting" else self.state
            self.sub_title = self.screen_title()
        tree = self.query_one(StepTree)
        if change.step_id is not None:
            tree.set_status(change.step_id, self.view.status(change.step_id), self.view.summaries.get(change.step_id))
        if change.started and (self.selected_step in (None, change.previous_running)):
            tree.select_step(change.started)
            self._show_step(change.started)
        elif change.step_id is not None and change.step_id == self.selected_step:
            self._apply_to_selected(change)
        if change.note:
            self.notify(change.note, severity="warning", timeout=8)
        self._show_state()

    def on_output_received(self, _message: OutputReceived) -> None:
        # Gather a moment's output into one redraw: keys stay answered while forty hosts talk.
        self.set_timer(OUTPUT_FLUSH_SECONDS, self._flush_output)

    def _flush_output(self) -> None:
        shown: list[str] = []
        commands: list[str] = []
        selected, view = self.selected_step, self.view
        for event in self.burst.take():
            if type(event) is OutputLine:  # nearly all of them: the short way
                line = view.add_output(event)
                if event.step_id == selected:
                    shown.append(line)
                continue
            change = view.apply(event)
            commands += change.command
            if change.output and change.step_id == selected:
                shown += change.output
        if shown:
            log = self.query_one("#run-output", Log)
            # What the log would drop at once is not drawn first.
            log.write_lines(shown[-log.max_lines:] if log.max_lines else shown)
        if commands:
            self.query_one("#run-commands", Log).write_lines(commands)

    def _apply_to_selected(self, change: Any) -> None:
        if change.host is not None:
            self.query_one(HostGrid).update_host(change.host, self.view.hosts[change.step_id][change.host])

    def on_run_paused(self, message: RunPaused) -> None:
        if self.state != "ended":
            self.state = "paused" if message.paused else "running"
        self._show_state()

    def on_run_ended(self, message: RunEnded) -> None:
        result = message.result
        self._end(result.status, t("run.ended", id=result.run_id, status=status_word(result.status)))

    def on_run_stopped(self, message: RunStopped) -> None:
        self._end("interrupted", t("run.stopped", id=message.run_id or "…"))

    def on_run_failed_to_start(self, message: RunFailedToStart) -> None:
        self._end("failed", message.error.render(current_language()))
        self.launchpad.show_error(message.error)

    def worker_failed(self, error: BaseException) -> None:
        from screens.dialogs.error import describe_error

        super().worker_failed(error)
        if self.state != "ended":
            self._end("failed", describe_error(error)[1])

    def _end(self, status: str, text: str) -> None:
        self.state, self.result_status = "ended", status
        self.pending_failure = None
        self.ended_text = text
        self._show_state()
        self.refresh_bindings()
        self.launchpad.refresh_runs()
        if status != "passed":
            self.app.bell()
        if self.ended_event is not None:
            self.ended_event.set()

    # -- what the person sees -----------------------------------------------------------------

    def _show_state(self) -> None:
        bar = self.query_one("#run-status", Static)
        bar.set_classes("")
        if self.state == "ended":
            bar.add_class("-passed" if self.result_status == "passed" else "-failed")  # partial is no pass
            text = Text.assemble(status_glyph(self.result_status or "failed"), " ", (self.ended_text, "bold"))
            text.append(f"  {t('run.ended_hint')}", style="dim")
        elif self.pending_failure is not None:
            request = self.pending_failure[0]
            bar.add_class("-failed")
            headline = t("run.failed_bar", step=request.title, summary=request.summary)
            text = Text.assemble(status_glyph("failed"), " ", (headline, "bold"))
            if request.hint:  # what to do next, before the keys that answer the failure
                text.append(f"\n{t('step.hint', hint=request.hint)}")
            keys = t("run.failed_keys_critical") if request.critical else t("run.failed_keys")
            text.append(f"\n{keys}")
        elif self.state == "paused":
            text = Text.assemble(status_glyph("interrupted"), " ", t("run.paused"))
        elif self.state == "running":
            text = Text.assemble(status_glyph("running"), " ", t("run.running"))
        else:
            text = Text(t("run.starting"), style="dim")
        if self.state in ("running", "paused") and self.pending_failure is None:
            done, total = self.view.progress()
            text.append(f"  {t('run.progress', done=done, total=total)}", style="dim")
        if self.pending_failure is None:
            self._add_step_reason(text)
        bar.update(text)

    def _add_step_reason(self, text: Text) -> None:
        """The step under the cursor's reason, whole: the tree has room only for its start."""
        tree = self.query_one(StepTree)
        step_id = self.selected_step or ""
        status, reason = tree.statuses.get(step_id), tree.summaries.get(step_id)
        if status in REASONED and reason:
            text.append("\n")
            text.append_text(Text.assemble(status_glyph(status), " ",
                                           t("run.step_reason", step=tree.names[step_id], reason=reason)))

    def _show_step(self, step_id: str | None) -> None:
        self.selected_step = step_id
        output = self.query_one("#run-output", Log)
        output.clear()
        grid = self.query_one(HostGrid)
        code = self.view.codes.get(step_id or "", "exit")
        if step_id is None or step_id not in self.view.hosts:
            grid.show({}, code)
            return
        grid.show(self.view.hosts[step_id], code)
        output.write_lines(list(self.view.output.get(step_id, deque())))

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        data = event.node.data or ""
        if data and not data.startswith("phase:"):
            self._show_step(data)
            self._show_state()
