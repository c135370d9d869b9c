"""The bundled playbooks load, check clean against the demo and the `init` sites, and the
checks of environment-readiness really work on this machine (a minimal container included)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from launchpad.demo import build_demo
from launchpad.hosts.base import HostSpec
from launchpad.hosts.local import LocalTransport
from launchpad.run.playbook import BUNDLED_DIR, Playbook, check_against_site, load_playbook
from launchpad.steps.base import HostOutcome, StepContext, StepOutcome
from launchpad.steps.shell import ShellStep, run_shell
from launchpad.workspace.folder import load_workspace
from launchpad.workspace.scaffold import init_workspace
from launchpad.workspace.site import Host, Site

BUNDLED = sorted(BUNDLED_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_workspace(build_demo(tmp_path_factory.mktemp("demo") / "ws")).site


@pytest.fixture(scope="module")
def init_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("init") / "ws"
    init_workspace(root)
    return load_workspace(root).site


@pytest.fixture(scope="module")
def readiness() -> Playbook:
    return load_playbook(BUNDLED_DIR / "environment-readiness.yaml").playbook


def test_both_playbooks_are_bundled() -> None:
    names = {path.stem for path in BUNDLED}
    assert {"environment-readiness", "onsite-acceptance"} <= names


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_playbook_checks_clean(path: Path, demo_site: Site, init_site: Site) -> None:
    loaded = load_playbook(path)
    assert loaded.playbook.name == path.stem
    assert check_against_site(loaded, demo_site) == []
    assert check_against_site(loaded, init_site) == []


def test_readiness_titles_are_chinese_and_compares_environments(readiness: Playbook) -> None:
    assert readiness.title == "环境就绪检查"
    kinds = [step.kind for _, step in readiness.all_steps()]
    assert kinds[:2] == ["environments", "environments"]
    assert {"shell", "http"} <= set(kinds)
    databases = readiness.step("compare.databases")
    assert databases is not None and databases.critical


def test_readiness_variables_refuse_shell_syntax(readiness: Playbook) -> None:
    assert readiness.vars["ports"].problem_with("8080 9090") is None
    assert readiness.vars["ports"].problem_with("") is None
    assert readiness.vars["ports"].problem_with("22; rm -rf /") is not None
    assert readiness.vars["services"].problem_with("nginx app@1") is None
    assert readiness.vars["services"].problem_with("$(reboot)") is not None
    assert readiness.vars["data_dir"].problem_with("/data/app") is None
    assert readiness.vars["max_clock_offset"].per_env["prod"] == "10"


def test_acceptance_is_signed_step_by_step_and_ends_with_an_approval() -> None:
    playbook = load_playbook(BUNDLED_DIR / "onsite-acceptance.yaml").playbook
    steps = [step for _, step in playbook.all_steps()]
    assert playbook.title == "现场验收"
    assert sum(step.critical for step in steps) >= 3
    assert any(getattr(step, "evidence", False) for step in steps)
    assert steps[-1].kind == "gate" and getattr(steps[-1], "approval", None) is not None
    assert all(step.kind == "manual" for step in steps[:-1])


# -- running the host checks on this machine ------------------------------------------------


def run_step(
    playbook: Playbook, step_id: str, variables: dict[str, str],
    *, now_epoch: Callable[[], int] = lambda: int(time.time()), prefix: str = "",
) -> StepOutcome:
    step = playbook.step(step_id)
    assert isinstance(step, ShellStep)
    if prefix:
        step = step.model_copy(update={"run": prefix + step.run})
    defaults = {name: var.default or "" for name, var in playbook.vars.items()}
    chosen = {**defaults, **variables}
    host = Host(name="app1", address="127.0.0.1", groups=["app"])
    reported: list[HostOutcome] = []
    context = StepContext(
        run_id=1, phase_id=step_id.split(".")[0], step_id=step_id, attempt=1,
        site=None,  # type: ignore[arg-type]  # shell steps only use the values
        env_name="test", environment=None,  # type: ignore[arg-type]
        values={**chosen, "vars": chosen, "now_epoch": now_epoch},
        prompter=None,  # type: ignore[arg-type]
        emit=lambda _event: None, hosts=[host],
        transport_for=lambda h: LocalTransport(HostSpec(name=h.name, address=h.address)),
        report_host=reported.append, audit=lambda *_args: None,
        phase_status=lambda _phase: None, now=datetime.now,
    )
    outcome = run_shell(step, context)
    assert [h.host for h in reported] == ["app1"]
    return outcome


def output(outcome: StepOutcome) -> str:
    return outcome.hosts[0].stdout + outcome.hosts[0].stderr + str(outcome.hosts[0].message)


@pytest.fixture
def listening_port() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


@pytest.mark.parametrize("step_id", ["hosts.reachable", "hosts.disk", "hosts.memory"])
def test_host_checks_pass_here(readiness: Playbook, step_id: str) -> None:
    outcome = run_step(readiness, step_id, {})
    assert outcome.status == "passed", output(outcome)


def test_disk_check_names_a_missing_data_dir(readiness: Playbook, tmp_path: Path) -> None:
    outcome = run_step(readiness, "hosts.disk", {"data_dir": str(tmp_path / "absent")})
    assert outcome.status == "failed"
    assert "应用数据目录不存在" in output(outcome)


def test_clock_check_uses_launchpads_clock(readiness: Playbook) -> None:
    assert run_step(readiness, "hosts.clock", {}).status == "passed"
    behind = run_step(readiness, "hosts.clock", {"max_clock_offset": "30"},
                      now_epoch=lambda: int(time.time()) - 3600)
    assert behind.status == "failed"
    assert "超过允许的 ±30 秒" in output(behind)


@pytest.mark.parametrize("without_ss", [False, True], ids=["ss", "proc-net-tcp"])
def test_port_check_finds_listening_and_missing_ports(
    readiness: Playbook, listening_port: int, without_ss: bool
) -> None:
    # A shell function that fails stands for a container where ss is missing or not allowed.
    prefix = "ss() { return 127; }\n" if without_ss else ""
    found = run_step(readiness, "services.ports", {"ports": str(listening_port)}, prefix=prefix)
    assert found.status == "passed", output(found)
    assert ("/proc/net/tcp" if without_ss else "ss -ltn") in output(found)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    missing = run_step(readiness, "services.ports", {"ports": f"{listening_port} {closed}"},
                       prefix=prefix)
    assert missing.status == "failed"
    assert f"未在监听: {closed}" in output(missing)


def test_unconfigured_ports_and_services_are_not_checked_saying_why(readiness: Playbook) -> None:
    ports = run_step(readiness, "services.ports", {"ports": ""})
    services = run_step(readiness, "services.active", {"services": ""})
    assert ports.status == services.status == "not_checked"  # never "passed"
    assert "未配置需检查的端口" in output(ports) and "未配置需检查的端口" in str(ports.summary)
    assert "未配置需检查的服务" in output(services) and "未配置需检查的服务" in str(services.summary)


def test_values_reach_the_shell_as_single_words(readiness: Playbook, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    values: dict[str, Any] = {"data_dir": f"/tmp/$(touch {marker})"}
    outcome = run_step(readiness, "hosts.disk", values)
    assert outcome.status == "failed"
    assert not marker.exists()


def test_the_playbook_list_reads_in_the_order_a_site_goes_live(tmp_path: Path) -> None:
    from launchpad.run.playbook_list import GO_LIVE_ORDER, read_playbooks

    root = build_demo(tmp_path / "demo")
    (root / "playbooks" / "aaa-site-check.yaml").write_text(
        "name: aaa-site-check\ntitle: 现场自查\nphases:\n  - id: p\n    name: 阶段\n    steps:\n"
        "      - {id: p.s, name: 自查, kind: manual, instructions: 看一眼}\n", encoding="utf-8")
    names = [entry.name for entry in read_playbooks(load_workspace(root))]
    bundled = [name for name in names if name in GO_LIVE_ORDER]
    assert names[0] == "environment-readiness" and names[-1] == "aaa-site-check"
    assert bundled == sorted(bundled, key=GO_LIVE_ORDER.index)
    assert {path.stem for path in BUNDLED} <= set(GO_LIVE_ORDER), "a bundled playbook without its place"
