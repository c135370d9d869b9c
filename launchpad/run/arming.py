"""Arming a run before its window: an after-hours release prepared at 17:50 starts when the
window opens at 18:30 — not earlier, because the window gate would refuse it, and never by
itself: when the window opens the engineer at the keyboard confirms, so a release is never
started with nobody there to watch it.

The window is the one of the playbook's first window gate (the gate a release meets before
it changes anything). Arming, disarming and starting are decisions, so each is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from launchpad.errors import UsageError
from launchpad.phrases import phrase
from launchpad.run.playbook import Playbook
from launchpad.store.db import Store
from launchpad.workspace.site import Site

ARMED, DISARMED, STARTED = "run_armed", "run_disarmed", "armed_run_started"


@dataclass(frozen=True)
class Arming:
    """What an armed run waits for: the window's name and description and when it opens."""

    playbook: str
    environment: str
    window: str
    description: str
    opens: datetime  # site time

    def waiting(self, now: datetime) -> float:
        """Seconds left until the window opens (0 once it has)."""
        return max(0.0, (self.opens - now).total_seconds())

    def open(self, now: datetime) -> bool:
        return now >= self.opens


def window_of(playbook: Playbook) -> str | None:
    """The window of the playbook's first window gate, if it has one."""
    for _, step in playbook.all_steps():
        window = getattr(step, "window", None)
        if step.kind == "gate" and window is not None:
            return str(window)
    return None


def plan_arming(playbook: Playbook, site: Site, environment: str, now: datetime) -> Arming:
    """The arming for a run of `playbook` on `environment` at `now` (site time). Refused
    (UsageError): a playbook without a window gate (nothing to wait for) and a window that is
    open already (start the run now)."""
    name = window_of(playbook)
    if name is None:
        raise UsageError(phrase("error.arm_no_window", playbook=playbook.name), hint=phrase("error.arm_no_window_hint"))
    window = site.windows.get(name)
    if window is None:
        raise UsageError(phrase("error.arm_window_unknown", playbook=playbook.name, window=name),
                         hint=phrase("error.arm_window_unknown_hint"))
    schedule = window.schedule()
    if schedule.is_open(now):
        raise UsageError(phrase("error.arm_open", window=name), hint=phrase("error.arm_open_hint"))
    return Arming(playbook.name, environment, name, window.description or name, schedule.next_opening(now))


def record(store: Store, actor: str, action: str, arming: Arming, **detail: object) -> None:
    """Audit an arming decision (armed, disarmed, started by the engineer present)."""
    store.audit(actor, action, f"{arming.environment}/{arming.playbook}",
                {"window": arming.window, "opens": arming.opens.isoformat(), **detail})
