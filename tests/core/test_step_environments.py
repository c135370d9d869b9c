"""The `environments` step: shared databases are refused, unreachable hosts are named per
environment, and differing host groups are reported."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from launchpad.hosts.sshconfig import SshConfigResolver
from launchpad.steps import step_kinds
from launchpad.steps.base import HostOutcome, StepContext
from launchpad.steps.environments import (
    EnvironmentsStep,
    compare_environments,
    database_endpoint,
    probes_for,
    shared_databases,
)
from launchpad.workspace.site import Site
from tests import loopback

# Tests must not depend on the ~/.ssh/config of whoever runs them.
NO_SSH_CONFIG = SshConfigResolver(None)


def make_site(environments: dict[str, Any]) -> Site:
    site = {"name": "某系统", "client": "某局"}
    return Site.model_validate({"site": site, "environments": environments})


def make_context(site: Site, reported: list[HostOutcome]) -> StepContext:
    env_name = next(iter(site.environments))
    return StepContext(
        run_id=1, phase_id="compare", step_id="compare.1", attempt=1, site=site,
        env_name=env_name, environment=site.environments[env_name], values={},
        prompter=None,  # type: ignore[arg-type]  # the step never asks anyone
        emit=lambda _event: None, hosts=[],
        transport_for=lambda _host: None,  # type: ignore[arg-type,return-value]
        report_host=reported.append, audit=lambda *_args: None,
        phase_status=lambda _phase: None, now=datetime.now,
    )


def step(**fields: Any) -> EnvironmentsStep:
    return EnvironmentsStep.model_validate({"name": "环境对比", "kind": "environments", **fields})


def sqlite_env(path: str, *, groups: tuple[str, ...] = ("app", "db")) -> dict[str, Any]:
    return {
        "transport": "local",
        "hosts": [{"name": "app1", "address": "127.0.0.1", "groups": list(groups)}],
        "databases": {"main": {"engine": "sqlite", "name": path}},
    }


@pytest.fixture
def listening_port() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    return loopback.closed_port()


def test_step_kind_is_registered() -> None:
    kind = step_kinds()["environments"]
    assert kind.spec is EnvironmentsStep
    assert kind.idempotent and not kind.runs_on_hosts
    assert step().checks == ["separate_databases", "reachable", "same_groups"]


def test_separate_sqlite_files_pass() -> None:
    site = make_site({"test": sqlite_env("data/test.db"), "prod": sqlite_env("data/prod.db")})
    reported: list[HostOutcome] = []
    outcome = compare_environments(step(), make_context(site, reported))
    assert outcome.status == "passed", outcome.summary
    assert "none shared" in str(outcome.summary)
    assert {h.host for h in reported} == {"test/app1", "prod/app1"}


def test_shared_sqlite_file_fails_naming_environments_and_file() -> None:
    site = make_site({"test": sqlite_env("data/./users.db"), "prod": sqlite_env("data/users.db")})
    outcome = compare_environments(step(checks=["separate_databases"]), make_context(site, []))
    assert outcome.status == "failed"
    assert "prod, test" in str(outcome.summary)
    assert "data/users.db" in str(outcome.summary)
    shared = outcome.evidence["shared_databases"]
    assert shared == {"sqlite data/users.db": ["test.main", "prod.main"]}


def test_relative_and_absolute_sqlite_paths_meet_when_the_root_is_known(tmp_path: Path) -> None:
    site = make_site({
        "test": sqlite_env("data/users.db"),
        "prod": sqlite_env(str(tmp_path / "data" / "users.db")),
    })
    assert shared_databases(site, None) == {}  # without the root they cannot be compared
    assert list(shared_databases(site, tmp_path).values()) == [["test.main", "prod.main"]]


def test_network_databases_compare_by_server_port_and_name() -> None:
    def env(host: str, name: str, port: int | None = None, engine: str = "mysql") -> dict[str, Any]:
        database: dict[str, Any] = {"engine": engine, "host": host, "name": name}
        if port:
            database["port"] = port
        return {"hosts": [{"name": "app1", "address": "10.0.0.1", "groups": ["app"]}],
                "databases": {"users": database}}

    same_server_other_name = make_site({"test": env("10.0.0.9", "app_test"),
                                        "prod": env("10.0.0.9", "app")})
    assert shared_databases(same_server_other_name, None) == {}
    # The default port and the explicit one are the same server; mariadb speaks mysql.
    shared = make_site({"test": env("10.0.0.9", "app", engine="mariadb"),
                        "prod": env("10.0.0.9", "app", port=3306)})
    assert list(shared_databases(shared, None)) == ["mysql://10.0.0.9:3306/app"]


def test_localhost_through_a_via_host_is_that_host() -> None:
    site = make_site({
        name: {
            "hosts": [{"name": "db1", "address": address, "groups": ["db"]}],
            "databases": {"users": {"engine": "postgresql", "host": "localhost",
                                    "name": "app", "via": "db1"}},
        }
        for name, address in (("test", "10.0.1.5"), ("prod", "10.0.2.5"))
    })
    prod = site.environments["prod"]
    assert database_endpoint(prod.databases["users"], prod, None) == "postgresql://10.0.2.5:5432/app"
    assert shared_databases(site, None) == {}


def test_reachable_reports_each_host_prefixed_by_environment(
    listening_port: int, closed_port: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # the step reads ~/.ssh/config: none here
    def ssh_env(port: int) -> dict[str, Any]:
        host = {"name": "app1", "address": "127.0.0.1", "port": port, "groups": ["app"]}
        return {"hosts": [host]}

    site = make_site({"test": ssh_env(listening_port), "prod": ssh_env(closed_port)})
    reported: list[HostOutcome] = []
    probes, _notes = probes_for(site, NO_SSH_CONFIG)
    assert [(p.label, p.port) for p in probes] == [("test/app1", listening_port),
                                                   ("prod/app1", closed_port)]
    outcome = compare_environments(step(checks=["reachable"], connect_timeout=2),
                                   make_context(site, reported))
    by_host = {h.host: h for h in reported}
    assert by_host["test/app1"].status == "passed"
    assert by_host["prod/app1"].status == "failed"
    assert outcome.status == "failed"
    assert "1 of 2 host(s) unreachable: prod/app1" in str(outcome.summary)
    assert outcome.failed_hosts == ("prod/app1",)


def test_hosts_behind_a_jump_host_are_represented_by_it(listening_port: int) -> None:
    site = make_site({"prod": {
        "jump": {"address": "127.0.0.1", "port": listening_port},
        "hosts": [{"name": "app1", "address": "10.9.9.9", "groups": ["app"]}],
    }})
    probes, notes = probes_for(site, NO_SSH_CONFIG)
    assert [p.label for p in probes] == ["prod/jump"]
    assert "behind the jump host" in str(notes[0])


def test_ssh_config_aliases_and_proxies_are_honoured(tmp_path: Path) -> None:
    config = tmp_path / "ssh_config"
    config.write_text(
        "Host prod-app1\n  HostName 10.0.0.11\n  Port 2222\n"
        "Host prod-app2\n  HostName 10.0.0.12\n  ProxyJump ops@bastion\n"
    )
    site = make_site({"prod": {"hosts": [
        {"name": "app1", "address": "prod-app1", "groups": ["app"]},
        {"name": "app2", "address": "prod-app2", "groups": ["app"]},
    ]}})
    probes, notes = probes_for(site, SshConfigResolver(config))
    assert [(p.address, p.port) for p in probes] == [("10.0.0.11", 2222)]
    assert "prod/app2" in str(notes[0]) and "bastion" in str(notes[0])


def test_different_groups_warn_by_default_and_fail_when_asked() -> None:
    site = make_site({"test": sqlite_env("data/test.db", groups=("app",)),
                      "prod": sqlite_env("data/prod.db")})
    warned = compare_environments(step(checks=["same_groups"]), make_context(site, []))
    assert warned.status == "passed"
    assert "warning: host groups differ: test lacks db" in str(warned.summary)
    failed = compare_environments(step(checks=["same_groups"], groups_differ="fail"),
                                  make_context(site, []))
    assert failed.status == "failed"
    assert failed.evidence["missing_groups"] == {"test": ["db"]}


def test_a_single_environment_has_nothing_to_compare() -> None:
    site = make_site({"prod": sqlite_env("data/prod.db")})
    outcome = compare_environments(step(), make_context(site, []))
    assert outcome.status == "passed"
    assert "nothing to compare" in str(outcome.summary)


def test_a_host_ssh_config_cannot_resolve_is_noted_in_the_readers_language(tmp_path: Path) -> None:
    from launchpad.phrases import render

    config = tmp_path / "ssh_config"
    config.write_text("Host loop-a\n  ProxyJump loop-b\nHost loop-b\n  ProxyJump loop-a\n")
    site = make_site({"prod": {"hosts": [{"name": "app1", "address": "loop-a", "groups": ["app"]}]}})
    probes, notes = probes_for(site, SshConfigResolver(config))
    assert probes == [] and len(notes) == 1
    chinese = render(notes[0], "zh")
    assert chinese.startswith("prod/app1 未探测：") and "ProxyJump 设置形成了循环" in chinese
    assert str(notes[0]).startswith("prod/app1 was not probed: ") and "form a loop" in str(notes[0])
