"""The demo workspace builds, loads and is safe to rebuild; its web app starts detached,
shows today's duty contact, is reused when already running, and stops."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from launchpad.demo import build_demo, start_demo_webapp, stop_demo_webapp
from launchpad.demo.launcher import PID_FILE, health, read_demo_config
from launchpad.errors import LaunchpadError, UsageError
from launchpad.run.playbook import BUNDLED_DIR, load_playbook
from launchpad.steps.base import StepContext
from launchpad.steps.environments import EnvironmentsStep, compare_environments
from launchpad.steps.http import HttpStep, check_http
from launchpad.workspace.folder import load_workspace
from launchpad.workspace.site import Site


@pytest.fixture
def demo_root(tmp_path: Path) -> Path:
    return build_demo(tmp_path / "demo")


@pytest.fixture
def running_demo(demo_root: Path) -> Iterator[Path]:
    try:
        start_demo_webapp(demo_root)
        yield demo_root
    finally:  # no web app may outlive the test, whatever failed
        stop_demo_webapp(demo_root)


def context(site: Site, env_name: str, values: dict[str, object]) -> StepContext:
    return StepContext(
        run_id=1, phase_id="web", step_id="web.login", attempt=1, site=site, env_name=env_name,
        environment=site.environments[env_name], values=values,
        prompter=None,  # type: ignore[arg-type]  # these steps never ask anyone
        emit=lambda _event: None, hosts=[],
        transport_for=lambda _host: None,  # type: ignore[arg-type,return-value]
        report_host=lambda _outcome: None, audit=lambda *_args: None,
        phase_status=lambda _phase: None, now=datetime.now,
    )


def get(url: str) -> httpx.Response:
    return httpx.get(url, trust_env=False, timeout=5)


# -- the workspace --------------------------------------------------------------------------


def test_demo_site_loads_with_everything_a_newcomer_needs(demo_root: Path) -> None:
    site = load_workspace(demo_root).site
    assert site.site.language == "zh" and site.site.timezone == "Asia/Shanghai"
    assert set(site.environments) == {"test", "prod"}
    assert site.environments["prod"].production and not site.environments["test"].production
    assert {env.transport for env in site.environments.values()} == {"local"}
    assert set(site.windows) == {"after_hours", "weekend"}
    monday = datetime(2025, 3, 3).date()
    for offset in range(7):  # every day has someone to call, and a backup
        primary, backup = site.on_duty(monday + timedelta(days=offset))
        assert primary is not None and backup is not None and primary.phone
    for name in ("playbooks", "backups", "data"):
        assert (demo_root / name).is_dir()
    copies = sorted(p.name for p in (demo_root / "playbooks").glob("*.yaml"))
    assert copies == sorted(p.name for p in BUNDLED_DIR.glob("*.yaml"))


def test_demo_databases_are_two_separate_user_tables(demo_root: Path) -> None:
    site = load_workspace(demo_root).site
    names = []
    for env_name in ("test", "prod"):
        path = demo_root / site.environments[env_name].databases["main"].name
        with sqlite3.connect(path) as connection:
            names.append({row[0] for row in connection.execute("SELECT nick_name FROM sys_user")})
        connection.close()
    assert "周敏" in names[1] and names[0] != names[1]
    step = EnvironmentsStep(name="环境对比", kind="environments")
    outcome = compare_environments(step, context(site, "test", {}))
    assert outcome.status == "passed", outcome.summary


def test_rebuilding_keeps_data_and_ports_and_rewrites_site_yaml(demo_root: Path) -> None:
    ports = read_demo_config(demo_root)["environments"]
    database = demo_root / "data" / "test-users.db"
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM sys_user WHERE user_name = 'yanshou03'")
    connection.close()
    (demo_root / "site.yaml").write_text("broken: [", encoding="utf-8")
    assert build_demo(demo_root) == demo_root
    assert read_demo_config(demo_root)["environments"] == ports
    load_workspace(demo_root)
    with sqlite3.connect(database) as connection:
        accounts = {row[0] for row in connection.execute("SELECT user_name FROM sys_user")}
    connection.close()
    assert "yanshou03" not in accounts


def test_a_folder_that_is_not_a_demo_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("客户资料", encoding="utf-8")
    with pytest.raises(UsageError, match="not a launchpad demo"):
        build_demo(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert (build_demo(empty) / "site.yaml").is_file()


# -- the web app ----------------------------------------------------------------------------


def test_login_page_shows_todays_duty_contact(running_demo: Path) -> None:
    site = load_workspace(running_demo).site
    primary, _backup = site.on_duty(site.now().date())
    assert primary is not None
    for env_name in ("test", "prod"):
        page = get(site.environments[env_name].urls["login"])
        assert page.status_code == 200
        assert primary.name in page.text and primary.phone in page.text
        assert site.site.name in page.text
        answer = get(site.environments[env_name].urls["health"]).json()
        assert answer["status"] == "ok" and answer["environment"] == env_name


def test_the_login_page_signs_in_against_the_environments_sys_user(running_demo: Path) -> None:
    from launchpad.demo.clientdb import SEEDED_PASSWORD

    site = load_workspace(running_demo).site

    def sign_in(env_name: str, account: str, password: str) -> str:
        page = httpx.post(site.environments[env_name].urls["login"], data={"account": account, "password": password},
                          trust_env=False, timeout=10)
        assert page.status_code == 200
        return page.text

    assert "登录成功：周敏（窗口管理科）" in sign_in("prod", "zhoumin", SEEDED_PASSWORD)
    assert "账号或密码错误" in sign_in("prod", "zhoumin", "wrong-password")
    assert "账号或密码错误" in sign_in("prod", "nobody", SEEDED_PASSWORD)  # no hint who exists
    assert "登录成功：验收测试一" in sign_in("test", "yanshou01", SEEDED_PASSWORD)
    assert "账号或密码错误" in sign_in("prod", "yanshou01", SEEDED_PASSWORD)  # test's account only
    shown = sign_in("test", "<script>", "x")
    assert "<script>" not in shown.split("<main>")[1]


def test_the_playbooks_login_check_passes_against_the_demo(running_demo: Path) -> None:
    site = load_workspace(running_demo).site
    step = load_playbook(BUNDLED_DIR / "environment-readiness.yaml").playbook.step("web.login")
    assert isinstance(step, HttpStep)
    primary, _backup = site.on_duty(site.now().date())
    assert primary is not None
    values: dict[str, object] = {"env": {"urls": dict(site.environments["prod"].urls)},
              "duty": {"primary": primary.model_dump()}}
    outcome = check_http(step, context(site, "prod", values))
    assert outcome.status == "passed", outcome.summary


def test_start_is_idempotent_and_stop_stops(running_demo: Path) -> None:
    pid = int((running_demo / PID_FILE).read_text())
    urls = start_demo_webapp(running_demo)
    assert int((running_demo / PID_FILE).read_text()) == pid
    assert [get(url).status_code for url in urls.values()] == [200, 200]
    assert stop_demo_webapp(running_demo) is True
    assert stop_demo_webapp(running_demo) is False
    assert not (running_demo / PID_FILE).exists()
    ports = [env["port"] for env in read_demo_config(running_demo)["environments"].values()]
    assert [health(port) for port in ports] == [None, None]


def test_a_killed_web_app_is_started_again(running_demo: Path) -> None:
    pid = int((running_demo / PID_FILE).read_text())
    os.kill(pid, signal.SIGKILL)
    urls = start_demo_webapp(running_demo)
    assert int((running_demo / PID_FILE).read_text()) != pid
    assert get(urls["test"]).status_code == 200


def test_a_recycled_pid_is_never_signalled(demo_root: Path) -> None:
    stranger = subprocess.Popen(["sleep", "60"])
    try:
        (demo_root / PID_FILE).parent.mkdir(exist_ok=True)
        (demo_root / PID_FILE).write_text(f"{stranger.pid}\n")
        try:
            start_demo_webapp(demo_root)
        finally:
            stop_demo_webapp(demo_root)
        assert stranger.poll() is None
    finally:
        stranger.kill()
        stranger.wait()


def test_a_port_taken_by_another_program_is_named(demo_root: Path) -> None:
    port = read_demo_config(demo_root)["environments"]["prod"]["port"]
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        with pytest.raises(LaunchpadError, match=f"port {port}") as raised:
            start_demo_webapp(demo_root)
    assert "launchpad demo" in raised.value.hint
    assert not (demo_root / PID_FILE).exists()


def test_config_tells_the_web_app_each_weekdays_duty(demo_root: Path) -> None:
    config = json.loads((demo_root / ".launchpad" / "demo.json").read_text(encoding="utf-8"))
    assert set(config["duty"]) == {str(day) for day in range(7)}
    assert config["duty"]["0"]["primary"]["name"] == "张伟"
    assert config["duty"]["6"]["primary"]["name"] == "刘洋"


def test_the_sample_chat_never_took_place_in_the_future() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from launchpad.demo.builder import sample_chat_day

    shanghai = ZoneInfo("Asia/Shanghai")
    early = datetime(2026, 12, 5, 5, 59, tzinfo=shanghai)
    late = datetime(2026, 12, 5, 10, 2, tzinfo=shanghai)
    assert str(sample_chat_day(early)) == "2026-12-04"
    assert str(sample_chat_day(late)) == "2026-12-05"
