"""`environments`: compare every environment of site.yaml with the others.

At client sites the test and the production environment are meant to be kept alike, yet must
never share a user database: a test import that lands in the production user table is one of
the failures launchpad exists to prevent. This step checks all environments at once, whichever
environment the run targets:

- `separate_databases`: no database endpoint is used by two environments;
- `reachable`: every host accepts a TCP connection on its SSH port (probed in parallel);
- `same_groups`: every environment defines the same host groups.
"""

from __future__ import annotations

import posixpath
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from launchpad.errors import LaunchpadError
from launchpad.hosts.base import HostSpec
from launchpad.hosts.pool import in_parallel
from launchpad.hosts.sshconfig import SshConfigResolver
from launchpad.oserrors import os_reason
from launchpad.phrases import Said, parts, phrase
from launchpad.steps.base import HostOutcome, StepContext, StepKind, StepOutcome, StepSpec, hosts_said
from launchpad.workspace.site import Database, Environment, Site

Check = Literal["separate_databases", "reachable", "same_groups"]
ALL_CHECKS: tuple[Check, ...] = ("separate_databases", "reachable", "same_groups")
# Database servers are compared by where they listen; an omitted port means the default one.
DEFAULT_PORTS = {"mysql": 3306, "mariadb": 3306, "postgresql": 5432, "dm": 5236, "kingbase": 54321}
LOCAL_ADDRESSES = {"", "localhost", "127.0.0.1", "::1", "localhost.localdomain"}


class EnvironmentsStep(StepSpec):
    kind: Literal["environments"]
    checks: list[Check] = Field(default_factory=lambda: list(ALL_CHECKS), min_length=1)
    connect_timeout: float = Field(3.0, gt=0, description="Seconds to wait for each SSH port.")
    groups_differ: Literal["warn", "fail"] = Field(
        "warn", description="Whether different host groups only warn or fail the step."
    )

    def describe(self) -> Said:
        return phrase("describe.environments", checks=list(self.checks))


# -- separate databases ---------------------------------------------------------------------


def database_endpoint(database: Database, environment: Environment, root: Path | None) -> str:
    """Where a database really lives, as comparable text: two equal endpoints are one database."""
    server = _normalise_address(database.host or "localhost")
    if server == "localhost" and database.via:
        # `localhost` as seen from the `via` host is that host.
        via = next((h for h in environment.hosts if h.name == database.via), None)
        server = _normalise_address(via.address) if via else f"via:{database.via}"
    if database.engine == "sqlite":
        return f"sqlite {_sqlite_path(database.name, server, root)}"
    engine = "mysql" if database.engine == "mariadb" else database.engine  # one server protocol
    port = database.port or DEFAULT_PORTS.get(database.engine, 0)
    return f"{engine}://{server}:{port}/{database.name}"


def _normalise_address(address: str) -> str:
    address = address.strip().lower()
    return "localhost" if address in LOCAL_ADDRESSES else address


def _sqlite_path(name: str, server: str, root: Path | None) -> str:
    if server != "localhost":  # a file on another machine: its path can only be compared as text
        return f"{server}:{posixpath.normpath(name)}"
    path = Path(name).expanduser()
    if root is not None:
        return str((root / path).resolve())
    # Without the workspace root, a relative path stays relative: both are read from the same
    # site.yaml, so equal normalised text still means the same file.
    return str(path.resolve()) if path.is_absolute() else posixpath.normpath(name)


def shared_databases(site: Site, root: Path | None) -> dict[str, list[str]]:
    """Endpoints used by more than one environment → the `env.database` names using them."""
    users: dict[str, list[str]] = {}
    for env_name, environment in site.environments.items():
        for db_name, database in environment.databases.items():
            endpoint = database_endpoint(database, environment, root)
            users.setdefault(endpoint, []).append(f"{env_name}.{db_name}")
    return {
        endpoint: names
        for endpoint, names in users.items()
        if len({name.split(".", 1)[0] for name in names}) > 1
    }


# -- reachable ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    label: str  # "prod/app1"
    address: str
    port: int
    local: bool = False


def probes_for(
    site: Site, resolver: SshConfigResolver | None = None
) -> tuple[list[Probe], list[Said]]:
    """What to probe, and notes on hosts that cannot be probed from this machine. Addresses
    and ports are completed by ~/.ssh/config, exactly as the SSH transport will connect."""
    resolver = resolver or SshConfigResolver()
    probes: list[Probe] = []
    notes: list[Said] = []
    for env_name, environment in site.environments.items():
        if environment.transport == "local":
            probes += [
                Probe(f"{env_name}/{h.name}", h.address, 0, local=True) for h in environment.hosts
            ]
            continue
        if environment.jump is not None:
            # Hosts behind a jump host are only reachable through it; probing them from here
            # would report a false failure, so the jump host stands for them.
            jump = environment.jump
            probes.append(Probe(f"{env_name}/jump", jump.address, jump.port))
            notes.append(phrase("envs.behind_jump", env=env_name, count=len(environment.hosts)))
            continue
        for host in environment.hosts:
            label = f"{env_name}/{host.name}"
            spec = HostSpec(name=label, address=host.address, port=host.port, user=host.user)
            try:
                target = resolver.resolve(spec)
            except LaunchpadError as exc:
                notes.append(phrase("envs.not_probed", label=label, error=exc.said))
                continue
            if target.jump is not None:
                notes.append(phrase("envs.via_jump", label=label, jump=target.jump.hostname))
                continue
            probes.append(Probe(label, target.hostname, target.port))
    return probes, notes


def probe(target: Probe, timeout: float) -> HostOutcome:
    if target.local:
        return HostOutcome(target.label, "passed", message=phrase("envs.local"))
    where = f"{target.address}:{target.port}"
    started = time.monotonic()
    try:
        with socket.create_connection((target.address, target.port), timeout=timeout):
            pass
    except TimeoutError:
        problem = phrase("envs.timeout", where=where, seconds=f"{timeout:g}")
    except OSError as exc:
        problem = phrase("envs.refused", where=where, error=os_reason(exc))
    else:
        return HostOutcome(target.label, "passed", duration=time.monotonic() - started,
                           message=phrase("envs.accepts", where=where))
    return HostOutcome(target.label, "failed", duration=time.monotonic() - started, message=problem)


@dataclass
class Findings:
    """What the checks found: failures fail the step, remarks are reported either way."""

    failures: list[Said] = field(default_factory=list)
    remarks: list[Said] = field(default_factory=list)
    warnings: list[Said] = field(default_factory=list)  # remarks that still matter when a check failed
    hosts: list[HostOutcome] = field(default_factory=list)
    evidence: dict[str, Any] = field(default_factory=dict)


def _check_reachable(step: EnvironmentsStep, ctx: StepContext, found: Findings) -> None:
    targets, notes = probes_for(ctx.site)

    def run(target: Probe) -> HostOutcome:
        outcome = probe(target, step.connect_timeout)
        ctx.report_host(outcome)
        return outcome

    outcomes = in_parallel(run, targets, name="probe")
    failed = [o for o in outcomes if o.status == "failed"]
    found.hosts += outcomes
    found.evidence["unreachable"] = [o.host for o in failed]
    if failed:
        listed: Said = hosts_said(failed[:5])
        if len(failed) > 5:
            listed = phrase("more", text=listed, count=len(failed) - 5)
        found.failures.append(phrase("envs.unreachable", failed=len(failed), count=len(outcomes), details=listed))
    else:
        found.remarks.append(phrase("envs.reachable", count=len(outcomes)))
    found.remarks += notes


def _check_databases(ctx: StepContext, found: Findings) -> None:
    # The engine may pass the workspace root so that relative sqlite paths resolve exactly.
    root = ctx.workspace_root
    shared = shared_databases(ctx.site, root)
    found.evidence["shared_databases"] = shared
    for endpoint, users in shared.items():
        environments = sorted({name.split(".", 1)[0] for name in users})
        found.failures.append(phrase("envs.shared_db", envs=environments, endpoint=endpoint, users=users))
    if not shared:
        count = sum(len(env.databases) for env in ctx.site.environments.values())
        found.remarks.append(phrase("envs.no_shared_db", count=count))


def _check_groups(step: EnvironmentsStep, ctx: StepContext, found: Findings) -> None:
    differences = group_differences(ctx.site)
    found.evidence["missing_groups"] = differences
    if not differences:
        found.remarks.append(phrase("envs.same_groups"))
        return
    text = phrase("envs.groups_differ", details=parts(
        [phrase("envs.lacks", env=env, groups=groups) for env, groups in differences.items()]))
    if step.groups_differ == "fail":
        found.failures.append(text)
    else:  # a difference is worth a look, but need not stop a readiness check
        found.warnings.append(phrase("envs.warning", text=text))


# -- same groups ----------------------------------------------------------------------------


def group_differences(site: Site) -> dict[str, list[str]]:
    """Per environment, the host groups other environments define and it lacks."""
    defined = {
        name: {group for host in env.hosts for group in host.groups}
        for name, env in site.environments.items()
    }
    every = set().union(*defined.values()) if defined else set()
    return {name: sorted(every - groups) for name, groups in defined.items() if every - groups}


# -- the step -------------------------------------------------------------------------------


def compare_environments(step: EnvironmentsStep, ctx: StepContext) -> StepOutcome:
    found = Findings(evidence={"environments": sorted(ctx.site.environments)})
    if len(ctx.site.environments) < 2:
        found.remarks.append(phrase("envs.nothing_to_compare", count=len(ctx.site.environments)))
    if "separate_databases" in step.checks:
        _check_databases(ctx, found)
    if "reachable" in step.checks:
        _check_reachable(step, ctx, found)
    if "same_groups" in step.checks:
        _check_groups(step, ctx, found)
    hosts = tuple(found.hosts)
    if not found.failures:
        return StepOutcome("passed", parts(found.remarks + found.warnings), hosts, found.evidence)
    # Warnings still matter when something else failed; other remarks would only add noise.
    return StepOutcome("failed", parts(found.failures + found.warnings), hosts, found.evidence)


STEP_KIND = StepKind("environments", EnvironmentsStep, compare_environments, idempotent=True)
