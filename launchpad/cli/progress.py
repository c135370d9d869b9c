"""Progress lines for `launchpad run` in a terminal: one line per step and per host, so a
40-host step reads as a table and a failure stands out."""

from __future__ import annotations

import threading

import click

from launchpad.cli.door import language, say
from launchpad.cli.widetext import columns
from launchpad.durations import terse_duration
from launchpad.phrases import CATALOG, Phrase, Said, render, status_word
from launchpad.run import events as ev
from launchpad.steps import host_code

MARKS = {
    "passed": click.style("✓", fg="green"),
    "failed": click.style("✗", fg="red", bold=True),
    "skipped": click.style("↷", fg="yellow"),
    "refused": click.style("⛔", fg="red"),
    "not_checked": click.style("?", fg="yellow", bold=True),
}


# What the number on a host's line is, by what the step kind's hosts report (steps.host_code).
CODE_WORDS = {"exit": "cli.run.exit", "http": "cli.run.http_status"}


class ProgressPrinter:
    """An event sink; called from worker threads, so printing is serialised."""

    def __init__(self, *, verbose: bool = False) -> None:
        self.verbose = verbose
        self._lock = threading.Lock()
        # The word for each step's host numbers (exit code, HTTP status), from its StepStarted.
        self._code_words: dict[str, str] = {}
        # The summary and hint last printed for each step's failure: a skip after it carries
        # both (the stored step and the report keep them), which are said once, on the failure.
        self._failures_shown: dict[str, Said] = {}
        self._hints_shown: dict[str, Said] = {}

    def __call__(self, event: ev.Event) -> None:
        line = self._format(event)
        if line is not None:
            with self._lock:
                click.echo(line)

    def _format(self, event: ev.Event) -> str | None:
        match event:
            case ev.RunStarted(run_id=run_id, playbook=playbook, environment=env, production=prod, resumed=resumed):
                where = click.style(say("cli.run.production", env=env), fg="red", bold=True) if prod else env
                return say("cli.run.resuming" if resumed else "cli.run.started", id=run_id, playbook=playbook,
                           where=where)
            case ev.PhaseStarted(title=title, phase_id=phase_id):
                return click.style(f"\n▸ {render(title, language())} [{phase_id}]", bold=True)
            case ev.StepStarted(title=title, step_id=step_id, kind=kind, hosts=hosts, attempt=attempt):
                self._code_words[step_id] = CODE_WORDS[host_code(kind)]
                on = say("cli.run.on_hosts", count=len(hosts)) if hosts else ""
                again = say("cli.run.attempt", attempt=attempt) if attempt > 1 else ""
                return f"  • {title} [{step_id}]{on}{again}"
            case ev.HostFinished(step_id=step_id, host=host, status=status, exit_code=code, duration=duration,
                                 message=message):
                code_word = self._code_words.get(step_id, CODE_WORDS["exit"])
                code_text = "" if code is None else say(code_word, code=code) + "  "
                said = render(message, language())
                return f"      {MARKS.get(status, status)} {host:<20} {code_text}{took_cell(duration)}  {said}"
            case ev.OutputLine(host=host, stream=stream, line=text) if self.verbose:
                return click.style(f"        {host} {stream[3]}| {text}", dim=True)
            case ev.StepFinished(step_id=step_id, status=status, summary=summary, hint=hint):
                failure_shown = self._failures_shown.pop(step_id, None)
                if status == "skipped":
                    summary = skip_alone(summary, failure_shown)
                said = render(summary, language())
                said = say("cli.run.not_checked", summary=summary) if status == "not_checked" else said
                if status == "refused":
                    said = click.style(say("cli.run.gate_refused", reason=summary), fg="red")
                line = f"    {MARKS.get(status, status)} {said}"
                shown = self._hints_shown.pop(step_id, None)
                if status == "failed":
                    self._failures_shown[step_id] = summary
                    if hint:
                        self._hints_shown[step_id] = hint
                # A skip's hint is the failure's, printed a few lines up already (unless this
                # terminal did not see the failure: a resumed run).
                if not hint or (status == "skipped" and hint == shown):
                    return line
                return line + "\n      " + say("step.hint", hint=hint)
            case ev.GateRefused():
                # Said once, on the step's line (StepFinished), with what to do next under it.
                return None
            case ev.DecisionRecorded(kind=kind, actor=actor, reason=reason) if kind not in ("confirmed",):
                decision = say(f"cli.decision.{kind}") if f"cli.decision.{kind}" in CATALOG else kind
                why = f" — {render(reason, language())}" if reason else ""
                if kind == "refused":  # the gate refused, not the person running it
                    return "    " + say("cli.run.recorded_refusal") + why
                return "    " + say("cli.run.recorded", kind=decision, actor=actor) + why
            case ev.Notice(text=text):
                return click.style(f"  ! {render(text, language())}", fg="yellow")
            case ev.RunFinished(run_id=run_id, status=status):
                colour = {"passed": "green", "partial": "yellow"}.get(status, "red")
                return click.style("\n" + say("cli.run.finished", id=run_id, status=status_word(status)), fg=colour,
                                   bold=True)
        return None


def skip_alone(summary: Said, failure_shown: Said | None) -> Said:
    """A skipped step's summary says the skip, its reason and what failed (`engine.skipped_failed`),
    for the stored step and the report. Right under the failure's own line, what failed is said
    already: the skip's line says the skip and its reason alone. A terminal that did not show
    the failure (a resumed run) still gets all of it."""
    if (isinstance(summary, Phrase) and summary.key == "engine.skipped_failed" and failure_shown is not None
            and summary.params.get("failure") == failure_shown):
        skipped: Said = summary.params["skipped"]
        return skipped
    return summary


TOOK_COLUMNS = 7  # "  0.52s", "1m05s", "12.34秒": the host lines' time column, right-aligned


def took_cell(seconds: float) -> str:
    """A host's time on a step or a command, in the command line's language, right-aligned in
    its column by terminal columns (a Chinese unit takes two)."""
    text = render(terse_duration(seconds, decimals=2), language())
    return " " * max(0, TOOK_COLUMNS - columns(text)) + text
