"""One ad-hoc command on many hosts at once (`launchpad exec`), with one result per host in
the order the hosts were listed, whatever order they answered in."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from launchpad.errors import LaunchpadError
from launchpad.hosts.column import error_fields, error_json
from launchpad.hosts.pool import in_parallel
from launchpad.phrases import Said, render
from launchpad.workspace.site import Host


@dataclass(frozen=True)
class ExecResult:
    host: str
    exit_code: int | None
    duration: float
    output: str
    error: Said = ""
    # What to do about `error`, from launchpad's error.
    hint: Said = ""
    error_kind: str = ""  # the error's kind, the same in every language

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.error

    def first_line(self, lang: str) -> str:
        if self.error:
            return render(self.error, lang)
        lines = self.output.strip().splitlines()
        return (lines[0][:100] + (" …" if len(lines) > 1 else "")) if lines else ""

    def as_dict(self, lang: str) -> dict[str, Any]:
        """The result for `--json`, its error in `lang`."""
        return {"host": self.host, "exit_code": self.exit_code, "duration": self.duration, "output": self.output,
                **error_json(self.error, self.hint, self.error_kind, lang), "ok": self.ok}


def run_everywhere(connections: Any, hosts: list[Host], command: str, *, timeout: float) -> list[ExecResult]:
    def on_host(host: Host) -> ExecResult:
        started = time.monotonic()
        try:
            result = connections.transport_for(host).run(command, timeout=timeout)
        except LaunchpadError as exc:
            return ExecResult(host.name, None, time.monotonic() - started, "", **error_fields(host.name, exc))
        output = result.text() + (("\n" + result.text("stderr")) if result.stderr else "")
        return ExecResult(host.name, result.exit_code, result.duration, output)

    return in_parallel(on_host, hosts, name="exec")
