"""Reading the configuration files from the hosts of two environments, and the one function
that the `config_diff` step and `launchpad config diff` both call.

Each file is read with `cat` through the host's transport (SSH, or local in the demo), every
command written to the audit log first. The file's contents go only to the parser: they are
never emitted as output lines, stored or audited, since they hold passwords.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable

from launchpad.configdiff.compare import ConfigDiff, Reading, compare
from launchpad.configdiff.expectations import Plan
from launchpad.configdiff.formats import ConfigSyntaxError, Format, decode, parse_config
from launchpad.errors import LaunchpadError
from launchpad.hosts.base import CommandResult, Transport
from launchpad.hosts.pool import in_parallel
from launchpad.phrases import Said, phrase
from launchpad.workspace.site import Host, Site

MAX_FILE_MIB = 4
TransportFor = Callable[[str, Host], Transport]  # (environment, host) → its transport
Audit = Callable[[str, str, dict[str, object]], None]  # (action, target, detail)


def diff_environments(
    site: Site,
    envs: tuple[str, str],
    plan: Plan,
    transport_for: TransportFor,
    audit: Audit,
    *,
    on_command: Callable[[str, str], None] | None = None,
    timeout: float = 60.0,
) -> ConfigDiff:
    """Read every planned file from every host of both environments (hosts in parallel) and
    compare them. `on_command(label, command)` reports each command as it is sent."""
    work = []
    for env in envs:
        environment = site.environments[env]
        for host in environment.hosts:
            indexes = [i for i, f in enumerate(plan.files) if f.path_in(env) and host in environment.hosts_in(f.hosts)]
            if indexes:
                work.append((env, host, indexes))

    def read(item: tuple[str, Host, list[int]]) -> list[Reading]:
        env, host, indexes = item
        return _read_host(plan, env, host, indexes, transport_for, audit, on_command, timeout)

    reads = in_parallel(read, work, name="config-read")
    return compare(plan, envs, [reading for host_reads in reads for reading in host_reads])


def _read_host(
    plan: Plan, env: str, host: Host, indexes: list[int], transport_for: TransportFor, audit: Audit,
    on_command: Callable[[str, str], None] | None, timeout: float,
) -> list[Reading]:
    readings: list[Reading] = []
    label = f"{env}/{host.name}"
    broken: Said | None = None  # once the host cannot be reached, its other files are not tried
    for index in indexes:
        file = plan.files[index]
        path = file.path_in(env) or ""
        if broken is not None:
            readings.append(Reading(env, host.name, index, error=broken))
            continue
        command = f"cat -- {shlex.quote(path)}"
        audit("remote_command", label, {"command": command, "purpose": "config_diff"})
        if on_command is not None:
            on_command(label, command)
        try:
            result = transport_for(env, host).run(command, timeout=timeout)
        except LaunchpadError as exc:
            broken = exc.said  # read in the reader's language, as the other readings' errors are
            readings.append(Reading(env, host.name, index, error=broken))
            continue
        readings.append(_parsed(env, host.name, index, path, file.format_of(path), result))
    return readings


def _parsed(env: str, host: str, index: int, path: str, fmt: Format, result: CommandResult) -> Reading:
    if result.exit_code != 0:
        error = (result.text("stderr").strip().splitlines() or [f"exit code {result.exit_code}"])[-1]
        return Reading(env, host, index, error=phrase("config.read_failed", path=path, error=error[:200]))
    if result.truncated or len(result.stdout) > MAX_FILE_MIB * 1024 * 1024:
        return Reading(env, host, index, error=phrase("config.too_large", path=path, limit=MAX_FILE_MIB))
    try:
        keys = parse_config(decode(result.stdout), fmt)
    except ConfigSyntaxError as exc:
        return Reading(env, host, index,
                       error=phrase("config.malformed", path=path, line=exc.line, error=exc.said_reason))
    return Reading(env, host, index, keys=keys)
