"""A check asked again and again until it passes or its time is up: the new version answers
on its health URL, a service reports active. Used by the `wait` step kind and between the
batches of a rolling switch.

A probe is an HTTP request (status and texts the body must contain) or a shell command on a
host (its exit code). Waiting between tries is on the run's cancel event, so stopping a run
ends a wait at once; the last answer is kept, so a timeout says what the check last saw.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from threading import Event
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from launchpad.errors import LaunchpadError
from launchpad.hosts.base import Transport
from launchpad.httperrors import http_reason
from launchpad.phrases import Said, parts, phrase
from launchpad.run.templating import render


class Probe(BaseModel):
    """What is asked, and how often: exactly one of `url` and `run`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = Field(None, description="URL to request; may use {{ host.address }}, {{ env.urls.NAME }}.")
    status: int | list[int] = Field(200, description="Accepted status code(s) of `url`.")
    contains: list[str] = Field(default_factory=list, description="Texts the body of `url` must contain.")
    run: str | None = Field(None, description="Shell command on each host; passes on exit code 0.")
    every: float = Field(5.0, gt=0, description="Seconds between tries.")
    within: float = Field(120.0, gt=0, description="Seconds before the check is given up.")

    @model_validator(mode="after")
    def _one_question(self) -> Probe:
        if (self.url is None) == (self.run is None):
            raise ValueError(phrase("rule.probe_one"))
        if self.run is not None and (self.contains or self.status != 200):
            raise ValueError(phrase("rule.probe_url"))
        return self

    def templates(self, prefix: str) -> dict[str, str]:
        found = {f"{prefix}url": self.url} if self.url else {f"{prefix}run": self.run or ""}
        found.update({f"{prefix}contains[{i}]": text for i, text in enumerate(self.contains)})
        return found

    def describe(self) -> str:
        return f"GET {self.url}" if self.url else (self.run or "").strip()


@dataclass(frozen=True)
class Answer:
    ok: bool
    said: Said
    body: str = ""


@dataclass(frozen=True)
class Waited:
    answer: Answer
    tries: int
    seconds: float
    cancelled: bool = False


def ask_http(probe: Probe, values: dict[str, Any], timeout: float = 10.0) -> Answer:
    import httpx  # imported on first use, as in the http step

    url = render(probe.url or "", values)
    accepted = probe.status if isinstance(probe.status, list) else [probe.status]
    try:
        with httpx.Client(timeout=timeout, trust_env=False, follow_redirects=True) as client:
            response = client.get(url)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:  # a rendered URL may not be one: not an HTTPError
        return Answer(False, phrase("http.request_failed", url=url, error=http_reason(exc)))
    problems: list[Said] = []
    if response.status_code not in accepted:
        expected = str(accepted[0]) if len(accepted) == 1 else str(accepted)
        problems.append(phrase("http.status", status=response.status_code, expected=expected))
    for needle in probe.contains:
        wanted = render(needle, values)
        if wanted not in response.text:
            problems.append(phrase("http.missing_text", text=wanted))
    if problems:
        return Answer(False, phrase("http.summary", url=url, message=parts(problems)), response.text)
    return Answer(True, phrase("http.summary", url=url, message=phrase("probe.http_ok", status=response.status_code)),
                  response.text)


def ask_shell(probe: Probe, values: dict[str, Any], transport: Transport, timeout: float = 30.0) -> Answer:
    command = render(probe.run or "", values, shell=True)
    try:
        result = transport.run(command, timeout=timeout)
    except LaunchpadError as exc:
        return Answer(False, exc.said)  # read in the reader's language, as the other answers are
    last = (result.text().strip().splitlines() or result.text("stderr").strip().splitlines() or [""])[-1][:200]
    if result.ok:
        return Answer(True, phrase("probe.shell_ok", line=last) if last else phrase("shell.ok"), result.text())
    return Answer(False, phrase("probe.shell_failed", code=result.exit_code, line=last), result.text())


def poll(
    ask: Callable[[], Answer],
    *,
    every: float,
    within: float,
    cancel: Event,
    clock: Callable[[], float] = time.monotonic,
) -> Waited:
    """Ask until an answer is ok or `within` seconds have passed; the last answer either way.
    A try that would start after the deadline is not made: the wait ends with what it saw."""
    started = clock()
    deadline = started + within
    tries = 0
    while True:
        answer = ask()
        tries += 1
        if answer.ok:
            return Waited(answer, tries, clock() - started)
        pause = min(every, deadline - clock())
        if pause <= 0:
            return Waited(answer, tries, clock() - started)
        if cancel.wait(pause):
            return Waited(answer, tries, clock() - started, cancelled=True)


def waited_said(waited: Waited) -> Answer:
    """The answer of a finished wait, worded for the person: passed, stopped or timed out."""
    answer = waited.answer
    seconds = f"{waited.seconds:.1f}"
    if answer.ok:
        return Answer(True, phrase("wait.passed", tries=waited.tries, seconds=seconds, answer=answer.said))
    if waited.cancelled:
        return Answer(False, phrase("wait.stopped", answer=answer.said))
    return Answer(False, phrase("wait.timed_out", seconds=seconds, tries=waited.tries, answer=answer.said))
