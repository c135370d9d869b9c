"""The README's promise, as a newcomer would try it: build the demo, check it, run the
readiness playbook on `test`, read the run report, verify the audit log."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from launchpad.demo import stop_demo_webapp


def launchpad(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "launchpad", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Path]:
    root = tmp_path / "demo"
    built = launchpad("demo", "--no-tui", "--dir", str(root), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    try:
        yield root
    finally:
        stop_demo_webapp(root)


def test_demo_readiness_runs_and_reports(demo: Path) -> None:
    assert launchpad("check", cwd=demo).returncode == 0
    run = launchpad("run", "environment-readiness", "--env", "test", "--yes", cwd=demo)
    # The demo configures no ports or services to check: those steps are not checked, so the
    # run is not a clean pass (exit 1), and says so.
    assert run.returncode == 1, run.stdout + run.stderr
    assert "运行 1 已结束，有跳过或未检查。" in run.stdout  # the demo site speaks Chinese
    runs = launchpad("runs", "--json", cwd=demo)
    assert '"status": "partial"' in runs.stdout
    html = launchpad("runs", "show", "1", "--format", "html", "--out", "report.html", cwd=demo)
    assert html.returncode == 0
    page = (demo / "report.html").read_text(encoding="utf-8")
    assert "执行报告" in page and "登录页" in page and "通过" in page
    assert "已结束，有跳过或未检查" in page and "未配置需检查的端口" in page
    assert launchpad("audit", "verify", cwd=demo).returncode == 0


def test_acceptance_needs_people_and_stops_safely_without_them(demo: Path) -> None:
    run = launchpad("run", "onsite-acceptance", "--env", "test", "--yes", cwd=demo)
    assert run.returncode == 1
    assert "关键步骤需要有人签字确认" in run.stderr
    assert "Traceback" not in run.stderr


def test_production_is_marked_in_the_run(demo: Path) -> None:
    # Every step of the readiness playbook is read-only, so it runs on production without a
    # confirmation; a confirmed step would stop here without --confirm prod.
    run = launchpad("run", "environment-readiness", "--env", "prod", "--yes", cwd=demo)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "prod（生产环境）" in run.stdout


def test_the_tour_pastes_the_sample_chat_and_sends_to_the_stand_in_robot(demo: Path) -> None:
    from launchpad.demo.launcher import read_demo_config
    from launchpad.demo.robot import received

    listed = launchpad("issue", "paste", "chat.txt", cwd=demo)
    assert listed.returncode == 0, listed.stderr
    assert "王芳: 登录页面点提交后一直转圈" in listed.stdout
    taken = launchpad("issue", "paste", "chat.txt", "--take", "1+2,4", cwd=demo)
    assert taken.returncode == 0, taken.stderr
    assert taken.stdout.count("+ #") == 2
    sent = launchpad("report", "daily", "--send", "group", cwd=demo)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "已发送到 group" in sent.stdout
    messages = received(demo / ".launchpad")
    assert len(messages) == 1 and "登录页面点提交后一直转圈" in messages[0]["content"]
    port = read_demo_config(demo)["environments"]["test"]["port"]
    page = httpx.get(f"http://127.0.0.1:{port}/robot", trust_env=False, timeout=5)
    assert "登录页面点提交后一直转圈" in page.text


def test_demo_is_built_outside_the_repository_and_stops_when_asked(tmp_path: Path) -> None:
    from launchpad.demo.launcher import health, read_demo_config

    built = launchpad("demo", "--no-tui", cwd=tmp_path)
    root = Path.home() / "launchpad-demo"  # the tests' own HOME
    try:
        assert built.returncode == 0, built.stderr
        assert (root / "site.yaml").is_file() and not (tmp_path / "launchpad-demo").exists()
        assert f"launchpad demo --stop --dir {root}" in built.stdout
        port = read_demo_config(root)["environments"]["test"]["port"]
        assert health(port) is not None
        stopped = launchpad("demo", "--stop", cwd=root)
        assert stopped.returncode == 0, stopped.stderr
        assert "演示网站已停止" in stopped.stdout
        assert health(port) is None
    finally:
        stop_demo_webapp(root)


def test_quitting_the_app_stops_the_demo_web_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from launchpad.cli import cli
    from launchpad.demo.launcher import health, read_demo_config

    seen: list[object] = []

    def app_open_then_quit(workspace: Path) -> None:
        port = read_demo_config(workspace)["environments"]["test"]["port"]
        seen.append(health(port))  # the web app answers while the app is open

    monkeypatch.setattr("launchpad.cli.tui.open_tui", app_open_then_quit)
    root = tmp_path / "demo"
    try:
        result = CliRunner().invoke(cli, ["demo", "--dir", str(root)])
        assert result.exit_code == 0, result.output
        assert seen and seen[0] is not None
        assert health(read_demo_config(root)["environments"]["test"]["port"]) is None
    finally:
        stop_demo_webapp(root)
