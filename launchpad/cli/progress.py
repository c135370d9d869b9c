"""Progress lines for `launchpad run` in a terminal: one line per step and per host, so a
40-host step reads as a table and a failure stands out."""

from __future__ import annotations

import threading

import click

from launchpad.phrases import status_word
from launchpad.run import events as ev

MARKS = {
    "passed": click.style("✓", fg="green"),
    "failed": click.style("✗", fg="red", bold=True),
    "skipped": click.style("↷", fg="yellow"),
    "refused": click.style("⛔", fg="red"),
    "not_checked": click.style("?", fg="yellow", bold=True),
}


class ProgressPrinter:
    """An event sink; called from worker threads, so printing is serialised."""

    def __init__(self, *, verbose: bool = False) -> None:
        self.verbose = verbose
        self._lock = threading.Lock()

    def __call__(self, event: ev.Event) -> None:
        line = self._format(event)
        if line is not None:
            with self._lock:
                click.echo(line)

    def _format(self, event: ev.Event) -> str | None:
        match event:
            case ev.RunStarted(run_id=run_id, playbook=playbook, environment=env, production=prod, resumed=resumed):
                where = click.style(f"{env} (PRODUCTION)", fg="red", bold=True) if prod else env
                return f"{'Resuming' if resumed else 'Run'} {run_id}: {playbook} on {where}"
            case ev.PhaseStarted(title=title, phase_id=phase_id):
                return click.style(f"\n▸ {title} [{phase_id}]", bold=True)
            case ev.StepStarted(title=title, step_id=step_id, hosts=hosts, attempt=attempt):
                on = f" on {len(hosts)} host(s)" if hosts else ""
                again = f" (attempt {attempt})" if attempt > 1 else ""
                return f"  • {title} [{step_id}]{on}{again}"
            case ev.HostFinished(host=host, status=status, exit_code=code, duration=duration, message=message):
                code_text = "" if code is None else f"exit {code}  "
                return f"      {MARKS.get(status, status)} {host:<20} {code_text}{duration:6.2f}s  {message}"
            case ev.OutputLine(host=host, stream=stream, line=text) if self.verbose:
                return click.style(f"        {host} {stream[3]}| {text}", dim=True)
            case ev.StepFinished(status=status, summary=summary):
                said = f"not checked: {summary}" if status == "not_checked" else summary
                return f"    {MARKS.get(status, status)} {said}"
            case ev.GateRefused(reason=reason):
                return click.style(f"    gate refused: {reason}", fg="red")
            case ev.DecisionRecorded(kind=kind, actor=actor, reason=reason) if kind not in ("confirmed",):
                return f"    recorded: {kind} by {actor}" + (f" — {reason}" if reason else "")
            case ev.Notice(text=text):
                return click.style(f"  ! {text}", fg="yellow")
            case ev.RunFinished(run_id=run_id, status=status):
                colour = {"passed": "green", "partial": "yellow"}.get(status, "red")
                return click.style(f"\nRun {run_id} {status_word(status)}.", fg=colour, bold=True)
        return None
