"""`Engine.cancel`, the one way to stop a run from outside: the engine stops before its next
step, or when the question it waits on is withdrawn, and marks the run interrupted itself —
stored, audited and told as RunFinished — so it resumes like a run whose process died."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from launchpad.hosts.connect import HostConnections
from launchpad.run.engine import Engine, RunResult
from launchpad.run.events import Event, RunFinished, StepFinished
from launchpad.run.playbook import load_playbook
from launchpad.run.prompter import PromptCancelled
from launchpad.store.audit import iter_audit
from launchpad.store.db import Store
from launchpad.workspace.folder import load_workspace
from tests.scripted import ScriptedPrompter
from tests.workspaces import write_workspace

# Three steps, each logging its number; the second asks before it runs.
_STEP_LINES = ", ".join(
    f"{{id: {name}, name: 第{number}步, kind: shell, hosts: app1, confirm: {str(name == 'two').lower()}, "
    f"run: echo {number} >> steps.log}}" for number, name in enumerate(("one", "two", "three"), 1))
STEPS = f"name: t\ntitle: 逐步\nphases:\n  - {{id: p, name: 阶段, steps: [{_STEP_LINES}]}}\n"


class WithdrawnPrompter(ScriptedPrompter):
    """A person who closes the window while step two's confirmation is open."""

    def confirm(self, request: Any) -> bool:
        self.asked.append(request)
        raise PromptCancelled


def run(root: Path, prompter: ScriptedPrompter, *, cancel_after: str | None = None,
        resume: int | None = None) -> tuple[RunResult, list[Event]]:
    workspace = load_workspace(root)
    events: list[Event] = []
    with Store.open(workspace.store_path) as store, HostConnections(workspace, "test") as connections:
        engine = Engine(workspace, store, prompter, connections.transport_for, emit=events.append)

        def watch(event: Event) -> None:
            events.append(event)
            if isinstance(event, StepFinished) and event.step_id == cancel_after:
                engine.cancel()  # as the run screen's stop key does, from another thread's view

        engine.emit = watch
        loaded = load_playbook(root / "playbooks" / "t.yaml")
        result = engine.resume(resume, loaded) if resume is not None else engine.start(loaded, "test", {})
    return result, events


def stored(root: Path, run_id: int) -> tuple[str, dict[str, str], list[tuple[str, Any]]]:
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        run = store.get_run(run_id)
        assert run is not None
        steps = {k: v["status"] for k, v in store.latest_step_states(run_id).items()}
        finished = [(e.action, e.detail.get("status")) for e in iter_audit(store) if e.action == "run_finished"]
    return run["status"], steps, finished


def logged(root: Path) -> list[str]:
    path = root / "steps.log"
    return path.read_text().split() if path.exists() else []


def test_cancel_stops_before_the_next_step_and_the_engine_marks_the_run_interrupted(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"t": STEPS})
    result, events = run(root, ScriptedPrompter(), cancel_after="one")
    assert result.status == "interrupted" and result.exit_code == 1
    assert logged(root) == ["1"]
    assert [e for e in events if isinstance(e, RunFinished)] == [RunFinished(result.run_id, "interrupted")]
    assert stored(root, result.run_id) == ("interrupted", {"one": "passed"}, [("run_finished", "interrupted")])

    again, _ = run(root, ScriptedPrompter(), resume=result.run_id)
    assert again.status == "passed" and logged(root) == ["1", "2", "3"], "nothing done twice, nothing left out"


def test_a_withdrawn_question_ends_the_run_interrupted_with_nothing_invented(tmp_path: Path) -> None:
    root = write_workspace(tmp_path / "ws", playbooks={"t": STEPS})
    prompter = WithdrawnPrompter()
    result, events = run(root, prompter)
    assert result.status == "interrupted" and len(prompter.asked) == 1
    assert logged(root) == ["1"], "the step whose confirmation was withdrawn did not run"
    assert stored(root, result.run_id) == ("interrupted", {"one": "passed"}, [("run_finished", "interrupted")])
    with Store.open(root / ".launchpad" / "launchpad.db") as store:
        assert store.decisions(result.run_id) == [], "no answer was recorded for the withdrawn question"
    assert isinstance(events[-1], RunFinished)
