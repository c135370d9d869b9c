"""The run's steps as a tree: phases, their steps, and each step's live status and summary.

Each node's label is rebuilt from (glyph, name, summary), so a status change is one call and
the tree never drifts from what the engine reported. A phase shows the worst status of its
steps, so a collapsed tree still says where the run stands.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from screens.support.display import status_glyph
from screens.support.i18n import t

# Worst first: what a phase shows when its steps differ.
SEVERITY = ("failed", "aborted", "refused", "waiting", "running", "interrupted", "pending", "not_checked", "skipped",
            "passed")
# Finished without a failure; only a phase whose steps all passed shows ✓.
SETTLED = {"passed", "skipped", "not_checked"}
# Statuses whose summary is a reason the person must read (why it failed, was skipped, not checked).
REASONED = ("failed", "skipped", "refused", "interrupted", "not_checked")


class StepTree(Tree[str]):
    DEFAULT_CSS = """
    StepTree {
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, playbook: Any, **kwargs: Any) -> None:
        super().__init__(playbook.title, data="", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self.step_nodes: dict[str, TreeNode[str]] = {}
        self.phase_nodes: dict[str, TreeNode[str]] = {}
        self.step_phase: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.statuses: dict[str, str] = {}
        self.summaries: dict[str, str] = {}
        # Rollback steps run only if the person chooses to after a failure; they are shown
        # under their phase but do not count towards the phase's own status.
        self.rollback_ids: set[str] = set()
        for phase in playbook.phases:
            phase_node = self.root.add(phase.name, data=f"phase:{phase.id}", expand=True)
            self.phase_nodes[phase.id] = phase_node
            self.names[f"phase:{phase.id}"] = phase.name
            for step in phase.steps:
                self._add_step(phase_node, phase.id, step)
            if phase.rollback:
                rollback_node = phase_node.add(Text(f"↺ {t('pb.rollback')}", style="yellow"), data=f"phase:{phase.id}")
                for step in phase.rollback:
                    self._add_step(rollback_node, phase.id, step)
                    self.rollback_ids.add(step.id)
        for step_id in self.step_nodes:
            self._relabel(step_id)
        for phase_id in self.phase_nodes:
            self._relabel_phase(phase_id)

    def _add_step(self, parent: TreeNode[str], phase_id: str, step: Any) -> None:
        self.step_nodes[step.id] = parent.add_leaf(step.name, data=step.id)
        self.step_phase[step.id] = phase_id
        self.names[step.id] = step.name
        self.statuses[step.id] = "pending"

    def set_status(self, step_id: str, status: str, summary: str | None = None) -> None:
        if step_id not in self.step_nodes:
            return
        self.statuses[step_id] = status
        if summary is not None:
            self.summaries[step_id] = summary
        self._relabel(step_id)
        self._relabel_phase(self.step_phase[step_id])

    def status(self, step_id: str) -> str:
        return self.statuses.get(step_id, "pending")

    def select_step(self, step_id: str) -> None:
        node = self.step_nodes.get(step_id)
        if node is not None:
            with self.prevent(Tree.NodeHighlighted):
                self.move_cursor(node)

    def _relabel(self, step_id: str) -> None:
        status = self.statuses[step_id]
        label = Text.assemble(status_glyph(status), " ", self.names[step_id])
        summary = self.summaries.get(step_id)
        if summary and status in REASONED:
            label.append(f"  {summary}", style="dim")
        self.step_nodes[step_id].set_label(label)

    def _relabel_phase(self, phase_id: str) -> None:
        statuses = {
            s for step_id, s in self.statuses.items()
            if self.step_phase[step_id] == phase_id and step_id not in self.rollback_ids
        }
        if statuses <= SETTLED and statuses:
            # A skipped or unchecked step keeps its phase from reading as passed.
            worst = next(s for s in SEVERITY if s in statuses)
        elif statuses == {"pending"}:
            worst = "pending"
        else:
            unsettled = statuses - {"pending"} - SETTLED
            worst = next((s for s in SEVERITY if s in unsettled), "running")
        label = Text.assemble(status_glyph(worst), " ", (self.names[f"phase:{phase_id}"], "bold"))
        self.phase_nodes[phase_id].set_label(label)
