"""`http`: a page or API answers with the right status, content and speed (the login page is
up and shows the on-site contact, an interface answers within its limit)."""

from __future__ import annotations

import re
import time
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from launchpad.httperrors import http_reason
from launchpad.phrases import Said, parts, phrase
from launchpad.run.templating import render
from launchpad.steps.base import HostOutcome, StepContext, StepKind, StepOutcome, StepSpec
from launchpad.workspace.site import valid_regex


class Extract(BaseModel):
    """A value read from the page (the version the login page shows), kept as evidence and,
    with `expect`, compared: `{pattern: 'v([0-9.]+)', label: version, expect: '{{ vars.version }}'}`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    pattern: str = Field(description="Regex; its first group (or the whole match) is the value.")
    label: str = "value"
    expect: str | None = Field(None, description="The value it must be; may use {{ vars.NAME }}.")

    _check = field_validator("pattern")(valid_regex)


class HttpStep(StepSpec):
    kind: Literal["http"]
    url: str = Field(description="URL; may use {{ env.urls.NAME }}.")
    method: Literal["GET", "HEAD", "POST", "PUT"] = "GET"
    headers: dict[str, str] = Field(default_factory=dict)
    body: str | None = None
    status: int | list[int] = Field(200, description="Accepted status code(s).")
    contains: list[str] = Field(default_factory=list, description="Texts the body must contain.")
    max_latency_ms: float | None = Field(None, gt=0)
    verify_tls: bool = True
    follow_redirects: bool = True
    extract: Extract | None = None

    def templates(self) -> dict[str, str]:
        fields = {"url": self.url, **{f"contains[{i}]": c for i, c in enumerate(self.contains)},
                  **{f"headers[{name}]": value for name, value in self.headers.items()}}
        if self.body:
            fields["body"] = self.body
        if self.extract is not None and self.extract.expect is not None:
            fields["extract.expect"] = self.extract.expect
        return fields

    def describe(self) -> str:
        return f"{self.method} {self.url}"


def check_http(step: HttpStep, ctx: StepContext) -> StepOutcome:
    import httpx  # imported on first use: it costs start-up time for every other command

    url = render(step.url, ctx.values)
    label = _host_label(url)
    expected = step.status if isinstance(step.status, list) else [step.status]
    started = time.monotonic()
    try:
        with httpx.Client(
            timeout=step.timeout or 15.0,
            verify=step.verify_tls,
            follow_redirects=step.follow_redirects,
            trust_env=False,
        ) as client:
            response = client.request(
                step.method,
                url,
                headers={k: render(v, ctx.values) for k, v in step.headers.items()},
                content=render(step.body, ctx.values) if step.body else None,
            )
    except (httpx.HTTPError, httpx.InvalidURL) as exc:  # a rendered URL may not be one: not an HTTPError
        outcome = HostOutcome(
            label, "failed", None, time.monotonic() - started,
            message=phrase("http.request_failed", url=url, error=http_reason(exc)),
        )
        ctx.report_host(outcome)
        return StepOutcome("failed", outcome.message, (outcome,))
    latency_ms = response.elapsed.total_seconds() * 1000
    problems: list[Said] = []
    if response.status_code not in expected:
        wanted_status = str(expected[0]) if len(expected) == 1 else str(expected)
        problems.append(phrase("http.status", status=response.status_code, expected=wanted_status))
    text = response.text
    for needle in step.contains:
        wanted = render(needle, ctx.values)
        if wanted not in text:
            problems.append(phrase("http.missing_text", text=wanted))
    if step.max_latency_ms is not None and latency_ms > step.max_latency_ms:
        problems.append(phrase("http.slow", ms=f"{latency_ms:.0f}", limit=f"{step.max_latency_ms:.0f}"))
    extracted: dict[str, Any] = {}
    if step.extract is not None:
        problem, extracted = _extract(step.extract, text, ctx)
        if problem is not None:
            problems.append(problem)
    message = parts(problems) if problems else phrase("http.ok", status=response.status_code, ms=f"{latency_ms:.0f}")
    if extracted and not problems:
        message = parts([message, phrase("http.extracted", label=extracted["label"], value=extracted["value"])])
    outcome = HostOutcome(
        label,
        "failed" if problems else "passed",
        response.status_code,
        time.monotonic() - started,
        stdout=text[:2000],
        message=message,
    )
    ctx.report_host(outcome)
    evidence = {"url": url, "status": response.status_code, "latency_ms": round(latency_ms, 1)}
    if extracted:
        evidence[extracted["label"]] = extracted["value"]
    return StepOutcome(outcome.status, phrase("http.summary", url=url, message=message), (outcome,), evidence)


def _host_label(url: str) -> str:
    """What the host's row is called: the URL's host and port, or the URL when it is not one
    (the request then fails and says so, rather than the step crashing here)."""
    try:
        return urlsplit(url).netloc or url
    except ValueError:  # `http://[::1/x`
        return url


def _extract(extract: Extract, text: str, ctx: StepContext) -> tuple[Said | None, dict[str, Any]]:
    """(why the page fails the extraction or None, {label, value} when a value was found)."""
    match = re.search(extract.pattern, text)
    if match is None:
        return phrase("http.extract_missing", label=extract.label, pattern=extract.pattern), {}
    value = (match.group(1) if match.groups() else match.group(0)).strip()
    found = {"label": extract.label, "value": value}
    if extract.expect is not None:
        expected = render(extract.expect, ctx.values).strip()
        if value != expected:
            return phrase("http.extract_wrong", label=extract.label, value=value, expected=expected), found
    return None, found


STEP_KIND = StepKind("http", HttpStep, check_http, idempotent=True, code="http")
