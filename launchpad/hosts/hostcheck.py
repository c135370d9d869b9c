"""`launchpad hosts check`: is each host reachable, and how are its uptime, disk, memory and
clock? One small portable command per host, parsed here, so it works on any Linux server
without installing anything."""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from typing import Any

from launchpad.errors import LaunchpadError
from launchpad.hosts.column import error_fields, error_json
from launchpad.hosts.pool import in_parallel
from launchpad.phrases import Said, parts, phrase, render, word
from launchpad.workspace.site import Host

# A probe is five reads of /proc and df: a host still silent after this long (a hung NFS mount
# under df, a shell waiting on input) is reported as not answering, not waited for.
PROBE_TIMEOUT = 30
PROBE = (
    "cut -d' ' -f1 /proc/uptime; "
    "df -P / | awk 'NR==2{print $5}'; "
    "awk '/^MemTotal:/{t=$2} /^MemAvailable:/{a=$2} END{print t; print a}' /proc/meminfo; "
    "date +%s.%N"
)
DISK_LIMIT = 90  # percent used above which a host is reported unhealthy
CLOCK_LIMIT = 5.0  # seconds of offset above which clocks are out of sync
MEMORY_MIN_MB = 256


@dataclass(frozen=True)
class HostHealth:
    host: str
    reachable: bool
    uptime_days: float | None = None
    disk_used_percent: int | None = None
    memory_available_mb: int | None = None
    memory_total_mb: int | None = None
    clock_offset: float | None = None
    error: Said = ""
    # What to do about `error` (e.g. trust the host's key), from launchpad's error.
    hint: Said = ""
    error_kind: str = ""  # the error's kind, the same in every language

    @property
    def findings(self) -> list[Said]:
        """What is wrong with the host, as phrases (a host's own error stays as it said it)."""
        return [said for _kind, said in self._findings()]

    def _findings(self) -> list[tuple[str, Said]]:
        # Each finding with a name scripts can read whatever the language.
        found: list[tuple[str, Said]] = []
        if not self.reachable:
            found.append((self.error_kind or "host_unreachable", self.error or phrase("hosts.unreachable")))
        elif self.error:
            found.append((self.error_kind, self.error))
        if self.disk_used_percent is not None and self.disk_used_percent >= DISK_LIMIT:
            found.append(("disk_full", phrase("hosts.disk_full", percent=self.disk_used_percent)))
        if self.memory_available_mb is not None and self.memory_available_mb < MEMORY_MIN_MB:
            found.append(("low_memory", phrase("hosts.low_memory", mb=self.memory_available_mb)))
        if self.clock_offset is not None and abs(self.clock_offset) > CLOCK_LIMIT:
            found.append(("clock_off", phrase("hosts.clock_off", seconds=self.clock_offset)))
        return found

    @property
    def problems(self) -> list[str]:
        return [str(finding) for finding in self.findings]

    @property
    def healthy(self) -> bool:
        return not self.problems

    def table_row(self, lang: str = "en") -> str:
        def show(value: Any, fmt: str) -> str:
            return "-" if value is None else format(value, fmt)

        findings = self.findings
        note = render(parts(findings), lang) if findings else word("hosts.ok", lang)
        reach = word("hosts.reachable" if self.reachable else "hosts.not_reachable", lang)
        return (
            f"{self.host:<20} {reach} "
            f"{show(self.uptime_days, '.1f'):>7}d {show(self.disk_used_percent, 'd'):>5}% "
            f"{show(self.memory_available_mb, 'd'):>7}MB {show(self.clock_offset, '+.2f'):>7}s  {note}"
        )

    def as_dict(self, lang: str) -> dict[str, Any]:
        """The check for `--json`: its words in `lang`, each problem's kind beside them."""
        words = ("error", "hint", "error_kind")
        measured = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in words}
        found = self._findings()
        return {**measured, **error_json(self.error, self.hint, self.error_kind, lang), "healthy": self.healthy,
                "problems": [render(said, lang) for _kind, said in found],
                "problem_kinds": [kind for kind, _said in found]}


def parse_probe(host: str, stdout: str, sent: float, received: float) -> HostHealth:
    """Read the probe's output; the clock offset is measured against the midpoint of the
    round trip, which bounds the error by half the latency."""
    lines = stdout.split()
    try:
        uptime, disk, mem_total, mem_avail, epoch = lines[:5]
        offset = float(epoch) - (sent + received) / 2
        return HostHealth(
            host,
            True,
            uptime_days=float(uptime) / 86400,
            disk_used_percent=int(disk.rstrip("%")),
            memory_total_mb=int(mem_total) // 1024,
            memory_available_mb=int(mem_avail) // 1024,
            clock_offset=offset,
        )
    except ValueError:
        return HostHealth(host, True, error=phrase("hostcheck.unexpected_output", output=stdout.strip()[:80]),
                          hint=phrase("hostcheck.probe_hint"), error_kind="probe_unreadable")


def check_host(connections: Any, host: Host) -> HostHealth:
    try:
        transport = connections.transport_for(host)
        sent = time.time()
        result = transport.run(PROBE, timeout=PROBE_TIMEOUT)
        received = time.time()
    except LaunchpadError as exc:
        return HostHealth(host.name, False, **error_fields(host.name, exc))
    if result.exit_code != 0:
        return HostHealth(host.name, True, error=phrase("hostcheck.probe_exited", code=result.exit_code,
                                                        stderr=result.text("stderr").strip()[:80]),
                          hint=phrase("hostcheck.probe_hint"), error_kind="probe_failed")
    return parse_probe(host.name, result.text(), sent, received)


def check_hosts(connections: Any, hosts: list[Host]) -> list[HostHealth]:
    """Probe every host at once. With a store on `connections` (the CLI), the probe is written
    to the audit log first, like every remote command; the dashboard's periodic background
    probe passes none, so a read-only check every two minutes does not bury the log."""
    if not hosts:
        return []
    if connections.store is not None:
        connections.store.audit(
            connections.actor,
            "hosts_check",
            connections.env_name,
            {"command": PROBE, "hosts": [h.name for h in hosts]},
        )
    return in_parallel(lambda host: check_host(connections, host), hosts, name="check")
