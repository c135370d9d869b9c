"""One ad-hoc command on many hosts at once (`launchpad exec`), with one result per host in
the order the hosts were listed, whatever order they answered in."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

from launchpad.errors import LaunchpadError
from launchpad.hosts.pool import in_parallel
from launchpad.workspace.site import Host


@dataclass(frozen=True)
class ExecResult:
    host: str
    exit_code: int | None
    duration: float
    output: str
    error: str = ""
    # What to do about `error`, from launchpad's error.
    hint: str = ""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.error

    @property
    def first_line(self) -> str:
        if self.error:
            return self.error
        lines = self.output.strip().splitlines()
        return (lines[0][:100] + (" …" if len(lines) > 1 else "")) if lines else ""

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def run_everywhere(connections: Any, hosts: list[Host], command: str, *, timeout: float) -> list[ExecResult]:
    def on_host(host: Host) -> ExecResult:
        started = time.monotonic()
        try:
            result = connections.transport_for(host).run(command, timeout=timeout)
        except LaunchpadError as exc:
            return ExecResult(
                host.name, None, time.monotonic() - started, "", exc.message_for(host.name), exc.hint
            )
        output = result.text() + (("\n" + result.text("stderr")) if result.stderr else "")
        return ExecResult(host.name, result.exit_code, result.duration, output)

    return in_parallel(on_host, hosts, name="exec")
